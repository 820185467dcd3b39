"""Text normalisation, tokenisation and feature hashing shared by the tone models.

Training (``training/train_tone.py``) and inference use this one module, so a shipped model always sees
the features it was trained on. Everything here is pure Python plus numpy, deterministic across processes
(``zlib.crc32`` rather than ``hash()``, which is salted per process).

Indonesian social media text is normalised before hashing: alay spelling ("g0bl0k", "anjiiing", "bgst"),
common slang and abbreviations ("gk", "bgt", "yg") are mapped to standard forms from the shipped
``slang.json``, so that a model trained on clean text still recognises the words.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

N_HASH = 1 << 18
"""Buckets for hashed word and character n-grams."""

URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
MENTION_RE = re.compile(r"(?<![\w@])@\w{1,30}|\[username\]", re.IGNORECASE)
HASHTAG_RE = re.compile(r"(?<![\w#])#(\w+)")
TOKEN_RE = re.compile(r"[a-z0-9_*@$]+(?:['’][a-z]+)?|[!?]|[^\s\w]", re.IGNORECASE)
REPEAT_RE = re.compile(r"(.)\1{2,}")
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
SECOND_PERSON = frozenset(
    "you your you're youre yours u ur anda kamu kau lu lo loe elo elu situ kalian antum dirimu km".split()
)
# Words that put an insult in the predicate or address ("he is a liar", "what a clown", "such a fool", "you
# absolute moron", "bunch of losers"): an abuse word right after one of them is said of someone rather than
# merely mentioned ("the clown at the party", "a documentary about pigs" get the plain lexicon feature only).
AIMING = frozenset(
    "is are was were be being am 's 're he's she's it's that's they're you're ur youre hes shes thats theyre "
    "such what absolute total complete utter bunch like adalah emang memang dasar kayak kaya seperti".split()
)
AIMED_LEXICONS = ("abuse_strong", "abuse_weak")
NEGATORS = frozenset("tidak tak bukan jangan belum not no never don't dont isn't isnt won't cant can't".split())
HASHTAG_PIECE_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@lru_cache(maxsize=1)
def slang_map() -> dict[str, str]:
    """The shipped slang/alay map: variant -> standard form."""
    return _load_json("slang.json")


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Standard single words (slang targets and lexicon entries): targets for de-stretching."""
    words = set(slang_map().values())
    for entries in lexicons().values():
        words.update(e for e in entries if " " not in e)
    return frozenset(words)


@lru_cache(maxsize=1)
def lexicons() -> dict[str, frozenset[str]]:
    """The shipped lexicons (abuse, profanity, hostile, sentiment words), each a set of normalised words
    or phrases (phrases are space-joined token sequences)."""
    raw = _load_json("lexicons.json")
    return {name: frozenset(words) for name, words in raw.items() if not name.startswith("_")}


def clear_caches() -> None:
    """Forget the loaded tables (after the training script rewrote slang.json or lexicons.json)."""
    for cached in (slang_map, lexicons, known_words, normalise_token, lexicon_index, dense_slot_names,
                   dense_slot_index, censorable_words):
        cached.cache_clear()


def _load_json(name: str) -> dict:
    with resources.files("kawal.engine.models").joinpath(name).open("r", encoding="utf-8") as handle:
        return json.load(handle)


def clean(text: str) -> str:
    """Unescape HTML, fold Unicode compatibility forms and replace URLs and mentions by placeholders.

    Hashtags keep their words ("#TidakBecus" -> "Tidak Becus") because they often carry the tone.
    """
    text = unicodedata.normalize("NFKC", html.unescape(text))
    text = URL_RE.sub(" xurl ", text)
    text = MENTION_RE.sub(" xuser ", text)
    return HASHTAG_RE.sub(lambda m: " " + " ".join(HASHTAG_PIECE_RE.findall(m.group(1)) or [m.group(1)]), text)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


@lru_cache(maxsize=65536)
def normalise_token(token: str) -> str:
    """Map one lower-case token to its standard form (slang, alay spelling, leetspeak, stretched letters)."""
    table = slang_map()
    if token in table:
        return table[token]
    if any(ch.isalpha() for ch in token) and any(not ch.isalpha() for ch in token):
        # "g0bl0k", "4njing", "b@ngsat", "f*ck": digits and symbols standing for letters
        unleet = token.translate(LEET)
        if unleet in table:
            return table[unleet]
        # only when it yields a known word: "mp3", "4g" and "b2b" stay as written
        if unleet.isalpha() and _standard_form(unleet) is not None:
            return _standard_form(unleet) or unleet
    if "*" in token:
        uncensored = uncensor(token)
        if uncensored:
            return uncensored
    return _standard_form(token) or REPEAT_RE.sub(r"\1\1", token)


def _standard_form(token: str) -> str | None:
    """The known word ``token`` is a stretched spelling of ("anjiiiing" -> "anjing"), or None."""
    table = slang_map()
    squeezed = REPEAT_RE.sub(r"\1\1", token)  # "anjiiiing" -> "anjiing", "goooood" -> "good"
    if squeezed in table:
        return table[squeezed]
    if squeezed in known_words():
        return squeezed
    once = re.sub(r"(.)\1+", r"\1", token)
    if once in table:
        return table[once]
    if once in known_words():
        return once
    return None


@lru_cache(maxsize=1)
def censorable_words() -> tuple[str, ...]:
    """Single-word abuse entries, longest first: the words people write with asterisks ("f***", "anj*ng")."""
    lex = lexicons()
    words = {w for name in ("abuse_strong", "abuse_weak") for w in lex.get(name, ()) if " " not in w}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def uncensor(token: str) -> str | None:
    """The abuse word a censored token stands for ("f***ing" -> "fucking", "b*ngs*t" -> "bangsat"), if exactly
    one fits: each run of asterisks stands for one to four letters and the visible letters must match."""
    stem = token.strip("*")
    if not stem or not any(ch.isalpha() for ch in stem):
        return None
    pattern = re.compile(
        "".join("[a-z]{1,4}" if part.startswith("*") else re.escape(part) for part in re.split(r"(\*+)", token) if part)
        + "$"
    )
    fits = [w for w in censorable_words() if pattern.match(w)]
    return fits[0] if len(fits) == 1 or (fits and all(f.startswith(fits[-1]) for f in fits)) else None


def tokenize(text: str) -> list[str]:
    """Lower-case, normalised tokens of ``text`` (placeholders ``xurl`` and ``xuser`` included)."""
    lowered = strip_accents(clean(text)).lower()
    tokens: list[str] = []
    for raw in TOKEN_RE.findall(lowered):
        if raw[0].isalnum() or raw[0] in "*@$_":
            norm = normalise_token(raw.strip("_"))
            tokens.extend(norm.split())
        elif raw in "!?" or not raw.isascii():
            tokens.append(raw)  # exclamation, question and emoji carry tone; other punctuation does not
    return tokens


@dataclass(frozen=True)
class LexiconHit:
    """A lexicon entry found in the tokens: which lexicon, which entry, token positions [start, end)."""

    lexicon: str
    entry: str
    start: int
    end: int


@lru_cache(maxsize=1)
def lexicon_index() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Entry -> names of the lexicons holding it, and the set of words that start a phrase entry."""
    index: dict[str, list[str]] = {}
    for name, entries in sorted(lexicons().items()):
        for entry in entries:
            index.setdefault(entry, []).append(name)
    starts = frozenset(entry.split()[0] for entry in index if " " in entry)
    return {k: tuple(v) for k, v in index.items()}, starts


def lexicon_hits(tokens: Sequence[str]) -> list[LexiconHit]:
    """Every lexicon entry (single words and phrases of up to four tokens) present in ``tokens``."""
    index, phrase_starts = lexicon_index()
    hits: list[LexiconHit] = []
    for i, tok in enumerate(tokens):
        for name in index.get(tok, ()):
            hits.append(LexiconHit(name, tok, i, i + 1))
        if tok not in phrase_starts:
            continue
        for n in (2, 3, 4):
            if i + n > len(tokens):
                break
            gram = " ".join(tokens[i : i + n])
            for name in index.get(gram, ()):
                hits.append(LexiconHit(name, gram, i, i + n))
    return hits


def feature_names(tokens: Sequence[str]) -> list[str]:
    """Word unigrams and bigrams, negation-marked unigrams and character 3-5-grams within words."""
    names: list[str] = []
    for tok in tokens:
        names.extend(token_feature_names(tok))
    names.extend(context_feature_names(tokens))
    return names


def token_feature_names(tok: str) -> list[str]:
    """The features of one token on its own: the word and its character n-grams."""
    names = [f"w:{tok}"]
    if len(tok) > 1 and tok.isalpha():
        padded = f" {tok} "
        for n in (3, 4, 5):
            names.extend(f"c:{padded[i:i + n]}" for i in range(len(padded) - n + 1))
    return names


def context_feature_names(tokens: Sequence[str]) -> list[str]:
    """The features that depend on neighbouring tokens: bigrams and words after a negator."""
    names = [f"b:{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    names.extend(f"n:{tok}" for prev, tok in zip(tokens, tokens[1:], strict=False) if prev in NEGATORS)
    return names


@lru_cache(maxsize=65536)
def token_buckets(tok: str) -> tuple[int, ...]:
    """Hashed buckets of :func:`token_feature_names` (cached: tokens repeat across texts)."""
    return tuple(bucket(name) for name in token_feature_names(tok))


def dense_features(tokens: Sequence[str], hits: Sequence[LexiconHit]) -> dict[str, float]:
    """Hand-made features with their own fixed slots: lexicon counts and a few shape cues."""
    feats: dict[str, float] = {}
    for hit in hits:
        feats[f"lex:{hit.lexicon}"] = feats.get(f"lex:{hit.lexicon}", 0.0) + 1.0
    second = sum(1 for t in tokens if t in SECOND_PERSON)
    if second:
        feats["you"] = 1.0
        for hit in hits:  # an insult next to "you"/"lu" is aimed at someone
            feats[f"you+{hit.lexicon}"] = 1.0
    for hit in hits:
        if hit.lexicon in AIMED_LEXICONS and is_aimed(tokens, hit.start):
            feats[f"aim+{hit.lexicon}"] = 1.0
    if tokens and tokens[0] == "xuser":
        feats["starts_with_mention"] = 1.0
    # presence matters more than count: the first hit weighs 1, each further hit a little more
    return {k: 1.0 + 0.25 * (min(v, 3.0) - 1.0) if k.startswith("lex:") else v for k, v in feats.items()}


def is_aimed(tokens: Sequence[str], start: int) -> bool:
    """Whether the word at ``start`` follows a predicate or address word within three tokens
    (articles and adjectives may sit between: "is a lying, spineless coward")."""
    return any(tok in AIMING for tok in tokens[max(0, start - 3) : start])


@lru_cache(maxsize=1)
def dense_slot_names() -> tuple[str, ...]:
    names = sorted(lexicons())
    slots = ["you", "starts_with_mention", "ctx:reply", "ctx:reply_negative", "ctx:reply_abusive"]
    slots += [f"lex:{n}" for n in names] + [f"you+{n}" for n in names]
    slots += [f"aim+{n}" for n in AIMED_LEXICONS if n in names]
    return tuple(slots)


@lru_cache(maxsize=1)
def dense_slot_index() -> dict[str, int]:
    return {name: i for i, name in enumerate(dense_slot_names())}


def n_features() -> int:
    return N_HASH + len(dense_slot_names())


def bucket(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) & (N_HASH - 1)


@dataclass(frozen=True)
class Features:
    """A sparse feature vector: column indices and values (hashed n-grams are L2-normalised together)."""

    indices: np.ndarray
    values: np.ndarray


def featurize(tokens: Sequence[str], extra: dict[str, float] | None = None) -> Features:
    """Hash ``tokens`` into a sparse vector; ``extra`` adds context features by dense slot name."""
    counts: dict[int, float] = {}
    for tok in tokens:
        for idx in token_buckets(tok):
            counts[idx] = counts.get(idx, 0.0) + 1.0
    for name in context_feature_names(tokens):
        idx = bucket(name)
        counts[idx] = counts.get(idx, 0.0) + 1.0
    hashed_idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    hashed_val = np.sqrt(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
    norm = float(np.linalg.norm(hashed_val)) or 1.0
    dense = dense_features(tokens, lexicon_hits(tokens))
    if extra:
        dense.update(extra)
    slots = dense_slot_index()
    dense_idx = [N_HASH + slots[k] for k in dense if k in slots]
    dense_val = [dense[k] for k in dense if k in slots]
    return Features(
        indices=np.concatenate([hashed_idx, np.asarray(dense_idx, dtype=np.int64)]),
        values=np.concatenate([hashed_val / norm, np.asarray(dense_val, dtype=np.float32)]),
    )


def to_csr_parts(rows: Iterable[Features]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(data, indices, indptr) of a CSR matrix, for training with scipy/scikit-learn."""
    data: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    indptr = [0]
    for row in rows:
        data.append(row.values)
        indices.append(row.indices)
        indptr.append(indptr[-1] + len(row.indices))
    if not data:
        return np.zeros(0, np.float32), np.zeros(0, np.int64), np.asarray(indptr, np.int64)
    return np.concatenate(data), np.concatenate(indices), np.asarray(indptr, dtype=np.int64)
