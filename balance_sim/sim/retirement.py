"""Teachers age, retire and leave (policy-brief lever 2; facts.md §8).

Every serving teacher ages a year and adds a year at the school (and of rural service when the
school is rural). Retirement at the dated age by sex (facts.md §8). Attrition: a probability by
location, for rural teachers multiplied by exp(−effect × allowance / 1000 yuan a month), the
hardship allowance's effect (an assumption to be estimated, facts.md §8 and §10).
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.sim.state import State

INT8_MAX = 127


def step(state: State, policy, rng: np.random.Generator):
    t, s, year = state.teachers, state.schools, state.year
    serving = np.flatnonzero(t.active[: t.n])
    school = t.school[serving]
    t.age[serving] = np.minimum(t.age[serving].astype(np.int16) + 1, INT8_MAX)
    t.years_at_school[serving] = np.minimum(t.years_at_school[serving].astype(np.int16) + 1, INT8_MAX)
    t.rural_years[serving] = np.minimum(t.rural_years[serving].astype(np.int16) + s.rural[school], INT8_MAX)
    ages = policy.teachers.retirement_age
    limit = np.where(t.female[serving], ages.female.at(year), ages.male.at(year))
    retiring = t.age[serving] >= limit
    leaving = ~retiring & (rng.random(len(serving)) < state.constants.attrition[s.location[school]])
    t.active[serving[retiring | leaving]] = False
    return state, [
        L.moves(L.RETIRE, serving[retiring], school[retiring], np.full(retiring.sum(), -1)),
        L.moves(L.LEAVE, serving[leaving], school[leaving], np.full(leaving.sum(), -1)),
    ]


