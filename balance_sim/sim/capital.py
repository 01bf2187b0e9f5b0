"""Incremental funds turned into buildings, grounds, equipment, rooms and books (policy-brief
lever 1; seed 000: new funds go mainly to rural schools, weak schools get a tilt, "fill what is
missing").

The pool is split by `rural_share` between rural and non-rural schools; within each group by the
selected rule — per pupil, equal per school, or need (the yuan each school lacks to reach
`need_target` × the quality-2017 minimums, facts.md §3, or the level's average where that is
higher) — with weak schools' weight raised by `weak_school_tilt`. Under the need rule a group's
leftover fills the other group's needs, and what remains goes per pupil county-wide. Yuan become
quantities at unit costs (assumptions, facts.md §10).

How it is computed: depreciation, the level stock, shortfall, allocation and purchase are one
compiled pass over the sections a year (`_invest`, `jit.kernel`, called inside funding's pass).
The level stock is summed in the block order of the matrix product it replaced
(`numpy_order.level_totals`), sums by group run section by section, as `np.bincount` does, and
county totals in numpy's pairwise order (`pairwise_sum`), so every yuan is the one the
vectorised formulas give, to the last bit: thresholds on tiny remainders (`rest > 0`, the
ledger's non-zero rows) fall the same way.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from balance_sim.jit import kernel
from balance_sim.sim.numpy_order import level_totals, maximum, minimum, pairwise_sum
from balance_sim.sim.state import ASSETS, State

RULES = ("per_pupil", "per_school", "need")
PER_PUPIL, PER_SCHOOL, NEED = range(3)
EQUIPMENT, COMPUTERS = ASSETS.index("equipment_value_yuan"), ASSETS.index("computers")


class RunValues(NamedTuple):
    """The policy's capital values and the year's work arrays, made once per run
    (state.scratch["capital"]); `open_assets` holds the assets × open after depreciation."""

    rule: int
    rural_share: float
    tilt: float
    need_target: float
    equipment_keep: float
    computers_keep: float
    area_per_classroom: float
    unit_costs: np.ndarray
    need_minimums: np.ndarray
    capital_mix: np.ndarray
    open_assets: np.ndarray  # (S × 6) work arrays, overwritten every year
    need: np.ndarray
    yuan: np.ndarray
    quantity: np.ndarray
    ones: np.ndarray  # (S,) the level stock's shares: every open section's stock counts whole


def run_values(state: State, policy) -> RunValues:
    values = state.scratch.get("capital")
    if values is None:
        f, c, shape = policy.funding, state.constants, state.schools.assets.shape
        values = state.scratch["capital"] = RunValues(
            rule=RULES.index(f.allocation_rule), rural_share=float(f.rural_share),
            tilt=float(f.weak_school_tilt), need_target=float(f.need_target),
            equipment_keep=1.0 - 1.0 / f.equipment_life_years, computers_keep=1.0 - 1.0 / f.computer_life_years,
            area_per_classroom=float(policy.enrolment.teaching_area_per_classroom_m2),
            # float64 always, so each kernel compiles once whatever types the policy file holds
            unit_costs=np.ascontiguousarray(c.unit_costs, dtype=np.float64),
            need_minimums=np.ascontiguousarray(c.need_minimums, dtype=np.float64),
            capital_mix=np.ascontiguousarray(c.capital_mix, dtype=np.float64),
            open_assets=np.empty(shape), need=np.empty(shape), yuan=np.empty(shape), quantity=np.empty(shape),
            ones=np.ones(shape[0]),
        )
    return values


@kernel
def _depreciate(assets, equipment, equipment_keep, computers, computers_keep, is_open, open_assets):
    """Equipment and computers depreciated in place; `open_assets` = assets × open (closed
    sections' stock counts as 0), the need rule's stock by section."""
    n, items = assets.shape
    for i in range(n):
        assets[i, equipment] *= equipment_keep
        assets[i, computers] *= computers_keep
        open_ = 1.0 if is_open[i] else 0.0
        for k in range(items):
            open_assets[i, k] = assets[i, k] * open_


@kernel
def _shortfall(pupils, is_open, level, assets, stock, need_minimums, need_target, unit_costs, need):
    """need_ik = max(0, max(need_target · m_lk, stock_lk / P_l) · P_i − A_ik) · c_k, open only."""
    n, items = assets.shape
    level_pupils = np.zeros(2)
    for i in range(n):
        level_pupils[level[i]] += pupils[i] * (1.0 if is_open[i] else 0.0)
    mean = np.empty((2, items))
    for lv in range(2):
        for k in range(items):
            mean[lv, k] = stock[lv, k] / maximum(level_pupils[lv], 1e-12)
    for i in range(n):
        open_ = 1.0 if is_open[i] else 0.0
        enrolled = pupils[i] * open_
        for k in range(items):
            target = maximum(need_target * need_minimums[level[i], k], mean[level[i], k]) * enrolled
            need[i, k] = maximum(target - assets[i, k], 0.0) * unit_costs[k] * open_


@kernel
def _fill(pool, weight, cap, rural):
    """Share each group's pool (non-rural, rural) by weight, never more than `cap`; what the cap
    holds back is shared by remaining cap, which cannot overshoot (each gets at most what it
    still lacks)."""
    n = len(weight)
    total = np.zeros(2)
    for i in range(n):
        total[1 if rural[i] else 0] += weight[i]
    given = np.empty(n)
    given_total = np.zeros(2)
    for i in range(n):
        g = 1 if rural[i] else 0
        share = pool[g] * weight[i] / total[g] if total[g] > 0 else 0.0
        given[i] = minimum(share, cap[i])
        given_total[g] += given[i]
    remaining = np.empty(n)
    remaining_total = np.zeros(2)
    for i in range(n):
        remaining[i] = maximum(cap[i] - given[i], 0.0)
        remaining_total[1 if rural[i] else 0] += remaining[i]
    fill = np.zeros(2)
    for g in range(2):
        if remaining_total[g] > 0:
            fill[g] = minimum(1.0, (pool[g] - given_total[g]) / remaining_total[g])
    for i in range(n):
        given[i] = given[i] + remaining[i] * fill[1 if rural[i] else 0]
    return given


@kernel
def _by_weight(pool, rural_share, per_pupil, pupils, is_open, rural, weak, tilt, capital_mix, yuan):
    """Per pupil or per school (tilted), each group's pool shared by weight at the fixed mix."""
    n, items = yuan.shape
    group_pool = np.array([pool * (1.0 - rural_share), pool * rural_share])
    weight = np.zeros(n)
    total = np.zeros(2)
    for i in range(n):
        if is_open[i] and pupils[i] > 0:
            weight[i] = (pupils[i] if per_pupil else 1.0) * (1.0 + tilt * (1.0 if weak[i] else 0.0))
        total[1 if rural[i] else 0] += weight[i]
    for i in range(n):
        g = 1 if rural[i] else 0
        per_school = group_pool[g] * weight[i] / total[g] if total[g] > 0 else 0.0
        for k in range(items):
            yuan[i, k] = per_school * capital_mix[k]


@kernel
def _by_need(pool, rural_share, need, pupils, is_open, rural, weak, tilt, capital_mix, yuan):
    """Need first within each group, a group's leftover to the other group's needs, the rest per
    pupil county-wide at the fixed mix."""
    n, items = need.shape
    group_pool = np.array([pool * (1.0 - rural_share), pool * rural_share])
    need_total = np.zeros(n)
    weight = np.empty(n)
    by_pupil = np.zeros(n)
    for i in range(n):
        if is_open[i] and pupils[i] > 0:
            row = 0.0
            for k in range(items):
                row += need[i, k]
            need_total[i] = row
            by_pupil[i] = pupils[i]
        weight[i] = need_total[i] * (1.0 + tilt * (1.0 if weak[i] else 0.0))
    given = _fill(group_pool, weight, need_total, rural)
    still = np.empty(n)
    given_total = np.zeros(2)
    for i in range(n):
        given_total[1 if rural[i] else 0] += given[i]
        still[i] = maximum(need_total[i] - given[i], 0.0)
    spill = np.array([group_pool[1] - given_total[1], group_pool[0] - given_total[0]])
    more = _fill(spill, still, still, rural)
    for i in range(n):
        given[i] = given[i] + more[i]
        for k in range(items):
            yuan[i, k] = given[i] * (need[i, k] / need_total[i] if need_total[i] > 0 else 0.0)
    rest = pool - pairwise_sum(given)
    pupils_total = pairwise_sum(by_pupil)
    if rest > 0 and pupils_total > 0:
        for i in range(n):
            share = rest * by_pupil[i] / pupils_total
            for k in range(items):
                yuan[i, k] = yuan[i, k] + share * capital_mix[k]
    for i in range(n):
        for k in range(items):
            yuan[i, k] = maximum(yuan[i, k], 0.0)  # rounding in the shares can leave −1e-12 yuan


@kernel
def _buy(yuan, unit_costs, assets, rooms, area_per_classroom, quantity, by_section):
    """Quantities bought (yuan / unit cost), added to the assets and, for floor area, the rooms,
    in place; yuan by section."""
    n, items = yuan.shape
    for i in range(n):
        row = 0.0
        for k in range(items):
            quantity[i, k] = yuan[i, k] / unit_costs[k]
            assets[i, k] += quantity[i, k]
            row += yuan[i, k]
        rooms[i] += quantity[i, 0] / area_per_classroom
        by_section[i] = row


@kernel
def _invest(rule, pool, rural_share, tilt, capital_mix, pupils, is_open, rural, weak, level, assets, rooms,
            need_minimums, need_target, unit_costs, area_per_classroom, equipment_keep, computers_keep, ones,
            open_assets, need, yuan, quantity, by_section):
    """Depreciation, then the pool shared by the rule into `yuan` (S × 6) and bought (quantities
    into `quantity`, assets and rooms in place, yuan by section into `by_section`); returns the
    yuan allocated (summed as numpy sums)."""
    _depreciate(assets, EQUIPMENT, equipment_keep, COMPUTERS, computers_keep, is_open, open_assets)
    if rule == NEED:
        stock = level_totals(open_assets, level, ones)
        _shortfall(pupils, is_open, level, assets, stock, need_minimums, need_target, unit_costs, need)
        _by_need(pool, rural_share, need, pupils, is_open, rural, weak, tilt, capital_mix, yuan)
    else:
        _by_weight(pool, rural_share, rule == PER_PUPIL, pupils, is_open, rural, weak, tilt, capital_mix, yuan)
    _buy(yuan, unit_costs, assets, rooms, area_per_classroom, quantity, by_section)
    return pairwise_sum(yuan.reshape(yuan.size))

