"""Django apps, one per concern."""
