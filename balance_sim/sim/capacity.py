"""School capacity: intake caps on schools over the size limit, and classroom extensions
(issue 14 §4; quality-2017 government items "school size" and "class size", docs/sources.md#quality-2017-checklist).

Intake caps (`capacity.intake_caps`). A school's size limit L_c is the quality-2017 checklist's
`school_size` limit (`checklist_items.item_rules()`: 2,000 pupils, or 2,500 when any of its
sections is a nine- or twelve-year school), so the lever aims at exactly what the item checks; a school is every section sharing its `school_code`, as the checklist's `school_size`
item sums them. After the year's cohorts and moves, a section's pupils by grade are its own
(advanced from last year) plus its arrivals A_ig (grade 1 and grade 7 entrants, pupils moved in
by urbanisation or choice). With O_c and A_c the own and arrived pupils of school c:

    f_c = clip((L_c − O_c) / A_c, 0, 1)        share of the arrivals the school admits
    D_ig = A_ig · (1 − f_c(i))                 pupils displaced, by grade

so a school over its limit is held at it (or at its own pupils, if those alone exceed it: nobody
already enrolled is sent away). The displaced go to schools of the same level with room,
R_c = L_c − P_c (P_c its pupils after the caps; a two-section school's room is split between
its sections by their pupils), first within the township, then anywhere in its county (a state
of many counties seats no pupil across a county's border). The
data hold no geometry, so "the nearest school with room" is a school of the same township.
Within a group (township × level, then county × level) of demand D_k and room R_k, section i receives

    D_kg · room_i / max(R_k, D_k)               (no section beyond its room)

Pupils the county cannot seat return to their first school (reported in the county's notes).

Extensions (`capacity.extension_classrooms_per_year`, dated). Each year enrolment plans at
most N classrooms in every county where the classes pupils need exceed the rooms: shortage_i =
needed_i − ⌊rooms_i⌋, the most short of the county first (ties in section order); b_i =
clip(N − Σ_{j before i in i's county} shortage_j, 0, shortage_i). A classroom is `enrolment.teaching_area_per_classroom_m2` of teaching area a; its
capital cost, b_i · a · `funding.unit_cost.teaching_area`, is left in `schools.construction_yuan`
(yuan per section this year) as a claim on the budget. Funding pays it (in full, or in part when
the budget falls short) and builds what it paid for (`build`: area = yuan ÷ unit cost, rooms +=
area ÷ a), so no classroom stands unpaid; the rooms hold classes from the next year's enrolment.
No new school is built: a county without room is told so in the notes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.sim import groups
from balance_sim.sim.checklist_items import item_rules
from balance_sim.sim.state import Schools

# Pupils kept below a limit, so that rounding never tips a school held at its limit over it.
SLACK = 1e-6
TEACHING_AREA = 0  # column of ASSETS


@dataclass(frozen=True)
class Context:
    """The capacity lever in force in one year."""

    intake_caps: bool
    max_pupils: float  # pupils, primary and junior schools
    max_pupils_combined: float  # pupils, nine- and twelve-year schools
    classrooms: int  # classrooms the county builds this year (at most)
    area_per_classroom: float  # m² of teaching area a classroom adds
    yuan_per_m2: float  # unit cost of teaching area

    @classmethod
    def of(cls, policy, year: int) -> "Context":
        c = policy.capacity
        return cls(
            intake_caps=bool(c.intake_caps),
            max_pupils=item_rules().max_pupils,
            max_pupils_combined=item_rules().max_pupils_combined,
            classrooms=int(c.extension_classrooms_per_year.at(year)),
            area_per_classroom=float(policy.enrolment.teaching_area_per_classroom_m2),
            yuan_per_m2=float(policy.funding.unit_cost.teaching_area),
        )


def school_limits(s: Schools, context: Context) -> np.ndarray:
    """The size limit (pupils) of every school, indexed by `school_code`."""
    combined = np.isin(s.school_types, item_rules().combined_types)
    n_schools = int(s.school_code.max()) + 1 if s.n else 0
    has_combined = np.bincount(s.school_code, weights=combined, minlength=n_schools) > 0
    return np.where(has_combined, context.max_pupils_combined, context.max_pupils)


def cap_intake(s: Schools, arrived: np.ndarray, context: Context) -> tuple[float, float]:
    """`cap_intake_by_county`, totalled over the counties: (pupils displaced, pupils not seated)."""
    displaced, unseated = cap_intake_by_county(s, arrived, context)
    return float(displaced.sum()), float(unseated.sum())


def cap_intake_by_county(s: Schools, arrived: np.ndarray, context: Context) -> tuple[np.ndarray, np.ndarray]:
    """Hold every open school at its size limit by refusing arrivals, and seat the refused in
    schools of their county with room (in place on `s.grades`). Returns, by county (C,), the
    pupils displaced and the pupils the county could not seat, who stayed at their first school."""
    code, grades = s.school_code, s.grades
    counties = int(s.county.max()) + 1 if s.n else 1
    limit = school_limits(s, context) - SLACK
    n_schools = len(limit)
    arrived = np.where(s.open[:, None], arrived, 0.0)
    own = np.bincount(code, weights=(grades - arrived).sum(axis=1), minlength=n_schools)
    incoming = np.bincount(code, weights=arrived.sum(axis=1), minlength=n_schools)
    with np.errstate(all="ignore"):
        admit = np.where(incoming > 0, np.clip((limit - own) / incoming, 0.0, 1.0), 1.0)
    displaced = arrived * (1.0 - admit[code])[:, None]
    total = groups.sums(displaced.sum(axis=1), s.county, counties)
    # A county that displaces nobody keeps its grades untouched, as alone.
    displaced[~(total > 0)[s.county]] = 0.0
    if not (total > 0).any():
        return np.zeros(counties), np.zeros(counties)
    grades -= displaced
    room = section_room(s, limit)
    placed, left = fill(displaced, room, s.township.astype(np.int64) * 2 + s.level)
    grades += placed
    placed, left = fill(left, room - placed.sum(axis=1), s.county_level)
    grades += placed + left  # the unseated return to their first school
    return np.where(total > 0, total, 0.0), groups.sums(left.sum(axis=1), s.county, counties)


def section_room(s: Schools, limit: np.ndarray) -> np.ndarray:
    """Pupils each open section can still take before its school reaches `limit` (by school
    code); a school's room is split between its sections by their pupils (evenly if empty)."""
    code = s.school_code
    pupils = np.where(s.open, s.grades.sum(axis=1), 0.0)
    n_schools = len(limit)
    school_pupils = np.bincount(code, weights=pupils, minlength=n_schools)
    sections = np.bincount(code, weights=s.open, minlength=n_schools)
    room = np.maximum(limit - school_pupils, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(school_pupils[code] > 0, pupils / school_pupils[code], 1.0 / sections[code])
    return np.where(s.open, room[code] * share, 0.0)


def fill(demand: np.ndarray, room: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seat the pupils of `demand` (sections × grades, by the section they come from) in the
    sections of their group with `room`, in proportion to the room and never beyond it.
    Returns (pupils placed by receiving section and grade, demand not placed by origin)."""
    n_groups = int(group.max()) + 1 if len(group) else 0
    by_group = np.zeros((n_groups, demand.shape[1]))
    np.add.at(by_group, group, demand)
    wanted = by_group.sum(axis=1)
    offered = np.bincount(group, weights=room, minlength=n_groups)
    scale = np.maximum(offered, wanted)
    with np.errstate(all="ignore"):  # a vanishing demand overflows the ratio: seated in full
        placed = np.where(scale[group] > 0, room / scale[group], 0.0)[:, None] * by_group[group]
        seated = np.where(wanted > 0, np.minimum(offered / wanted, 1.0), 1.0)
    return placed, demand * (1.0 - seated[group])[:, None]


def plan(s: Schools, needed: np.ndarray, context: Context) -> np.ndarray:
    """Yuan by section of the classrooms to build this year: up to `context.classrooms` in every
    county where the classes `needed` exceed the rooms, the most short of the county first.
    Nothing is built yet."""
    shortage = np.where(s.open, np.maximum(needed - np.floor(s.rooms + 1e-9), 0.0), 0.0)
    order = np.lexsort((-shortage, s.county))  # by county, then most short (stable: ties in section order)
    short = shortage[order]
    before = groups.cumsum_within(short, s.county[order]) - short
    planned = np.zeros(s.n)
    planned[order] = np.clip(context.classrooms - before, 0.0, short)
    return planned * context.area_per_classroom * context.yuan_per_m2


def build(s: Schools, yuan: np.ndarray, area_per_classroom: float, yuan_per_m2: float) -> np.ndarray:
    """Teaching area and rooms bought with the construction yuan paid (in place; a claim paid
    in part builds part of its classrooms). Returns the classrooms built by section."""
    area = np.asarray(yuan, dtype=float) / yuan_per_m2
    s.assets[:, TEACHING_AREA] += area
    s.rooms += area / area_per_classroom
    return area / area_per_classroom
