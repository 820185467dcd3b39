"""The notifications app."""
