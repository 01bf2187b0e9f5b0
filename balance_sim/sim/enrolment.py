"""Enrolment: pupils by grade in every section, advanced one year (docs/sources.md#lever-pupils), with
the classes they need within the rooms and the staffing norm that follows.

Cohort survival (as in UNESCO's projection models), with x the grades of last year and y this
year's, p the level's progression ratio:

    y_1 = e_1 · (1 + births_change)               grade 1 follows the births trend
    y_g = x_(g−1) · p                              grades 2–6 (primary), 8–9 (junior)
    y_7,i = T_t · w_i / Σ_(j∈t) w_j                grade 7 of junior section i in township t

with T_t = Σ_(t) x_6 · transition_rate the township's primary leavers and w_i = e_7,i + 10⁻⁹
(an open junior section without intake still takes a share); e_1, e_7 are last year's grade 1
and grade 7 as they stood before any intake cap (`schools.entry_demand`), so the catchment of a
school that refused entrants stays its own. Leavers of a township without a junior section go
to every junior section of their county by w. Then, among the open sections of each county and
level (a state of many counties moves no pupil across a county's border):

- urbanisation: every rural section sends u = urbanisation_rate of each grade to the town and
  urban sections, in proportion to their pupils;
- school choice: with q_i the quality index and q̄ the county and level's enrolment-weighted mean,
  gap_i = (q̄ − q_i) / |q̄|; section i sends min(max(c · gap_i, 0), choice_max_share) of each grade,
  c = choice_sensitivity · (1 − nearest_school_enforcement), to the sections above the mean
  (gap < 0) in proportion to −gap_i · pupils_i.

A county's level with no receiving section keeps its pupils; the pupils moved by choice are
counted per county (`schools.choice_moved`). Then consolidation (consolidation.py,
optional), intake caps and the classrooms to build this year (capacity.py, optional), and

    classes_i = min(Σ_g ⌈y_ig / class limit⌉, max(⌊rooms_i⌋, 1))   the classes pupils need, within the rooms
    norm_i = ⌈pupils_i / pupils per post⌉, or ⌈classes_i · teachers per class⌉ when that is more
             and the section has fewer than `small_school_students` pupils (docs/sources.md#teachers)

Pupils are expected values (floats); the step draws nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.sim import capacity, consolidation, groups
from balance_sim.sim.streams import CountyDraws
from balance_sim.sim.state import RURAL, Schools, State

# Last year's grade 7 plus this weight: an open junior section without intake still takes a share.
EMPTY_INTAKE = 1e-9
ENTRY_GRADES = [0, 6]  # grade 1 and grade 7: the grades pupils enter
# Rounding guard: a class limit met exactly (45.0 pupils) is one class, not two.
ROUNDING = 1e-9


@dataclass(frozen=True)
class Context:
    """The enrolment parameters in force in one year."""

    entry_factor: float  # grade 1 this year ÷ grade 1 last year
    primary_progression: float
    junior_progression: float
    transition_rate: float
    urbanisation_rate: float
    choice_factor: float  # share of pupils leaving per unit of relative quality gap
    choice_max_share: float
    class_limit: tuple[float, float]  # pupils per class by level
    pupils_per_teacher: tuple[float, float]  # staffing norm by level
    teachers_per_class_small: float
    small_school_students: float
    consolidation: consolidation.Context
    capacity: capacity.Context

    @classmethod
    def of(cls, policy, year: int) -> "Context":
        e, t = policy.enrolment, policy.teachers
        return cls(
            entry_factor=1.0 + e.births_change,
            primary_progression=e.primary_progression,
            junior_progression=e.junior_progression,
            transition_rate=e.transition_rate,
            urbanisation_rate=e.urbanisation_rate,
            choice_factor=e.choice_sensitivity * (1.0 - e.nearest_school_enforcement),
            choice_max_share=e.choice_max_share,
            class_limit=(e.class_size_limit.primary, e.class_size_limit.junior),
            pupils_per_teacher=(t.pupils_per_teacher.primary, t.pupils_per_teacher.junior),
            teachers_per_class_small=t.teachers_per_class_small,
            small_school_students=float(t.small_school_students),
            consolidation=consolidation.Context.of(policy, year),
            capacity=capacity.Context.of(policy, year),
        )


def advance_cohorts(s: Schools, context: Context) -> tuple[np.ndarray, np.ndarray]:
    """This year's grades from last year's (closed sections empty) and the entrants among them
    (grade 1 and grade 7, zero elsewhere)."""
    old = s.grades
    demand = entry_demand(s)
    new = np.zeros_like(old)
    new[:, 0] = demand[:, 0] * context.entry_factor
    new[:, 1:6] = old[:, 0:5] * context.primary_progression
    new[:, 7:9] = old[:, 6:8] * context.junior_progression
    new[:, 6] = grade_seven(old[:, 5], demand[:, 1], s, context.transition_rate)
    new[~s.open] = 0.0
    entrants = np.zeros_like(new)
    entrants[:, ENTRY_GRADES] = new[:, ENTRY_GRADES]
    return new, entrants


def entry_demand(s: Schools) -> np.ndarray:
    """(sections × 2) last year's grade 1 and grade 7 before any intake cap (the grades
    themselves in the base year)."""
    return s.grades[:, ENTRY_GRADES] if s.entry_demand is None else s.entry_demand


def county_count(s: Schools) -> int:
    """Counties of the sections (positions 0 … C − 1; every county has sections)."""
    return int(s.county.max()) + 1 if s.n else 1


def grade_seven(grade_six: np.ndarray, intake: np.ndarray, s: Schools, transition_rate: float) -> np.ndarray:
    """Grade 7 of every section: the township's grade-6 leavers shared by last year's intake
    (leavers of townships without a junior section, across their county)."""
    n_townships = int(s.township.max()) + 1 if s.n else 0
    counties = county_count(s)
    leavers = np.bincount(s.township, weights=grade_six * transition_rate, minlength=n_townships)
    weight = np.where(s.open & (s.level == 1), intake + EMPTY_INTAKE, 0.0)
    township_weight = np.bincount(s.township, weights=weight, minlength=n_townships)
    served = township_weight > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        local = np.where(served[s.township], weight / township_weight[s.township], 0.0)
    # Townships are distinct across counties, so each has one county (numbers no section
    # uses hold no leavers and add nothing).
    township_county = np.zeros(n_townships, np.int64)
    township_county[s.township] = s.county
    unserved = np.bincount(township_county, weights=np.where(served, 0.0, leavers), minlength=counties)
    county_weight = np.bincount(s.county, weights=weight, minlength=counties)[s.county]
    with np.errstate(divide="ignore", invalid="ignore"):
        county_share = np.where(county_weight > 0, weight / county_weight, weight)
    return leavers[s.township] * local + unserved[s.county] * county_share


def redistribute(grades: np.ndarray, arrived: np.ndarray, s: Schools, outflow_share: np.ndarray,
                 receiver_weight: np.ndarray) -> np.ndarray:
    """Move `grades × outflow_share` (a share per section) to the sections of the same county
    and level in proportion to `receiver_weight` (in place; the moved pupils are added to
    `arrived`, whose leavers leave in the same share). A county's level without receivers keeps
    its pupils. Returns the pupils moved by county (C,)."""
    group, n_groups = s.county_level, 2 * county_count(s)
    weight_by_group = np.bincount(group, weights=receiver_weight, minlength=n_groups)[group]
    share = np.where(weight_by_group > 0, outflow_share, 0.0)[:, None]
    outflow = grades * share
    total = groups.sums(outflow, group, n_groups)  # (county × level, grade)
    with np.errstate(divide="ignore", invalid="ignore"):
        received = np.where(weight_by_group > 0, receiver_weight / weight_by_group, 0.0)
    inflow = received[:, None] * total[group]
    grades += inflow - outflow
    arrived += inflow - arrived * share
    return total.reshape(n_groups // 2, -1).sum(axis=1)  # a county's two levels, all grades


def urbanise(grades: np.ndarray, arrived: np.ndarray, s: Schools, rate: float) -> np.ndarray:
    """Rural sections send `rate` of every grade to the open town and urban sections of their
    county, by their pupils. Returns the pupils moved by county."""
    rural = s.open & (s.location == RURAL)
    receiving = s.open & (s.location != RURAL)
    return redistribute(grades, arrived, s, np.where(rural, rate, 0.0),
                        np.where(receiving, grades.sum(axis=1), 0.0))


def choose(grades: np.ndarray, arrived: np.ndarray, s: Schools, context: Context) -> np.ndarray:
    """School choice: pupils leave sections below their county and level's enrolment-weighted
    mean quality for those above it. Returns the pupils moved by county."""
    pupils = np.where(s.open, grades.sum(axis=1), 0.0)
    q = np.where(s.open & np.isfinite(s.quality), s.quality, 0.0)
    group, n_groups = s.county_level, 2 * county_count(s)
    mean = (np.bincount(group, weights=pupils * q, minlength=n_groups)
            / np.maximum(np.bincount(group, weights=pupils, minlength=n_groups), 1e-12))[group]
    gap = (mean - q) / np.maximum(np.abs(mean), 1e-9)
    leave = np.where(s.open, np.clip(context.choice_factor * gap, 0.0, context.choice_max_share), 0.0)
    return redistribute(grades, arrived, s, leave, np.where(s.open & (gap < 0), -gap * pupils, 0.0))


def classes_needed(grades: np.ndarray, level: np.ndarray, class_limit) -> np.ndarray:
    """Σ_g ⌈pupils of grade g ÷ the level's class limit⌉ (classes)."""
    limit = np.asarray(class_limit, dtype=float)[level]
    return np.ceil(grades / limit[:, None] - ROUNDING).clip(min=0.0).sum(axis=1)


def staffing_norm(pupils: np.ndarray, classes: np.ndarray, s: Schools, context: Context) -> np.ndarray:
    """Posts of every section (int; 0 when closed or without pupils): pupils ÷ the level's norm,
    or classes × the small schools' class-teacher ratio when that is more (docs/sources.md#teachers)."""
    by_pupils = np.ceil(pupils / np.asarray(context.pupils_per_teacher)[s.level] - ROUNDING)
    by_classes = np.ceil(classes * context.teachers_per_class_small - ROUNDING)
    norm = np.where(pupils < context.small_school_students, np.maximum(by_pupils, by_classes), by_pupils)
    return np.where(s.open & (pupils > 0), norm, 0).astype(np.int64)


def step(state: State, context: Context, rng: CountyDraws) -> list:
    """One school year of pupils (deterministic; `rng` is not drawn from). Returns the ledger rows
    of teachers moved by consolidation."""
    s = state.schools
    grades, arrived = advance_cohorts(s, context)
    urbanise(grades, arrived, s, context.urbanisation_rate)
    s.choice_moved = groups.county_figures(state, choose(grades, arrived, s, context))
    s.grades = grades
    rows = consolidation.step(state, context.consolidation)
    arrived[~s.open] = 0.0  # pupils merged into a central school count as its own
    s.entry_demand = s.grades[:, ENTRY_GRADES].copy()
    s.intake_moved = groups.county_figures(state, np.zeros(state.counties))
    if context.capacity.intake_caps:
        displaced, unseated = capacity.cap_intake_by_county(s, arrived, context.capacity)
        s.intake_moved = groups.county_figures(state, displaced)
        for county in np.flatnonzero(unseated > 0):  # only the counties short of room, for their notes
            state.note(f"{state.year}: {unseated[county]:,.0f} pupils refused by schools at their size limit "
                       "found no school of their level with room and stayed", county=int(county))
    needed = classes_needed(s.grades, s.level, context.class_limit)
    s.construction_yuan = capacity.plan(s, needed, context.capacity)  # built by funding when paid
    s.classes = np.where(s.open, np.minimum(needed, np.maximum(np.floor(s.rooms + ROUNDING), 1.0)), 0.0)
    state.pupils = s.grades.sum(axis=1)
    state.norm = staffing_norm(state.pupils, s.classes, s, context)
    return rows


def refresh(state: State, context: Context) -> None:
    """Pupils and staffing norms of the base year (classes as the input gives them), read by the
    later mechanisms; nothing built yet."""
    s = state.schools
    state.pupils = s.grades.sum(axis=1)
    state.norm = staffing_norm(state.pupils, s.classes, s, context)
    s.construction_yuan = np.zeros(s.n)
    s.intake_moved = groups.county_figures(state, np.zeros(state.counties))
    s.entry_demand = s.grades[:, ENTRY_GRADES].copy()
