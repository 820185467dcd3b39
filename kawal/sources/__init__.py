"""Importers, platform connectors and feeds: everything that brings posts and items into Kawal."""
