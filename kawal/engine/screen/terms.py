"""Find an organisation's sensitive terms (code names, embargoed topics) however they are written.

A term matches a run of whole words in the text whose letters, once normalised, spell the term with at
most one Indonesian prefix on the first word and a suffix on the last: "Garuda", "G a r u d a",
"garuda-x", "GÀRUDA", "g4ruda", "digaruda-kan", "garudanya", "garuda-garuda". It never matches inside an
ordinary word that merely contains the term ("Garudamas", "harga rudal") because the match must start and
end on word boundaries, with only the listed affixes in between.

Normalisation: NFKD, combining marks removed (diacritics), case-folded, a few look-alike digits read as
letters ("g4ruda"), everything that is not a letter or digit ignored inside the term.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
# Longest first so that "memper" wins over "me" when both would leave the term.
PREFIXES = ("", "memper", "diper", "menge", "penge", "meng", "peng", "meny", "peny", "mem", "men", "pem", "pen",
            "ber", "per", "ter", "be", "di", "ke", "me", "pe", "se")
SUFFIXES = ("", "nya", "kan", "an", "i", "lah", "kah", "pun", "ku", "mu", "2", "kannya", "annya", "inya",
            "nyalah", "kanlah", "lah", "ny")
MAX_GAP = 3        # characters of punctuation/space allowed between the pieces of a spaced-out term
MAX_WORDS = 24     # a term spelled one letter per word ("G a r u d a X") needs this many words at most


def normalise(value: str) -> str:
    """Letters and digits of ``value``, without diacritics, case-folded ("Garuda-X" -> "garudax")."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c.isalnum()).casefold()


def _letters(word: str) -> str:
    """A word normalised, keeping a trailing reduplication '2' and reading other digits as letters."""
    norm = word.lower() if word.isascii() else normalise(word)  # ASCII fast path: nothing to decompose
    if any(c.isalpha() for c in norm):
        body, tail = (norm[:-1], "2") if norm.endswith("2") and len(norm) > 1 else (norm, "")
        return body.translate(LEET) + tail
    return norm


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    norm: str


def words(text: str) -> list[Word]:
    """The words of ``text`` with their exact spans and normalised letters; CamelCase hashtags and handles
    are split into their words ("#LaunchGarudaX" -> Launch, Garuda, X) so a name inside one is found."""
    out: list[Word] = []
    for m in WORD_RE.finditer(text):
        token, start = m.group(), m.start()
        pieces = [token] if token.islower() or token.isupper() or token.istitle() else CAMEL_RE.split(token)
        for piece in pieces:
            out.append(Word(start, start + len(piece), _letters(piece)))
            start += len(piece)
    return out


MIN_PREFIXED = 5  # shorter terms take no prefix: "ban" must not match "beban", "diban" is rarely meant


def _prefixes(term: str) -> tuple[str, ...]:
    return PREFIXES if len(term) >= MIN_PREFIXED else ("",)


@lru_cache(maxsize=4096)
def _affixes_fit(token: str, term: str) -> bool:
    """True when ``token`` is ``prefix + term + suffix`` for a listed prefix and suffix."""
    for prefix in _prefixes(term):
        if token.startswith(prefix) and token[len(prefix):].startswith(term):
            if token[len(prefix) + len(term):] in SUFFIXES:
                return True
    return False


def find_term(text_words: list[Word], text: str, term: str) -> list[tuple[int, int]]:
    """Spans of ``text`` where the normalised ``term`` is written, with affixes and spacing tolerated."""
    spans: list[tuple[int, int]] = []
    # Any match is consecutive words whose letters contain the term, so a term absent from all the letters
    # joined cannot match: one substring test settles almost every (text, term) pair.
    if not term or term not in "".join(w.norm for w in text_words):
        return spans
    i = 0
    while i < len(text_words):
        end = _match_from(text_words, text, i, term)
        if end is None:
            i += 1
            continue
        start = text_words[i].start
        if spans and start - spans[-1][1] <= MAX_GAP:  # reduplication "garuda-garuda": one mention
            start = spans.pop()[0]
        spans.append((start, text_words[end].end))
        i = end + 1
    return spans


def _match_from(text_words: list[Word], text: str, i: int, term: str) -> int | None:
    """Index of the last word of a match starting at word ``i``, or None."""
    joined = ""
    longest = len(term) + max(len(p) for p in PREFIXES) + max(len(s) for s in SUFFIXES)
    for j in range(i, min(len(text_words), i + MAX_WORDS)):
        if j > i and text_words[j].start - text_words[j - 1].end > MAX_GAP:
            return None
        if j > i and "\n" in text[text_words[j - 1].end:text_words[j].start]:
            return None
        joined += text_words[j].norm
        if len(joined) > longest:
            return None
        if _affixes_fit(joined, term):
            return j
        if not _could_grow(joined, term):
            return None
    return None


def _could_grow(joined: str, term: str) -> bool:
    """True while ``joined`` can still become prefix + term (+ suffix) by adding words."""
    for prefix in _prefixes(term):
        if joined.startswith(prefix):
            rest = joined[len(prefix):]
            if term.startswith(rest) or rest.startswith(term):
                return True
        elif prefix.startswith(joined):
            return True
    return False
