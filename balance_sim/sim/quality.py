"""Per-school indicators and the school quality index (docs/sources.md#levers "Quality").

Teachers are counted where they teach (`teachers.school`), by kind in TEACHER_COUNTS order: every
serving teacher, above the level's required degree (associate+ primary, bachelor+ junior), mid or
senior title, backbone (county level or higher), PE/arts, training completed in the current
cycle (`training_cycle` below the cycle length); `exchange_in` counts those there on exchange.
Itinerant PE/arts teachers serving a section (`schools.itinerant_pe_art`, when the state has it)
are added to its PE/arts count where the official definition allows it: rural schools of 50–99
pupils (docs/sources.md#quality-2017-checklist; numbers in balance_sim/checklist/definitions.yaml).

Indicator k of section i (indicators.KEYS order) is column k of [assets | counts] × per_k ÷
pupils_i; NaN without pupils or once closed. The index:

    Q_i = intercept + Σ_k β_k · min(x_ik / m_k, cap) − penalty · max(0, class size_i / limit − 1)

with x_ik the quality-2017 indicators, m_k their per-school minimums (docs/sources.md#quality-2017), β_k
documented assumptions (docs/sources.md#assumptions) that an estimate from data can replace; a term without an
indicator or a minimum adds nothing; class size = pupils ÷ classes (0 without classes); Q is NaN
where the section has no indicators. The index drives school choice (enrolment) and the order in
which drifting teachers pick their new posts (mobility).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.indicators import KEYS
from balance_sim.sim import hiring
from balance_sim.sim.rules import _standard_rules
from balance_sim.sim.streams import CountyDraws
from balance_sim.sim.state import (
    ABOVE_DEGREE_MIN,
    INDICATOR_COLUMNS,
    INDICATOR_PER,
    MID_SENIOR_MIN,
    TEACHER_COUNTS,
    State,
)

STANDARD = "quality-2017"
PE_ART = TEACHER_COUNTS.index("pe_art_teachers")


@dataclass(frozen=True)
class Context:
    """The quality index's parameters in force in one year."""

    columns: tuple[int, ...]  # indicator columns of the standard
    minimums: tuple[tuple[float, ...], tuple[float, ...]]  # per-school minimum by level and column (NaN: none)
    beta: tuple[float, ...]  # index points per multiple of the minimum
    ratio_cap: float
    intercept: float
    class_size_penalty: float
    class_limit: tuple[float, float]  # pupils per class by level
    cycle_years: int  # length of the training cycle

    @classmethod
    def of(cls, policy, year: int) -> "Context":
        rules, q = _standard_rules(STANDARD), policy.quality
        limit = policy.enrolment.class_size_limit
        return cls(
            columns=tuple(int(c) for c in rules.columns),
            minimums=tuple(tuple(float(v) for v in row) for row in rules.minimums),
            beta=tuple(float(getattr(q.coefficients, KEYS[c])) for c in rules.columns),
            ratio_cap=float(q.ratio_cap),
            intercept=float(q.intercept),
            class_size_penalty=float(q.class_size_penalty),
            class_limit=(float(limit.primary), float(limit.junior)),
            cycle_years=int(policy.teachers.training_cycle_years),
        )


def teacher_counts(state: State, cycle_years: int) -> tuple[np.ndarray, np.ndarray]:
    """(sections × TEACHER_COUNTS) serving teachers by kind where they teach, and those there on
    exchange (int64)."""
    t, n_sections = state.teachers, state.schools.n
    serving = np.flatnonzero(t.active[: t.n])
    school = t.school[serving]
    kinds = (
        np.ones(len(serving), dtype=bool),
        t.degree[serving] >= ABOVE_DEGREE_MIN[state.schools.level[school]],
        t.title[serving] >= MID_SENIOR_MIN,
        t.backbone[serving] > 0,
        t.pe_art[serving].astype(bool),
        t.training_cycle[serving] < cycle_years,
    )
    counts = np.column_stack([np.bincount(school[kind], minlength=n_sections) for kind in kinds]).astype(np.int64)
    exchange_in = np.bincount(school[t.exchange_left[serving] > 0], minlength=n_sections).astype(np.int64)
    return counts, exchange_in


def add_itinerant(counts: np.ndarray, state: State) -> None:
    """Itinerant PE/arts teachers added to the PE/arts count of the sections the official rule
    lets count them (`hiring.itinerant_counted`; in place)."""
    counted = hiring.itinerant_counted(state) & state.schools.open
    counts[:, PE_ART] += np.where(counted, state.schools.itinerant_pe_art, 0).astype(np.int64)


def indicators(assets: np.ndarray, counts: np.ndarray, pupils: np.ndarray, is_open: np.ndarray) -> np.ndarray:
    """(sections × KEYS) indicators: [assets | counts] column × per ÷ pupils; NaN without pupils
    or once closed."""
    stacked = np.column_stack([assets, counts.astype(float)])
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where((pupils > 0) & is_open, 1.0 / pupils, np.nan)
    return stacked[:, INDICATOR_COLUMNS] * INDICATOR_PER * scale[:, None]


def index(values: np.ndarray, level: np.ndarray, pupils: np.ndarray, classes: np.ndarray,
          context: Context) -> np.ndarray:
    """The quality index of every section (NaN where it has no indicators)."""
    minimums = np.asarray(context.minimums)[level]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = values[:, list(context.columns)] / minimums
        class_size = np.where(classes > 0, pupils / classes, 0.0)
    ratio = np.where(np.isnan(ratio), 0.0, np.minimum(ratio, context.ratio_cap))
    excess = np.maximum(class_size / np.asarray(context.class_limit)[level] - 1.0, 0.0)
    score = np.full(len(level), context.intercept)
    for k, beta in enumerate(context.beta):  # term by term: the same sum on every CPU
        score += beta * ratio[:, k]
    score -= context.class_size_penalty * excess
    return np.where(np.isfinite(values[:, 0]), score, np.nan)


def step(state: State, context: Context, rng: CountyDraws) -> list:
    """Count teachers, compute indicators and the quality index (deterministic). No ledger rows."""
    s = state.schools
    s.counts, s.exchange_in = teacher_counts(state, context.cycle_years)
    add_itinerant(s.counts, state)
    s.indicators = indicators(s.assets, s.counts, state.pupils, s.open)
    s.quality = index(s.indicators, s.level, state.pupils, s.classes, context)
    return []
