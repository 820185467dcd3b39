"""Claim: Kawal's surge detector scores at least 75 on NAB (standard profile, one configuration for all
files) and scores the whole corpus at least 5x faster than the fastest peer of equal or better score.

Runs Kawal and three peers (NAB's windowed Gaussian, river's HalfSpaceTrees, PyOD's IsolationForest) on
``../shared/data/nab`` (NAB without realTweets), scores each with ``../shared/bench/nab_score.py`` and
prints one table. Seconds are the scoring time for the whole corpus (reading the CSVs excluded, same for
all). ``--only kawal`` skips the peers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for peers/ when run as a script

from peers import half_space_trees, pyod_iforest, windowed_gaussian  # noqa: E402

from kawal.engine.surge.detector import SurgeDetector  # noqa: E402
from kawal.engine.surge.nab import Series, find_csvs, read_series, write_results  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NAB = SHARED / "data" / "nab"
SCORER = SHARED / "bench" / "nab_score.py"
PROFILES = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")
TARGET_SCORE = 75.0
TARGET_SPEEDUP = 5.0


def kawal_scores(seconds: list[float], values: list[float]) -> np.ndarray:
    return SurgeDetector().score_many(seconds, values)


DETECTORS: dict[str, Callable[[list[float], list[float]], np.ndarray]] = {
    "kawal": kawal_scores,
    "windowedGaussian": windowed_gaussian.score,
    "halfSpaceTrees": half_space_trees.score,
    "pyodIForest": pyod_iforest.score,
}


def run_detector(name: str, corpus: list[Series], out: Path) -> float:
    """Score every series, write the results, return the scoring seconds."""
    fn = DETECTORS[name]
    elapsed = 0.0
    for series in corpus:
        started = time.perf_counter()
        scores = np.clip(np.nan_to_num(np.asarray(fn(series.seconds, series.values), dtype=float)), 0, 1)
        elapsed += time.perf_counter() - started
        write_results(series, scores.tolist(), out, name)
    return elapsed


def nab_scores(name: str, out: Path) -> dict[str, dict]:
    summary = out / f"{name}.json"
    subprocess.run([sys.executable, str(SCORER), "--data", str(NAB / "data"),
                    "--windows", str(NAB / "labels" / "combined_windows.json"),
                    "--results", str(out), "--detector", name, "--json", str(summary)],
                   check=True, capture_output=True, text=True)
    data = json.loads(summary.read_text())
    return {p: data[p] for p in PROFILES} if all(p in data for p in PROFILES) else data["profiles"]


def category_scores(scores: dict[str, dict]) -> dict[str, tuple[float, int, int]]:
    """Standard-profile score of each category at the corpus threshold: (score, detected, windows).

    Normalised like the corpus score: the null detector (no detections) misses every scorable window
    and the perfect one earns 1 per labelled window.
    """
    labels = json.loads((NAB / "labels" / "combined_windows.json").read_text())
    raw: dict[str, list[float]] = {}
    for key, f in scores["standard"]["files"].items():
        acc = raw.setdefault(key.split("/")[0], [0.0, 0, 0, 0])
        acc[0] += f["raw"]
        acc[1] += f["windows_scored"]
        acc[2] += f["windows_detected"]
        acc[3] += len(labels[key])
    return {cat: (100.0 * (r + scored) / (labelled + scored), int(hit), int(scored))
            for cat, (r, scored, hit, labelled) in sorted(raw.items()) if labelled + scored}


def print_categories(name: str, scores: dict[str, dict]) -> None:
    cats = category_scores(scores)
    print(f"{name} by category (standard, corpus threshold): " + ", ".join(
        f"{cat} {score:.1f} ({hit}/{n})" for cat, (score, hit, n) in cats.items()))


def print_table(rows: list[tuple[str, dict[str, dict], float]]) -> None:
    print(f"{'detector':18s} {'standard':>9s} {'low_FP':>9s} {'low_FN':>9s} {'windows':>8s} {'seconds':>9s}")
    for name, scores, seconds in rows:
        std = scores["standard"]
        print(f"{name:18s} {std['score']:9.2f} {scores['reward_low_FP_rate']['score']:9.2f} "
              f"{scores['reward_low_FN_rate']['score']:9.2f} "
              f"{std['windows_detected']:>3d}/{std['windows_scored']:<4d} {seconds:9.2f}")


def verdict(rows: list[tuple[str, dict[str, dict], float]]) -> None:
    kawal = next(r for r in rows if r[0] == "kawal")
    score, seconds = kawal[1]["standard"]["score"], kawal[2]
    print(f"\nNAB standard >= {TARGET_SCORE}: {'met' if score >= TARGET_SCORE else 'NOT met'} ({score:.2f})")
    rivals = [r for r in rows if r[0] != "kawal" and r[1]["standard"]["score"] >= score]
    if not rivals:
        print("speed: no peer scores as well as Kawal, so the 5x target has no peer to compare with;")
        others = [r for r in rows if r[0] != "kawal"]
        for name, _, secs in sorted(others, key=lambda r: r[2]):
            print(f"  {name}: {secs:.2f} s ({secs / seconds:.1f}x Kawal's {seconds:.2f} s)")
        return
    fastest = min(rivals, key=lambda r: r[2])
    ratio = fastest[2] / seconds if seconds else float("inf")
    print(f"speed: {fastest[0]} {fastest[2]:.2f} s vs kawal {seconds:.2f} s: {ratio:.1f}x "
          f"({'met' if ratio >= TARGET_SPEEDUP else 'NOT met'}: target {TARGET_SPEEDUP:.0f}x)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=list(DETECTORS), action="append", help="run only these detectors")
    args = ap.parse_args()
    corpus = [read_series(path, category) for path, category in find_csvs(NAB / "data")]
    print(f"NAB corpus: {len(corpus)} files, {sum(len(s.values) for s in corpus)} rows (realTweets left out)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or list(DETECTORS):
            out = Path(tmp)
            seconds = run_detector(name, corpus, out)
            rows.append((name, nab_scores(name, out), seconds))
    print_table(rows)
    if any(r[0] == "kawal" for r in rows):
        print_categories("kawal", next(r[1] for r in rows if r[0] == "kawal"))
        verdict(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
