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

Payment (`pay_in_order`), in every county from its own budget: claims are met in a fixed order;
the first that the county's money left cannot meet in full is paid pro rata (every section of
the county the same share) and those after it get nothing. What is not paid is the year's
unaffordable gap: it is reported, never covered from another item, nor from another county.
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim.state import Schools, Teachers


def serving(t: Teachers) -> np.ndarray:
    """Slots of the serving teachers."""
    return np.flatnonzero(t.active[: t.n])


def salaries(t: Teachers, n_sections: int, pay) -> np.ndarray:
    """Posts held at each section × `pay` (a number, or the pay of each section's county)."""
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


def itinerant(s: Schools, yuan: np.ndarray) -> np.ndarray:
    """Each county's itinerant teachers' `yuan` (one per county) shared by the sections of the
    county they serve, in proportion to the posts."""
    served = s.itinerant_pe_art.astype(float)
    total = np.bincount(s.county, weights=served, minlength=len(yuan))[s.county]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, served * (np.asarray(yuan, dtype=float)[s.county] / total), 0.0)


def pay_in_order(money: np.ndarray, claims: list[np.ndarray], owners: list[np.ndarray]
                 ) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
    """Claims met in order, in every county from its own `money` (one per county). A claim is
    an array whose rows (sections, or counties) belong to the county positions `owners[k]`.
    Returns the amounts paid (same shapes), the share of each claim paid in each county
    (one array per claim), and each county's money left."""
    money = np.asarray(money, dtype=float)
    counties = len(money)
    paid, shares = [], []
    for claim, owner in zip(claims, owners):
        rows = claim.reshape(len(claim), -1).sum(axis=1)
        total = np.bincount(owner, weights=rows, minlength=counties)  # each county's rows in their order
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total <= money, 1.0, np.maximum(money, 0.0) / total)
        paid.append(claim * share[owner].reshape(-1, *([1] * (claim.ndim - 1))))
        shares.append(share)
        money = np.maximum(money - total * share, 0.0)
    return paid, shares, money
