"""Scripts that rebuild the shipped models."""
