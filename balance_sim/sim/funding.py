"""Funding: the year's compulsory-education budget and where every yuan goes (policy-brief
lever 1; seed 000; facts.md §9).

Order of claims on the year's budget B_t = B_{t−1}(1 + g):
1. salaries (teachers × pay, pay growing at its own rate) and the rural hardship allowance;
2. per-pupil public funds at the dated benchmark by level, a school under 100 pupils funded as
   100, plus the boarding supplement (facts.md §9);
3. other spending (what the model does not itemise), keeping its base-year share of the budget;
4. capital (capital.py): what is left, but never more than the growth since the base year,
   B_t − B_0, so a budget that does not grow buys nothing new;
5. whatever remains is unspent. Allocated + unspent = available, every year.
The "three growths" (facts.md §9) are checked and reported, not assumed.

How it is computed: the year is one compiled call (`_year_pass`): the claims and their payment
in a pass over the teachers and the sections (`_claims`), capital (`capital._invest`), then the
ledger rows (`_rows`) and their totals; totals are summed in numpy's order
(`numpy_order.pairwise_sum`), so the yuan are those of the vectorised formulas to the last bit.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from balance_sim.sim import capital
from balance_sim.jit import kernel
from balance_sim.sim import ledger as L
from balance_sim.sim.numpy_order import maximum, pairwise_sum
from balance_sim.sim.state import State

# Ledger item code of each column of the year's yuan (the ledger's FUND_ITEMS, passed to the
# kernel as data so a change in the ledger's codes cannot hide in a compiled cache).
ITEM_CODES = np.array([L.SALARIES, L.ALLOWANCE, L.PUBLIC_FUNDS, L.OTHER,
                       *range(L.CAPITAL_FIRST, L.UNSPENT), L.UNSPENT], dtype=np.int8)
# Rows of the year's claims (salaries, allowance, public funds by section) and places in the
# sums paid (the same three, then other spending).
SALARIES, ALLOWANCE, PUBLIC, OTHER = range(4)


@kernel
def _public_funds(pupils, level, is_open, boarding_share, rate, boarding_supplement, floor, out):
    """rate_l · max(P_i, floor) (0 without pupils) + boarding supplement · boarders, open sections."""
    for i in range(len(pupils)):
        out[i] = 0.0
        if is_open[i]:
            funded = maximum(pupils[i], floor) if pupils[i] > 0 else 0.0
            out[i] = rate[level[i]] * funded + boarding_supplement * boarding_share[i] * pupils[i]


def public_funds(state: State, policy, year: int) -> np.ndarray:
    s, dated = state.schools, state.constants.dated(year)
    out = np.empty(s.n)
    _public_funds(state.pupils, s.level, s.open, s.boarding_share, dated.public_funds_rate,
                  float(dated.boarding_supplement), float(policy.funding.small_school_floor), out)
    return out


@kernel
def _section_pay(active, post, school, n_teachers, rural, pay, allowance_month, salaries, allowance):
    """Salaries by post-holding section; allowances by the rural section where the teacher teaches."""
    n = len(rural)
    posts = np.zeros(n, np.int64)
    taught = np.zeros(n, np.int64)
    for j in range(n_teachers):
        if active[j]:
            posts[post[j]] += 1
            taught[school[j]] += 1
    for i in range(n):
        salaries[i] = posts[i] * pay
        allowance[i] = (taught[i] if rural[i] else 0) * allowance_month * 12.0


def _pay(state: State, policy) -> tuple[np.ndarray, np.ndarray]:
    t, s = state.teachers, state.schools
    salaries, allowance = np.empty(s.n), np.empty(s.n)
    _section_pay(t.active, t.post, t.school, t.n, s.rural, float(policy.funding.teacher_pay_yuan * state.budget.pay_factor),
                 float(policy.teachers.hardship_allowance_yuan_month), salaries, allowance)
    return salaries, allowance


def recurrent_cost(state: State, policy, year: int) -> float:
    salaries, allowance = _pay(state, policy)
    return float(salaries.sum() + allowance.sum() + public_funds(state, policy, year).sum())


@kernel
def _paid_share(available, total):
    """(share of the claim paid, money left): in full if it can be, else pro rata."""
    ratio = 1.0 if total <= available else (available / total if total > 0 else 0.0)
    left = available - total * ratio
    return ratio, (0.0 if 0.0 > left else left)


@kernel
def _pay_claims(available, claims, other):
    """Claims paid in order (salaries, allowance, public funds by section, then `other`): the
    first that cannot be met in full is paid pro rata, later ones nothing. Scales `claims` in
    place; returns the four sums paid."""
    paid = np.empty(4)
    for k in range(3):
        column = claims[k]
        ratio, available = _paid_share(available, pairwise_sum(column))
        if ratio != 1.0:  # × 1.0 changes nothing
            for i in range(len(column)):
                column[i] *= ratio
        paid[k] = pairwise_sum(column)
    ratio, available = _paid_share(available, other)
    paid[3] = other * ratio
    return paid


@kernel
def _claims(active, post, school, n_teachers, rural, pay, allowance_month,
            pupils, level, is_open, boarding_share, rate, boarding_supplement, floor,
            available, other, growth, claims):
    """Salaries, allowances and public funds by section (rows of `claims`), paid in order with
    `other`; returns the four sums paid, the capital pool and the county's pupils."""
    _section_pay(active, post, school, n_teachers, rural, pay, allowance_month, claims[0], claims[1])
    _public_funds(pupils, level, is_open, boarding_share, rate, boarding_supplement, floor, claims[2])
    paid = _pay_claims(available, claims, other)
    remaining = available - paid[0] - paid[1] - paid[2] - paid[3]
    # Python's min and max (the first argument unless the second is strictly beyond it)
    pool = 0.0 if 0.0 > growth else growth
    if 0.0 > remaining:
        remaining = 0.0
    if remaining < pool:
        pool = remaining
    return paid[0], paid[1], paid[2], paid[3], pool, pairwise_sum(pupils)


@kernel
def _rows(claims, other, yuan, quantity, unspent, codes, item, school, amount, bought):
    """The funding ledger's rows from the dense (sections + 1) × items table of the year's claims
    and purchases: section by section, item by item, zeros left out, the county row (other, unspent) last
    with unspent always written; quantities for the capital items only. Returns the row count."""
    n, items = yuan.shape
    row = 0
    for i in range(n):
        for k in range(3):
            if claims[k, i] != 0:
                item[row], school[row], amount[row], bought[row] = codes[k], i, claims[k, i], np.nan
                row += 1
        for k in range(items):
            if yuan[i, k] != 0:
                item[row], school[row], amount[row], bought[row] = codes[4 + k], i, yuan[i, k], quantity[i, k]
                row += 1
    if other != 0:
        item[row], school[row], amount[row], bought[row] = codes[3], -1, other, np.nan
        row += 1
    item[row], school[row], amount[row], bought[row] = codes[4 + items], -1, unspent, np.nan
    return row + 1


class _RunValues(NamedTuple):
    """The policy's funding values, read once per run (state.scratch["funding"])."""

    budget_growth: float
    pay_growth: float
    teacher_pay: float
    allowance_month: float
    floor: float


def _run_values(state: State, policy) -> _RunValues:
    values = state.scratch.get("funding")
    if values is None:
        f = policy.funding
        values = state.scratch["funding"] = _RunValues(
            f.budget_growth, f.teacher_pay_growth, float(f.teacher_pay_yuan),
            float(policy.teachers.hardship_allowance_yuan_month), float(f.small_school_floor),
        )
    return values


@kernel
def _year_pass(active, post, school, n_teachers, rural, pay, allowance_month, pupils, level, is_open, boarding_share,
               rate, boarding_supplement, floor, available, other, growth, claims,
               rule, rural_share, tilt, capital_mix, weak, assets, rooms, need_minimums, need_target, unit_costs,
               area_per_classroom, equipment_keep, computers_keep, ones, open_assets, need, yuan, quantity,
               by_section, codes, item, row_school, amount, bought):
    """The year's claims paid, the capital pool invested (capital.py) and the ledger rows written:
    (the four sums paid, the county's pupils, yuan spent, unspent, ledger rows, yuan by item of
    the rows, their allocated and capital totals)."""
    salaries, allowance, public, other_paid, pool, county_pupils = _claims(
        active, post, school, n_teachers, rural, pay, allowance_month, pupils, level, is_open, boarding_share, rate,
        boarding_supplement, floor, available, other, growth, claims)
    capital_total = capital._invest(
        rule, pool, rural_share, tilt, capital_mix, pupils, is_open, rural, weak, level, assets, rooms, need_minimums,
        need_target, unit_costs, area_per_classroom, equipment_keep, computers_keep, ones, open_assets, need, yuan,
        quantity, by_section)
    spent = salaries + allowance + public + other_paid + capital_total
    unspent = available - spent
    if 0.0 > unspent:  # rounding can leave −1e-9 yuan (Python's max: NaN stays)
        unspent = 0.0
    count = _rows(claims, other_paid, yuan, quantity, unspent, codes, item, row_school, amount, bought)
    by_item, allocated, capital_yuan = L.fund_totals_pass(item[:count], amount[:count], len(L.FUND_ITEMS))
    return (salaries, allowance, public, other_paid, county_pupils, spent, unspent, count, by_item, allocated,
            capital_yuan)


def step(state: State, policy, rng: np.random.Generator):
    """One year of funding; returns funding-ledger rows (one per school and item, plus county rows)."""
    s, t, b, run = state.schools, state.teachers, state.budget, _run_values(state, policy)
    c = capital.run_values(state, policy)
    b.last_budget = b.current
    b.current = b.current * (1.0 + run.budget_growth)
    b.pay_factor *= 1.0 + run.pay_growth
    available = b.current
    dated = state.constants.dated(state.year)
    other = b.other * b.current / b.base if b.base > 0 else 0.0
    # salaries, allowance, public funds by section; capital by section; ledger rows: new arrays
    # each year (the record and the ledger keep them)
    claims, s.capital = np.empty((3, s.n)), np.empty(s.n)
    most = (s.n + 1) * len(L.FUND_ITEMS)
    item, school, amount = np.empty(most, np.int8), np.empty(most, np.int32), np.empty((2, most))
    *paid, pupils, spent, unspent, count, by_item, allocated, capital_yuan = _year_pass(
        t.active, t.post, t.school, t.n, s.rural, run.teacher_pay * b.pay_factor, run.allowance_month,
        state.pupils, s.level, s.open, s.boarding_share, dated.public_funds_rate, dated.boarding_supplement,
        run.floor, available, other, b.current - b.base, claims,
        c.rule, c.rural_share, c.tilt, c.capital_mix, s.weak, s.assets, s.rooms, c.need_minimums, c.need_target,
        c.unit_costs, c.area_per_classroom, c.equipment_keep, c.computers_keep, c.ones, c.open_assets, c.need, c.yuan,
        c.quantity, s.capital, ITEM_CODES, item, school, amount[0], amount[1],
    )
    L.check_yuan(available, spent, unspent)
    s.public_funds = claims[PUBLIC]
    b.totals = (by_item.tolist(), allocated, capital_yuan)
    rows = [L.Funds(item[:count], school[:count], amount[0, :count], amount[1, :count])]
    _three_growths(state, paid[PUBLIC], spent, pupils)
    return state, rows


def _three_growths(state: State, public_total: float, spent: float, pupils: float) -> None:
    """Record the facts.md §9 checks: appropriation grows faster than revenue; spending and public
    funds per pupil grow."""
    b = state.budget
    per_pupil = spent / pupils if pupils > 0 else math.nan
    public_per_pupil = public_total / pupils if pupils > 0 else math.nan
    b.checks = (
        (b.current / b.last_budget - 1.0) > b.revenue_growth,
        bool(per_pupil > b.last_per_pupil) if math.isfinite(b.last_per_pupil) else None,
        bool(public_per_pupil > b.last_public_per_pupil) if math.isfinite(b.last_public_per_pupil) else None,
    )
    b.last_per_pupil, b.last_public_per_pupil = per_pupil, public_per_pupil
    b.spent = spent
