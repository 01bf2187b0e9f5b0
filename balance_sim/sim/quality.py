"""School quality index and the per-school indicators it rests on (policy-brief "Quality").

Q_i = intercept + Σ_k β_k · min(x_ik / m_k, cap) − penalty · max(0, class size_i / limit − 1),
with x_ik the quality-2017 indicators of school i, m_k their per-school minimums (facts.md §3),
β_k documented assumptions (facts.md §10) that an estimate from data can replace. The index
drives school choice (enrolment) and the direction of exchange (exchange).
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim.state import ABOVE_DEGREE_MIN, INDICATOR_COLUMNS, INDICATOR_PER, MID_SENIOR_MIN, TEACHER_COUNTS, State

N_COUNTS = len(TEACHER_COUNTS)
N_CODES = 64  # 2**6 combinations of the five teacher-count flags and "on exchange"
# Column k of CODE_BITS: which codes a teacher of count k has (k = 0: every teacher; 1..5: the
# count's flag bit; 6: on exchange, bit 5).
_CODES = np.arange(N_CODES)
CODE_BITS = np.column_stack([np.ones(N_CODES, np.int64)] + [(_CODES >> bit) & 1 for bit in range(6)])
CODE_WEIGHTS = (1 << np.arange(6)).astype(np.uint8)


def count_teachers(state: State, cycle_years: int) -> None:
    """Teachers teaching at each school, by kind (total, above degree, mid/senior, backbone,
    PE/arts, completed the training cycle), and those there on exchange. One bincount: each
    teacher's six yes/no attributes are packed into a 6-bit code, counted per (school, code),
    and the (schools × 64) table is summed into the kinds by a 0/1 matrix. Former teachers go to
    an extra school bucket that is dropped."""
    t, s = state.teachers, state.schools
    n = t.n
    school = np.where(t.active[:n], t.school[:n], s.n)
    level = np.append(s.level, 0)[school]
    flags = np.stack((  # (6 × teachers) bool, one row per bit of the code
        t.degree[:n] >= ABOVE_DEGREE_MIN[level],
        t.title[:n] >= MID_SENIOR_MIN,
        t.backbone[:n] > 0,
        t.pe_art[:n],
        t.training_cycle[:n] < cycle_years,
        t.exchange_left[:n] > 0,
    ))
    code = (flags.view(np.uint8) * CODE_WEIGHTS[:, None]).sum(axis=0, dtype=np.uint8)
    table = np.bincount(school * N_CODES + code, minlength=(s.n + 1) * N_CODES).reshape(s.n + 1, N_CODES)
    counts = table[: s.n] @ CODE_BITS
    s.counts = counts[:, :N_COUNTS]
    s.exchange_in = counts[:, N_COUNTS]


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
    count_teachers(state, policy.teachers.training_cycle_years)
    s = state.schools
    s.indicators = indicator_matrix(state)
    c = state.constants
    columns, minimums, beta = c.quality_columns, c.quality_minimums, c.quality_beta
    q = policy.quality
    ratio = np.minimum(s.indicators[:, columns] / minimums[s.level], q.ratio_cap)
    score = q.intercept + (np.where(np.isnan(ratio), 0.0, ratio) * beta).sum(axis=1)  # NaN ratios add nothing
    with np.errstate(divide="ignore", invalid="ignore"):
        class_size = np.where(s.classes > 0, state.pupils / s.classes, 0.0)
    score -= q.class_size_penalty * np.maximum(class_size / c.class_limit[s.level] - 1.0, 0.0)
    s.quality = np.where(np.isfinite(s.indicators[:, 0]), score, np.nan)
    return state, []
