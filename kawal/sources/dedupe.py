"""Count each story and each post once.

The same article reaches Kawal many times: syndicated to partner sites under another title, shared with
tracking parameters, fetched again from a feed; a post comes back from a second search. :class:`Deduper`
recognises, in order of certainty:

1. the same source and id (a post or entry seen twice);
2. the same canonical URL (tracking parameters, fragments, ``www.``/``m.``/AMP variants removed);
3. the same normalised title (outlet suffix and punctuation removed), for titles of 5 words or more;
4. a near-identical long text: 64-bit SimHash of word 3-shingles within 3 bits, for texts of 50 words or
   more. Short texts are never matched on wording: three hundred people writing "gak bisa login" are three
   hundred complaints, not one.

It is streaming: ``check(item)`` answers against everything seen before and remembers the item.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from kawal.engine.records import Item

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "igsh", "mc_cid", "mc_eid",
    "_ga", "_gl", "ref", "ref_src", "ref_url", "referrer", "source", "src", "cmpid", "ocid", "spm", "si",
    "s", "t", "share", "amp", "output", "from", "feature", "smid", "rss", "utm", "_hsenc", "_hsmi",
    "mkt_tok", "tracking", "trk", "cid",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "ga_", "hsa_", "at_")
HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
TITLE_SUFFIX = re.compile(r"\s+[-|–—:]\s+[^-|–—:]{2,40}$")  # " - Kompas.com", " | detikFinance"
MIN_TITLE_WORDS = 5
MIN_TEXT_WORDS = 50
MAX_DISTANCE = 3       # bits; with 4 bands of 16 bits, any pair within 3 bits shares a band
_WORD = re.compile(r"\w+", re.UNICODE)


def canonical_url(url: str) -> str:
    """The URL an article is known by: lower-case host without www/m/amp, no tracking, sorted query."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix):]
            break
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = re.sub(r"/(amp|amp\.html)/?$", "", parts.path) or "/"
    path = path.rstrip("/") or "/"
    query = sorted((key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                   if not _is_tracking(key))
    return urlunsplit(("https" if parts.scheme in ("http", "https") else parts.scheme, host, path,
                       urlencode(query), ""))


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in text if not unicodedata.combining(char))


def normalise_title(title: str) -> str:
    """Title as a comparison key: outlet suffix dropped, case and accents folded, punctuation removed."""
    title = TITLE_SUFFIX.sub("", title.strip())
    return " ".join(_WORD.findall(_fold(title)))


def words(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def _hash64(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "big")


def simhash(tokens: list[str], shingle: int = 3) -> int:
    """64-bit SimHash of the word ``shingle``-grams of ``tokens``."""
    counts = [0] * 64
    grams = [" ".join(tokens[i:i + shingle]) for i in range(max(1, len(tokens) - shingle + 1))]
    for gram in grams:
        value = _hash64(gram)
        for bit in range(64):
            counts[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if counts[bit] > 0)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def _bands(value: int) -> list[tuple[int, int]]:
    return [(band, value >> (16 * band) & 0xFFFF) for band in range(4)]


@dataclass(frozen=True, slots=True)
class Verdict:
    duplicate_of: str | None   # id of the first item of the story, None for a new one
    reason: str | None         # why it is a duplicate, for the person reading

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of is not None


class Deduper:
    """Remembers what it saw; ``check`` says whether an item repeats an earlier one."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], str] = {}
        self._urls: dict[str, str] = {}
        self._titles: dict[str, str] = {}
        self._bands: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)

    def check(self, item: Item) -> Verdict:
        """Verdict for ``item`` against earlier items; the item's keys are remembered either way."""
        keys = self._keys(item)
        verdict = self._match(*keys)
        self._remember(verdict.duplicate_of or item.id, *keys)
        return verdict

    def _keys(self, item: Item) -> tuple[tuple[str, str], str | None, str | None, int | None]:
        ident = (item.source or "", item.id)
        url = canonical_url(item.url) if item.url else None
        title = normalise_title(item.title) if item.title else None
        if title is not None and len(title.split()) < MIN_TITLE_WORDS:
            title = None
        tokens = words(item.text)
        fingerprint = simhash(tokens) if len(tokens) >= MIN_TEXT_WORDS else None
        return ident, url, title, fingerprint

    def _match(self, ident: tuple[str, str], url: str | None, title: str | None,
               fingerprint: int | None) -> Verdict:
        if ident in self._ids:
            return Verdict(self._ids[ident], "same id from the same source")
        if url and url in self._urls:
            return Verdict(self._urls[url], f"same article URL ({url})")
        if title and title in self._titles:
            return Verdict(self._titles[title], "same title")
        if fingerprint is not None:
            for band in _bands(fingerprint):
                for other, first in self._bands.get(band, ()):
                    if hamming(other, fingerprint) <= MAX_DISTANCE:
                        return Verdict(first, f"near-identical text ({hamming(other, fingerprint)} of 64 "
                                              "SimHash bits differ)")
        return Verdict(None, None)

    def _remember(self, first: str, ident: tuple[str, str], url: str | None, title: str | None,
                  fingerprint: int | None) -> None:
        self._ids.setdefault(ident, first)
        if url:
            self._urls.setdefault(url, first)
        if title:
            self._titles.setdefault(title, first)
        if fingerprint is not None:
            for band in _bands(fingerprint):
                self._bands[band].append((fingerprint, first))
