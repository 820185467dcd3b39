"""Kawal: a self-hosted guard for official and executive social media accounts."""

__version__ = "0.1.0"
