"""Topics of an item from a configurable set of weighted terms, in Indonesian and English.

The shipped defaults live in ``topics.toml`` beside this module (its header explains the format and the
scoring). A topic's score is ``1 - prod(1 - w)`` over the distinct terms found, so evidence adds up and
stays in 0..1; each reported topic carries the terms that made it, which is the reason a person reads.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

STRONG = 0.9
WEAK = 0.4
DEFAULT_THRESHOLD = 0.5
MAX_WORDS = 6  # longest term, in words

# Informal Indonesian (and a little English) spelling, normalised before matching so that the topic
# files can list one standard form. Kept small and specific to the listening terms on purpose.
SLANG = {
    "gak": "tidak", "ga": "tidak", "gk": "tidak", "nggak": "tidak", "ngga": "tidak", "enggak": "tidak",
    "engga": "tidak", "tdk": "tidak", "tak": "tidak", "kagak": "tidak", "ndak": "tidak",
    "bs": "bisa", "bsa": "bisa", "bisaa": "bisa", "lgi": "lagi", "lg": "lagi", "udh": "sudah", "sdh": "sudah",
    "udah": "sudah", "trs": "terus", "trus": "terus", "gangguann": "gangguan", "error2": "error",
    "errorr": "error", "tf": "transfer", "trx": "transaksi", "cant": "can't",
    "dont": "don't", "doesnt": "doesn't", "log-in": "login",
}
_WORD = re.compile(r"[\w'-]+", re.UNICODE)


class TopicConfigError(ValueError):
    """A topic file that cannot be used; the message names the file, the topic and the problem."""


@dataclass(frozen=True, slots=True)
class Phrase:
    """A term in normalised form, found as a whole-word sequence, or by its start when written with '*'.

    Whole-word sequences are looked up in the set of the text's word n-grams (a set lookup per term, not a
    regular expression scan), which keeps matching a few hundred terms cheap."""

    words: str
    regex: re.Pattern[str] | None = None   # for prefix terms and patterns
    forms: frozenset[str] = frozenset()    # the word sequences that count (affixed forms of '~' words)

    def found_in(self, text: Text) -> str | None:
        """What was found (the term, or the text a pattern matched), or None."""
        if self.forms:
            return self.words if not self.forms.isdisjoint(text.grams) else None
        if self.regex is None:
            return self.words if self.words in text.grams else None
        match = self.regex.search(text.normal)
        return match.group(0) if match else None


class Text:
    """Normalised text and its word n-grams up to ``MAX_WORDS`` words."""

    __slots__ = ("normal", "grams")

    def __init__(self, normal: str) -> None:
        self.normal = normal
        tokens = normal.split()
        self.grams = _grams(tokens)
        # Indonesian "-nya" (its/the) on any word: "aplikasinya", "karyawannya" read as the word itself
        bare = [t[:-3] if len(t) > 6 and t.endswith("nya") else t for t in tokens]
        if bare != tokens:
            self.grams |= _grams(bare)


def _grams(tokens: list[str]) -> set[str]:
    return {" ".join(tokens[i:i + n]) for n in range(1, MAX_WORDS + 1) for i in range(len(tokens) - n + 1)}


def _nasal(root: str, head: str) -> str:
    """``head`` ("me" or "pe") joined to ``root`` with Indonesian nasal assimilation (tagih -> menagih)."""
    first = root[0]
    if first in "aeiou" or first in "gh":
        return head + "ng" + root
    if first in "bfv":
        return head + "m" + root
    if first == "p":
        return head + "m" + root[1:]
    if first in "dcjz":
        return head + "n" + root
    if first == "t":
        return head + "n" + root[1:]
    if first == "k":
        return head + "ng" + root[1:]
    if first == "s":
        return head + "ny" + root[1:]
    return head + root


def indonesian_forms(root: str) -> set[str]:
    """Common affixed forms of an Indonesian root: di-, ter-, me-/pe- (with nasal assimilation), each with
    -kan, -i, -an, -nya (retas -> diretas, meretas, peretas, peretasan; tagih -> ditagih, penagihan).
    ber- and ke- are left out on purpose: "ketagihan" (addicted) is not "tagih" (to bill)."""
    stems = [root, "di" + root, "ter" + root, _nasal(root, "me"), _nasal(root, "pe")]
    return {stem + suffix for stem in stems for suffix in ("", "kan", "i", "an", "nya")}


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    weight: float
    phrase: Phrase


@dataclass(frozen=True, slots=True)
class Topic:
    key: str
    label: str
    terms: tuple[Term, ...]
    exclude: tuple[re.Pattern[str], ...] = ()
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TopicHit:
    topic: str
    label: str
    score: float
    terms: tuple[str, ...]                 # strongest first
    strong: tuple[str, ...] = ()           # the strong terms among them

    def reason(self) -> str:
        quoted = ", ".join(f"'{term}'" for term in self.terms)
        return f"topic {self.topic} ({self.label}, score {self.score:.2f}): mentions {quoted}"


@dataclass(slots=True)
class TopicSet:
    topics: dict[str, Topic] = field(default_factory=dict)
    groups: dict[str, tuple[Phrase, ...]] = field(default_factory=dict)
    threshold: float = DEFAULT_THRESHOLD

    def match(self, text: str) -> list[TopicHit]:
        """Topics reaching the threshold, best first."""
        whole = Text(normalise(text))
        hits = [hit for topic in self.topics.values() if (hit := self._score(topic, whole)) is not None]
        return sorted(hits, key=lambda hit: (-hit.score, hit.topic))

    def _score(self, topic: Topic, whole: Text) -> TopicHit | None:
        text = whole
        if topic.exclude:
            normal = whole.normal
            for pattern in topic.exclude:
                normal = pattern.sub(" ", normal)
            text = whole if normal == whole.normal else Text(" ".join(normal.split()))
        if any(not any(p.found_in(text) for p in self.groups.get(name, ())) for name in topic.requires):
            return None
        found: dict[str, float] = {}
        for term in topic.terms:
            if (seen := term.phrase.found_in(text)) is not None:
                found[seen] = max(found.get(seen, 0.0), term.weight)
        miss = 1.0
        for weight in found.values():
            miss *= 1.0 - weight
        score = round(1.0 - miss, 4)
        if not found or score < self.threshold:
            return None
        ordered = sorted(found, key=lambda seen: -found[seen])
        return TopicHit(topic.key, topic.label, score, tuple(ordered),
                        tuple(seen for seen in ordered if found[seen] >= STRONG))

    def extend_group(self, name: str, terms: list[str]) -> None:
        """Add terms to a group (the organisation's executives to ``executive``)."""
        extra = tuple(phrase(term) for term in terms if normalise(term).strip())
        self.groups[name] = self.groups.get(name, ()) + extra


def normalise(text: str) -> str:
    """Lower-case words with slang mapped to standard forms, single-spaced; apostrophes unified."""
    text = text.replace("’", "'").replace("‘", "'").casefold()
    return " ".join(SLANG.get(word, word) for word in _WORD.findall(text))


def phrase(term: str) -> Phrase:
    """The :class:`Phrase` of a term as written in a topic file."""
    words = [("~" if word.startswith("~") else "") + normalise(word.lstrip("~"))
             for word in term.rstrip("*").split()]
    words = [word for word in words if word.strip("~")]
    if not words:
        raise TopicConfigError(f"term {term!r} has no words")
    if len(words) > MAX_WORDS:
        raise TopicConfigError(f"term {term!r} has more than {MAX_WORDS} words")
    if any(word.startswith("~") for word in words):
        if term.endswith("*"):
            raise TopicConfigError(f"term {term!r}: '~' and '*' cannot be combined")
        return Phrase(term, forms=frozenset(_expand(words)))
    return Phrase(" ".join(words), compile_term(term) if term.endswith("*") else None)


def _expand(words: list[str]) -> list[str]:
    """Every word sequence a term with '~root' words stands for."""
    options = [sorted(indonesian_forms(w[1:])) if w.startswith("~") and len(w) > 1 else [w] for w in words]
    sequences = [""]
    for choices in options:
        sequences = [f"{seq} {choice}".strip() for seq in sequences for choice in choices]
    return sequences


def compile_term(term: str) -> re.Pattern[str]:
    """A whole-word pattern for a term written in normalised form; a trailing ``*`` matches word endings."""
    prefix = term.endswith("*")
    words = normalise(term.rstrip("*")).split()
    if not words:
        raise TopicConfigError(f"term {term!r} has no words")
    body = r"\s+".join(re.escape(word) for word in words)
    ending = r"[\w-]*" if prefix else ""
    return re.compile(rf"(?<![\w'-]){body}{ending}(?![\w'-])")


def _string_list(raw: dict[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(term, str) for term in value):
        raise TopicConfigError(f"{where}: '{key}' must be a list of strings")
    return value


def _topic(key: str, raw: Any, where: str) -> Topic:
    where = f"{where}: topic {key!r}"
    if not isinstance(raw, dict):
        raise TopicConfigError(f"{where} must be a table")
    unknown = set(raw) - {"label", "strong", "weak", "strong_patterns", "weak_patterns", "exclude",
                          "exclude_patterns", "requires"}
    if unknown:
        raise TopicConfigError(f"{where} has unknown key(s) {', '.join(sorted(unknown))}")
    strong, weak = _string_list(raw, "strong", where), _string_list(raw, "weak", where)
    terms = [Term(t, STRONG, phrase(t)) for t in strong] + [Term(t, WEAK, phrase(t)) for t in weak]
    terms += [Term(p, STRONG, Phrase(p, _regex(p, where))) for p in _string_list(raw, "strong_patterns", where)]
    terms += [Term(p, WEAK, Phrase(p, _regex(p, where))) for p in _string_list(raw, "weak_patterns", where)]
    if not terms:
        raise TopicConfigError(f"{where} has no 'strong' or 'weak' terms or patterns")
    patterns = [compile_term(t) for t in _string_list(raw, "exclude", where)]
    patterns += [_regex(p, where) for p in _string_list(raw, "exclude_patterns", where)]
    # one alternation instead of one pass per phrase: excluding is then a single scan of the text
    exclude = (re.compile("|".join(f"(?:{p.pattern})" for p in patterns)),) if patterns else ()
    return Topic(key, str(raw.get("label", key)), tuple(terms), exclude,
                 tuple(_string_list(raw, "requires", where)))


def _regex(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise TopicConfigError(f"{where}: pattern {pattern!r} is not a valid regular expression: {exc}") from None


def _parse(text: str, name: str) -> dict[str, Any]:
    try:
        return json.loads(text) if name.endswith(".json") else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise TopicConfigError(f"{name} is not valid {'JSON' if name.endswith('.json') else 'TOML'}: {exc}") from None


def build(raw: dict[str, Any], where: str, base: TopicSet | None = None) -> TopicSet:
    """A topic set from a parsed file, layered over ``base`` unless the file says ``replace_defaults``."""
    keep = base is not None and not raw.get("replace_defaults", False)
    topics = dict(base.topics) if keep and base else {}
    groups = dict(base.groups) if keep and base else {}
    for key, group in raw.get("groups", {}).items():
        groups[key] = tuple(phrase(t) for t in _string_list(group, "terms", f"{where}: group {key!r}"))
    for key, topic in raw.get("topics", {}).items():
        topics[key] = _topic(key, topic, where)
    missing = {name for topic in topics.values() for name in topic.requires} - set(groups)
    if missing:
        raise TopicConfigError(f"{where}: topics require unknown group(s) {', '.join(sorted(missing))}")
    threshold = raw.get("threshold", base.threshold if keep and base else DEFAULT_THRESHOLD)
    if not isinstance(threshold, int | float) or not 0 < threshold <= 1:
        raise TopicConfigError(f"{where}: 'threshold' must be a number in (0, 1], got {threshold!r}")
    return TopicSet(topics, groups, float(threshold))


@lru_cache(maxsize=1)
def _default_text() -> str:
    return resources.files("kawal.engine.listen").joinpath("topics.toml").read_text(encoding="utf-8")


def default_topics() -> TopicSet:
    """A fresh copy of the shipped topic set (callers may extend its groups)."""
    return build(_parse(_default_text(), "topics.toml"), "shipped topics.toml")


def load_topics(path: str | Path | None = None) -> TopicSet:
    """The shipped topics, with the file at ``path`` (TOML or JSON) layered over them when given."""
    base = default_topics()
    if path is None:
        return base
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TopicConfigError(f"cannot read topic file {path}: {exc}") from None
    return build(_parse(text, str(path)), str(path), base)
