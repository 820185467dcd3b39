"""Internal hostnames and URLs: private DNS suffixes, intranet hosts, RFC 1918 addresses, localhost ports.

A public post that names an internal host tells attackers how the network is laid out and often comes
from a pasted screenshot or log line that leaks more.
"""

from __future__ import annotations

import re

from kawal.engine.records import Finding
from kawal.engine.screen.leaks.common import Span, make

LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
INTERNAL_HOST_RE = re.compile(
    rf"(?<![\w.-])(?:{LABEL}\.)+(?:internal|corp|local|lan|localdomain|intranet|home\.arpa)(?![\w-]|\.[a-z0-9])"
    rf"|(?<![\w.-])(?:{LABEL}\.)*(?:intranet|corp|internal)\.(?:{LABEL}\.)+[a-z]{{2,}}(?![\w-]|\.[a-z0-9])",
    re.IGNORECASE,
)
OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
PRIVATE_IP_RE = re.compile(
    rf"(?<![\w.])(?:10\.{OCTET}|172\.(?:1[6-9]|2\d|3[01])|192\.168)\.{OCTET}\.{OCTET}(?::\d{{1,5}})?(?![\w]|\.\d)"
)
LOCALHOST_RE = re.compile(
    r"(?<![\w.-])(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0)(?::\d{1,5})(?![\w])"
    r"|\bhttps?://(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3})\b[^\s]*",
    re.IGNORECASE,
)


# A URL whose host has no dot ("http://jenkins:8080/job", "http://intranet/hr") only resolves inside a network.
SINGLE_LABEL_URL_RE = re.compile(r"\bhttps?://(?!localhost\b)[a-z][a-z0-9-]{0,62}(?::\d{1,5})?(?=[/?#\s]|$)[^\s]*",
                                 re.IGNORECASE)


def find_internal_hosts(text: str, skip: list[Span]) -> list[Finding]:
    matches = [*INTERNAL_HOST_RE.finditer(text), *SINGLE_LABEL_URL_RE.finditer(text)]
    return [make("leak.internal_host", "high", m.span(),
                 f"Names an internal host ({m.group()}). Internal names tell outsiders how your network is "
                 "laid out; remove it.")
            for m in matches]


def find_private_addresses(text: str, skip: list[Span]) -> list[Finding]:
    found = [make("leak.internal_host", "high", m.span(),
                  f"Contains a private network address ({m.group()}, RFC 1918). It reveals internal network "
                  "layout; remove it.")
             for m in PRIVATE_IP_RE.finditer(text)]
    found += [make("leak.internal_host", "medium", m.span(),
                   f"Contains a local development address ({m.group()}); it usually means a pasted log or "
                   "config. Check what else came with it.")
              for m in LOCALHOST_RE.finditer(text)]
    return found


DETECTORS = (find_internal_hosts, find_private_addresses)
