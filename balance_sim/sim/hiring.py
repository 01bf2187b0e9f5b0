"""Hiring to the staffing norms by subject, and itinerant (走教) PE and arts teachers for small
rural schools (docs/sources.md#lever-teachers; docs/sources.md#quality-2017, docs/sources.md#quality-2017-checklist, docs/sources.md#teachers).

Posts. Each open section s has vacancy_s = max(norm_s − posts_s, 0) (norm: 1:19 primary, 1:13.5
junior, small schools by classes, docs/sources.md#teachers; set by enrolment). The county fills at most

    quota = ⌊max_hires_share × serving teachers⌋

vacancies a year (an assumption), rural and weak sections first (Schools.priority), then the
furthest below their norm (vacancy ÷ norm), then in section order; a section's vacancies in a row.
In a state of many counties each county fills its own vacancies up to its own quota (its
serving teachers), all counties at once.

Subjects (`hire_by_subject`). A section lacking PE and arts teachers against the quality-2017
minimum m = 0.9 per 100 pupils (docs/sources.md#quality-2017, `rules._standard_rules("quality-2017")`) lacks

    lack_s = max(⌈m × pupils_s / 100 − pe_art_s − itinerant_s⌉, 0)

(pe_art_s: PE/arts teachers holding a post at s; itinerant_s only where the official rule counts
it, below); its first min(hires_s, lack_s) hires are PE/arts teachers, the others general ones.
With `hire_by_subject` off, each hire is a PE/arts teacher with probability
`new_teacher_pe_art_share` (a fixed coin toss, for comparison).

Itinerant PE and arts teachers (`itinerant_pe_art.enabled`). Each open rural section with
pupils_from ≤ pupils < pupils_below is served by as many itinerant teachers as it lacks
(lack_s above, without itinerant_s), recorded in `Schools.itinerant_pe_art`. They are county
staff shared among schools, outside the posts and the quota: the county employs
⌈Σ_s itinerant_s ÷ schools_per_teacher⌉ of them at `cost_yuan_per_teacher_year` each (an
assumption; `itinerant_cost_yuan`, charged by funding; `itinerant_cost_yuan_by_county` in a
state of many counties). The official rule counts them toward
a school's PE and arts teachers only in rural schools of 50–99 pupils (docs/sources.md#quality-2017-checklist; the
definition `itinerant_pe_art`, balance_sim/checklist/definitions.yaml): `itinerant_counted`, which
reads "fewer than 100" so that a section of 99.5 expected pupils served is also counted.

Hires: age `new_teacher_age`; sex and degree from the policy's shares, one row of draws per hire
(rng.random((hires, 3)): sex, degree, coin toss; each county's hires from its own stream,
streams.CountyDraws), so hire j's draws do not depend on how many follow; hires are appended
after the used slots, county by county, so a county's k-th hire in a state of many counties is
its k-th hire alone (ids are given at the edge, tables.teacher_ids); no title, no backbone
level, the training cycle due (training.py). Ledger kind `hire`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.checklist.definitions import rules as definition_rules
from balance_sim.sim import ledger as L
from balance_sim.sim.mobility import posts_held, shortage_order
from balance_sim.sim.rules import _standard_rules
from balance_sim.sim.streams import CountyDraws
from balance_sim.sim.state import LOCATIONS, State


def pe_art_minimum() -> np.ndarray:
    """The quality-2017 minimum PE and arts teachers per 100 pupils, by level (docs/sources.md#quality-2017)."""
    return _standard_rules("quality-2017").minimum("pe_art_teachers_per_100")


@dataclass(frozen=True)
class Itinerant:
    """The itinerant PE and arts teachers lever."""

    enabled: bool
    pupils_from: float  # pupils: smallest school served
    pupils_below: float  # pupils: schools with fewer are served
    schools_per_teacher: float
    cost_yuan_per_teacher_year: float


@dataclass(frozen=True)
class Context:
    """The policy's hiring values in force in one year."""

    max_share: float
    hire_age: int
    female_share: float
    degree_cuts: np.ndarray  # cumulative shares: associate, associate + bachelor
    by_subject: bool
    pe_art_share: float  # the coin toss when hiring is not by subject
    cycle_years: int
    pe_art_minimum: np.ndarray  # per 100 pupils, by level
    itinerant: Itinerant

    @classmethod
    def of(cls, policy, year: int) -> "Context":
        t = policy.teachers
        d, it = t.new_teacher_degree, t.itinerant_pe_art
        return cls(
            max_share=t.max_hires_share, hire_age=t.new_teacher_age, female_share=t.new_teacher_female_share,
            degree_cuts=np.array([d.associate, d.associate + d.bachelor]), by_subject=t.hire_by_subject,
            pe_art_share=t.new_teacher_pe_art_share, cycle_years=t.training_cycle_years,
            pe_art_minimum=pe_art_minimum(),
            itinerant=Itinerant(it.enabled, it.pupils_from, it.pupils_below, it.schools_per_teacher,
                                it.cost_yuan_per_teacher_year),
        )


def itinerant_counted(state: State) -> np.ndarray:
    """Sections where the official rule counts itinerant PE and arts teachers (docs/sources.md#quality-2017-checklist)."""
    spec, s = definition_rules()["itinerant_pe_art"], state.schools
    where = np.isin(s.location, [LOCATIONS.index(word) for word in spec["locations"]])
    # Pupils are expected values: "50–99 pupils" is at least 50 and fewer than 100.
    return where & (state.pupils >= spec["min_students"]) & (state.pupils < spec["max_students"] + 1)


def pe_art_lack(state: State, context: Context, pe_art: np.ndarray) -> np.ndarray:
    """PE and arts teachers each open section needs to reach the minimum, given `pe_art` of them."""
    needed = context.pe_art_minimum[state.schools.level] * state.pupils / 100.0
    lack = np.ceil(needed - pe_art - 1e-9)
    return np.where(state.schools.open, np.maximum(lack, 0), 0).astype(np.int64)


def pe_art_posts(state: State) -> np.ndarray:
    """PE and arts teachers holding a post at each section (exchange teachers count at home)."""
    t, n = state.teachers, state.teachers.n
    return np.bincount(t.post[:n][t.active[:n] & t.pe_art[:n]], minlength=state.schools.n)


def assign_itinerant(state: State, context: Context, pe_art: np.ndarray) -> np.ndarray:
    """Itinerant PE and arts teachers serving each section this year (0 with the lever off)."""
    it, s, pupils = context.itinerant, state.schools, state.pupils
    if not it.enabled:
        return np.zeros(s.n, np.int64)
    served = s.open & s.rural & (pupils > 0) & (pupils >= it.pupils_from) & (pupils < it.pupils_below)
    return np.where(served, pe_art_lack(state, context, pe_art), 0)


def itinerant_teachers(itinerant: np.ndarray, context: Context) -> int:
    """Itinerant teachers the county employs: ⌈Σ served posts ÷ schools per teacher⌉."""
    return int(np.ceil(itinerant.sum() / context.itinerant.schools_per_teacher - 1e-9))


def itinerant_cost_yuan(itinerant: np.ndarray, context: Context) -> float:
    """Yuan a year of the itinerant teachers serving `itinerant` (per section)."""
    return itinerant_teachers(itinerant, context) * context.itinerant.cost_yuan_per_teacher_year


def itinerant_teachers_by_county(itinerant: np.ndarray, county: np.ndarray, counties: int,
                                 context: Context) -> np.ndarray:
    """`itinerant_teachers` of every county of a state (`county`: each section's county
    position): itinerant teachers are county staff, shared only among their county's schools."""
    served = np.bincount(county, weights=itinerant, minlength=counties)
    return np.ceil(served / context.itinerant.schools_per_teacher - 1e-9).astype(np.int64)


def itinerant_cost_yuan_by_county(itinerant: np.ndarray, county: np.ndarray, counties: int,
                                  context: Context) -> np.ndarray:
    """`itinerant_cost_yuan` of every county of a state (yuan a year, one per county)."""
    teachers = itinerant_teachers_by_county(itinerant, county, counties, context)
    return teachers * context.itinerant.cost_yuan_per_teacher_year


def hiring_quotas(state: State, context: Context) -> np.ndarray:
    """Each county's quota of hires, ⌊max_hires_share × its serving teachers⌋ (one per county)."""
    return np.floor(context.max_share * state.serving_by_county()).astype(np.int64)


def places(state: State, context: Context) -> np.ndarray:
    """The section of each of the year's hires, in hiring order, county by county (see the
    module's docstring): each county's vacancies in its order, up to its own quota."""
    t, s = state.teachers, state.schools
    held = posts_held(t, s.n)
    vacancy = np.where(s.open, np.maximum(state.norm - held, 0), 0).astype(np.int64)
    order = shortage_order(state, vacancy)  # the county the major key
    posts = np.repeat(order, vacancy[order])
    county = s.county[posts]
    rank = np.arange(len(posts)) - np.searchsorted(county, county, side="left")
    return posts[rank < hiring_quotas(state, context)[county]]


def subjects(state: State, context: Context, where: np.ndarray, toss: np.ndarray, pe_art: np.ndarray) -> np.ndarray:
    """Whether each hire is a PE/arts teacher: by what the section lacks, or by the coin toss."""
    if not context.by_subject:
        return toss < context.pe_art_share
    counted = np.where(itinerant_counted(state), state.schools.itinerant_pe_art, 0)
    lack = pe_art_lack(state, context, pe_art + counted)
    return np.arange(len(where)) - _first_in_run(where) < lack[where]  # the section's first hires


def _first_in_run(where: np.ndarray) -> np.ndarray:
    """For each position, the position where its run of equal values starts."""
    if not len(where):
        return np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, where[1:] != where[:-1]])
    return np.repeat(starts, np.diff(np.r_[starts, len(where)]))


def write_hires(state: State, context: Context, where: np.ndarray, draws: np.ndarray, pe_art: np.ndarray) -> L.Moves:
    """Hires into slots n, n + 1, …; returns the ledger's rows."""
    t, k = state.teachers, len(where)
    t.grow(k)
    slots = np.arange(t.n, t.n + k)
    # No id yet: hires get theirs at the edge, from their slot in their county (tables.teacher_ids);
    # set here because spare slots of a stacked or grown state are zero-filled, not empty.
    t.ids[slots] = None
    t.active[slots] = True
    t.school[slots] = where
    t.post[slots] = where
    t.age[slots] = context.hire_age
    t.female[slots] = draws[:, 0] < context.female_share
    t.degree[slots] = 1 + (draws[:, 1] >= context.degree_cuts[0]) + (draws[:, 1] >= context.degree_cuts[1])
    t.pe_art[slots] = pe_art
    for name in ("title", "backbone", "years_at_school", "rural_years", "exchange_left"):
        getattr(t, name)[slots] = 0
    t.training_cycle[slots] = context.cycle_years  # due: completes with the year's training
    t.n += k
    return L.moves(L.HIRE, slots, np.full(k, -1), where)


def step(state: State, context: Context, rng: CountyDraws) -> list:
    """Itinerant teachers assigned, then the year's hires by subject. Returns the hire rows."""
    pe_art = pe_art_posts(state)
    state.schools.itinerant_pe_art = assign_itinerant(state, context, pe_art)
    where = places(state, context)
    draws = rng.random(state.schools.county[where], 3)  # per hire: sex, degree, coin toss
    return [write_hires(state, context, where, draws, subjects(state, context, where, draws[:, 2], pe_art))]
