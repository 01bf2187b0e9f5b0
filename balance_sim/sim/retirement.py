"""Teachers age, retire and leave the profession (docs/sources.md#lever-teachers; docs/sources.md#teachers, docs/sources.md#assumptions).

Each year every serving teacher i, teaching at section s(i):

    age_i += 1,   years_at_school_i += 1,   rural_years_i += 1 if s(i) is rural

    retires  if age_i ≥ R(sex_i, year)              R: teachers.retirement_age.{male,female}.at(year)
    leaves   if not retiring and u_i < p(s(i))      u_i ~ U[0, 1), one draw per teacher slot

    p = attrition_rate.urban, .town, or .rural × f(A),   f(A) = exp(−β × A / 1000)

with A the rural hardship allowance in force that year (yuan a month,
`hardship_allowance_yuan_month.at(year)`) and β = `allowance_effect_per_1000`. The allowance
exists since 2013 and ranges from tens to over a thousand yuan a month (docs/sources.md#teachers); its effect
on attrition has not been estimated, so β is an **assumption** (docs/sources.md#teachers "its effect on
attrition is an assumption to be estimated", §10): β = 0.4 means 1,000 yuan a month lowers rural
attrition by a third (f = 0.67). The same factor lowers rural-to-urban drift (mobility.py).

Draws: u = rng.random(n) over every used slot, serving or not, so a teacher's draw does not depend
on how many were hired after it. Ledger kinds `retire` and `leave` (teacher, section left, −1).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.sim.streams import CountyDraws
from balance_sim.sim.state import State


def allowance_factor(allowance_yuan_month: float, effect_per_1000: float) -> float:
    """f(A) = exp(−β × A / 1000): the multiple of rural attrition and drift left by allowance A."""
    return float(np.exp(-effect_per_1000 * allowance_yuan_month / 1000.0))


@dataclass(frozen=True)
class Context:
    """The policy's retirement ages and attrition probabilities in force in one year."""

    retirement_age: np.ndarray  # (male, female), years of age
    attrition: np.ndarray  # probability of leaving a year by location (urban, town, rural after f(A))
    allowance_factor: float  # f(A)

    @classmethod
    def of(cls, policy, year: int) -> "Context":
        t = policy.teachers
        factor = allowance_factor(t.hardship_allowance_yuan_month.at(year), t.allowance_effect_per_1000)
        rate = t.attrition_rate
        return cls(
            retirement_age=np.array([t.retirement_age.male.at(year), t.retirement_age.female.at(year)], np.int64),
            attrition=np.array([rate.urban, rate.town, rate.rural * factor]),
            allowance_factor=factor,
        )


def step(state: State, context: Context, rng: CountyDraws) -> list:
    """Age the serving teachers a year; retire those at the age of their sex, let the others leave
    with their section's probability. Returns the ledger's retire and leave rows."""
    t, s = state.teachers, state.schools
    n = t.n
    u = rng.random(state.teacher_county())  # one draw per slot, before anything depends on who serves
    active, school = t.active[:n], t.school[:n]
    t.age[:n] += active
    t.years_at_school[:n] += active
    t.rural_years[:n] += active & s.rural[school]
    limit = context.retirement_age[t.female[:n].astype(np.intp)]
    retiring = active & (t.age[:n] >= limit)
    leaving = active & ~retiring & (u < context.attrition[s.location[school]])
    out_retire, out_leave = np.flatnonzero(retiring), np.flatnonzero(leaving)
    active[out_retire] = False
    active[out_leave] = False
    return [
        L.moves(L.RETIRE, out_retire, school[out_retire], np.full(len(out_retire), -1)),
        L.moves(L.LEAVE, out_leave, school[out_leave], np.full(len(out_leave), -1)),
    ]
