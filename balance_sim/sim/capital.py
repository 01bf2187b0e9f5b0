"""Incremental funds turned into buildings, grounds, equipment, rooms and books (policy-brief
lever 1; seed 000: new funds go mainly to rural schools, weak schools get a tilt, "fill what is
missing").

The pool is split by `rural_share` between rural and non-rural schools; within each group by the
selected rule — per pupil, equal per school, or need (the yuan each school lacks to reach
`need_target` × the quality-2017 minimums, facts.md §3, or the level's average where that is
higher) — with weak schools' weight raised by `weak_school_tilt`. Under the need rule a group's
leftover fills the other group's needs, and what remains goes per pupil county-wide. Yuan become quantities at unit costs (assumptions, facts.md §10).
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim.state import ASSETS, State

def shortfall_yuan(state: State, policy) -> np.ndarray:
    """(S × 6) yuan each open school lacks, item by item, to reach the higher of `need_target` ×
    the quality-2017 minimum and the level's enrolment-weighted mean per pupil."""
    s, c = state.schools, state.constants
    pupils = state.pupils * s.open
    per_pupil = policy.funding.need_target * c.need_minimums[s.level]
    level_pupils = np.bincount(s.level, weights=pupils, minlength=2)
    stock = s.level_matrix @ (s.assets * s.open[:, None])
    mean = stock / np.maximum(level_pupils, 1e-12)[:, None]
    target = np.maximum(per_pupil, mean[s.level]) * pupils[:, None]
    return np.maximum(target - s.assets, 0.0) * c.unit_costs * s.open[:, None]


def _fill(pool: np.ndarray, weight: np.ndarray, cap: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Share each group's pool by weight, never more than `cap`; what the cap holds back is
    shared by remaining cap, which cannot overshoot (each gets at most what it still lacks)."""
    total = np.bincount(group, weights=weight, minlength=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        given = np.minimum(np.where(total[group] > 0, pool[group] * weight / total[group], 0.0), cap)
        left = pool - np.bincount(group, weights=given, minlength=2)
        remaining = np.maximum(cap - given, 0.0)
        remaining_total = np.bincount(group, weights=remaining, minlength=2)
        fill = np.where(remaining_total > 0, np.minimum(1.0, left / remaining_total), 0.0)
    return given + remaining * fill[group]


def allocate(state: State, policy, pool: float) -> tuple[np.ndarray, float]:
    """Yuan per school and item (S × 6) from `pool`, and the part of the pool left unallocated."""
    s, f = state.schools, policy.funding
    pupils = state.pupils
    eligible = s.open & (pupils > 0)
    group = s.rural.astype(np.int64)
    group_pool = pool * np.array([1.0 - f.rural_share, f.rural_share])
    tilt = 1.0 + f.weak_school_tilt * s.weak
    fixed_mix = state.constants.capital_mix
    if f.allocation_rule != "need":
        weight = pupils if f.allocation_rule == "per_pupil" else np.ones(s.n)
        weight = np.where(eligible, weight * tilt, 0.0)
        total = np.bincount(group, weights=weight, minlength=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            per_school = np.where(total[group] > 0, group_pool[group] * weight / total[group], 0.0)
        yuan = per_school[:, None] * fixed_mix
        return yuan, pool - float(yuan.sum())
    need = shortfall_yuan(state, policy)
    need_total = np.where(eligible, need.sum(axis=1), 0.0)
    # Need: first within each group; a group's leftover then fills the other group's needs;
    # what is left once every need is met goes per pupil across the county at the fixed mix.
    given = _fill(group_pool, need_total * tilt, need_total, group)
    left = group_pool - np.bincount(group, weights=given, minlength=2)
    spill = left[::-1]
    still = np.maximum(need_total - given, 0.0)
    given = given + _fill(spill, still, still, group)
    with np.errstate(divide="ignore", invalid="ignore"):
        mix = np.where(need_total[:, None] > 0, need / need_total[:, None], 0.0)
    yuan = given[:, None] * mix
    rest = pool - float(given.sum())
    by_pupil = np.where(eligible, pupils, 0.0)
    if rest > 0 and by_pupil.sum() > 0:
        yuan += (rest * by_pupil / by_pupil.sum())[:, None] * fixed_mix
    yuan = np.maximum(yuan, 0.0)  # rounding in the shares can leave −1e-12 yuan
    return yuan, pool - float(yuan.sum())


def buy(state: State, policy, yuan: np.ndarray) -> np.ndarray:
    """Add what the yuan buy to each school's assets; new floor area adds classrooms."""
    s = state.schools
    quantity = yuan / state.constants.unit_costs
    s.assets += quantity
    s.rooms += quantity[:, 0] / policy.enrolment.teaching_area_per_classroom_m2
    s.capital = yuan.sum(axis=1)
    return quantity


def depreciate(state: State, policy) -> None:
    """Equipment loses 1/life of its value a year; computers are scrapped at 1/life a year."""
    a = state.schools.assets
    a[:, ASSETS.index("equipment_value_yuan")] *= 1.0 - 1.0 / policy.funding.equipment_life_years
    a[:, ASSETS.index("computers")] *= 1.0 - 1.0 / policy.funding.computer_life_years


