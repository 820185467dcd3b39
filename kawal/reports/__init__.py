"""Offline reports (self-contained HTML) rendered from engine results."""
