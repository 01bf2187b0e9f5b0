"""School quality index and the per-school indicators it rests on (policy-brief "Quality").

Q_i = intercept + Σ_k β_k · min(x_ik / m_k, cap) − penalty · max(0, class size_i / limit − 1),
with x_ik the quality-2017 indicators of school i, m_k their per-school minimums (facts.md §3),
β_k documented assumptions (facts.md §10) that an estimate from data can replace. The index
drives school choice (enrolment) and the direction of exchange (exchange).
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim.state import ABOVE_DEGREE_MIN, INDICATOR_COLUMNS, INDICATOR_PER, MID_SENIOR_MIN, State

N_COUNTS = 5


def count_teachers(state: State) -> None:
    """Teachers teaching at each school, by kind (total, above degree, mid/senior, backbone,
    PE/arts), and those there on exchange: one weighted bincount over the teacher arrays."""
    t, s = state.teachers, state.schools
    n = t.n
    serving = np.flatnonzero(t.active[:n])
    school = t.school[serving]
    flags = np.empty((len(serving), N_COUNTS), dtype=np.float64)
    flags[:, 0] = 1.0
    flags[:, 1] = t.degree[serving] >= ABOVE_DEGREE_MIN[s.level[school]]
    flags[:, 2] = t.title[serving] >= MID_SENIOR_MIN
    flags[:, 3] = t.backbone[serving] > 0
    flags[:, 4] = t.pe_art[serving]
    keys = (school.astype(np.int64) * N_COUNTS)[:, None] + np.arange(N_COUNTS)
    s.counts = np.bincount(keys.ravel(), weights=flags.ravel(), minlength=s.n * N_COUNTS).reshape(s.n, N_COUNTS).astype(np.int64)
    s.exchange_in = np.bincount(school[t.exchange_left[serving] > 0], minlength=s.n)


def indicator_matrix(state: State) -> np.ndarray:
    """The official indicators (columns in `KEYS` order) of every section; NaN without pupils."""
    s = state.schools
    pupils = state.pupils
    stacked = np.concatenate([s.assets, s.counts], axis=1)[:, INDICATOR_COLUMNS] * INDICATOR_PER
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where((pupils > 0) & s.open, 1.0 / pupils, np.nan)
    return stacked * scale[:, None]


def step(state: State, policy, rng: np.random.Generator):
    """Count teachers, compute indicators and the quality index. No ledger rows."""
    count_teachers(state)
    s = state.schools
    s.indicators = indicator_matrix(state)
    c = state.constants
    columns, minimums, beta = c.quality_columns, c.quality_minimums, c.quality_beta
    q = policy.quality
    ratio = np.minimum(s.indicators[:, columns] / minimums[s.level], q.ratio_cap)
    score = q.intercept + np.nansum(ratio * beta, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        class_size = np.where(s.classes > 0, state.pupils / s.classes, 0.0)
    score -= q.class_size_penalty * np.maximum(class_size / c.class_limit[s.level] - 1.0, 0.0)
    s.quality = np.where(np.isfinite(s.indicators[:, 0]), score, np.nan)
    return state, []
