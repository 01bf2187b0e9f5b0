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



def step(state: State, policy, rng: np.random.Generator):
    t, s, year = state.teachers, state.schools, state.year
    n = t.n
    active, school = t.active[:n], t.school[:n]
    # In place over the used slots (a former teacher's entries no longer matter): one pass each.
    t.age[:n] += active
    t.years_at_school[:n] += active
    t.rural_years[:n] += active & s.rural[school]
    limit = state.constants.dated(year).retirement_age[t.female[:n].view(np.int8)]
    retiring = active & (t.age[:n] >= limit)
    leaving = active & ~retiring & (rng.random(n, dtype=np.float32) < state.constants.attrition[s.location[school]])
    out_retire, out_leave = np.flatnonzero(retiring), np.flatnonzero(leaving)
    active[out_retire] = False
    active[out_leave] = False
    return state, [
        L.moves(L.RETIRE, out_retire, school[out_retire], np.full(len(out_retire), -1)),
        L.moves(L.LEAVE, out_leave, school[out_leave], np.full(len(out_leave), -1)),
    ]
