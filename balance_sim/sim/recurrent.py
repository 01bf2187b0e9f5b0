"""Recurrent claims on the year's budget, by section (docs/sources.md#lever-funding, docs/sources.md#lever-teachers; docs/sources.md#quality-2017-checklist,
§8, §9; issue 14 §2), and their payment in order.

    salaries_i     = posts held at i × w_t                      (serving teachers, by post)
    allowance_i    = rural teachers teaching at i × a_t × 12    (a_t: hardship allowance a month)
    public_i       = r_l · max(P_i, F) + s_t · boarders_i       (open sections with pupils; r_l
                     the dated benchmark of the level, F = small_school_floor, s_t the dated
                     boarding supplement)
    training_i     = k · Σ_{teachers at i} min(τ_t · (π if i rural else 1), 1)
                     + k_c · p_t · #{teachers at i due for the 360-hour cycle this year}
                     (k yuan per teacher trained; τ_t the training rate, π the rural priority:
                     the teachers the year's training is expected to reach; k_c the cost of a
                     completed cycle, p_t the completion rate: the completions expected, a
                     teacher being due when c_i + 1 ≥ L, training.py)
                     + last year's targeted training at i (targeted_training.py)
    itinerant_i    = the county's itinerant PE/arts teachers × their yearly cost, shared by the
                     sections they serve (hiring.py; those assigned in last year's hiring)
    other          = O_t (budget.py), the same for every policy

The claims are those of the teachers in post when the budget is set: funding runs before the
year's exits and hires (model.py), so a leaver is paid for the year it leaves and a hire (and its
induction training) from the next year on — the two roughly offset where staff is stable.

Payment (`pay_in_order`): claims are met in a fixed order; the first that the money left cannot
meet in full is paid pro rata (every section the same share) and those after it get nothing.
What is not paid is the year's unaffordable gap: it is reported, never covered from another item.
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim.state import Schools, Teachers


def serving(t: Teachers) -> np.ndarray:
    """Slots of the serving teachers."""
    return np.flatnonzero(t.active[: t.n])


def salaries(t: Teachers, n_sections: int, pay: float) -> np.ndarray:
    return np.bincount(t.post[serving(t)], minlength=n_sections) * pay


def allowance(t: Teachers, s: Schools, yuan_month: float) -> np.ndarray:
    taught = np.bincount(t.school[serving(t)], minlength=s.n)
    return np.where(s.rural, taught, 0) * yuan_month * 12.0


def public_funds(s: Schools, pupils: np.ndarray, rate: np.ndarray, supplement: float, floor: float) -> np.ndarray:
    funded = np.where(s.open & (pupils > 0), np.maximum(pupils, floor), 0.0)
    boarders = np.where(s.open, s.boarding_share * pupils, 0.0)
    return rate[s.level] * funded + supplement * boarders


def training(t: Teachers, s: Schools, rate: float, rural_priority: float, cost: float,
             completion_rate: float, cycle_years: int, cycle_cost: float) -> np.ndarray:
    slots = serving(t)
    where = t.school[slots]
    reached = np.minimum(rate * np.where(s.rural[where], rural_priority, 1.0), 1.0)
    due = t.training_cycle[slots].astype(np.int64) + 1 >= cycle_years
    completing = np.bincount(where, weights=due * completion_rate, minlength=s.n)
    return np.bincount(where, weights=reached, minlength=s.n) * cost + completing * cycle_cost


def itinerant(s: Schools, yuan: float) -> np.ndarray:
    """The itinerant teachers' `yuan` shared by the sections they serve, in proportion to the posts."""
    served = s.itinerant_pe_art.astype(float)
    total = served.sum()
    return served * (yuan / total) if total > 0 else np.zeros(s.n)


def pay_in_order(money: float, claims: list[np.ndarray]) -> tuple[list[np.ndarray], list[float], float]:
    """Claims (arrays by section, or one-element arrays) met in order from `money`. Returns the
    amounts paid (same shapes), the share of each claim paid, and the money left."""
    paid, shares = [], []
    for claim in claims:
        total = float(claim.sum())
        share = 1.0 if total <= money else (max(money, 0.0) / total)
        paid.append(claim * share)
        shares.append(share)
        money = max(money - total * share, 0.0)
    return paid, shares, money
