"""Leak detectors: false positives on the shared timelines (must be zero), recall on Kawal's own positive
examples, and the time the rule layers (leaks, policy, legal) and the whole ``screen`` take per text.

    .venv/bin/python benchmarks/bench_leaks.py

Positives are generated from seeded templates (real formats: NIK structure, operator prefixes, Luhn-valid
card numbers per issuer, token formats, addresses) in Indonesian, English and mixed sentences, plus a
hand-written list. Negatives are the 7,294 posts of ../shared/data/timelines.
"""

from __future__ import annotations

import json
import random
import statistics
import string
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from kawal.engine.screen import screen, screen_batch
from kawal.engine.screen.leaks import find_leaks
from kawal.engine.screen.leaks.cards import luhn_valid
from kawal.engine.screen.legal import find_legal
from kawal.engine.screen.policy import Policy, find_policy_terms

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
RNG = random.Random(20261124)

ID_FRAMES = ["Mohon dibantu, {} ya kak", "Data pelanggan: {}", "{} tolong dicek min", "udah aku kirim {} kemarin",
             "Pls check this {} asap", "FYI {}", "ini {} nya, jangan disebar"]


def frame(value: str) -> str:
    return RNG.choice(ID_FRAMES).format(value)


def nik() -> str:
    province = RNG.choice("11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 71 72 73 81 91".split())
    day = RNG.randint(1, 28) + (40 if RNG.random() < 0.5 else 0)
    number = (f"{province}{RNG.randint(1, 79):02d}{RNG.randint(1, 40):02d}{day:02d}{RNG.randint(1, 12):02d}"
              f"{RNG.randint(0, 99):02d}{RNG.randint(1, 9999):04d}")
    if RNG.random() < 0.3:
        sep = RNG.choice(" .-")
        number = sep.join(number[i:i + 4] for i in range(0, 16, 4))
    return f"NIK {number}" if RNG.random() < 0.5 else number


def npwp() -> str:
    d = "".join(RNG.choice(string.digits) for _ in range(15))
    return f"NPWP {d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"


def phone() -> str:
    prefix = RNG.choice(["811", "812", "813", "821", "822", "852", "853", "855", "856", "857", "858", "817", "818",
                         "819", "859", "877", "878", "831", "838", "881", "882", "895", "896", "897", "898", "899"])
    rest = "".join(RNG.choice(string.digits) for _ in range(RNG.randint(7, 8)))
    lead = RNG.choice(["0", "+62 ", "62", "+62"])
    sep = RNG.choice(["", "-", " ", "."])
    return f"{lead}{prefix}{sep}{rest[:4]}{sep}{rest[4:]}"


def card() -> str:
    start, length = RNG.choice([("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15),
                                ("6011", 16), ("3530", 16), ("62", 16)])
    body = start + "".join(RNG.choice(string.digits) for _ in range(length - len(start) - 1))
    check = next(d for d in string.digits if luhn_valid(body + d))
    number = body + check
    if length == 16 and RNG.random() < 0.6:
        number = RNG.choice([" ", "-"]).join(number[i:i + 4] for i in range(0, 16, 4))
    return f"kartu {number}" if RNG.random() < 0.5 else f"card {number}"


def rand(chars: str, n: int) -> str:
    return "".join(RNG.choice(chars) for _ in range(n))


ALNUM = string.ascii_letters + string.digits


def token() -> str:
    return RNG.choice([
        lambda: "AKIA" + rand(string.ascii_uppercase + "234567", 16),
        lambda: "ghp_" + rand(ALNUM, 36),
        lambda: "github_pat_" + rand(ALNUM + "_", 60),
        lambda: "xoxb-" + rand(string.digits, 12) + "-" + rand(ALNUM, 24),
        lambda: "AIza" + rand(ALNUM + "_-", 35),
        lambda: "sk_live_" + rand(ALNUM, 24),
        lambda: "sk-proj-" + rand(ALNUM, 40),
        lambda: "eyJ" + rand(ALNUM, 20) + ".eyJ" + rand(ALNUM, 30) + "." + rand(ALNUM + "_-", 43),
        lambda: "password: " + rand(string.ascii_letters, 6) + rand(string.digits, 3) + "!",
        lambda: "kata sandinya " + rand(string.ascii_lowercase, 5) + rand(string.digits, 4),
        lambda: "-----BEGIN RSA PRIVATE KEY-----\n" + rand(ALNUM, 64) + "\n-----END RSA PRIVATE KEY-----",
    ])()


def email() -> str:
    first = RNG.choice(["budi", "siti", "andi", "dewi", "rina", "agus", "john", "maria", "wayan", "putri"])
    last = RNG.choice(["santoso", "rahma", "wijaya", "lestari", "smith", "hartono", "pratama"])
    return f"{first}{RNG.choice(['.', '_', ''])}{last}{RNG.randint(1, 99)}@{RNG.choice(['gmail.com', 'yahoo.co.id', 'outlook.com'])}"


def address() -> str:
    street = RNG.choice(["Melati", "Kenanga Raya", "Sudirman", "Gatot Subroto", "Mawar 3", "Cempaka Putih Tengah"])
    return RNG.choice([
        f"Jl. {street} No. {RNG.randint(1, 200)}",
        f"Jalan {street} No {RNG.randint(1, 99)}{RNG.choice(['', 'A', 'B'])}",
        f"RT {RNG.randint(1, 15):03d}/RW {RNG.randint(1, 12):03d}",
        f"Gg. {street} No.{RNG.randint(1, 50)}",
        f"Blok {RNG.choice('ABCDE')}{RNG.randint(1, 9)} No. {RNG.randint(1, 40)}",
    ])


def internal() -> str:
    return RNG.choice([
        lambda: f"{RNG.choice(['db', 'jira', 'git', 'vpn'])}{RNG.randint(1, 9)}.{RNG.choice(['internal', 'corp', 'local', 'lan'])}",
        lambda: f"http://intranet.{RNG.choice(['banknusa', 'telko', 'pemkot'])}.co.id/hr",
        lambda: f"10.{RNG.randint(0, 255)}.{RNG.randint(0, 255)}.{RNG.randint(1, 254)}",
        lambda: f"192.168.{RNG.randint(0, 255)}.{RNG.randint(1, 254)}:{RNG.randint(1000, 9999)}",
        lambda: f"172.{RNG.randint(16, 31)}.{RNG.randint(0, 255)}.{RNG.randint(1, 254)}",
        lambda: f"localhost:{RNG.randint(1000, 9999)}",
    ])()


def bank_account() -> str:
    word = RNG.choice(["rek", "rekening", "No. Rek.", "norek", "account number"])
    bank = RNG.choice(["BCA ", "BRI ", "Mandiri ", "BNI ", ""])
    return f"{word} {bank}{''.join(RNG.choice(string.digits) for _ in range(RNG.randint(10, 15)))}"


GENERATORS: dict[str, Callable[[], str]] = {
    "leak.nik": nik, "leak.npwp": npwp, "leak.phone": phone, "leak.card": card, "leak.credential": token,
    "leak.email": email, "leak.address": address, "leak.internal_host": internal, "leak.bank_account": bank_account,
}
HANDWRITTEN = [
    ("leak.nik", "Halo min, NIK aku 3171044708950001 tapi ditolak terus pas daftar"),
    ("leak.phone", "Kak hubungi aja bapaknya di 0857-1234-9876 ya"),
    ("leak.card", "my debit card is 5425 2334 3010 9903, why was I charged twice?"),
    ("leak.credential", "temp creds AKIAZ7QW2XKJ4PLM3N5B for the export job"),
    ("leak.email", "Kirim CV ke rini.handayani92@gmail.com paling lambat Jumat"),
    ("leak.address", "Paket dikirim ke Jl. Kebon Jeruk Raya No. 27, RT 004/RW 002"),
    ("leak.internal_host", "Dashboard lama masih di http://grafana.corp.banknusa.co.id:3000"),
    ("leak.npwp", "NPWP perusahaan 02.345.678.9-041.000 sudah aktif"),
]


# Written by hand in formats the detectors were not built for at first. The first run found 21 of 30; the
# detectors were then extended for the misses, so this set is no longer independent. Misses are printed.
HARD = [
    ("leak.nik", "NIK:3174055203850002"),
    ("leak.nik", "nik 31.74.05.520385.0002"),
    ("leak.nik", "No KTP 3578-0125-1290-0117, tolong diproses"),
    ("leak.nik", "ktp a.n. Siti 3273014109880003 hilang"),
    ("leak.phone", "hub (0812) 3456-7890"),
    ("leak.phone", "WA: +62-812-3456-7890"),
    ("leak.phone", "call me 0812 3456 789"),
    ("leak.phone", "+62 (812) 3456 7890"),
    ("leak.phone", "nomornya 0856.9876.5432 ya"),
    ("leak.email", "email budi[at]gmail.com"),
    ("leak.email", "Budi.Santoso@Gmail.COM"),
    ("leak.email", "<rina_w@yahoo.co.id>"),
    ("leak.card", "4111-1111-1111-1111"),
    ("leak.card", "CC: 5425233430109903 exp 04/27 cvv 123"),
    ("leak.card", "amex 378282246310005"),
    ("leak.credential", "pw: abc123XYZ"),
    ("leak.credential", "pass = Rahasia2024"),
    ("leak.credential", "export GITHUB_TOKEN=ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5"),
    ("leak.credential", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
    ("leak.credential", "postgres://admin:S3cretPw@db.example.com:5432/app"),
    ("leak.credential", "OTP kamu 483920, jangan kasih siapa-siapa"),
    ("leak.address", "Jl Melati No 5 Bekasi"),
    ("leak.address", "Jln. Sudirman Kav. 52-53, Jakarta"),
    ("leak.address", "alamat: Perum Griya Asri Blok B3/12"),
    ("leak.address", "RT.05/RW.02 Kel. Tebet Barat"),
    ("leak.internal_host", "ssh deploy@build01.corp"),
    ("leak.internal_host", "cek di https://wiki.internal/ops"),
    ("leak.internal_host", "server 10.0.0.12 down lagi"),
    ("leak.npwp", "NPWP: 01.234.567.8-901.000"),
    ("leak.bank_account", "tf ke rek. BCA 8720-123-456 an Budi"),
]


def positives(per_kind: int = 200) -> list[tuple[str, str]]:
    cases = [(kind, frame(gen())) for kind, gen in GENERATORS.items() for _ in range(per_kind)]
    return cases + HANDWRITTEN


def _found(kind: str, text: str) -> bool:
    return any(f.kind == kind or f.kind.startswith(kind + ".") or
               (kind == "leak.credential" and f.kind == "leak.private_key") for f in find_leaks(text))


def timeline_posts() -> list[str]:
    return [json.loads(line)["text"] for path in sorted((SHARED / "timelines").glob("*.jsonl"))
            for line in path.open(encoding="utf-8")]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> int:
    if not (SHARED / "timelines").exists():
        print(f"no timelines at {SHARED / 'timelines'}", file=sys.stderr)
        return 2
    posts = timeline_posts()
    fp = Counter(f.kind for text in posts for f in find_leaks(text))
    legal = Counter(f.kind for text in posts for f in find_legal(text))
    print(f"Timelines: {len(posts)} posts; leak findings (false positives): {sum(fp.values())} {dict(fp)}")
    print(f"  (legal findings on the same posts, for information: {dict(legal)})")

    cases = positives()
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for kind, text in cases:
        totals[kind] += 1
        hits[kind] += _found(kind, text)
    print(f"Recall on {len(cases)} own positive examples:")
    for kind in totals:
        print(f"  {kind:<20} {hits[kind] / totals[kind]:.3f}  ({hits[kind]}/{totals[kind]})")
    print(f"  {'all':<20} {sum(hits.values()) / len(cases):.3f}")

    misses = [(kind, text) for kind, text in HARD if not _found(kind, text)]
    print(f"Recall on {len(HARD)} hand-written harder examples: {1 - len(misses) / len(HARD):.3f}; missed:")
    for kind, text in misses:
        print(f"  {kind:<20} {text!r}")

    # The example policy has code names, embargoes and quiet-period words, so the policy layer does work.
    policy = Policy.load(Path(__file__).resolve().parents[1] / "docs" / "screening-policy.example.toml")
    # Wall time includes waiting for a CPU on a shared machine; thread CPU time is what the code costs.
    rules, whole, rules_cpu, whole_cpu = [], [], [], []
    sample = posts[::4]
    screen(sample[0])  # load the tone model outside the timing
    for text in sample:
        t0, c0 = time.perf_counter(), time.thread_time()
        find_leaks(text)
        find_policy_terms(text, policy)
        find_legal(text)
        t1, c1 = time.perf_counter(), time.thread_time()
        screen(text, policy=policy)
        whole.append(time.perf_counter() - t1)
        whole_cpu.append(time.thread_time() - c1)
        rules.append(t1 - t0)
        rules_cpu.append(c1 - c0)
    print(f"Latency per text over {len(sample)} posts (one core; wall time, then CPU time):")
    for label, wall, cpu in (("rules (leaks+policy+legal, example policy)", rules, rules_cpu),
                             ("screen() with tone model (target p95 <= 20 ms)", whole, whole_cpu)):
        print(f"  {label}: wall p50 {statistics.median(wall) * 1e3:.2f} ms, p95 {percentile(wall, 0.95) * 1e3:.2f} ms"
              f"; CPU p50 {statistics.median(cpu) * 1e3:.2f} ms, p95 {percentile(cpu, 0.95) * 1e3:.2f} ms")
    t0 = time.perf_counter()
    screen_batch(sample)
    elapsed = time.perf_counter() - t0
    print(f"  screen_batch(): {len(sample) / elapsed:,.0f} texts/s (wall)")
    print("Verdicts on posts written by official accounts (nearly all should be ok):")
    for name in ("ibm_cdp_customer_care_2018-2020", "twcs_brands_head5000", "jokowi_2015-2017_ghapsara"):
        texts = [json.loads(line)["text"] for line in (SHARED / "timelines" / f"{name}.jsonl").open(encoding="utf-8")]
        verdicts = Counter(r.verdict for r in screen_batch(texts))
        print(f"  {name:<34} " + ", ".join(f"{v} {verdicts[v] / len(texts):.1%}" for v in ("ok", "review", "block")))
    return 1 if fp else 0


if __name__ == "__main__":
    raise SystemExit(main())
