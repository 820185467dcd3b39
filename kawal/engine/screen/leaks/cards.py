"""Payment card numbers: issuer ranges (IIN), the length each issuer uses, and the Luhn checksum.

A bare run of 17-19 digits is far more often a tweet or order id than a card, so long contiguous runs count
only next to a card word; grouped numbers ("4111 1111 1111 1111") are the way people write cards.
"""

from __future__ import annotations

import re

from kawal.engine.records import Finding
from kawal.engine.screen.leaks.common import Span, digits, make, mask, near, overlaps, preceded_by_tag
from kawal.engine.screen.leaks.personal import NIK_WORD_RE, plausible_nik

CARD_RE = re.compile(
    r"(?<![\w.,-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?"  # 4-4-4-4(-x)
    r"|\d{4}([ -])\d{6}\2\d{4,5}"                                  # Amex / Diners 4-6-5, 4-6-4
    r"|\d{13,19})(?![\w]|[.,-]\d)"
)
CARD_WORD_RE = re.compile(
    r"\b(?:card|kartu|kredit|credit|debit|visa|master\s?card|amex|jcb|cc|cvv|cvc|exp(?:iry)?|no\.? kartu)\b",
    re.IGNORECASE,
)


def issuer(number: str) -> str | None:
    """The card network for ``number`` when its prefix and length fit one, else None."""
    n, length = number, len(number)
    two, four = int(n[:2]), int(n[:4])
    if n[0] == "4" and length in (13, 16, 19):
        return "Visa"
    if (51 <= two <= 55 or 2221 <= four <= 2720) and length == 16:
        return "Mastercard"
    if two in (34, 37) and length == 15:
        return "American Express"
    if (n.startswith("6011") or 644 <= int(n[:3]) <= 649 or two == 65) and 16 <= length <= 19:
        return "Discover"
    if 3528 <= four <= 3589 and 16 <= length <= 19:
        return "JCB"
    if two == 62 and 16 <= length <= 19:
        return "UnionPay"
    if (300 <= int(n[:3]) <= 305 or two in (36, 38, 39)) and 14 <= length <= 19:
        return "Diners Club"
    return None


def luhn_valid(number: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def find_cards(text: str, skip: list[Span]) -> list[Finding]:
    found = []
    for m in CARD_RE.finditer(text):
        number = digits(m.group())
        if overlaps(m.span(), skip) or preceded_by_tag(text, m.start()):
            continue
        network = issuer(number)
        if network is None or not luhn_valid(number):
            continue
        card_word = near(text, m.span(), CARD_WORD_RE, 40)
        if m.group().isdigit() and len(number) > 16 and not card_word:
            continue  # a long bare id (tweet, order), not a card
        if plausible_nik(number) and (near(text, m.span(), NIK_WORD_RE, 40) or not card_word):
            continue  # reported as a NIK: the structure fits one and nothing says "card"
        found.append(make("leak.card", "critical", m.span(),
                          f"Looks like a {network} payment card number ({mask(number, 0, 4)}, passes the "
                          "Luhn check). Never publish card numbers."))
    return found


DETECTORS = (find_cards,)
