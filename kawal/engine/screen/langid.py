"""Language identification for screening: ``detect(text) -> "id" | "en" | "other"``.

lingua decides among a small set of languages (building a detector is slow, so it is built once and cached).
Mentions, URLs and hashtag signs are removed first; very short texts lean on a list of Indonesian and
English function and slang words, because character statistics say little about two words. Indonesian
text with English words in it (code-switching, common in Indonesian social media) is reported as "id"
when Indonesian function words make up a fair share of it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from kawal.engine.screen.text import HASHTAG_RE, MENTION_RE, URL_RE, slang_map

# Languages lingua chooses among. Malay counts as "id": informal Indonesian is often closer to Malay than to
# formal Indonesian in lingua's eyes, and the tone models read both. The others catch "neither".
CANDIDATES = (
    Language.INDONESIAN, Language.MALAY, Language.ENGLISH, Language.TAGALOG, Language.SPANISH, Language.FRENCH,
    Language.GERMAN, Language.DUTCH, Language.PORTUGUESE, Language.ITALIAN, Language.TURKISH,
    Language.VIETNAMESE, Language.ARABIC, Language.CHINESE, Language.JAPANESE, Language.KOREAN,
    Language.RUSSIAN, Language.THAI, Language.HINDI,
)
ID_WORDS = frozenset(
    """yang dan di ke dari ini itu tidak untuk dengan ada akan juga saya kami kita kamu anda aku dia mereka
    selamat pagi siang sore malam sudah belum bisa harus lagi saja kok sih dong deh nih ya yah kak mas mbak pak bu banget kalau karena
    tapi atau jadi sama mau apa siapa mana kenapa gimana bagaimana silakan mohon maaf terima kasih sekali
    jangan masih pun lah kah nya nggak gak udah aja dulu buat bikin lebih sangat semua orang""".split()
)
EN_WORDS = frozenset(
    """the and of to in is it that for you your with on are was this be have not but what we they do
    does did at from or an by my me so if about just can will would should there their our us please
    thanks thank really don't i'm it's i a is am has had been were he she his her them who how why when""".split()
)
ENGLISH_STANDARDS = frozenset(
    "fuck fucking shit bitch asshole stupid okay please you your are because people thanks really".split()
)
LONG_TEXT_WORDS = 10  # from this many words on, the fast low-accuracy detector decides
MAX_WORDS = 60  # the first sixty words decide; more only costs time
WORD_RE = re.compile(r"[^\W\d_]+(?:'[a-z]+)?", re.UNICODE)


@lru_cache(maxsize=1)
def indonesian_words() -> frozenset[str]:
    """Indonesian function words plus the Indonesian slang variants of the shipped slang map."""
    slang = {k for k, v in slang_map().items() if v not in ENGLISH_STANDARDS and v.split()[0] not in ENGLISH_STANDARDS}
    return ID_WORDS | frozenset(slang)


@lru_cache(maxsize=2)
def detector(low_accuracy: bool = False) -> LanguageDetector:
    """A cached lingua detector (about two seconds to load on first use). The low-accuracy one uses only
    trigrams: about four times faster and, per lingua's documentation, as good on longer texts."""
    builder = LanguageDetectorBuilder.from_languages(*CANDIDATES).with_preloaded_language_models()
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def strip_noise(text: str) -> str:
    """Remove URLs and mentions and the '#' of hashtags: they are not written in any language."""
    text = URL_RE.sub(" ", text)
    text = MENTION_RE.sub(" ", text)
    return HASHTAG_RE.sub(lambda m: " " + m.group(1) + " ", text)


def detect(text: str) -> str:
    """"id" (Indonesian, incl. code-switched), "en" (English) or "other" (anything else, or no words)."""
    words = [w.lower() for w in WORD_RE.findall(strip_noise(text))]
    if not words:
        return "other"
    id_words = indonesian_words()
    id_hits = sum(1 for w in words if w in id_words)
    en_hits = sum(1 for w in words if w in EN_WORDS)
    if len(words) <= 3 and id_hits != en_hits:
        return "id" if id_hits > en_hits else "en"
    # clear cases need no statistics: many function words of one language and few of the other
    if id_hits >= 4 and id_hits >= 0.3 * len(words) and en_hits <= id_hits // 4:
        return "id"
    if en_hits >= 4 and en_hits >= 0.3 * len(words) and id_hits <= en_hits // 4:
        return "en"
    lang = detector(low_accuracy=len(words) >= LONG_TEXT_WORDS).detect_language_of(" ".join(words[:MAX_WORDS]))
    if lang in (Language.INDONESIAN, Language.MALAY):
        return "id"
    if lang == Language.ENGLISH:
        # code-switched Indonesian: English content words around Indonesian grammar words
        return "id" if id_hits >= 2 and id_hits >= 0.25 * len(words) and id_hits >= en_hits else "en"
    if id_hits >= 2 and id_hits > en_hits:
        return "id"
    if en_hits >= 2 and en_hits > id_hits:
        return "en"
    return "other"
