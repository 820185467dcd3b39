"""The incidents app."""
