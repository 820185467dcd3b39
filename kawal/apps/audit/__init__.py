"""The audit app."""
