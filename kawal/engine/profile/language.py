"""Language of the post (Indonesian, English, other) against the languages the account writes in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kawal.engine.profile.base import CategoricalModel, Signal, percent
from kawal.engine.profile.features import PostFeatures

NAMES = {"id": "Indonesian", "en": "English", "other": "a language other than Indonesian or English"}


class LanguageSignal(Signal):
    name = "language"

    def __init__(self) -> None:
        # Closed set of three values: a small discount, so that a language never used is clearly new.
        self.model = CategoricalModel(discount=0.2, concentration=0.5, half_life=2000)

    def surprisal(self, features: PostFeatures) -> float | None:
        if features.lang is None or self.model.n == 0:
            return None
        return self.model.bits(features.lang)

    def explain(self, features: PostFeatures) -> str:
        lang = features.lang or "other"
        share = self.model.count(lang) / max(self.model.n, 1e-9)
        top = self.model.top(1)
        usual = NAMES.get(top[0][0], top[0][0]) if top else "?"
        if share == 0:
            return f"written in {NAMES.get(lang, lang)}; this account has always written in {usual}"
        return f"written in {NAMES.get(lang, lang)}, like only {percent(share)} of this account's posts"

    def learn(self, features: PostFeatures) -> None:
        if features.lang is not None:
            self.model.add(features.lang)

    def state(self) -> dict[str, Any]:
        return self.model.state()

    def load(self, state: dict[str, Any]) -> None:
        self.model.load(state)


# The cheap fallback detector: function words decide; no model, a set lookup per word.
_ID_WORDS = frozenset("""yang dan di ke dari ini itu tidak untuk dengan ada akan juga saya kami kita kamu
anda aku dia mereka sudah belum bisa harus lagi saja kok sih dong deh nih ya kak pak bu banget kalau karena
tapi atau jadi sama mau apa siapa mana kenapa bagaimana silakan mohon maaf terima kasih sekali jangan masih
pun lah nya nggak gak udah aja dulu buat lebih sangat semua orang oleh pada telah dalam para bagi agar""".split())
_EN_WORDS = frozenset("""the and of to in is it that for you your with on are was this be have not but what
we they do does did at from or an by my me so if about just can will would should there their our us
please thanks thank has had been were who all very more out get here now how when why""".split())


def cheap_language(text: str) -> str:
    """'id', 'en', 'other', or '' when the text has too few function words to tell."""
    id_hits = en_hits = 0
    for word in text.lower().split():
        word = word.strip(".,!?:;\"'()")
        if word in _ID_WORDS:
            id_hits += 1
        elif word in _EN_WORDS:
            en_hits += 1
    if id_hits == en_hits:
        return "other" if id_hits == 0 and sum(ch.isalpha() and ord(ch) > 0x24F for ch in text) > 3 else ""
    return "id" if id_hits > en_hits else "en"


def default_language_detector() -> Callable[[str], str]:
    """The screening engine's ``langid.detect`` when it is installed, else :func:`cheap_language`.

    Not the profile's default (see :class:`~kawal.engine.profile.Profile`); inject it to use it.
    """
    try:
        from kawal.engine.screen.langid import detect
    except Exception:  # noqa: BLE001 - an optional module failing to import means "use the fallback"
        return cheap_language
    return detect
