"""Hijack cues: content that account takeovers share and genuine official posts almost never carry.

Written from what public takeovers looked like (the 2020 "send bitcoin, get double back" wave, fake
giveaways and airdrops, "verify your account" phishing, "we have been hacked/sold" pranks, fake breaking
news), in English and Indonesian, and never fitted to any data set. Each *family* counts once, so a long
scam with three wallet words weighs like one with one. The cue is judged like every other signal: against
the account's own past (a crypto-news account that posts "bitcoin" daily finds the next one routine), and
only a post with *more* cue families than the account usually shows is surprising.
"""

from __future__ import annotations

import math
import re
from typing import Any

from kawal.engine.profile.base import BinnedModel, Signal, percent
from kawal.engine.profile.features import PostFeatures

LEVELS = 4   # 0, 1, 2, 3 or more cue families
# (family, what a person reads, pattern on the lower-cased text; addresses on the original text)
FAMILIES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("address", "a cryptocurrency address",
     re.compile(r"\b(?:bc1[a-z0-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40}|T[1-9A-HJ-NP-Za-km-z]{33})\b")),
    ("crypto", "cryptocurrency words",
     re.compile(r"\b(?:bitcoin|btc|ethereum|eth|crypto(?:currency)?|kripto|usdt|dogecoin|airdrop|nft|"
                r"wallet address|alamat dompet|seed phrase|private key)\b", re.I)),
    ("double", "a 'send ... get double back' ask",
     re.compile(r"\b(?:send|kirim|kirimkan|transfer|deposit)\b[^.!?\n]{0,80}?\b(?:double|doubled|2x|x2|twice|"
                r"dua kali|lipat|berlipat)\b", re.I)),
    ("giveaway", "a giveaway or prize claim",
     re.compile(r"\b(?:give ?away|giveaway|bagi[- ]bagi|claim (?:your|now|here)|klaim (?:hadiah|sekarang|di)|"
                r"free (?:bitcoin|btc|eth|crypto|money|cash|iphone)|hadiah gratis|you(?:'ve| have) won|"
                r"anda (?:telah )?menang|selamat! anda)\b", re.I)),
    ("credentials", "a request for passwords or verification",
     re.compile(r"\b(?:verify your account|verifikasi akun|confirm your (?:password|login|account|identity)|"
                r"(?:enter|masukkan) (?:your )?(?:password|kata sandi|pin|otp)|kode otp|kata sandi anda|"
                r"change your passwords? now|reset your passwords? (?:now|here|at))\b", re.I)),
    ("takeover", "a claim that the account was hacked or sold",
     re.compile(r"\b(?:(?:we|we've|we have|i|i've|this account)\s+(?:has |have )?(?:been|got|was|were)\s+"
                r"(?:hacked|sold|bought|pwned)|hacked by|akun ini (?:telah |sudah )?(?:di)?(?:retas|hack|jual)|"
                r"diretas oleh)\b", re.I)),
    ("alarm", "an all-capital alarm opening",
     re.compile(r"^\W*(?:BREAKING|URGENT|JUST IN|ALERT|WARNING|PENTING|DARURAT|MENDESAK|INNALILLAHI)\b")),
)


# A family's pattern is only tried when one of its words is in the post (a set lookup per word): the
# patterns are slow-ish and almost every post carries no cue at all.
TRIGGERS: dict[str, frozenset[str]] = {
    "crypto": frozenset({"bitcoin", "btc", "ethereum", "eth", "crypto", "cryptocurrency", "kripto", "usdt",
                         "dogecoin", "airdrop", "nft", "wallet", "alamat", "seed", "private"}),
    "double": frozenset({"double", "doubled", "twice", "dua", "lipat", "berlipat"}),
    "giveaway": frozenset({"give", "giveaway", "bagi", "claim", "klaim", "free", "hadiah", "won", "menang",
                           "selamat"}),
    "credentials": frozenset({"verify", "verifikasi", "confirm", "password", "passwords", "sandi", "pin", "otp"}),
    "takeover": frozenset({"hacked", "sold", "bought", "pwned", "retas", "diretas", "hack", "dihack", "jual",
                           "dijual"}),
}
# An address is only looked for beside words that ask for money or name a coin (a bare address is not an ask).
ADDRESS_TRIGGERS = (TRIGGERS["crypto"] | TRIGGERS["double"] | TRIGGERS["giveaway"]
                    | {"send", "kirim", "kirimkan", "transfer", "deposit", "address", "donate", "donasi"})


def cue_families(features: PostFeatures) -> tuple[str, ...]:
    cached = features.memo.get("cues")
    if cached is None:
        cached = features.memo["cues"] = _families(features)
    return cached


def _families(features: PostFeatures) -> tuple[str, ...]:
    text = features.post.text
    words = set(features.words)
    words.update(features.hashtags)
    found = []
    for name, _, pattern in FAMILIES:
        if name == "address":
            tried = not words.isdisjoint(ADDRESS_TRIGGERS)
        elif name == "alarm":
            tried = not text[:1].islower()
        elif name == "double":
            tried = not words.isdisjoint(TRIGGERS[name]) or "2x" in text or "x2" in text
        else:
            tried = not words.isdisjoint(TRIGGERS[name])
        if tried and (pattern.match(text) if name == "alarm" else pattern.search(text)):
            found.append(name)
    return tuple(found)


class CueSignal(Signal):
    name = "cues"

    def __init__(self) -> None:
        self.model = BinnedModel(LEVELS, prior=0.5)

    def level(self, features: PostFeatures) -> int:
        return min(len(cue_families(features)), LEVELS - 1)

    def surprisal(self, features: PostFeatures) -> float | None:
        model = self.model
        if model.total == 0:
            return None
        level = self.level(features)
        if level == 0:
            return 0.0   # no cue is never evidence: the signal only speaks up
        tail = sum(model.counts[level:]) + model.prior
        return -math.log2(min(1.0, tail / (model.total + model.prior * LEVELS)))

    def explain(self, features: PostFeatures) -> str:
        names = {name: label for name, label, _ in FAMILIES}
        found = [names[name] for name in cue_families(features)]
        level = self.level(features)
        share = sum(self.model.counts[level:]) / max(self.model.total, 1e-9)
        return (f"reads like a takeover: {', '.join(found)}; only {percent(share)} of this account's posts "
                "carry as many such cues")

    def learn(self, features: PostFeatures) -> None:
        self.model.add(self.level(features))

    def state(self) -> dict[str, Any]:
        return self.model.state()

    def load(self, state: dict[str, Any]) -> None:
        self.model.load(state)
