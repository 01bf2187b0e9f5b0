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
from balance_sim.sim.mobility import per_school
from balance_sim.sim.state import State


def public_funds(state: State, policy, year: int) -> np.ndarray:
    s, f = state.schools, policy.funding
    pupils = state.pupils
    rate = np.array([f.public_funds_per_pupil.primary.at(year), f.public_funds_per_pupil.junior.at(year)])
    funded = np.where(pupils > 0, np.maximum(pupils, f.small_school_floor), 0.0)
    amount = rate[s.level] * funded + f.boarding_supplement.at(year) * s.boarding_share * pupils
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


def _pay_in_order(available: float, claims: list[np.ndarray]) -> list[np.ndarray]:
    """Pay claims in order; the first that cannot be met in full is paid pro rata, later ones nothing."""
    paid = []
    for claim in claims:
        total = float(claim.sum())
        ratio = 1.0 if total <= available else (available / total if total > 0 else 0.0)
        paid.append(claim * ratio)
        available = max(available - total * ratio, 0.0)
    return paid


def step(state: State, policy, rng: np.random.Generator):
    """One year of funding; returns funding-ledger rows (one per school and item, plus county rows)."""
    s, b, year = state.schools, state.budget, state.year
    capital.depreciate(state, policy)
    b.last_budget = b.current
    b.current = b.current * (1.0 + policy.funding.budget_growth)
    b.pay_factor *= 1.0 + policy.funding.teacher_pay_growth
    available = b.current
    salaries, allowance = _pay(state, policy)
    public = public_funds(state, policy, year)
    other = np.array([b.other * b.current / b.base]) if b.base > 0 else np.zeros(1)
    salaries, allowance, public, other = _pay_in_order(available, [salaries, allowance, public, other])
    remaining = available - salaries.sum() - allowance.sum() - public.sum() - other.sum()
    pool = min(max(b.current - b.base, 0.0), max(remaining, 0.0))
    yuan, _ = capital.allocate(state, policy, pool)
    quantity = capital.buy(state, policy, yuan)
    s.public_funds = public
    spent = float(salaries.sum() + allowance.sum() + public.sum() + other.sum() + yuan.sum())
    unspent = max(available - spent, 0.0)  # rounding can leave −1e-9 yuan
    L.check_yuan(available, spent, unspent)
    table = np.zeros((s.n + 1, len(L.FUND_ITEMS)))
    table[:-1, L.SALARIES], table[:-1, L.ALLOWANCE], table[:-1, L.PUBLIC_FUNDS] = salaries, allowance, public
    table[-1, L.OTHER], table[-1, L.UNSPENT] = other[0], unspent
    table[:-1, L.CAPITAL_FIRST:L.UNSPENT] = yuan
    bought = np.full_like(table, np.nan)
    bought[:-1, L.CAPITAL_FIRST:L.UNSPENT] = quantity
    rows = [L.funds(table, bought)]
    _three_growths(state, public.sum(), spent)
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
