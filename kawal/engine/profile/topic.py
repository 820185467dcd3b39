"""Topic drift: how familiar the post's words are to this account (a unigram model of its vocabulary).

The value is the mean surprisal per word, shrunk toward the account's usual level for short posts (three
words say little). Words are kept as strings (stable across processes, unlike ``hash``) in a bounded dict.
"""

from __future__ import annotations

import math
from typing import Any

from kawal.engine.profile.base import Signal
from kawal.engine.profile.features import PostFeatures

# Function words say how someone writes, not what about (style covers that): topic skips them so that the
# few content words of a short post are not drowned out by "the", "we", "yang", "kami".
FUNCTION_WORDS = frozenset("""the a an and or but of to in on at for from by with about as is are was were be been
being am do does did have has had it its this that these those there here we us our you your i me my he she
they them their his her what which who when where why how not no so if then than can could will would should
may might must just also very too please thanks thank hi hello hey yes ok okay let let's we're you're it's
i'm don't can't dm
yang dan di ke dari ini itu tidak untuk dengan ada akan juga saya kami kita kamu anda aku dia mereka sudah
belum bisa harus lagi saja kok sih dong deh nih ya kak pak bu kalau karena tapi atau jadi sama mau apa
siapa mana kenapa bagaimana silakan mohon maaf terima kasih jangan masih pun lah nya nggak gak udah aja
dulu buat oleh pada telah dalam para bagi agar semua""".split())
# A new word's probability is spread over a background vocabulary of this many words.
BACKGROUND_VOCABULARY = 50_000
SHRINK_WORDS = 3.0
MAX_WORDS = 60_000


class TopicSignal(Signal):
    name = "topic"
    memo_key = "topic"
    background = BACKGROUND_VOCABULARY

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.total = 0
        self.mean_word_bits = math.log2(self.background)
        self.discount, self.concentration = 0.5, 20.0

    def _word_bits(self, word: str) -> float:
        c = self.counts.get(word, 0)
        n, theta = self.total, self.concentration
        if c:
            return -math.log2((c - self.discount) / (n + theta))
        p_new = (theta + self.discount * len(self.counts)) / (n + theta)
        return -math.log2(p_new / BACKGROUND_VOCABULARY)

    @staticmethod
    def content(features: PostFeatures) -> list[str]:
        cached = features.memo.get("content")
        if cached is None:
            cached = features.memo["content"] = [w for w in features.words if w not in FUNCTION_WORDS]
        return cached

    def _sum_bits(self, words: list[str]) -> float:
        # The hot loop of the profile: known words are one dict lookup and one log each.
        counts, d = self.counts, self.discount
        norm = self.total + self.concentration
        new_bits = -math.log2((self.concentration + d * len(counts)) / norm / self.background)
        log2, total = math.log2, 0.0
        for word in words:
            c = counts.get(word)
            total += new_bits if c is None else -log2((c - d) / norm)
        return total

    def _post_bits(self, features: PostFeatures) -> float:
        cached = features.memo.get(self.memo_key)
        if cached is None:
            cached = features.memo[self.memo_key] = self._sum_bits(self.content(features))
        return cached

    def surprisal(self, features: PostFeatures) -> float | None:
        words = self.content(features)
        if not words or self.total == 0:
            return None
        return (self._post_bits(features) + SHRINK_WORDS * self.mean_word_bits) / (len(words) + SHRINK_WORDS)

    def explain(self, features: PostFeatures) -> str:
        words = self.content(features)
        new = list(dict.fromkeys(w for w in words if w not in self.counts))
        if new:
            shown = ", ".join(f"'{w}'" for w in new[:4])
            return (f"words new to this account: {shown} ({len(new)} of {len(set(words))} "
                    f"distinct words never used in {self.total:,} earlier words)")
        rare = sorted(set(words), key=lambda w: self.counts.get(w, 0))[:3]
        return "unusual vocabulary for this account: " + ", ".join(f"'{w}'" for w in rare)

    def learn(self, features: PostFeatures) -> None:
        words = self.content(features)
        if not words:
            return
        if self.total:
            post_bits = self._post_bits(features) / len(words)
            self.mean_word_bits += 0.02 * (post_bits - self.mean_word_bits)
        counts = self.counts
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        self.total += len(words)
        if len(counts) > MAX_WORDS:
            self.counts = {w: c for w, c in counts.items() if c > 1}

    def state(self) -> dict[str, Any]:
        return {"counts": self.counts, "total": self.total, "mean_word_bits": self.mean_word_bits}

    def load(self, state: dict[str, Any]) -> None:
        self.counts = {str(k): int(v) for k, v in state.get("counts", {}).items()}
        self.total = int(state.get("total", sum(self.counts.values())))
        self.mean_word_bits = float(state.get("mean_word_bits", self.mean_word_bits))
