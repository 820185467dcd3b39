"""Voice: the account's function words (pronouns, particles, conjunctions), the classic authorship cue.

Who "we" and "you" are, "saya" or "kami", "dong" and "nih": people use these words at steady rates
without thinking, so a different writer shows in them even on the same topic. The model is the topic
model restricted to function words; the value is the mean surprisal per function word, shrunk toward the
account's usual level for posts with few of them.
"""

from __future__ import annotations

from kawal.engine.profile.features import PostFeatures
from kawal.engine.profile.topic import FUNCTION_WORDS, TopicSignal

VOICE_VOCABULARY = len(FUNCTION_WORDS)


class VoiceSignal(TopicSignal):
    name = "voice"
    memo_key = "voice"
    background = VOICE_VOCABULARY

    @staticmethod
    def content(features: PostFeatures) -> list[str]:
        cached = features.memo.get("voice-words")
        if cached is None:
            cached = features.memo["voice-words"] = [w for w in features.words if w in FUNCTION_WORDS]
        return cached

    def explain(self, features: PostFeatures) -> str:
        words = self.content(features)
        ranked = sorted(set(words), key=lambda w: self.counts.get(w, 0))
        rare = [w for w in ranked[:3] if self.counts.get(w, 0) <= 2] or ranked[:1]
        shown = ", ".join(f"'{w}' ({self.counts.get(w, 0)} times before)" for w in rare)
        return f"in a voice unlike this account's: {shown}"
