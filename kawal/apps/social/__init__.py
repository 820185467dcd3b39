"""The social app."""
