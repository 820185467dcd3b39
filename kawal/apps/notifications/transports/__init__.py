"""Notification transports, one module per kind, found through a lazy registry.

Add a transport: write ``<kind>.py`` with a ``Transport`` subclass named ``Transport`` and add the kind to
``KINDS``. Nothing else needs to change.
"""

from __future__ import annotations

import importlib

from kawal.apps.notifications.transports.base import Message, Transport, TransportError

KINDS = ("email", "webhook", "slack", "telegram")

__all__ = ["KINDS", "Message", "Transport", "TransportError", "transport_for"]


def transport_for(kind: str, config: dict) -> Transport:
    """An instance of the transport of ``kind`` configured with ``config``."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification transport {kind!r}; expected one of {', '.join(KINDS)}")
    module = importlib.import_module(f"kawal.apps.notifications.transports.{kind}")
    return module.Transport(config)
