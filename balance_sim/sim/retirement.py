"""Teachers age, retire and leave (policy-brief lever 2; facts.md §8).

Every serving teacher ages a year and adds a year at the school (and of rural service when the
school is rural). Retirement at the dated age by sex (facts.md §8). Attrition: a probability by
location, for rural teachers multiplied by exp(−effect × allowance / 1000 yuan a month), the
hardship allowance's effect (an assumption to be estimated, facts.md §8 and §10).

The year is one compiled pass over the teacher slots (`_age_and_exit`) after the attrition draws,
one per used slot as always, made in the same call (draws.py).
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.jit import kernel
from balance_sim.sim.draws import fill32, pointers
from balance_sim.sim.state import State


@kernel
def _age_and_exit(active, school, age, years_at_school, rural_years, female, school_rural,
                  school_attrition, retirement_age, draw, exits):
    """One pass over the used slots: serving teachers age a year (and a year at the school, and of
    rural service at a rural school); those at the retirement age of their sex retire, the others
    leave when their draw is below their school's attrition probability. Both leave `active`.
    Returns (rows, number retiring): ledger rows as one (3 × exits) array — slot, school left,
    school joined (−1) — the retiring first, then the leaving, each in slot order. `exits` is
    working space of at least the used slots: retiring slots fill it from the front, leaving ones
    from the back."""
    n = len(draw)
    n_retire = 0
    n_leave = 0
    for i in range(n):
        if not active[i]:
            continue
        here = school[i]
        age[i] += 1
        years_at_school[i] += 1
        if school_rural[here]:
            rural_years[i] += 1
        if age[i] >= retirement_age[1 if female[i] else 0]:
            exits[n_retire] = i
            n_retire += 1
            active[i] = False
        elif draw[i] < school_attrition[here]:  # float32 draw against a float64 rate, as numpy compares
            n_leave += 1
            exits[n - n_leave] = i
            active[i] = False
    rows = np.empty((3, n_retire + n_leave), np.int64)
    for k in range(n_retire + n_leave):
        slot = exits[k] if k < n_retire else exits[n - 1 - (k - n_retire)]
        rows[0, k] = slot
        rows[1, k] = school[slot]
        rows[2, k] = -1
    return rows, n_retire


@kernel
def _year_pass(bits, n, active, school, age, years_at_school, rural_years, female, school_rural, school_attrition,
               retirement_age, exits):
    """The year in one call: one float32 draw per used slot, former teachers included (as ever;
    draws.py), then `_age_and_exit`."""
    draw = np.empty(n, np.float32)
    fill32(bits, draw)
    return _age_and_exit(active[:n], school[:n], age[:n], years_at_school[:n], rural_years[:n], female[:n],
                         school_rural, school_attrition, retirement_age, draw, exits)


def _per_run(state: State) -> dict:
    """Each section's rural flag and attrition probability (locations never change in a run)."""
    s = state.schools
    return {"rural": s.rural, "attrition": state.constants.attrition[s.location]}


def step(state: State, policy, rng: np.random.Generator):
    t, year = state.teachers, state.year
    scratch = state.scratch.get("retirement")
    if scratch is None:
        scratch = state.scratch["retirement"] = _per_run(state)
    exits = scratch.get("exits")
    if exits is None or len(exits) < t.n:  # room for every slot, reused from year to year
        exits = scratch["exits"] = np.empty(t.capacity, np.int64)
    rows, n_retire = _year_pass(pointers(state, rng), t.n, t.active, t.school, t.age, t.years_at_school, t.rural_years,
                                t.female, scratch["rural"], scratch["attrition"],
                                state.constants.dated(year).retirement_age, exits)
    return state, [L.Moves(L.RETIRE, rows[:, :n_retire]), L.Moves(L.LEAVE, rows[:, n_retire:])]
