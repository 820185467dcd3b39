"""Count each story and each post once.

The same article reaches Kawal many times: syndicated to partner sites under another title, shared with
tracking parameters, fetched again from a feed; a post comes back from a second search. :class:`Deduper`
recognises, in order of certainty:

1. the same source and id (a post or entry seen twice);
2. the same canonical URL (tracking parameters, fragments, ``www.``/``m.``/AMP variants removed);
3. the same normalised title (outlet suffix and punctuation removed), for titles of 5 words or more;
4. a near-identical long text: MinHash of word 3-shingles (64 hashes, LSH in 16 bands of 4) with an
   estimated Jaccard similarity of 0.7 or more, for texts of 50 words or more. (SimHash was tried first:
   on a 90-word article a dateline prefix and one changed word already moved it past a usable distance.) Short texts are never matched on wording: three hundred people writing "gak bisa login" are three
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

import numpy as np

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
MIN_JACCARD = 0.7
N_HASHES, BAND_ROWS = 64, 4
_PRIME = (1 << 31) - 1
_RNG = np.random.default_rng(20261124)  # fixed: fingerprints must agree across processes and releases
_A = _RNG.integers(1, _PRIME, N_HASHES, dtype=np.uint64)
_B = _RNG.integers(0, _PRIME, N_HASHES, dtype=np.uint64)
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


def _hash32(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=4).digest(), "big")


def minhash(tokens: list[str], shingle: int = 3) -> tuple[int, ...]:
    """MinHash signature (``N_HASHES`` values) of the word ``shingle``-grams of ``tokens``."""
    grams = {" ".join(tokens[i:i + shingle]) for i in range(max(1, len(tokens) - shingle + 1))}
    hashes = np.fromiter((_hash32(gram) for gram in grams), dtype=np.uint64, count=len(grams))
    values = (_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME
    return tuple(int(v) for v in values.min(axis=1))


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def _bands(signature: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
    return [(band, signature[band * BAND_ROWS:(band + 1) * BAND_ROWS]) for band in range(N_HASHES // BAND_ROWS)]


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
        self._bands: dict[tuple[int, tuple[int, ...]], list[tuple[tuple[int, ...], str]]] = defaultdict(list)

    def check(self, item: Item) -> Verdict:
        """Verdict for ``item`` against earlier items; the item's keys are remembered either way."""
        keys = self._keys(item)
        verdict = self._match(*keys)
        self._remember(verdict.duplicate_of or item.id, *keys)
        return verdict

    def _keys(self, item: Item) -> tuple[tuple[str, str], str | None, str | None, tuple[int, ...] | None]:
        ident = (item.source or "", item.id)
        url = canonical_url(item.url) if item.url else None
        title = normalise_title(item.title) if item.title else None
        if title is not None and len(title.split()) < MIN_TITLE_WORDS:
            title = None
        tokens = words(item.text)
        fingerprint = minhash(tokens) if len(tokens) >= MIN_TEXT_WORDS else None
        return ident, url, title, fingerprint

    def _match(self, ident: tuple[str, str], url: str | None, title: str | None,
               fingerprint: tuple[int, ...] | None) -> Verdict:
        if ident in self._ids:
            return Verdict(self._ids[ident], "same id from the same source")
        if url and url in self._urls:
            return Verdict(self._urls[url], f"same article URL ({url})")
        if title and title in self._titles:
            return Verdict(self._titles[title], "same title")
        if fingerprint is not None:
            for band in _bands(fingerprint):
                for other, first in self._bands.get(band, ()):
                    if (score := similarity(other, fingerprint)) >= MIN_JACCARD:
                        return Verdict(first, f"near-identical text (about {score:.0%} of word sequences shared)")
        return Verdict(None, None)

    def _remember(self, first: str, ident: tuple[str, str], url: str | None, title: str | None,
                  fingerprint: tuple[int, ...] | None) -> None:
        self._ids.setdefault(ident, first)
        if url:
            self._urls.setdefault(url, first)
        if title:
            self._titles.setdefault(title, first)
        if fingerprint is not None:
            for band in _bands(fingerprint):
                self._bands[band].append((fingerprint, first))
