"""Legal risk rules (defamation, SARA, financial promises) on hand-written examples that were written
before the rules were run on them, Indonesian, English and mixed. Prints recall and false alarms per kind,
and every miss, so that the limits of word rules are visible.

The first run (before any change prompted by these examples) found 23 of 25 positives (defamation 8/10) with
2 of 25 negatives flagged ("mafia Italia", a warning against "untung besar tanpa risiko"). The rules were
then extended for those cases, so the figures printed now are no longer an independent measure.

    .venv/bin/python benchmarks/bench_legal.py
"""

from __future__ import annotations

from collections import Counter

from kawal.engine.screen.legal import find_legal

POSITIVES = [
    ("legal.defamation", "Menteri Budi jelas maling uang rakyat"),
    ("legal.defamation", "Gubernur itu penipu, jangan percaya"),
    ("legal.defamation", "Kepala dinasnya koruptor semua"),
    ("legal.defamation", "@walikota_x emang pembohong"),
    ("legal.defamation", "Direktur PT Maju ternyata penggelap dana"),
    ("legal.defamation", "The mayor is a crook and everybody knows it"),
    ("legal.defamation", "Senator Smith is a criminal"),
    ("legal.defamation", "Our competitor's CEO is a total fraud"),
    ("legal.defamation", "Pak Lurah terima suap dari pengembang"),
    ("legal.defamation", "Hakim Andi disuap, putusannya dibeli"),
    ("legal.sara", "Dasar Batak kasar semua"),
    ("legal.sara", "orang Madura itu licik"),
    ("legal.sara", "Cina pelit, jangan belanja di tokonya"),
    ("legal.sara", "kaum kafir memang najis"),
    ("legal.sara", "Immigrants are vermin"),
    ("legal.sara", "Jews are parasites"),
    ("legal.sara", "pendatang Jawa sampah semua"),
    ("legal.financial_promise", "Gabung sekarang, dijamin balik modal dalam sebulan"),
    ("legal.financial_promise", "Robot trading ini pasti profit tiap hari"),
    ("legal.financial_promise", "Bunga 5% per bulan, tanpa risiko"),
    ("legal.financial_promise", "Our fund offers guaranteed income every month"),
    ("legal.financial_promise", "This coin will definitely go up 10x, buy now"),
    ("legal.financial_promise", "Investasi emas bebas rugi, modal aman 100%"),
    ("legal.financial_promise", "Double your money in 30 days with our plan"),
    ("legal.financial_promise", "cuan 20% seminggu, join grup VIP"),
]
NEGATIVES = [
    "KPK menetapkan Bupati X sebagai tersangka kasus suap",
    "Kami berkomitmen memberantas korupsi di semua lini",
    "Pencuri motor tertangkap warga tadi malam",
    "Waspada penipu yang mengatasnamakan bank kami",
    "The mayor opened the new bridge today",
    "We will fight fraud with better tools",
    "Selamat Natal bagi umat Kristen yang merayakan",
    "Festival budaya Batak, Jawa dan Papua di Taman Mini",
    "Kuliner Padang memang juara",
    "Ramadan Kareem to all our Muslim customers",
    "Imlek sebentar lagi, promo spesial untuk keluarga Tionghoa",
    "Investasi mengandung risiko, baca prospektus sebelum membeli",
    "Harga saham bisa naik atau turun",
    "Promo cashback 10% untuk transaksi pertama",
    "Untung ada tim support yang sigap",
    "Our returns policy: 30 days, no questions asked",
    "Past performance does not guarantee future returns",
    "Kartu kredit kami bebas iuran tahunan",
    "Dia dituduh maling, tapi pengadilan menyatakan tidak bersalah",
    "Film tentang mafia Italia tayang minggu ini",
    "Semua orang Indonesia bersaudara",
    "The movie's villain is a liar and a thief",
    "Pasti seru! Konser tahun baru di Jakarta",
    "Jangan mudah percaya janji untung besar tanpa risiko",
    "Cara mengenali investasi bodong: dijanjikan untung pasti",
]


def main() -> int:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    misses = []
    for kind, text in POSITIVES:
        totals[kind] += 1
        if any(f.kind == kind for f in find_legal(text)):
            hits[kind] += 1
        else:
            misses.append((kind, text))
    alarms = [(text, [f.kind for f in find_legal(text)]) for text in NEGATIVES]
    alarms = [(t, k) for t, k in alarms if k]
    print(f"Legal rules on {len(POSITIVES)} positive and {len(NEGATIVES)} negative hand-written examples")
    for kind in totals:
        print(f"  {kind:<24} recall {hits[kind] / totals[kind]:.2f} ({hits[kind]}/{totals[kind]})")
    print(f"  all positives            recall {sum(hits.values()) / len(POSITIVES):.2f}")
    print(f"  negatives with a finding: {len(alarms)}/{len(NEGATIVES)}")
    for kind, text in misses:
        print(f"  missed {kind}: {text!r}")
    for text, kinds in alarms:
        print(f"  false alarm {kinds}: {text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
