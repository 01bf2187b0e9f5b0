"""Many counties in one state: `stack` joins the base-year states of several counties into one,
`part` takes one county's state back out of it (`parts`: every county's).

In a stacked state the sections of county c are contiguous (Schools.county = c) and its teachers
are the slots whose post is one of them; every index a county's arrays hold (school, post,
township, school code) is shifted by the counties before it, and the county-level quantities
(budget, exchange counts, pupils moved) become arrays with one element per county. The
mechanisms then run once over the whole state with every county-level rule (budgets, pools,
exchange, quotas) acting within its county, and each county draws from its own streams
(streams.CountyDraws), so a county's run in the stacked state equals its run alone.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np

from balance_sim.sim.budget import Budget, one_county
from balance_sim.sim.groups import stable_order
from balance_sim.sim.state import Schools, State, Teachers

# Schools fields holding an index that is shifted by the counties before (index fields) and
# fields that are one number per county, not per section.
_SCHOOL_INDEX_FIELDS = ("township", "school_code")
_SCHOOL_COUNTY_FIELDS = ("choice_moved", "intake_moved")
_TEACHER_INDEX_FIELDS = ("school", "post")


def _fields(cls) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _school_array(schools: list[Schools], name: str) -> np.ndarray | None:
    values = [getattr(s, name) for s in schools]
    if all(v is None for v in values):
        return None
    filled = []
    for s, v in zip(schools, values):
        if v is None:  # given for some counties only: the others' are unknown
            like = next(x for x in values if x is not None)
            v = np.full((s.n, *like.shape[1:]), np.nan if like.dtype.kind == "f" else 0, like.dtype)
        filled.append(v)
    return np.concatenate(filled)


def stack_schools(schools: list[Schools]) -> Schools:
    values = {}
    offsets = np.cumsum([0] + [s.n for s in schools])
    for name in _fields(Schools):
        if name in _SCHOOL_COUNTY_FIELDS:
            values[name] = _per_county([getattr(s, name) for s in schools])
        elif name == "county":
            values[name] = np.repeat(np.arange(len(schools), dtype=np.int32), [s.n for s in schools])
        elif name in _SCHOOL_INDEX_FIELDS:
            arrays = [getattr(s, name) for s in schools]
            if any(a is None for a in arrays):
                values[name] = None
                continue
            shift = np.cumsum([0] + [int(a.max()) + 1 if len(a) else 0 for a in arrays[:-1]])
            values[name] = np.concatenate([a + k for a, k in zip(arrays, shift)]).astype(arrays[0].dtype)
        else:
            values[name] = _school_array(schools, name)
    del offsets
    return Schools(**values)


def stack_teachers(teachers: list[Teachers], schools: list[Schools]) -> Teachers:
    """The used slots of every county in county order, then the counties' spare slots."""
    section_offset = np.cumsum([0] + [s.n for s in schools[:-1]])
    spare = sum(t.capacity - t.n for t in teachers)
    values = {}
    for name in _fields(Teachers):
        if name == "n":
            continue
        parts = [getattr(t, name)[: t.n] for t in teachers]
        if name in _TEACHER_INDEX_FIELDS:
            parts = [p + k for p, k in zip(parts, section_offset)]
        used = np.concatenate(parts).astype(parts[0].dtype)
        values[name] = np.concatenate([used, np.zeros(spare, dtype=used.dtype)])
    return Teachers(**values, n=sum(t.n for t in teachers))


def stack_budgets(budgets: list[Budget]) -> Budget:
    """One Budget whose numbers are arrays over the counties (carried: counties × 2; planned:
    year → appropriation per county, NaN where a county's table has no plan for that year)."""
    values = {}
    for name in _fields(Budget):
        items = [getattr(b, name) for b in budgets]
        if name == "planned":
            years = sorted({y for plan in items for y in plan})
            values[name] = {y: _per_county([plan.get(y, np.nan) for plan in items]) for y in years}
        elif name == "figures":
            keys = set().union(*items)
            values[name] = {k: _per_county([f.get(k, np.nan) for f in items]) for k in sorted(keys)}
        elif name == "carried":
            values[name] = np.vstack([np.asarray(v, float).reshape(-1, 2) for v in items])
        else:
            values[name] = _per_county(items)
    return Budget(**values)


def _per_county(items) -> np.ndarray:
    """One number per county, from numbers or arrays of one number per county."""
    return np.concatenate([np.asarray(v, dtype=float).reshape(-1) for v in items])


def stack(states: list[State]) -> State:
    """One state of several counties' base-year states (all of the same year)."""
    years = {s.year for s in states}
    if len(years) != 1:
        raise ValueError(f"counties of one state must start in the same year, got {sorted(years)}")
    schools = stack_schools([s.schools for s in states])
    teachers = stack_teachers([s.teachers for s in states], [s.schools for s in states])
    state = State(
        year=states[0].year, schools=schools, teachers=teachers,
        budget=stack_budgets([s.budget for s in states]) if all(s.budget is not None for s in states) else None,
        notes=[], counties=len(states),
        observed_exchange=np.array([s.observed_exchange for s in states], dtype=float),
    )
    state.county_notes = [list(s.notes) for s in states]
    state.pupils = None if any(s.pupils is None for s in states) else np.concatenate([s.pupils for s in states])
    state.norm = None if any(s.norm is None for s in states) else np.concatenate([s.norm for s in states])
    state.exchange_counts = np.vstack([np.asarray(s.exchange_counts, np.int64).reshape(-1, 3) for s in states])
    state.targeted_counts = np.vstack([np.asarray(s.targeted_counts, np.int64).reshape(-1, 2) for s in states])
    return state


def county_slots(state: State, county: int) -> np.ndarray:
    """The used teacher slots of `county`, in slot order (its slot order alone)."""
    return np.flatnonzero(state.teacher_county() == county)


def parts(state: State) -> Iterator[State]:
    """Every county of a stacked state as a state of its own, in county order (as `part`):
    the slots are grouped by county once rather than searched for each county."""
    teacher_county = state.teacher_county()
    order = stable_order(teacher_county)
    slot_bounds = np.r_[0, np.cumsum(np.bincount(teacher_county, minlength=state.counties))]
    section_bounds = np.r_[0, np.cumsum(np.bincount(state.schools.county, minlength=state.counties))]
    for c in range(state.counties):  # a county's sections are contiguous
        yield part(state, c, slots=order[slot_bounds[c]:slot_bounds[c + 1]],
                   sections=np.arange(section_bounds[c], section_bounds[c + 1]))


def part(state: State, county: int, slots: np.ndarray | None = None,
         sections: np.ndarray | None = None) -> State:
    """County `county` of a stacked state as a state of its own (copies, its own indices);
    teacher capacity is its used slots. `slots` and `sections`, when given, are the county's
    used slots and sections in order (`parts` finds them for every county at once)."""
    s = state.schools
    sections = np.flatnonzero(s.county == county) if sections is None else sections
    first = int(sections[0]) if len(sections) else 0
    school_values = {}
    for name in _fields(Schools):
        value = getattr(s, name)
        if name in _SCHOOL_COUNTY_FIELDS:
            school_values[name] = float(value[county])
        elif name == "county":
            school_values[name] = np.zeros(len(sections), np.int32)
        elif value is None:
            school_values[name] = None
        elif name in _SCHOOL_INDEX_FIELDS:
            mine = value[sections]
            school_values[name] = (mine - mine.min()).astype(value.dtype) if len(mine) else mine.copy()
        else:
            school_values[name] = value[sections].copy()
    slots = county_slots(state, county) if slots is None else slots
    t = state.teachers
    teacher_values = {}
    for name in _fields(Teachers):
        if name == "n":
            continue
        value = getattr(t, name)[slots]
        teacher_values[name] = (value - first).astype(value.dtype) if name in _TEACHER_INDEX_FIELDS else value.copy()
    one = State(
        year=state.year, schools=Schools(**school_values), teachers=Teachers(**teacher_values, n=len(slots)),
        budget=part_budget(state.budget, county) if state.budget is not None else None,
        notes=list(state.county_notes[county]) if state.counties > 1 else list(state.notes),
        observed_exchange=tuple(np.asarray(state.observed_exchange, float).reshape(-1, 3)[county]),
    )
    one.pupils = None if state.pupils is None else state.pupils[sections].copy()
    one.norm = None if state.norm is None else state.norm[sections].copy()
    one.exchange_counts = tuple(int(v) for v in np.asarray(state.exchange_counts).reshape(-1, 3)[county])
    one.targeted_counts = tuple(int(v) for v in np.asarray(state.targeted_counts).reshape(-1, 2)[county])
    return one


def part_budget(budget: Budget, county: int) -> Budget:
    """County `county`'s budget in the form of a state of one county (budget.one_county)."""
    values = {}
    for name in _fields(Budget):
        value = getattr(budget, name)
        if name == "planned":
            values[name] = {y: float(v[county]) for y, v in value.items() if np.isfinite(v[county])}
        elif name == "figures":
            values[name] = {k: (float(np.asarray(v)[county]) if np.ndim(v) else float(v)) for k, v in value.items()}
        elif name == "carried":
            values[name] = np.asarray(value, float)[county].copy()
        elif name == "base_year":
            values[name] = int(value[county])
        else:
            values[name] = float(value[county])
    return one_county(Budget(**values))
