"""The listening app."""
