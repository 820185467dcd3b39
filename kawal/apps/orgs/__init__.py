"""The orgs app."""
