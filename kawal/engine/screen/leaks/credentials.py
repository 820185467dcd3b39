"""Credentials and tokens: cloud keys, API tokens, private key blocks, JWTs, and secrets given next to a
word like password / token / kata sandi.

Known token formats are matched by their fixed prefixes; anything else must sit right after a secret word
and an assignment ("password: ...", "token=...", "kata sandinya ...") and look random, so that "reset your
password here: https://..." or "the password is case sensitive" stay quiet.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from kawal.engine.records import Finding
from kawal.engine.screen.leaks.common import Span, make, mask, overlaps

# (kind suffix, description, pattern). The pattern's whole match is the secret.
TOKEN_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, what, re.compile(pattern))
    for kind, what, pattern in (
        ("aws", "an AWS access key id",
         r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z2-7]{16}(?![A-Za-z0-9])"),
        ("github", "a GitHub token", r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})"),
        ("slack", "a Slack token", r"(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,250}"),
        ("slack", "a Slack webhook URL", r"https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]+"),
        ("google", "a Google API key", r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"),
        ("stripe", "a Stripe secret key", r"(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,247}"),
        ("openai", "an API secret key (sk-...)",
         r"(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])"),
        ("jwt", "a JSON Web Token",
         r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])"),
        ("url", "a URL with a password in it", r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:[^\s:/@]+@[\w.-]+"),
    )
)
PRIVATE_KEY_RE = re.compile(
    r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"
    r"(?:.*?-----END \1-----|.*)",
    re.DOTALL,
)
SECRET_WORDS = (r"passwords?|passwd|pwd|pw|passcode|pass|token|secret|api[ _-]?key|access[ _-]?key|client[ _-]?secret"
                r"|kata ?sandi|sandi|kunci|pin|otp")
# word, then ":" / "=" / "is" / "adalah" (optional after "-nya": "sandinya R4hasia!"), then the value.
ASSIGNED_SECRET_RE = re.compile(
    # config-style names count too: DB_PASSWORD, aws_secret_access_key, SECRET_KEY, client-secret
    rf"(?<![A-Za-z0-9])(?:[A-Za-z0-9]+[_.-])*(?:{SECRET_WORDS})(?:[_-][A-Za-z0-9]+)*"
    rf"(?:nya\b\s*(?:[:=]|adalah\b|yaitu\b)?|\b[\"']?\s*(?:[:=]|\bis\b|\badalah\b|\byaitu\b))"
    r"\s*[\"'`]?(?P<value>[^\s\"'`,;]{6,200})",
    re.IGNORECASE,
)


# A one-time code or PIN is digits only, so it cannot pass looks_like_secret; the word in front decides.
CODE_RE = re.compile(
    r"\b(?:OTP|PIN|kode\s+(?:OTP|verifikasi|rahasia)|verification\s+code|one[- ]time\s+code)"
    r"(?:\s+(?:kamu|anda|saya|aku|mu|nya|is|adalah|yaitu|you|your|my))?\s*[:=]?\s*(?P<code>\d{4,8})\b",
    re.IGNORECASE,
)


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``'s character distribution."""
    counts = Counter(value)
    return -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())


def looks_like_secret(value: str) -> bool:
    """True for values a person would not write in prose: mixed character classes and varied characters.

    "hunter2", "R4hasia!23" and random keys pass; "sensitive", "https://...", "here." and "12345678" do not.
    """
    if "://" in value or value.startswith("www."):
        return False
    value = value.rstrip(".)")
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                   any(c.isdigit() for c in value), any(not c.isalnum() for c in value)))
    if len(value) < 6 or classes < 2 or not any(c.isalpha() for c in value):
        return False
    return len(value) >= 20 or shannon_entropy(value) >= 2.5


def find_tokens(text: str, skip: list[Span]) -> list[Finding]:
    found = []
    for kind, what, pattern in TOKEN_PATTERNS:
        for m in pattern.finditer(text):
            found.append(make(f"leak.credential.{kind}", "critical", m.span(),
                              f"Contains {what} ({mask(m.group(), 4, 2)}). Anyone who reads the post can use "
                              "it: revoke it now, then remove it from the text."))
    return found


def find_private_keys(text: str, skip: list[Span]) -> list[Finding]:
    return [make("leak.private_key", "critical", m.span(),
                 f"Contains a {m.group(1).strip().lower()} block. Treat the key as compromised and replace it.")
            for m in PRIVATE_KEY_RE.finditer(text)]


def find_assigned_secrets(text: str, skip: list[Span]) -> list[Finding]:
    found = []
    for m in ASSIGNED_SECRET_RE.finditer(text):
        value = m.group("value").rstrip(".)")
        span = (m.start("value"), m.start("value") + len(value))
        if overlaps(span, skip) or not looks_like_secret(value):
            continue
        found.append(make("leak.credential.secret", "critical", span,
                          f"A secret ({len(value)} characters, masked {mask(value, 1, 0)}) is given right after "
                          "a word like password, token or kata sandi. Change it and remove it from the text."))
    return found


def find_codes(text: str, skip: list[Span]) -> list[Finding]:
    found = []
    for m in CODE_RE.finditer(text):
        span = m.span("code")
        if not overlaps(span, skip):
            found.append(make("leak.credential.code", "high", span,
                              "A one-time code or PIN is given in the text. Whoever reads it can take over the "
                              "account or payment; never publish it, and have it changed."))
    return found


DETECTORS = (find_tokens, find_private_keys, find_assigned_secrets, find_codes)
