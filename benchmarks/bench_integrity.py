"""Benchmark of the account-integrity engine on ../shared/data/timelines (a script, not a test).

Prints, per protocol, the detection rate at the engine's default ``flagged`` decision and at a pooled
operating point of at most 0.5 % false alerts on genuine posts (scored prequentially, every account):

1. attacker posts (benchmarks/data/attacks.jsonl, written for this benchmark and never used to fit the
   engine) injected one at a time at a random point of each timeline, at a time between two genuine posts;
2. swap-hijack: one account's timeline continued by ten consecutive posts of another real account;
3. second writer: @realDonaldTrump Android vs iPhone before March 2017 (client field hidden) and @jokowi
   signed "-Jkw" vs unsigned (AUC, also with the signature removed from the text);
4. throughput on a 10,000-post timeline, one core, beside a naive baseline timed in the same run.

Usage: ``.venv/bin/python benchmarks/bench_integrity.py [--fast] [--seed N] [--sequential]``; ``--fast``
leaves out the tone model (the streaming fast path); ``--screening-langid`` injects the screening language
detector; ``--sequential`` also studies change tests over the last posts (CUSUM, sums over a window, each
self-calibrated on the account's own past values) layered on the engine's p-values, as tried for
swap-hijack (the engine now has one of them, the run test, so the study now measures a second one on top).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from kawal.engine.profile import DEFAULT_ALPHA, Assessment, Profile, fast_profile, score_from_p
from kawal.engine.profile.audit import group_by_account
from kawal.engine.profile.calibration import TailCalibrator
from kawal.engine.profile.language import cheap_language, default_language_detector
from kawal.engine.profile.tone import default_tone_scorer
from kawal.engine.records import Post
from kawal.sources.archives import load_archive

ROOT = Path(__file__).resolve().parents[1]
TIMELINES = ROOT.parent / "shared" / "data" / "timelines"
ATTACKS = ROOT / "benchmarks" / "data" / "attacks.jsonl"
MIN_POSTS = 100          # accounts shorter than this are only used for false alerts
FALSE_ALERT_BUDGET = 0.005
HIJACK_POSTS = 10
ATTACKER_CLIENTS = ("Twitter Web App", "Twitter for Android", "TweetDeck")


class Engine:
    """Builds profiles with shared (loaded once) models."""

    def __init__(self, fast: bool, screening_langid: bool = False) -> None:
        self.fast = fast
        self.tone = None if fast else default_tone_scorer()
        self.lang = default_language_detector() if screening_langid else cheap_language

    def new(self, account: str) -> Profile:
        return Profile(account, tone_scorer=self.tone, detect_language=self.lang)

    def copy(self, profile: Profile) -> Profile:
        return Profile.from_json(json.loads(json.dumps(profile.to_json())), tone_scorer=self.tone,
                                 detect_language=self.lang)

    def describe(self) -> str:
        tone = "tone model" if self.tone else "no tone model"
        lang = "cheap language detector" if self.lang is cheap_language else "screening language detector"
        return f"{tone}, {lang}"


def load_accounts() -> dict[str, list[Post]]:
    accounts: dict[str, list[Post]] = {}
    for path in sorted(TIMELINES.glob("*.jsonl")):
        posts, report = load_archive(path)
        if report.skipped:
            print(f"  note: {report.summary()}")
        for account, items in group_by_account(posts).items():
            accounts.setdefault(account, []).extend(items)
    for items in accounts.values():   # accounts present in two files (twcs and IBM) are merged in time order
        items.sort(key=lambda post: (post.created_at, post.id))
    return accounts


# Per-post p-values in timeline order (None while the profile is learning), kept for the sequential study.
PValues = list[float | None]


def genuine_scores(engine: Engine, accounts: dict[str, list[Post]]
                   ) -> tuple[dict[str, list[float]], dict[str, int], dict[str, PValues]]:
    scores: dict[str, list[float]] = {}
    flags: dict[str, int] = {}
    sequences: dict[str, PValues] = {}
    for account, posts in accounts.items():
        profile = engine.new(account)
        verdicts = [profile.observe(post) for post in posts]
        live = [a for a in verdicts if not a.learning]
        scores[account] = [strength(a) for a in live]
        flags[account] = sum(a.flagged for a in live)
        sequences[account] = [None if a.learning else a.p_value for a in verdicts]
    return scores, flags, sequences


def strength(verdict: Assessment) -> float:
    """-log10 p: the score before its 0..1 cap, so that the pooled ranking has no ties at 1.0."""
    return -math.log10(max(verdict.p_value, 1e-300)) + (100.0 if verdict.score == 1.0 and verdict.flagged else 0.0)


def operating_threshold(pooled: np.ndarray) -> float:
    """The lowest score threshold with at most 0.5 % of genuine posts at or above it."""
    ordered = np.sort(pooled)[::-1]
    allowed = int(np.floor(FALSE_ALERT_BUDGET * len(ordered)))
    return float(np.nextafter(ordered[allowed], 2.0)) if allowed < len(ordered) else 0.0


def inject_attacks(engine: Engine, accounts: dict[str, list[Post]], attacks: list[dict], rng: random.Random,
                   per_account: int) -> list[tuple[float, bool, str, str, int, float | None]]:
    results = []
    for account, posts in accounts.items():
        if len(posts) < MIN_POSTS:
            continue
        has_client = any(post.client for post in posts)
        points = set(rng.sample(range(60, len(posts)), min(per_account, len(posts) - 60)))
        profile = engine.new(account)
        for index, post in enumerate(posts):
            if index in points:
                attack = rng.choice(attacks)
                fake = attack_post(attack, account, posts[index - 1], post, rng, has_client)
                verdict = profile.score(fake)
                results.append((strength(verdict), verdict.flagged, attack["kind"], account, index,
                                None if verdict.learning else verdict.p_value))
            profile.observe(post)
    return results


def attack_post(attack: dict, account: str, before: Post, after: Post, rng: random.Random,
                has_client: bool) -> Post:
    gap = max((after.created_at - before.created_at).total_seconds(), 60.0)
    when = before.created_at + timedelta(seconds=rng.uniform(30.0, gap))
    client = None
    if has_client:   # half the time the attacker's app is the account's own last client (a stolen phone)
        client = before.client if rng.random() < 0.5 else rng.choice(ATTACKER_CLIENTS)
    text = attack["text"]
    reply_to = "0" if text.startswith("@") else None
    return Post(account=account, id=f"attack-{attack['id']}", created_at=when, text=text, client=client,
                reply_to=reply_to)


def swap_hijack(engine: Engine, accounts: dict[str, list[Post]], rng: random.Random,
                threshold: float, hold_flagged: bool = False,
                episodes_out: list[tuple[str, int, PValues]] | None = None) -> dict[str, float]:
    eligible = [a for a, posts in accounts.items() if len(posts) >= MIN_POSTS]
    flagged = caught = total = episodes = episodes_caught = 0
    for victim in eligible:
        posts = accounts[victim]
        split = rng.randrange(60, len(posts))
        profile = engine.new(victim)
        for post in posts[:split]:
            profile.learn(post)
        for intruder in eligible:
            if intruder == victim:
                continue
            start = rng.randrange(0, len(accounts[intruder]) - HIJACK_POSTS)
            episode = continue_with(accounts[intruder][start:start + HIJACK_POSTS], victim, posts[split - 1])
            copy = engine.copy(profile)
            verdicts = [copy.observe(post, hold_flagged=hold_flagged) for post in episode]
            if episodes_out is not None:
                episodes_out.append((victim, split, [None if v.learning else v.p_value for v in verdicts]))
            flagged += sum(v.flagged for v in verdicts)
            caught += sum(strength(v) >= threshold for v in verdicts)
            total += len(verdicts)
            episodes += 1
            episodes_caught += any(strength(v) >= threshold for v in verdicts)
    return {"posts": total, "flagged": flagged / total, "caught": caught / total,
            "episodes": episodes, "episodes_caught": episodes_caught / episodes}


def continue_with(intruder_posts: list[Post], victim: str, last: Post) -> list[Post]:
    """The intruder's posts moved by whole weeks to just after the victim's last post (hour of week kept)."""
    first = intruder_posts[0].created_at
    weeks = int((last.created_at - first).total_seconds() // (7 * 86400)) + 1
    shift = timedelta(weeks=weeks)
    return [replace(post, account=victim, created_at=post.created_at + shift) for post in intruder_posts]


def second_writer_auc(engine: Engine, posts: list[Post], is_main: Callable[[Post], bool]) -> tuple[float, int, int]:
    """AUC of the other writer's posts against the main writer's, each scored against the main writer's
    history so far (the main writer's posts are learned, the other's only scored)."""
    profile = engine.new("writer")
    main, other = [], []
    for post in posts:
        if is_main(post):
            verdict = profile.observe(post)
            if not verdict.learning:
                main.append(verdict.raw)
        elif not profile.learning:
            other.append(profile.score(post).raw)
    return auc(np.array(other), np.array(main)), len(other), len(main)


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    ranks = np.argsort(np.argsort(np.concatenate([positive, negative]))) + 1
    return float((ranks[: len(positive)].sum() - len(positive) * (len(positive) + 1) / 2)
                 / (len(positive) * len(negative)))


def throughput(engine: Engine, posts: list[Post]) -> dict[str, float]:
    timeline = ten_thousand(posts)
    start = time.process_time()
    profile = fast_profile("speed")
    for post in timeline:
        profile.observe(post)
    fast_rate = len(timeline) / (time.process_time() - start)
    start = time.process_time()
    naive_baseline(timeline)
    naive_rate = len(timeline) / (time.process_time() - start)
    sample = timeline[:1000]
    full = engine.new("speed-full") if not engine.fast else Profile("speed-full")   # model loaded untimed
    start = time.process_time()
    for post in sample:
        full.observe(post)
    full_rate = len(sample) / (time.process_time() - start)
    return {"fast": fast_rate, "naive": naive_rate, "full": full_rate}


def ten_thousand(posts: list[Post]) -> list[Post]:
    """A 10,000-post timeline: the account's posts repeated, each lap moved after the previous one."""
    span = posts[-1].created_at - posts[0].created_at + timedelta(days=1)
    out = []
    lap = 0
    while len(out) < 10_000:
        out.extend(replace(p, id=f"{p.id}-{lap}", created_at=p.created_at + lap * span) for p in posts)
        lap += 1
    return out[:10_000]


def naive_baseline(timeline: list[Post]) -> int:
    """The cheapest sensible detector: a client or hour-of-week never seen before (two dict lookups)."""
    clients: dict[str | None, int] = {}
    hours: dict[int, int] = {}
    alerts = 0
    for post in timeline:
        hour = post.created_at.weekday() * 24 + post.created_at.hour
        alerts += (post.client not in clients) + (hour not in hours)
        clients[post.client] = clients.get(post.client, 0) + 1
        hours[hour] = hours.get(hour, 0) + 1
    return alerts


class SequentialTest:
    """A change test over the last posts, studied offline on the per-post p-values (not in the engine).

    The statistic is a CUSUM ``S = max(0, S + e - k)`` or the sum of the last ``w`` evidences, with
    ``e = -ln p`` of each post (about Exp(1) on genuine posts); it gets its own p-value against its own past
    values on the account (self-calibrated like the per-post score), and a post's p-value becomes
    ``min(1, 2 min(p_post, p_run))`` (Bonferroni over the two tests).
    """

    def __init__(self, kind: str, size: float) -> None:
        self.kind, self.size = kind, size
        self.state = 0.0
        self.recent: list[float] = []
        self.calibrator = TailCalibrator(window=1000, min_scores=30)

    def statistic(self, p_value: float) -> float:
        evidence = min(-math.log(max(p_value, 1e-300)), 12.0)
        if self.kind in ("cusum", "gated"):
            return max(0.0, self.state + evidence - self.size)
        return sum(self.recent[-(int(self.size) - 1):]) + evidence if self.size > 1 else evidence

    def p_value(self, p_value: float | None) -> float | None:
        if p_value is None:
            return None
        if self.kind == "gated" and self.state == 0.0:
            return p_value   # gated: the run test only speaks after an odd post, so a lone post pays no Bonferroni
        run = self.calibrator.p_value(self.statistic(p_value)) if self.calibrator.ready else 1.0
        return min(1.0, 2 * min(p_value, run))

    def learn(self, p_value: float | None) -> None:
        if p_value is None:
            return
        value = self.statistic(p_value)
        self.calibrator.add(value)
        self.state = value
        self.recent = (self.recent + [min(-math.log(max(p_value, 1e-300)), 12.0)])[-int(self.size):]


def sequential_study(sequences: dict[str, PValues], injected: list, episodes: list[tuple[str, int, PValues]]) -> None:
    """Genuine false alerts, attacker and swap-hijack detection with each sequential test layered on top."""
    def after(kind: str, size: float, prefix: PValues) -> SequentialTest:
        test = SequentialTest(kind, size)
        for p_value in prefix:
            test.learn(p_value)
        return test

    for kind, size in (("cusum", 1.0), ("cusum", 2.0), ("cusum", 3.0), ("window", 3), ("window", 5),
                       ("gated", 2.0), ("gated", 3.0), ("gated", 4.0)):
        genuine: list[float] = []
        for sequence in sequences.values():
            test = SequentialTest(kind, size)
            for p_value in sequence:
                combined = test.p_value(p_value)
                if combined is not None:
                    genuine.append(combined)
                test.learn(p_value)
        pooled = -np.log10(np.maximum(np.array(genuine), 1e-300))
        threshold = operating_threshold(pooled)
        attacks = [after(kind, size, sequences[account][:index]).p_value(p_value)
                   for _, _, _, account, index, p_value in injected]
        caught = [p is not None and -math.log10(max(p, 1e-300)) >= threshold for p in attacks]
        swap: list[bool] = []
        hit = 0
        for victim, split, values in episodes:
            test = after(kind, size, sequences[victim][:split])
            marks = []
            for p_value in values:
                combined = test.p_value(p_value)
                marks.append(combined is not None and -math.log10(max(combined, 1e-300)) >= threshold)
                test.learn(p_value)
            swap.extend(marks)
            hit += any(marks)
        print(f"   {kind} {size:g}: genuine flagged {np.mean(np.array(genuine) <= DEFAULT_ALPHA):.2%}; at <= 0.5 % "
              f"false alerts: attacker {np.mean(caught):.1%}, swap-hijack {np.mean(swap):.1%} "
              f"({hit / len(episodes):.0%} of episodes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fast", action="store_true", help="no tone or language model")
    parser.add_argument("--screening-langid", action="store_true",
                        help="inject the screening engine's language detector (not the profile's default)")
    parser.add_argument("--sequential", action="store_true",
                        help="also study sequential change tests layered on the per-post p-values")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--attacks-per-account", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    engine = Engine(args.fast, args.screening_langid)
    accounts = load_accounts()
    attacks = [json.loads(line) for line in ATTACKS.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"Kawal integrity benchmark: {sum(map(len, accounts.values())):,} genuine posts, {len(accounts)} "
          f"accounts, {len(attacks)} attacker posts; engine: {engine.describe()}")

    started = time.perf_counter()
    scores, flags, sequences = genuine_scores(engine, accounts)
    pooled = np.concatenate([np.array(s) for s in scores.values() if s])
    threshold = operating_threshold(pooled)
    worst = max(((flags[a] / len(s), a, len(s)) for a, s in scores.items() if len(s) >= 50), default=(0, "", 0))
    print("\n1. Genuine posts (prequential, after warm-up)")
    print(f"   scored {len(pooled):,}; flagged at the default threshold: {sum(flags.values())} "
          f"= {sum(flags.values()) / len(pooled):.2%} (budget 0.50 %)")
    print(f"   worst account with >= 50 scored posts: @{worst[1]} {worst[0]:.2%} of {worst[2]}")
    print(f"   pooled operating point at <= 0.5 % false alerts: p <= {10 ** -threshold:.2g} "
          f"(score >= {score_from_p(10 ** -threshold):.3f})")

    injected = inject_attacks(engine, accounts, attacks, rng, args.attacks_per_account)
    by_kind: dict[str, list[bool]] = {}
    for score, _, kind, *_ in injected:
        by_kind.setdefault(kind, []).append(score >= threshold)
    print(f"\n2. Attacker posts injected: {len(injected)}")
    print(f"   caught at the operating point: {np.mean([item[0] >= threshold for item in injected]):.1%} "
          f"(target 95 %); flagged by default: {np.mean([item[1] for item in injected]):.1%}")
    print("   by kind: " + ", ".join(f"{k} {np.mean(v):.0%}" for k, v in sorted(by_kind.items())))

    episodes: list[tuple[str, int, PValues]] = []
    swap = swap_hijack(engine, accounts, random.Random(args.seed + 1), threshold, episodes_out=episodes)
    print(f"\n3. Swap-hijack: {swap['posts']} intruder posts in {swap['episodes']} episodes of {HIJACK_POSTS}")
    print(f"   caught at the operating point: {swap['caught']:.1%} (target 80 %); flagged by default: "
          f"{swap['flagged']:.1%}; episodes with at least one alert: {swap['episodes_caught']:.1%}")
    held = swap_hijack(engine, accounts, random.Random(args.seed + 1), threshold, hold_flagged=True)
    print(f"   with flagged posts held out of the history (observe(hold_flagged=True)): caught "
          f"{held['caught']:.1%}, flagged by default {held['flagged']:.1%}")

    if args.sequential:
        print("   sequential change tests on top of the per-post p-values (offline study, not in the engine):")
        sequential_study(sequences, injected, episodes)

    print("\n4. Second writer (AUC; target 0.85)")
    cutoff = datetime.fromisoformat("2017-03-01T00:00:00+00:00")
    trump = [replace(p, client=None) for p in accounts.get("realDonaldTrump", [])
             if p.created_at < cutoff and p.client in ("Twitter for Android", "Twitter for iPhone")]
    android = {p.id for p in accounts.get("realDonaldTrump", []) if p.client == "Twitter for Android"}
    value, n_other, n_main = second_writer_auc(engine, trump, lambda p: p.id in android)
    print(f"   @realDonaldTrump, history = Android, other = iPhone (client hidden): AUC {value:.3f} "
          f"({n_other} iPhone vs {n_main} Android)")
    jokowi = accounts.get("jokowi", [])
    value, n_other, n_main = second_writer_auc(engine, jokowi, lambda p: bool(p.extras.get("jkw_signed")))
    print(f"   @jokowi, history = signed '-Jkw' (the president), other = unsigned (staff): AUC {value:.3f} "
          f"({n_other} vs {n_main})")
    unsigned = [replace(p, text=re.sub(r"\s*[-–—]\s*Jkw\s*$", "", p.text)) for p in jokowi]
    value, n_other, n_main = second_writer_auc(engine, unsigned, lambda p: bool(p.extras.get("jkw_signed")))
    print(f"   @jokowi with the '-Jkw' signature removed from the text: AUC {value:.3f}")

    speed = throughput(engine, accounts.get("realDonaldTrump") or max(accounts.values(), key=len))
    print("\n5. Throughput on a 10,000-post timeline (one core, CPU time)")
    print(f"   all signals, fast path (no tone model): {speed['fast']:,.0f} posts/s (target 10,000)")
    print(f"   naive baseline (client + hour-of-week novelty, two dict lookups): {speed['naive']:,.0f} posts/s")
    print(f"   default profile with the tone model (first 1,000 posts): {speed['full']:,.0f} posts/s")
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
