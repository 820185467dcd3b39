"""Legal risk: accusations against named people or officials, SARA, and promises that look like
financial advice. These findings suggest a review by someone who knows the facts; they never block a
post by themselves (``policy.py`` refuses a policy that tries).

The rules read words, not sentences: an accusation is an accusation word next to a target (an official's
title, a capitalised name, an @handle or a pronoun) joined only by copulas and fillers ("Bupati X itu
koruptor", "CEO X is a fraud", "Crooked Hillary"), and not negated ("bukan maling", "not a fraud",
"bebas korupsi"). SARA needs a group term and a demeaning term close together. A financial promise is a
guarantee joined to a gain ("dijamin untung", "pasti cuan", "guaranteed returns", "profit 10% per bulan").
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kawal.engine.records import Finding

TOKEN_RE = re.compile(r"@\w+|[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


ACCUSATIONS = _set(
    """koruptor korup maling pencuri penipu penjahat pembohong pendusta perampok rampok garong bandit mafia
    pengkhianat pembunuh pemerkosa cabul predator bajingan nyolong penggelap pemeras penyuap calo disuap
    fraud fraudster crook crooked thief thieves liars criminal criminals corrupt embezzler scammer scammers
    swindler murderer rapist pedophile traitor cheat cheater"""
)
# Verbs accuse only the subject before them ("Bupati X korupsi dana desa", "CEO X stole millions").
ACCUSING_VERBS = _set(
    """korupsi mencuri menipu menggelapkan nilep ngembat menyelewengkan memeras stole steals embezzled
    defrauded scammed swindled lied bribed"""
)
ACCUSATION_PHRASES = (
    ("tukang", "tipu"), ("tukang", "bohong"), ("tikus", "berdasi"), ("makan", "uang", "rakyat"),
    ("terima", "suap"), ("menerima", "suap"), ("con", "artist"), ("con", "man"), ("took", "bribes"),
    ("takes", "bribes"), ("money", "launderer"), ("a", "scam"),
    # "liar" alone is Indonesian too ("pungutan liar", "parkir liar"): only the English noun phrase counts.
    ("a", "liar"), ("the", "liar"), ("total", "liar"), ("pathological", "liar"), ("you", "liar"),
)
GENRE_WORDS = _set("mafia bandit predator calo")
PHRASES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in ACCUSATION_PHRASES:
    PHRASES_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)
TITLES = _set(
    """pejabat menteri mentri bupati dinas kepala gubernur walikota wali camat lurah kades kadis dirut direktur ketua anggota
    dewan dpr dprd hakim jaksa polisi kapolri kapolda kapolres presiden wapres pak bu bapak ibu sdr saudara bos
    komisaris rektor ceo cfo cto coo founder owner minister senator governor mayor judge official officials
    officer president director chairman chairwoman congressman congresswoman sheriff mr mrs ms dr"""
)
PRONOUNS = _set("dia ia beliau mereka kamu anda lu lo loe kau he she they you")
NOT_TARGETS = _set(
    """this that it these those ini itu the a an and dan yang di ke dari untuk with for of we kami kita saya
    aku i our my your his her their"""
)
FILLERS = _set(
    """itu ini adalah ialah memang emang jelas ternyata sih tuh kan si seorang sang dasar pasti sudah udah jadi
    benar bener is was are were be a an the such total totally real big just truly really complete""")
NEGATORS = _set(
    """bukan tidak tak nggak gak ga enggak jangan bebas anti lawan melawan berantas memberantas pemberantasan
    cegah mencegah tolak menolak not no never isn't wasn't aren't against fight fighting"""
)

GROUPS = _set(
    """cina tionghoa aseng cokin jawa batak padang minang madura sunda bugis papua ambon dayak arab pribumi
    nonpribumi kristen kristiani katolik nasrani islam muslim hindu buddha budha konghucu yahudi kafir
    ahmadiyah syiah wahabi kadrun pendatang jews jewish muslims christians blacks whites asians chinese
    mexicans arabs immigrants hindus catholics"""
)
DEMEANING = _set(
    """bodoh goblok tolol malas pemalas licik pelit kotor jorok penjajah biadab anjing babi monyet kera sampah hina
    najis sesat usir penyakit benalu parasit perusak munafik teroris rendah kampungan dirty lazy stupid animals
    vermin scum filth terrorists criminals rapists parasites subhuman savages inferior disgusting"""
)
GENERALISERS = _set("semua dasar all every")
SARA_WINDOW = 5

FINANCE_STRONG_RE = re.compile(
    r"\b(?:dijamin|pasti|garansi|100\s?%)\s+(?:\w+\s+){0,2}?(?:untung|cuan|profit|balik\s+modal|keuntungan|kaya|tajir)\b"
    r"|\b(?:tanpa|bebas|anti|nol)\s+(?:risiko|resiko|rugi)\b"
    r"|\b(?:gak|nggak|tidak|ga|ndak)\s+(?:mungkin|bakal|akan)\s+rugi\b"
    r"|\b(?:modal|uang)\s+(?:kembali|aman)\s+(?:100\s?%|dijamin|pasti)"
    r"|\b(?:untung|profit|cuan|return|imbal\s+hasil|keuntungan|bunga)\s+(?:\w+\s+){0,2}?\d+(?:[.,]\d+)?\s?%\s?"
    r"(?:per|/|tiap|setiap|sebulan|seminggu|sehari|a\s+(?:day|week|month)|monthly|weekly|daily)"
    r"|\bguaranteed\s+(?:\w+\s+){0,2}?(?:returns?|profits?|income|gains?|money|to\s+(?:go\s+up|rise|double))\b"
    r"|\b(?:risk[- ]free|no[- ]risk|can'?t[- ]lose|cannot\s+lose)\s+(?:\w+\s+){0,2}?"
    r"(?:investment|returns?|profits?|trade|income|opportunity)\b"
    r"|\b(?:double|triple)\s+your\s+(?:money|investment|capital)\b"
    r"|\b\d+\s?%\s+(?:returns?|profits?|gains?)\s+(?:per|a|every)\s+(?:day|week|month)\b",
    re.IGNORECASE,
)
FINANCE_CUES = ("dijamin", "pasti", "garansi", "%", "risiko", "resiko", "rugi", "modal", "guarantee", "risk", "lose",
                "double", "triple", "moon", "will")
WARNING_RE = re.compile(
    r"\bjangan\s+(?:mudah\s+)?(?:percaya|tergiur)|\bwaspada|\bhati-hati|\bbeware\b|\bdon'?t\s+(?:trust|fall)"
    r"|\bbodong\b|\bmodus\s+penipuan|\bscams?\b|\bfraudulent\b",
    re.IGNORECASE,
)
FINANCE_WEAK_RE = re.compile(
    r"\b(?:pasti|dijamin|will\s+(?:definitely|surely|certainly))\s+(?:\w+\s+)?(?:naik|terbang|meroket|go\s+up|rise|"
    r"moon|double|10x)\b|\bto\s+the\s+moon\b",
    re.IGNORECASE,
)
ASSET_RE = re.compile(
    r"\b(?:saham|kripto|crypto|koin|coin|token|investasi|invest(?:ment|asi)?|reksa\s?dana|emas|trading|forex|"
    r"bitcoin|btc|eth|stocks?|shares?|portofolio|portfolio|ipo)\b",
    re.IGNORECASE,
)


class Tok(NamedTuple):
    text: str     # as written
    low: str      # lower-cased
    start: int
    end: int


URL_RE = re.compile(r"(?:\b[a-z][a-z0-9+.-]{1,15}://|\bwww\.)\S+", re.IGNORECASE)


def tokenize(text: str) -> list[Tok]:
    """Words with their spans; URLs are left out (their paths are not statements)."""
    text = URL_RE.sub(lambda m: " " * len(m.group()), text)
    return [Tok(m.group(), m.group().lower().replace("’", "'"), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def find_legal(text: str) -> list[Finding]:
    toks = tokenize(text)
    sara = find_sara(toks)
    sara += [f for f in find_xenophobic_frames(text) if not any(_overlap(f.span, g.span) for g in sara)]
    return sorted([*find_accusations(toks, text), *sara, *find_financial_promises(text)],
                  key=lambda f: f.span or (0, 0))


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


# ---- accusations (defamation) ----------------------------------------------------------------------------

def _accusation_at(toks: list[Tok], i: int) -> int | None:
    """Index of the last token of an accusation starting at ``i``, or None."""
    if toks[i].low in ACCUSATIONS or toks[i].low in ACCUSING_VERBS:
        return i
    for phrase in PHRASES_BY_FIRST.get(toks[i].low, ()):
        if tuple(t.low for t in toks[i:i + len(phrase)]) == phrase:
            return i + len(phrase) - 1
    return None


def _is_target(tok: Tok) -> bool:
    if tok.low in NOT_TARGETS or tok.low in ACCUSATIONS or tok.low in FILLERS:
        return False
    return (tok.low in TITLES or tok.low.removesuffix("nya") in TITLES or tok.low in PRONOUNS or tok.text.startswith("@")
            or (tok.text[:1].isupper() and tok.text[:1].isalpha()))


def find_accusations(toks: list[Tok], text: str) -> list[Finding]:
    found: list[Finding] = []
    for i in range(len(toks)):
        end = _accusation_at(toks, i)
        if end is None or (i > 0 and toks[i - 1].low in NEGATORS):
            continue
        start = _target_before(toks, i, text)
        if start is None and toks[i].low not in ACCUSING_VERBS:  # "menipu Budi": Budi is the victim
            start = _target_after(toks, end)
        if start is None:
            continue
        lo, hi = min(start, i), max(end, start)
        if found and found[-1].span and toks[lo].start < found[-1].span[1]:
            continue
        words = " ".join(t.text for t in toks[i:end + 1])
        found.append(Finding(
            "legal.defamation", "medium",
            f"Accuses a named person or official ({words!r}). An accusation like this can be defamation "
            "(in Indonesia, UU ITE); publish it only if it is established fact, and have it reviewed.",
            (toks[lo].start, toks[hi].end)))
    return found


def _target_before(toks: list[Tok], i: int, text: str) -> int | None:
    """Index of a target before the accusation at ``i``, joined to it only by fillers and not negated;
    extended left over a title and name ("Bupati Sleman itu koruptor" starts at "Bupati")."""
    j = i - 1
    while j >= 0 and toks[j].low in FILLERS and i - j <= 4:
        j -= 1
    if j < 0 or toks[j].low in NEGATORS or not _is_target(toks[j]):
        return None
    if any(c in ".!?;\n" for c in text[toks[j].end:toks[i].start]):
        return None  # "menjaga KPK. Korupsi adalah kejahatan": a new sentence, not a predicate
    if j == i - 1 and _sentence_start(toks, j, text) and _only_capitalised(toks[j]):
        return None  # "Tangkap koruptor!": a capital at the start of a sentence is not a name by itself
    while j > 0 and (toks[j - 1].low in TITLES or _is_target(toks[j - 1]) and toks[j - 1].low not in PRONOUNS
                     and not _sentence_start(toks, j - 1, text)):
        j -= 1
    return j


def _only_capitalised(tok: Tok) -> bool:
    """A target only because of its capital letter (not a title, pronoun or @handle)."""
    return tok.low not in TITLES and tok.low not in PRONOUNS and not tok.text.startswith("@")


def _sentence_start(toks: list[Tok], j: int, text: str) -> bool:
    before = text[toks[j - 1].end:toks[j].start] if j > 0 else ""
    return j == 0 or any(c in before for c in ".!?\n")


def _target_after(toks: list[Tok], end: int) -> int | None:
    """Index of a name or title right after the accusation ("koruptor Budi", "Crooked Hillary")."""
    j = end + 1
    if toks[end].low in GENRE_WORDS:  # "mafia Italia", "mafia tanah": a kind of crime, not a person
        return None
    if j < len(toks) and _is_target(toks[j]) and toks[j].low not in PRONOUNS:
        return j
    return None


# ---- SARA -------------------------------------------------------------------------------------------------

XENOPHOBIC_RE = re.compile(
    r"\bgo\s+back\s+to\s+(?:your|their|his|her)\s+(?:own\s+)?(?:country|countries)\b"
    r"|\bpulang\s+(?:sana\s+)?ke\s+negara\s*(?:mu|nya|kalian|asal(?:mu|nya)?)\b"
    r"|\busir\s+(?:semua\s+)?(?:pendatang|imigran|orang\s+asing)\b",
    re.IGNORECASE,
)


def find_xenophobic_frames(text: str) -> list[Finding]:
    return [Finding("legal.sara", "medium",
                    f"Tells people to leave because of where they come from ({m.group()!r}); this demeans a group "
                    "(SARA) and can break UU ITE. Review it.", m.span())
            for m in XENOPHOBIC_RE.finditer(text)]


def find_sara(toks: list[Tok]) -> list[Finding]:
    found: list[Finding] = []
    for i, tok in enumerate(toks):
        if tok.low not in GROUPS:
            continue
        hit = _demeaning_near(toks, i)
        if hit is None:
            continue
        lo, hi = min(i, hit), max(i, hit)
        if found and found[-1].span and toks[lo].start < found[-1].span[1]:
            continue
        found.append(Finding(
            "legal.sara", "medium",
            f"Puts a group ({tok.text!r}) next to a demeaning word ({toks[hit].text!r}). Statements that demean "
            "an ethnic, religious, racial or social group (SARA) can break UU ITE and hurt the brand; review it.",
            (toks[lo].start, toks[hi].end)))
    return found


def _demeaning_near(toks: list[Tok], i: int) -> int | None:
    for j in range(max(0, i - SARA_WINDOW), min(len(toks), i + SARA_WINDOW + 1)):
        if j == i:
            continue
        demeaning = toks[j].low in DEMEANING or (toks[j].low in GENERALISERS and j == i - 1 and
                                                   toks[j].low in ("dasar",))
        if demeaning and not (j > 0 and toks[j - 1].low in NEGATORS):
            return j
    return None


# ---- financial promises -------------------------------------------------------------------------------

def find_financial_promises(text: str) -> list[Finding]:
    low = text.lower()
    if not any(cue in low for cue in FINANCE_CUES):  # most posts: skip the long patterns
        return []
    if WARNING_RE.search(text):  # "jangan percaya janji untung pasti": warning people, not promising
        return []
    found = [_promise(m) for m in FINANCE_STRONG_RE.finditer(text)]
    if ASSET_RE.search(text):
        taken = [f.span for f in found if f.span]
        found += [_promise(m) for m in FINANCE_WEAK_RE.finditer(text)
                  if not any(m.start() < e and s < m.end() for s, e in taken)]
    return found


def _promise(m: re.Match[str]) -> Finding:
    return Finding(
        "legal.financial_promise", "medium",
        f"Promises a gain ({m.group()!r}). A promise of returns reads as investment advice; in Indonesia "
        "offering it without an OJK licence is an offence. State the risks or remove the promise.",
        m.span())
