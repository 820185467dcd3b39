"""The integrity app."""
