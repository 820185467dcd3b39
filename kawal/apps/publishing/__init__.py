"""The publishing app."""
