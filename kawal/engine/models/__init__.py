"""Shipped model weights (.npz) and lexicons (JSON) for the screening engine."""
