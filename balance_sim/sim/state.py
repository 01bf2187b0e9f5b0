"""The simulation state: one array element per school section and one per teacher.

Schools keep pupils by grade (1–6 primary, 7–9 junior), rooms, classes and assets; teachers keep
their school, the school holding their post (different while on exchange), age, sex, degree,
title, backbone level, PE/arts subject, years at the school and years of rural service.
Compact dtypes (ages int8, school indices int32); teacher arrays have spare capacity for hires.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from balance_sim.indicators import KEYS, definitions
from balance_sim.sim.budget import Budget  # noqa: F401  (the state's money: budget.py)

LEVELS = ("primary", "junior")
LOCATIONS = ("urban", "town", "rural")
RURAL = 2
N_GRADES = 9
# Grade columns of each level: primary grades 1–6, junior grades 7–9.
GRADE_MASK = np.array([[g < 6 for g in range(N_GRADES)], [g >= 6 for g in range(N_GRADES)]])
ASSETS = (
    "teaching_area_m2",
    "sports_area_m2",
    "equipment_value_yuan",
    "multimedia_classrooms",
    "computers",
    "books",
)
TEACHER_COUNTS = (
    "teachers",
    "teachers_above_degree",
    "teachers_mid_senior_title",
    "backbone_teachers",
    "pe_art_teachers",
    "training_completed_teachers",
)
# Codes of the teacher attributes (design.md data dictionary, in order).
DEGREES = ("secondary", "associate", "bachelor", "postgraduate")
TITLES = ("none", "junior", "intermediate", "senior", "professor")
BACKBONE = ("none", "county", "city", "province", "national")
PE_ART_SUBJECTS = ("pe", "music", "art")
# "Above the required degree": associate+ for primary, bachelor+ for junior (docs/sources.md#quality-2017).
ABOVE_DEGREE_MIN = np.array([1, 2], dtype=np.int8)
MID_SENIOR_MIN = np.int8(2)


def _indicator_layout():
    """Column order and scale that turn [assets | teacher counts] into the KEYS indicators."""
    stacked = ASSETS + TEACHER_COUNTS
    spec = definitions()
    columns = np.array([stacked.index(spec[key].numerator) for key in KEYS])
    per = np.array([float(spec[key].per) for key in KEYS])
    return columns, per


INDICATOR_COLUMNS, INDICATOR_PER = _indicator_layout()


@dataclass
class Schools:
    """One element per school section. Pupils are expected values (floats) of the cohort model."""

    ids: np.ndarray  # object: school_id
    names: np.ndarray  # object
    township_names: np.ndarray  # object
    school_types: np.ndarray  # object
    level: np.ndarray  # int8, index into LEVELS
    location: np.ndarray  # int8, index into LOCATIONS
    township: np.ndarray  # int32
    teaching_point: np.ndarray  # bool
    weak: np.ndarray  # bool
    open: np.ndarray  # bool: False once consolidated into another school
    grades: np.ndarray  # float (S, 9): pupils by grade
    boarding_share: np.ndarray  # float: boarders / pupils, kept from the input
    rooms: np.ndarray  # float: classrooms available
    classes: np.ndarray  # float
    assets: np.ndarray  # float (S, len(ASSETS))
    public_funds: np.ndarray  # float, yuan this year
    capital: np.ndarray  # float, yuan this year
    quality: np.ndarray  # float, index
    counts: np.ndarray  # int (S, len(TEACHER_COUNTS)) teachers teaching here, by kind
    exchange_in: np.ndarray  # int: teachers here on exchange
    indicators: np.ndarray  # float (S, len(KEYS))
    # Base-year observations the checklist reads (NaN where the input does not give them):
    # classes over the level's class-size limit, public funds paid (yuan).
    observed_classes_over: np.ndarray | None = None
    observed_public_funds: np.ndarray | None = None
    choice_moved: float = 0.0  # pupils moved by school choice this year
    school_code: np.ndarray | None = None  # int: one code per school_id (a nine-year school's sections share it)
    # int: itinerant (走教) PE and arts teachers serving each section this year (hiring.py); the
    # official rule counts them only in rural schools of 50–99 pupils (hiring.itinerant_counted).
    itinerant_pe_art: np.ndarray | None = None
    # Capacity (capacity.py): yuan of classroom extensions planned this year (built by funding when
    # paid), grade 1 and grade 7 demand before any intake cap (S × 2), pupils re-seated by the caps.
    construction_yuan: np.ndarray | None = None
    # Yuan of this year's targeted training by section (targeted_training.py), paid next year.
    targeted_trained_yuan: np.ndarray | None = None
    entry_demand: np.ndarray | None = None
    intake_moved: float = 0.0
    # int32: the position of each section's county in the state (0 for a state of one county).
    # Sections of a county are contiguous; every county-level rule acts within its county.
    county: np.ndarray | None = None

    def __post_init__(self):
        if self.county is None:
            self.county = np.zeros(len(self.level), np.int32)
        if self.itinerant_pe_art is None:
            self.itinerant_pe_art = np.zeros(len(self.level), np.int64)
        if self.construction_yuan is None:
            self.construction_yuan = np.zeros(len(self.level))
        if self.targeted_trained_yuan is None:
            self.targeted_trained_yuan = np.zeros(len(self.level))

    @property
    def n(self) -> int:
        return len(self.level)

    @cached_property
    def county_level(self) -> np.ndarray:
        """Group code per section: county position × 2 + level (sums by county and level)."""
        return self.county.astype(np.int64) * 2 + self.level

    # Location and the weak flag never change in a run: derived masks are computed once.
    @cached_property
    def rural(self) -> np.ndarray:
        return self.location == RURAL

    @cached_property
    def priority(self) -> np.ndarray:
        """Slot order for hires and the pool: rural and weak first, then rural, then weak (lower first)."""
        return 2.0 * ~self.rural + 1.0 * ~self.weak

    def pupils(self) -> np.ndarray:
        return self.grades.sum(axis=1)


@dataclass
class Teachers:
    """One element per teacher slot; slots [0, n) are used, `active` marks serving teachers."""

    ids: np.ndarray  # object: teacher_id (hires get "H<year>-<k>")
    active: np.ndarray  # bool
    school: np.ndarray  # int32: where the teacher teaches
    post: np.ndarray  # int32: the school holding the post (home school while on exchange)
    age: np.ndarray  # int8
    female: np.ndarray  # bool
    degree: np.ndarray  # int8, index into DEGREES
    title: np.ndarray  # int8, index into TITLES
    backbone: np.ndarray  # int8, index into BACKBONE
    pe_art: np.ndarray  # bool
    years_at_school: np.ndarray  # int8
    rural_years: np.ndarray  # int8
    exchange_left: np.ndarray  # int8: years of exchange term still to serve (0: not on exchange)
    # int8: years since the teacher completed the 360-hour training; completed the current
    # five-year cycle while below the cycle length (training.py).
    training_cycle: np.ndarray
    n: int = 0

    @property
    def capacity(self) -> int:
        return len(self.active)

    def grow(self, needed: int) -> None:
        """Make room for `needed` more teachers (rare: capacity is sized for ten years of hires)."""
        if self.n + needed <= self.capacity:
            return
        extra = max(needed, self.capacity // 2)
        for name in ("ids", "active", "school", "post", "age", "female", "degree", "title",
                     "backbone", "pe_art", "years_at_school", "rural_years", "exchange_left", "training_cycle"):
            old = getattr(self, name)
            setattr(self, name, np.concatenate([old, np.zeros(extra, dtype=old.dtype)]))


@dataclass
class State:
    year: int
    schools: Schools
    teachers: Teachers
    budget: Budget
    notes: list[str] = field(default_factory=list)
    pupils: np.ndarray | None = None  # pupils per section, refreshed after enrolment
    norm: np.ndarray | None = None  # staffing norm per section, refreshed after enrolment
    # This year's exchange: (eligible teachers, teachers sent, backbone teachers sent).
    exchange_counts: tuple[int, int, int] = (0, 0, 0)
    # This year's targeted training: (teachers named backbone, teachers retrained to PE or arts).
    targeted_counts: tuple[int, int] = (0, 0)
    # The county table's exchange figures of the base year (eligible, rotated, backbone rotated),
    # NaN when not given: the checklist's base year reads them (the loop sends no one then).
    observed_exchange: tuple[float, float, float] = (float("nan"),) * 3
    counties: int = 1  # counties in the state (Schools.county holds each section's)
    # Notes of each county of a stacked state (stack.py); None in a state of one county, whose
    # notes are `notes`.
    county_notes: list[list[str]] | None = None
    _slot_county: np.ndarray | None = field(default=None, repr=False, compare=False)  # teacher_county's cache

    def note(self, text: str, county: int = 0) -> None:
        """Add a note of `county` (its position in the state)."""
        if self.county_notes is None:
            self.notes.append(text)
        else:
            self.county_notes[county].append(text)

    def teacher_county(self) -> np.ndarray:
        """The county position of every used teacher slot (read-only). A post never leaves its
        county, so a slot's county never changes: it is looked up once, when the slot is first used."""
        n = self.teachers.n
        known = self._slot_county
        if known is None or len(known) > n:
            known = np.zeros(0, np.int32)
        if len(known) < n:
            known = np.concatenate([known, self.schools.county[self.teachers.post[len(known):n]]])
            known.flags.writeable = False
            self._slot_county = known
        return known

    def serving_by_county(self) -> np.ndarray:
        """Teachers serving in each county (int64, one per county)."""
        active = self.teachers.active[: self.teachers.n]
        return np.bincount(self.teacher_county()[active], minlength=self.counties).astype(np.int64)
