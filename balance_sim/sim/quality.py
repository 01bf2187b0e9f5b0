"""School quality index and the per-school indicators it rests on (policy-brief "Quality").

Q_i = intercept + Σ_k β_k · min(x_ik / m_k, cap) − penalty · max(0, class size_i / limit − 1),
with x_ik the quality-2017 indicators of school i, m_k their per-school minimums (facts.md §3),
β_k documented assumptions (facts.md §10) that an estimate from data can replace. The index
drives school choice (enrolment) and the direction of exchange (exchange).

A year is one compiled call: a pass over the teacher slots (counts by kind per school), then
passes over the schools (indicators, index); a missing indicator (NaN ratio) adds nothing to the
sum, and the index's terms are added in numpy's order, so results match the array formulas.
"""
from __future__ import annotations

import numpy as np

from balance_sim.jit import kernel
from balance_sim.sim.numpy_order import pairwise_sum
from balance_sim.sim.state import ABOVE_DEGREE_MIN, INDICATOR_COLUMNS, INDICATOR_PER, MID_SENIOR_MIN, TEACHER_COUNTS, State

N_COUNTS = len(TEACHER_COUNTS)


@kernel
def _count_pass(n_schools, active, school, degree, title, backbone, pe_art, training_cycle, exchange_left,
                level, above_degree_min, cycle_years):
    """(schools × kinds) teachers teaching at each school by kind (TEACHER_COUNTS order: every
    teacher, above the level's degree, mid/senior title, backbone, PE/arts, completed the current
    training cycle) and those there on exchange; former teachers are not counted."""
    counts = np.zeros((n_schools, N_COUNTS), np.int64)
    exchange_in = np.zeros(n_schools, np.int64)
    # Slots mostly come in runs of the same school (the roster is read school by school, hires are
    # placed school by school): count a run in local sums and add them to the school's row when the
    # run ends, instead of seven read-modify-writes of the table per teacher.
    current = -1
    lower = 0
    total = above = mid = backbone_run = pe_run = trained_run = exchange_run = 0
    for i in range(len(active) + 1):
        if i < len(active):
            if not active[i]:
                continue
            here = school[i]
        else:
            here = -2  # past the end: close the last run
        if here != current:
            if current >= 0:
                counts[current, 0] += total
                counts[current, 1] += above
                counts[current, 2] += mid
                counts[current, 3] += backbone_run
                counts[current, 4] += pe_run
                counts[current, 5] += trained_run
                exchange_in[current] += exchange_run
            if here < 0:
                break
            current = here
            lower = above_degree_min[level[here]]
            total = above = mid = backbone_run = pe_run = trained_run = exchange_run = 0
        total += 1
        above += degree[i] >= lower
        mid += title[i] >= MID_SENIOR_MIN
        backbone_run += backbone[i] > 0
        pe_run += pe_art[i]
        trained_run += training_cycle[i] < cycle_years
        exchange_run += exchange_left[i] > 0
    return counts, exchange_in


@kernel
def _indicator_pass(assets, counts, pupils, is_open, columns, per):
    """Indicator k of school i: column `columns[k]` of [assets | counts] × per[k] ÷ pupils (the
    same two products as before: (x × per) × (1 ÷ pupils)); NaN without pupils or once closed."""
    n_schools, n_assets = assets.shape
    out = np.empty((n_schools, len(columns)))
    for i in range(n_schools):
        scale = 1.0 / pupils[i] if pupils[i] > 0 and is_open[i] else np.nan
        for k in range(len(columns)):
            c = columns[k]
            x = assets[i, c] if c < n_assets else float(counts[i, c - n_assets])
            out[i, k] = x * per[k] * scale
    return out


@kernel
def _quality_pass(indicators, level, pupils, classes, quality_columns, minimums, beta, ratio_cap, intercept,
                  class_size_penalty, class_limit):
    """The index of every school, its terms summed in numpy's order."""
    n_schools = len(level)
    quality = np.empty(n_schools)
    terms = np.empty(len(quality_columns))
    for i in range(n_schools):
        lv = level[i]
        for k in range(len(quality_columns)):
            ratio = indicators[i, quality_columns[k]] / minimums[lv, k]
            if ratio != ratio:  # no indicator or no minimum: the term adds nothing
                ratio = 0.0
            elif ratio > ratio_cap:
                ratio = ratio_cap
            terms[k] = ratio * beta[k]
        score = intercept + pairwise_sum(terms)
        class_size = pupils[i] / classes[i] if classes[i] > 0 else 0.0
        excess = class_size / class_limit[lv] - 1.0
        if excess < 0.0:
            excess = 0.0
        score -= class_size_penalty * excess
        quality[i] = score if np.isfinite(indicators[i, 0]) else np.nan
    return quality


@kernel
def _year_pass(n, active, school, degree, title, backbone, pe_art, training_cycle, exchange_left, level,
               above_degree_min, cycle_years, assets, pupils, is_open, columns, per, classes, quality_columns,
               minimums, beta, ratio_cap, intercept, class_size_penalty, class_limit):
    """The three passes of a year in one call over the first `n` teacher slots: counts,
    indicators, index."""
    counts, exchange_in = _count_pass(len(level), active[:n], school[:n], degree[:n], title[:n], backbone[:n],
                                      pe_art[:n], training_cycle[:n], exchange_left[:n], level, above_degree_min,
                                      cycle_years)
    indicators = _indicator_pass(assets, counts, pupils, is_open, columns, per)
    quality = _quality_pass(indicators, level, pupils, classes, quality_columns, minimums, beta, ratio_cap,
                            intercept, class_size_penalty, class_limit)
    return counts, exchange_in, indicators, quality


def _per_run(state: State, policy) -> tuple:
    """The policy's numbers in `_year_pass` order after the state's arrays (fixed for a run)."""
    c, q = state.constants, policy.quality
    return (c.quality_columns, c.quality_minimums, c.quality_beta, float(q.ratio_cap), float(q.intercept),
            float(q.class_size_penalty), c.class_limit)


def step(state: State, policy, rng: np.random.Generator):
    """Count teachers, compute indicators and the quality index. No ledger rows."""
    s, t = state.schools, state.teachers
    numbers = state.scratch.get("quality")
    if numbers is None:
        numbers = state.scratch["quality"] = _per_run(state, policy)
    s.counts, s.exchange_in, s.indicators, s.quality = _year_pass(
        t.n, t.active, t.school, t.degree, t.title, t.backbone, t.pe_art, t.training_cycle, t.exchange_left, s.level,
        ABOVE_DEGREE_MIN, int(policy.teachers.training_cycle_years), s.assets, state.pupils, s.open, INDICATOR_COLUMNS,
        INDICATOR_PER, s.classes, *numbers,
    )
    return state, []
