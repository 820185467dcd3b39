"""The streaming surge detector: ``update(t, value) -> score`` in 0..1, O(1) time and memory per point.

How a score is made, each step using only points already seen:

1. **Predictors.** Three simple forecasts of the next value: the recent level (an exponentially weighted
   mean), the usual value for this slot of the day, and the usual value for this slot of the week (the
   slot width follows the sampling interval, inferred from the first points). Each keeps its own typical
   absolute error; for a series that never goes negative (volumes, counts) errors are first divided by
   the square root of the predicted level relative to the long mean, since the spread of counts grows
   like the square root of their level (a miss of 10 is ordinary at the busy hour, a surge at a quiet one).
2. **Features.** The point surprise (the error of the predictor that explains the value best, so a
   normal Monday-morning rise is not a surprise), the seasonal surprise, a level shift (short mean
   against long mean) and a change of variability (short against long variance of the increments).
3. **Anomaly likelihood.** As in NAB's HTM detector, each feature's short average (10 points) is compared
   with the feature's own long-run distribution; the smaller of the smallest tail probability and
   Fisher's combination of all the tails, ``p``, gives ``-ln(2p) / -ln(2e-10)``, clipped to 0..1, so
   scores are comparable across series of any scale.
4. **New extremes.** A value (or short mean) beyond the highest or lowest seen so far scores by how far
   beyond, as a share of that range; the extremes relax slowly towards the level so they re-arm.
5. **Context memory.** A second opinion whose errors are not forecast residuals (``context.py``, in the
   spirit of CAD-OSE): the share of new (context, level) transitions among each value's last 1-3 coarse
   levels, averaged over the same 10 points as the features; the score is the largest of the three.
6. **Cooldown in score space.** After the score reaches ``fire``, the next ``suppress`` scores are 0,
   so one event raises one alarm rather than a burst (``last_raw`` keeps the undamped score).

Robustness: running statistics start as plain means (no start-up transient) and then forget with a long
window; seasonal profiles are updated with winsorised values, so a surge or a holiday barely moves
the habits; a level shift that persists re-baselines the long-run level and the profiles. Gaps need
nothing special (slots come from the timestamps) and a NaN value is skipped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any

import numpy as np

from kawal.engine.surge.context import ContextMemory

DAY = 86400.0
_EPOCH_WEEKDAY = 3          # 1970-01-01 was a Thursday (Monday = 0)
_SQRT2 = math.sqrt(2.0)
FEATURES = ("point", "season", "shift", "spread")
STATE_VERSION = 2             # 2: the context memory; a version-1 state loads with a fresh one
MIN_ERRORS = 30              # errors a predictor needs before its surprise counts
MIN_FEATURE = 50             # values a feature needs before its likelihood counts
MIN_WARMUP = 100             # fewest points before scoring when a day of points is fewer than ``warmup``
LEVEL_FLOOR = 0.1            # share of the long mean below which a prediction no longer shrinks the error scale


@dataclass(frozen=True)
class SurgeConfig:
    """One configuration for every series; the defaults are the benchmarked ones."""

    warmup: int = 300              # most points before any non-zero score (one day of points if fewer)
    probe: int = 8                 # points used to infer the sampling interval
    level_rate: float = 0.5        # weight of the newest point in the level predictor
    short: int = 10                # points in the short window (level shift, variability)
    long: int = 16000              # points in the long memory of every running statistic
    season_rate: float = 0.25      # weight of the newest observation of a seasonal slot
    max_day_slots: int = 288       # finest slot of the day (5 minutes)
    likelihood_short: int = 10     # points averaged before the likelihood test (as NAB's)
    tail_floor: float = 1e-10      # tail probability that maps to score 1
    fire: float = 0.4              # score at which the detector fires and cools down
    suppress: int = 100            # points of cooldown after firing
    rebase_after: int = 60         # points a level shift must persist before re-baselining
    rebase_z: float = 4.0          # level-shift size (in long standard deviations) that counts
    drift_after: int = 576         # points the habits must miss one way before they all move
    drift_z: float = 2.0           # how far (in typical errors) the short mean of those misses must be
    direction: str = "both"        # "both", or "up" to score only rises (volume surges)
    utc_offset_minutes: int = 0    # local time of the habits (hour of day, day of week)
    record_gain: float = 2.0       # score per share of the range a new extreme goes beyond the old
    season_clip: float = 3.0       # a slot learns at most this many typical errors from one point
    record_relax: float = 0.0002   # per point, extremes relax this share of the way to the level
    context_gain: float = 1.0      # weight of the context novelty score (0 turns it off)
    context_levels: int = 8        # coarse levels of the context memory (CAD-OSE's 3 bits)
    context_orders: int = 3        # longest context, in points before the value
    context_pad: float = 1.0       # head-room of the levels beyond the warm-up range, in that range

    def __post_init__(self) -> None:
        if self.direction not in ("both", "up"):
            raise ValueError(f"direction must be 'both' or 'up', not {self.direction!r}")
        for name in ("probe", "short", "long", "likelihood_short", "rebase_after", "drift_after",
                     "context_levels", "context_orders"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        for name in ("warmup", "suppress"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, not {getattr(self, name)}")
        if not 0.0 < self.tail_floor < 1.0:
            raise ValueError(f"tail_floor must be between 0 and 1, not {self.tail_floor}")


def to_seconds(t: datetime | float | int | np.datetime64) -> float:
    """A timestamp as UTC epoch seconds; a naive datetime is taken to be UTC."""
    if isinstance(t, datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=UTC)
        return t.timestamp()
    if isinstance(t, np.datetime64):
        return float(t.astype("datetime64[us]").astype(np.int64)) / 1e6
    return float(t)


def _log_ratio(x: float, predicted: float) -> float:
    """log((1 + x) / (1 + predicted)) for non-negative volumes."""
    return math.log1p(max(x, 0.0)) - math.log1p(max(predicted, 0.0))


def upper_tail(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / _SQRT2)


def fisher_tail(tails: Sequence[float]) -> float:
    """Fisher's combination of one-sided tail probabilities, on the same one-sided scale.

    Each tail ``p`` becomes the two-sided ``min(2p, 1)``; under independence ``-2 * sum(ln)`` of those is
    chi-squared with ``2m`` degrees of freedom, whose upper tail has the closed form
    ``exp(-h) * sum(h**j / j!, j < m)`` with ``h = -sum(ln)``. Halved back so that it reads like one
    ``upper_tail``. The features are correlated, so this overstates joint evidence somewhat; the
    ``fire`` level absorbs that.
    """
    h = -sum(math.log(max(min(2.0 * p, 1.0), 1e-300)) for p in tails)
    term = total = 1.0
    for j in range(1, len(tails)):
        term *= h / j
        total += term
    return 0.5 * math.exp(-h) * total


class SurgeDetector:
    """Scores each new point of one volume series; see the module docstring for the method.

    >>> det = SurgeDetector()
    >>> scores = [det.update(i * 300.0, 10.0 + (i % 7)) for i in range(400)]
    >>> det.update(400 * 300.0, 500.0) > 0.9
    True
    """

    def __init__(self, config: SurgeConfig | None = None) -> None:
        self.config = config or SurgeConfig()
        c = self.config
        self._a_short = 2.0 / (c.short + 1)
        self._a_long = 2.0 / (c.long + 1)
        self._a_lik = 2.0 / (c.likelihood_short + 1)
        self._log_floor = -math.log(2.0 * c.tail_floor)
        self.n = 0                        # points seen (NaN excluded)
        self.last_t: float | None = None
        self.out_of_order = 0             # points whose timestamp was earlier than one already seen
        self.first_times: list[float] = []
        self.interval: float | None = None
        self.day_slots = 0
        self.level = self.prev = self.short_mean = self.long_mean = 0.0
        self.long_var = self.short_spread = self.long_spread = 0.0
        self.err_scale = [0.0, 0.0, 0.0]  # level, day, week predictors
        self.err_count = [0, 0, 0]
        self.day: list[float] = []
        self.day_count: list[int] = []
        self.week: list[float] = []
        self.week_count: list[int] = []
        self.feat_mean = [0.0] * len(FEATURES)
        self.feat_var = [0.0] * len(FEATURES)
        self.feat_short = [0.0] * len(FEATURES)
        self.feat_count = [0] * len(FEATURES)
        self.hold = 0
        self.hi = self.lo = 0.0           # extremes seen so far (relaxing slowly)
        self.shift_run = 0
        self.season_drift = 0.0           # short mean of the habits' signed error
        self.drift_run = 0
        self.drift_scale = 0.0            # typical size of one miss of the habits
        self.drift_n = 0
        self.last_score = 0.0
        self.last_raw = 0.0               # the last score before the cooldown (what alert rules use)
        self.context = self._new_context()
        self.last_context = 0.0           # the context memory's score for the last point

    # -- the streaming contract -------------------------------------------------------------------

    def update(self, t: datetime | float | int | np.datetime64, value: float) -> float:
        """Take the next point and return its score in 0..1, computed before learning from it."""
        ts = to_seconds(t)
        if self.last_t is not None and ts < self.last_t:
            self.out_of_order += 1  # real feeds (and NAB) have late points: score them at their own time
        else:
            self.last_t = ts
        x = float(value)
        if math.isnan(x) or math.isinf(x):
            self.last_raw = self.last_score = 0.0
            return 0.0  # a missing point carries no evidence; habits stay as they were
        if self.interval is None:
            self._probe_interval(ts)
        self.n += 1
        self.last_context = self._context_score(x)
        if self.n == 1:
            self._start(x)
            return 0.0
        return self._step(ts + self.config.utc_offset_minutes * 60.0, x)

    def score_many(self, times: Iterable[Any], values: Iterable[float]) -> np.ndarray:
        """Batch helper: the same recurrence as calling ``update`` point by point."""
        update = self.update
        return np.fromiter((update(t, v) for t, v in zip(times, values, strict=True)), dtype=float)

    def expected(self, t: datetime | float | int | np.datetime64) -> float | None:
        """The usual value at ``t``: its weekly slot, else its daily slot, else the recent level."""
        if self.n == 0:
            return None
        local = to_seconds(t) + self.config.utc_offset_minutes * 60.0
        if self.day_slots:
            d, w = self._slots(local)
            if self.week_count[w] >= 2:
                return self.week[w]
            if self.day_count[d] >= 1:
                return self.day[d]
        return self.long_mean if self.n > self.config.short else self.level

    # -- internals ----------------------------------------------------------------------------------

    def _probe_interval(self, ts: float) -> None:
        self.first_times.append(ts)
        if len(self.first_times) < self.config.probe:
            return
        steps = sorted(b - a for a, b in zip(self.first_times, self.first_times[1:], strict=False))
        self.interval = max(steps[len(steps) // 2], 1.0)
        self.first_times = []
        if self.interval < DAY:
            self.day_slots = max(1, min(self.config.max_day_slots, int(round(DAY / self.interval))))
            self.day = [0.0] * self.day_slots
            self.day_count = [0] * self.day_slots
            self.week = [0.0] * (7 * self.day_slots)
            self.week_count = [0] * (7 * self.day_slots)

    def _start(self, x: float) -> None:
        self.level = self.prev = self.short_mean = self.long_mean = self.hi = self.lo = x

    def _slots(self, local: float) -> tuple[int, int]:
        d = int((local % DAY) * self.day_slots / DAY)
        w = ((int(local // DAY) + _EPOCH_WEEKDAY) % 7) * self.day_slots + d
        return d, w

    def warmup_points(self) -> int:
        """Points that score 0: ``warmup``, or one day of points when that is shorter (but at least
        ``MIN_WARMUP``), since after a day every slot of the day habit has been seen once. Hourly data
        then scores after 100 points (4 days) rather than 300 (12 days)."""
        warmup = self.config.warmup
        if self.interval is None:
            return warmup
        return min(warmup, max(MIN_WARMUP, int(DAY / self.interval)))

    def _new_context(self) -> ContextMemory:
        c = self.config
        return ContextMemory(levels=c.context_levels, orders=c.context_orders, pad=c.context_pad,
                             warmup=c.warmup, short=c.likelihood_short)  # averaged like the features

    def _context_score(self, x: float) -> float:
        """The context memory's novelty as a score; with ``direction="up"`` only above the long mean."""
        novelty = self.context.update(x)
        if self.config.direction == "up" and x <= self.long_mean:
            return 0.0
        return min(1.0, max(0.0, self.config.context_gain * novelty))

    def _signed(self, e: float) -> float:
        return max(e, 0.0) if self.config.direction == "up" else abs(e)

    def _step(self, local: float, x: float) -> float:
        c = self.config
        eps = 1e-9 + 1e-6 * abs(self.long_mean)
        errors: list[float | None] = [x - self.level, None, None]
        d = w = -1
        if self.day_slots:
            d, w = self._slots(local)
            if self.day_count[d]:
                errors[1] = x - self.day[d]
            if self.week_count[w]:
                errors[2] = x - self.week[w]
        scaled = self._level_scaled(x, errors)
        # a predictor speaks only once its error scale rests on enough errors (one lucky hit is no scale)
        zs = [self._signed(e) / (self.err_scale[k] + eps) for k, e in enumerate(scaled)
              if e is not None and self.err_count[k] >= MIN_ERRORS]
        z_point = min(zs) if zs else 0.0
        z_season = min(zs[1:]) if len(zs) > 1 else None
        short_mean = self.short_mean + self._a_short * (x - self.short_mean)
        z_shift = self._signed(short_mean - self.long_mean) / (math.sqrt(self.long_var) + eps)
        inc = x - self.prev
        short_spread = self.short_spread + self._a_short * (inc * inc - self.short_spread)
        z_spread = math.log((short_spread + eps * eps) / (self.long_spread + eps * eps))
        p = self._likelihoods((z_point, z_season, z_shift, z_spread))
        # p >= 0.5 is no evidence at all, so a quiet or constant series scores exactly 0
        score = 0.0 if self.n <= self.warmup_points() else min(1.0, max(0.0, -math.log(max(2.0 * p, 1e-300)) / self._log_floor))
        if c.record_gain > 0:
            score = max(score, self._record(x, short_mean))
        score = max(score, self.last_context)
        self._learn(x, errors, scaled, d, w, short_mean, short_spread, inc, z_shift)
        return self._cool_down(score)

    def _record(self, x: float, short_mean: float) -> float:
        """How far the value (or the short mean) goes beyond the extremes seen so far, as a share of
        their range; the extremes relax slowly towards the long level so that they re-arm."""
        c = self.config
        hi, lo = self.hi, self.lo
        span = hi - lo
        out = 0.0
        if self.n > self.warmup_points() and span > 0:
            up = max(x, short_mean) - hi
            down = lo - min(x, short_mean)
            excess = up if c.direction == "up" else max(up, down)
            out = min(1.0, max(0.0, excess / span * c.record_gain))
        relax = c.record_relax
        self.hi = max(x, hi - relax * (hi - self.long_mean))
        self.lo = min(x, lo + relax * (self.long_mean - lo))
        return out

    def _likelihoods(self, feats: Sequence[float | None]) -> float:
        """Tail probability of the features' short means; learns their distribution.

        The evidence is the smaller of the smallest single tail and Fisher's combination of all of
        them (``fisher_tail``), so one feature far out or several moderately out both count. A feature
        that is not available yet (None) is skipped, and one that has just become available only learns
        until its distribution rests on ``MIN_FEATURE`` values.
        """
        if self.n <= self.config.warmup // 3:
            return 1.0  # the first points only settle the error scales
        # local names: this loop runs for every feature of every point
        means, varis, shorts, counts = self.feat_mean, self.feat_var, self.feat_short, self.feat_count
        a_lik, a_long = self._a_lik, self._a_long
        p = 1.0
        tails: list[float] = []
        for k, z in enumerate(feats):
            if z is None:
                continue
            count = counts[k]
            if count == 0:
                means[k] = shorts[k] = z
            short = shorts[k] = shorts[k] + a_lik * (z - shorts[k])
            mean, var = means[k], varis[k]
            if count >= MIN_FEATURE:
                tail = upper_tail((short - mean) / (math.sqrt(var) + 1e-6))
                tails.append(tail)
                p = min(p, tail)
            count = counts[k] = count + 1
            a = max(a_long, 1.0 / count)
            dev = z - mean
            means[k] = mean + a * dev
            varis[k] = (1.0 - a) * (var + a * dev * dev)
        return min(p, fisher_tail(tails)) if len(tails) > 1 else p

    def _level_scaled(self, x: float, errors: list[float | None]) -> list[float | None]:
        """Errors in units that do not grow with the predicted level, for non-negative series.

        Volumes are counts: their spread grows like the square root of their level (Poisson), so a
        miss of 10 is ordinary at the busy hour and a surge at a quiet one. Each error is divided by
        ``sqrt(predicted / long mean)``, the prediction floored at ``LEVEL_FLOOR`` of the long mean so
        that a predicted zero does not make every miss infinite. Series that go negative keep
        their errors as they are.
        """
        if self.lo < 0 or self.long_mean <= 0:
            return errors
        return [None if e is None else e / self._level_factor(x - e) for e in errors]

    def _level_factor(self, predicted: float) -> float:
        """How much larger than at the long mean a miss is expected to be at this predicted level."""
        ref = self.long_mean
        if self.lo < 0 or ref <= 0:
            return 1.0
        return math.sqrt(max(predicted, LEVEL_FLOOR * ref) / ref)

    def _learn(self, x: float, errors: list[float | None], scaled: list[float | None], d: int, w: int,
               short_mean: float,
               short_spread: float, inc: float, z_shift: float) -> None:
        a = max(self._a_long, 1.0 / self.n)
        for k, e in enumerate(scaled):
            if e is not None:
                self.err_count[k] += 1
                self.err_scale[k] += max(self._a_long, 1.0 / self.err_count[k]) * (abs(e) - self.err_scale[k])
        self.level += self.config.level_rate * (x - self.level)
        self.short_mean, self.short_spread = short_mean, short_spread
        self.long_spread += a * (inc * inc - self.long_spread)
        self.prev = x
        dev = x - self.long_mean
        self.long_mean += a * dev
        self.long_var = (1.0 - a) * (self.long_var + a * dev * dev)
        if d >= 0:
            self._follow_season_drift(x, errors)
            self._learn_season(x, d, w)
        self._rebase_if_shifted(z_shift)

    def _learn_season(self, x: float, d: int, w: int) -> None:
        # winsorise: one surge or one holiday must not rewrite the habit of its slot
        rate, clip = self.config.season_rate, self.config.season_clip * self.err_scale[0]
        for table, counts, i in ((self.day, self.day_count, d), (self.week, self.week_count, w)):
            if counts[i] == 0:
                table[i] = x
            else:
                limit = clip * self._level_factor(table[i]) + 1e-12  # the clip is in scaled units
                table[i] += rate * max(-limit, min(limit, x - table[i]))
            counts[i] += 1

    def _follow_season_drift(self, x: float, errors: list[float | None]) -> None:
        """When the habits miss the same way for long, the series has moved: rescale them all.

        Without this a weekly slot, seen once a week, would need weeks to learn a new level. Misses
        are measured as log ratios (volumes grow by factors, and a quiet night grows with the busy
        evening) while the series stays non-negative, else as differences.
        """
        k = 2 if errors[2] is not None and self.err_count[2] >= MIN_ERRORS else 1
        e = errors[k]
        if e is None or self.err_count[k] < MIN_ERRORS:
            return
        miss = _log_ratio(x, x - e) if self.lo >= 0 else e
        self.drift_scale += self._a_long * (abs(miss) - self.drift_scale) if self.drift_n > MIN_ERRORS \
            else (abs(miss) - self.drift_scale) / (self.drift_n + 1)
        self.drift_n += 1
        self.season_drift += self._a_short * (miss - self.season_drift)
        z = abs(self.season_drift) / (self.drift_scale + 1e-12)
        self.drift_run = self.drift_run + 1 if z > self.config.drift_z else 0
        if self.drift_run >= self.config.drift_after:
            self._shift_habits(self.season_drift, relative=self.lo >= 0)
            self.season_drift, self.drift_run = 0.0, 0

    def _shift_habits(self, delta: float, relative: bool) -> None:
        if relative:
            factor = math.exp(delta)
            self.day = [(1.0 + v) * factor - 1.0 for v in self.day]
            self.week = [(1.0 + v) * factor - 1.0 for v in self.week]
        else:
            self.day = [v + delta for v in self.day]
            self.week = [v + delta for v in self.week]

    def _rebase_if_shifted(self, z_shift: float) -> None:
        """A level shift that lasts becomes the new normal: move the long level and the habits."""
        c = self.config
        self.shift_run = self.shift_run + 1 if z_shift > c.rebase_z else 0
        if self.shift_run < c.rebase_after:
            return
        delta = self.short_mean - self.long_mean
        self.long_mean = self.short_mean
        if self.day_slots:
            self.day = [v + delta for v in self.day]
            self.week = [v + delta for v in self.week]
        self.shift_run = 0

    def _cool_down(self, score: float) -> float:
        c = self.config
        self.last_raw = score
        if self.hold > 0:
            # silent until the cooldown ends: one event is one detection, and every further
            # detection of the same event would only count as a false alarm (NAB, and a person)
            self.hold -= 1
            score = 0.0
        elif score >= c.fire and c.suppress > 0:
            self.hold = c.suppress
        self.last_score = score
        return score

    # -- persistence --------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The whole state as plain JSON types; ``from_json`` continues exactly where this stopped."""
        state = {k: v for k, v in vars(self).items() if not k.startswith("_") and k != "config"}
        state["context"] = self.context.to_json()
        return {"version": STATE_VERSION, "config": asdict(self.config), "state": state}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SurgeDetector:
        version = data.get("version")
        if version not in (1, STATE_VERSION):
            raise ValueError(f"unknown surge detector state version {version!r}")
        known = {f.name for f in fields(SurgeConfig)}
        unknown = set(data["config"]) - known
        if unknown:
            raise ValueError(f"unknown surge detector settings: {', '.join(sorted(unknown))}")
        det = cls(SurgeConfig(**data["config"]))
        expected = set(vars(det)) - {"config"} - {k for k in vars(det) if k.startswith("_")}
        # a version-1 state predates the context memory: it starts afresh (its own warm-up)
        new_in_2 = {"context", "last_context"} if version == 1 else set()
        missing = expected - new_in_2 - set(data["state"])
        if missing:
            raise ValueError(f"surge detector state lacks: {', '.join(sorted(missing))}")
        for key in expected - new_in_2:
            setattr(det, key, data["state"][key])
        if "context" not in new_in_2:
            det.context = ContextMemory.from_json(data["state"]["context"])
        return det
