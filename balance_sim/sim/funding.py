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
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim import capital
from balance_sim.sim import ledger as L
from balance_sim.sim.matching import per_school
from balance_sim.sim.state import State


def public_funds(state: State, policy, year: int) -> np.ndarray:
    s, f = state.schools, policy.funding
    pupils = state.pupils
    dated = state.constants.dated(year)
    funded = np.where(pupils > 0, np.maximum(pupils, f.small_school_floor), 0.0)
    amount = dated.public_funds_rate[s.level] * funded + dated.boarding_supplement * s.boarding_share * pupils
    return np.where(s.open, amount, 0.0)


def _pay(state: State, policy) -> tuple[np.ndarray, np.ndarray]:
    """Salaries by post-holding school; allowances by the rural school where the teacher teaches."""
    t, s = state.teachers, state.schools
    serving = t.active[: t.n]
    pay = policy.funding.teacher_pay_yuan * state.budget.pay_factor
    salaries = per_school(t.post[: t.n], serving, s.n) * pay
    at_rural = per_school(t.school[: t.n], serving, s.n) * s.rural
    allowance = at_rural * policy.teachers.hardship_allowance_yuan_month * 12.0
    return salaries.astype(float), allowance.astype(float)


def recurrent_cost(state: State, policy, year: int) -> float:
    salaries, allowance = _pay(state, policy)
    return float(salaries.sum() + allowance.sum() + public_funds(state, policy, year).sum())


def _pay_in_order(available: float, totals) -> list[float]:
    """Share of each claim paid, claims in order: the first that cannot be met in full is paid
    pro rata, later ones nothing. `totals`: yuan claimed by each (plain floats: four numbers)."""
    ratios = []
    for total in totals:
        ratio = 1.0 if total <= available else (available / total if total > 0 else 0.0)
        ratios.append(ratio)
        available = max(available - total * ratio, 0.0)
    return ratios


def step(state: State, policy, rng: np.random.Generator):
    """One year of funding; returns funding-ledger rows (one per school and item, plus county rows)."""
    s, b, year = state.schools, state.budget, state.year
    capital.depreciate(state, policy)
    b.last_budget = b.current
    b.current = b.current * (1.0 + policy.funding.budget_growth)
    b.pay_factor *= 1.0 + policy.funding.teacher_pay_growth
    available = b.current
    # The ledger's yuan table, filled in place: one row per section (+ the county row), one
    # column per item; the three per-section claims sit side by side so one call serves them all.
    table = np.zeros((s.n + 1, len(L.FUND_ITEMS)))
    claims = table[:-1, L.SALARIES:L.OTHER]  # salaries, allowance, public funds (a view)
    claims[:, L.SALARIES], claims[:, L.ALLOWANCE] = _pay(state, policy)
    claims[:, L.PUBLIC_FUNDS] = public_funds(state, policy, year)
    other = b.other * b.current / b.base if b.base > 0 else 0.0
    # Column by column (1-D pairwise sums): the same roundings as summing each claim on its own.
    ratios = _pay_in_order(available, [float(claims[:, k].sum()) for k in range(3)] + [other])
    claims *= ratios[:3]
    other *= ratios[3]
    paid = [float(claims[:, k].sum()) for k in range(3)] + [other]
    remaining = available - paid[0] - paid[1] - paid[2] - paid[3]
    pool = min(max(b.current - b.base, 0.0), max(remaining, 0.0))
    yuan, _ = capital.allocate(state, policy, pool)
    quantity = capital.buy(state, policy, yuan)
    s.public_funds = claims[:, L.PUBLIC_FUNDS].copy()
    spent = sum(paid) + float(yuan.sum())
    unspent = max(available - spent, 0.0)  # rounding can leave −1e-9 yuan
    L.check_yuan(available, spent, unspent)
    table[-1, L.OTHER], table[-1, L.UNSPENT] = other, unspent
    table[:-1, L.CAPITAL_FIRST:L.UNSPENT] = yuan
    bought = np.full_like(table, np.nan)
    bought[:-1, L.CAPITAL_FIRST:L.UNSPENT] = quantity
    rows = [L.funds(table, bought)]
    _three_growths(state, paid[L.PUBLIC_FUNDS], spent)
    return state, rows


def _three_growths(state: State, public_total: float, spent: float) -> None:
    """Record the facts.md §9 checks: appropriation grows faster than revenue; spending and public
    funds per pupil grow."""
    b = state.budget
    pupils = float(state.pupils.sum())
    per_pupil = spent / pupils if pupils > 0 else np.nan
    public_per_pupil = public_total / pupils if pupils > 0 else np.nan
    b.checks = (
        (b.current / b.last_budget - 1.0) > b.revenue_growth,
        bool(per_pupil > b.last_per_pupil) if np.isfinite(b.last_per_pupil) else None,
        bool(public_per_pupil > b.last_public_per_pupil) if np.isfinite(b.last_public_per_pupil) else None,
    )
    b.last_per_pupil, b.last_public_per_pupil = per_pupil, public_per_pupil
    b.spent = spent
