"""The state at the start of a run, built from a County: schools, teachers, budget.

What the input lacks is filled in openly and said in the state's notes: grades spread evenly
when only totals are given, a synthesised roster when there is none, a base budget estimated
from the modelled recurrent cost when there is no budget table.
"""
from __future__ import annotations

import weakref
from typing import NamedTuple

import numpy as np
import pandas as pd

from balance_sim.county import County
from balance_sim.sim.streams import Streams
from balance_sim.errors import InputError, Problem
from balance_sim.sim import enrolment, funding, quality, roster, training
from balance_sim.sim.checklist_items import observed_classes_over, observed_exchange
from balance_sim.sim.columns import complete_numbers, missing_note, numbers, observed_numbers, plain_texts, text_cells, word_codes
from balance_sim.sim.state import (
    ASSETS,
    GRADE_MASK,
    LEVELS,
    LOCATIONS,
    N_GRADES,
    TEACHER_COUNTS,
    Schools,
    State,
)

GRADE_COLUMNS = tuple(f"grade_{g}" for g in range(1, N_GRADES + 1))


def start_year(county: County, policy) -> int:
    """The base year: the schools table's latest year, else the budget's, else the policy's."""
    latest = _read_once(county).latest_year
    return policy.start_year if latest is None else latest


def _latest_year(county: County) -> int | None:
    if county.years:
        return max(county.years)
    budget = county.budget
    if budget is not None and len(budget):
        return int(budget["year"].max())
    return None


def _grades(frame: pd.DataFrame, level: np.ndarray, students: np.ndarray, notes: "_Notes") -> np.ndarray:
    if all(c in frame for c in GRADE_COLUMNS):
        grades = frame[list(GRADE_COLUMNS)].apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy(float)
        return np.where(GRADE_MASK[level], grades, 0.0)
    # Only totals: each of the level's grades gets an equal share.
    notes.add("enrolment by grade not given: each section's pupils are spread evenly over its grades")
    mask = GRADE_MASK[level]
    return mask * (students / mask.sum(axis=1))[:, None]


class _Notes:
    """The notes of each county of a schools table read in one pass (`county`: each row's
    county position, rows county by county): a note goes to the counties where its condition
    holds, in the order the notes are made, so each county's list is the one its rows alone give."""

    def __init__(self, first: tuple[str, ...], county: np.ndarray, counties: int):
        self.county, self.counties = county, counties
        self.lists = [list(first) for _ in range(counties)]

    def add(self, text: str, where: np.ndarray | None = None) -> None:
        """Note `text` in every county, or in those where `where` (one per county) is True."""
        for k in range(self.counties) if where is None else np.flatnonzero(where):
            self.lists[k].append(text)

    def any_row(self, rows: np.ndarray) -> np.ndarray:
        """Per county: True where at least one of its rows is True in `rows`."""
        return np.bincount(self.county[rows], minlength=self.counties) > 0

    def absent(self, frame: pd.DataFrame, column: str) -> np.ndarray:
        """Per county: True where `column` is missing or empty in every one of its rows."""
        if column not in frame:
            return np.ones(self.counties, bool)
        return ~self.any_row(frame[column].notna().to_numpy())

    def complete(self, frame: pd.DataFrame, column: str) -> np.ndarray:
        """Per county: True where `column` is given in every one of its rows."""
        if column not in frame:
            return np.zeros(self.counties, bool)
        return ~self.any_row(frame[column].isna().to_numpy())


def _numbers(frame: pd.DataFrame, column: str, notes: _Notes) -> np.ndarray:
    """`columns.numbers`, noted in each county whose rows leave the column empty."""
    notes.add(missing_note(column), notes.absent(frame, column))
    return numbers(frame, column, [])


def _codes_within(county: np.ndarray, values: np.ndarray) -> np.ndarray:
    """`pd.factorize(values)` within each county (rows county by county), each county's codes
    after those of the counties before it (as stack.py shifts them); −1 where empty."""
    codes = pd.factorize(values)[0]
    known = codes >= 0
    out = np.full(len(values), -1, np.int64)
    out[known] = pd.factorize(county[known].astype(np.int64) * (codes.max(initial=0) + 1) + codes[known])[0]
    return out


class _Input(NamedTuple):
    """What the base year reads from a County (no policy, no random draws): computed once per
    County and base year, then shared by every run (arrays read-only; each run copies them).
    Per county: one element per county of the County, in `County.counties` order."""

    schools: dict  # Schools fields read from the table (sections county by county; `county` included)
    students: np.ndarray  # pupils per section as given
    classes: np.ndarray  # classes per section; NaN in the counties that do not give them all
    classes_known: np.ndarray  # per county: classes given for every section (else estimated)
    counts: np.ndarray  # int64 (S × len(TEACHER_COUNTS))
    roster: roster.RosterColumns | None  # None: no roster, one is synthesised
    completed_known: np.ndarray  # per county: training_completed_teachers given for every section
    notes: tuple[tuple[str, ...], ...]  # per county: the County's notes, then what the input lacks
    observed_exchange: np.ndarray  # per county × (eligible, rotated, backbone rotated), NaN where absent
    budget: tuple[float, float, str | None] | None  # budget table's (base, revenue growth, note); None: no table


class _Read:
    """What has been read from one County: its latest year (None: neither table is dated) and
    the input of each base year asked for."""

    def __init__(self, county: County):
        self.latest_year = _latest_year(county)
        self.by_year: dict[int, _Input] = {}


# County → _Read. A County is immutable, so what is read from it stays true; the entry goes when
# the County does.
_READ: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _read_once(county: County) -> _Read:
    read = _READ.get(county)
    if read is None:
        read = _READ[county] = _Read(county)
    return read


def _schools(frame: pd.DataFrame, notes: _Notes, rows: np.ndarray) -> tuple[dict, np.ndarray, np.ndarray,
                                                                         np.ndarray, np.ndarray]:
    """The schools table's columns (rows county by county; `rows`: each row's line in the
    table): the Schools fields they give, pupils, classes (NaN in the counties not giving all),
    the counties giving all classes and the teacher counts."""
    level = word_codes(frame["level"], LEVELS)
    location = word_codes(frame["location"], LOCATIONS)
    problems = [
        Problem("schools", int(rows[i]) + 2, col, "unknown value")
        for col, codes in (("level", level), ("location", location))
        for i in np.flatnonzero(codes < 0)
    ]
    if problems:
        raise InputError(problems)
    level = level.astype(np.int8)
    location = location.astype(np.int8)
    county = notes.county
    students = _numbers(frame, "students", notes)
    n = len(frame)
    township_names = text_cells(frame["township"]) if "township" in frame else np.full(n, np.nan, dtype=object)
    no_township = notes.any_row(pd.isna(township_names))  # one empty cell: the county is one catchment
    notes.add("schools: no township; the whole county is treated as one catchment", no_township)
    township_names = np.where(no_township[county], "", township_names).astype(object)
    township = _codes_within(county, township_names).astype(np.int32)
    school_type = np.full(n, "regular", dtype=object)
    if "school_type" in frame:
        texts = plain_texts(frame["school_type"])
        if texts is None:
            texts = frame["school_type"].astype("string").to_numpy(dtype=object)
        school_type = np.where(pd.isna(texts), school_type, texts)
    weak = np.zeros(n, dtype=bool)
    if "weak_school" in frame:
        column = frame["weak_school"]
        weak = (np.array(column.to_numpy(), dtype=bool) if column.dtype == np.dtype(bool)
                else column.astype("boolean").fillna(False).to_numpy(dtype=bool))
    classes_known = notes.complete(frame, "classes")
    notes.add("schools: classes missing; estimated from pupils and the class-size limit", ~classes_known)
    classes = np.full(n, np.nan)
    given = classes_known[county]
    if given.any():
        classes[given] = complete_numbers(frame if given.all() else frame[given], "classes")
    boarding = numbers(frame, "boarding_students", []) if "boarding_students" in frame else np.zeros(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        boarding_share = np.where(students > 0, boarding / students, 0.0)
    counts = np.column_stack([_numbers(frame, c, notes) if c == "teachers" else numbers(frame, c, [])
                              for c in TEACHER_COUNTS])
    ids = text_cells(frame["school_id"])
    fields = dict(
        ids=ids,
        names=text_cells(frame["name"]) if "name" in frame else ids.copy(),
        township_names=township_names,
        school_types=school_type,
        level=level,
        location=location,
        township=township,
        teaching_point=school_type == "teaching_point",
        weak=weak,
        open=np.ones(n, dtype=bool),
        grades=_grades(frame, level, students, notes),
        boarding_share=boarding_share,
        assets=np.column_stack([_numbers(frame, c, notes) for c in ASSETS]),
        school_code=_codes_within(county, ids),
        observed_classes_over=observed_classes_over(frame, level),
        observed_public_funds=observed_numbers(frame, "public_funds_yuan"),
        county=county,
    )
    return fields, students, classes, classes_known, counts.astype(np.int64)


def _budget_table(county: County, year: int, names: tuple[str, ...]) -> tuple | None:
    """The budget table's base-year compulsory-education budget, the growth of fiscal revenue
    over the table (NaN when it cannot be computed), its note and the appropriations of the
    table's later years (a plan the budget follows, budget.py); None without a table (or with
    several counties, which one table cannot describe)."""
    table = county.budget
    if table is None or not len(table) or len(names) != 1:
        return None
    table = table.sort_values("year")
    upto = table[table["year"] <= year]
    row = (upto if len(upto) else table).iloc[-1]
    base = float(row["compulsory_education_yuan"])
    revenue = pd.to_numeric(table["fiscal_revenue_yuan"], errors="coerce").to_numpy(float)
    later = table[table["year"] > year]
    plan = dict(zip(later["year"].astype(int), later["compulsory_education_yuan"].astype(float)))
    span = int(table["year"].iloc[-1] - table["year"].iloc[0])
    if span > 0 and revenue[0] > 0 and revenue[-1] > 0:
        growth = float((revenue[-1] / revenue[0]) ** (1 / span) - 1)
        return (base, growth, f"budget: fiscal revenue grew {growth:.2%} a year in the budget table; used in the "
                "three-growths check", plan)
    return base, float("nan"), None, plan


def _county_rows(county: County, frame: pd.DataFrame) -> np.ndarray:
    """Each row's county position in `County.counties` (0 for a County of one county)."""
    names = county.counties
    if len(names) == 1:
        return np.zeros(len(frame), np.int32)
    position = {name: k for k, name in enumerate(names)}
    return np.array([position[name] for name in frame["county"].astype(str)], np.int32)


def _read(county: County, year: int) -> _Input:
    """What the base year `year` reads from the County, read once (InputError when the tables
    cannot describe it; nothing is kept then). A County of several counties is read in one
    pass, its sections county by county, each county's notes and flags those of its rows alone."""
    by_year = _read_once(county).by_year
    if year in by_year:
        return by_year[year]
    frame = county.schools
    if "year" in frame and frame["year"].notna().any():
        frame = frame[frame["year"] == year].reset_index(drop=True)
    row_county = _county_rows(county, frame)
    rows = np.argsort(row_county, kind="stable")  # county by county, each county's rows in their order
    if not np.array_equal(rows, np.arange(len(rows))):
        frame = frame.iloc[rows].reset_index(drop=True)
    names = county.counties
    notes = _Notes(tuple(county.notes), row_county[rows], len(names))
    fields, students, classes, classes_known, counts = _schools(frame, notes, rows)
    teachers = county.teachers
    if teachers is not None and len(teachers):
        if len(names) != 1:
            raise ValueError("a roster is read county by county (initial_state of one county)")
        columns = roster.read_roster(teachers, _ReadSchools(fields["ids"], fields["level"]), year)
    else:
        notes.add("no teacher roster: one consistent with the school totals was synthesised (seeded)")
        columns = None
    completed_known = notes.complete(frame, "training_completed_teachers")
    notes.add("schools: no training_completed_teachers; each teacher starts with the five-year training "
              "completed at the steady-state share of teachers.training_completion_rate", ~completed_known)
    if county.county_table is None:
        exchange = np.full((len(names), 3), np.nan)
    else:
        exchange = np.array([observed_exchange(county, year, (name,)) for name in names], dtype=float)
    given = _Input(
        schools=fields, students=students, classes=classes, classes_known=classes_known, counts=counts,
        roster=columns, completed_known=completed_known, notes=tuple(tuple(n) for n in notes.lists),
        observed_exchange=exchange, budget=_budget_table(county, year, names),
    )
    for array in (*fields.values(), students, classes, classes_known, counts, completed_known, exchange):
        array.flags.writeable = False  # shared by every run of the County: never changed
    by_year[year] = given
    return given


class _ReadSchools(NamedTuple):
    """The sections' keys the roster is matched on (school_id, level)."""

    ids: np.ndarray
    level: np.ndarray


def _state_schools(given: _Input, policy) -> Schools:
    """This run's Schools: copies of the read arrays, classes estimated where not given."""
    fields = {name: array.copy() for name, array in given.schools.items()}
    n = len(given.students)
    limit = np.array([policy.enrolment.class_size_limit.primary, policy.enrolment.class_size_limit.junior])
    classes = np.where(given.classes_known[fields["county"]], given.classes,
                       np.ceil(given.students / limit[fields["level"]]))
    return Schools(
        **fields,
        rooms=classes.copy(),
        classes=classes.copy(),
        public_funds=np.zeros(n),
        capital=np.zeros(n),
        quality=np.zeros(n),
        counts=np.zeros((n, len(TEACHER_COUNTS)), dtype=np.int64),
        exchange_in=np.zeros(n, dtype=np.int64),
        indicators=np.zeros((n, 11)),
    )


def initial_state(county: County, policy, streams: Streams, years: int) -> State:
    """The state in the base year (before any simulated year), with indicators and quality set.
    What comes from the County alone is read once per County (`_read`); the policy and the
    random draws (the roster's stream of the base year) apply on each call.

    A County of several counties gives a stacked state (stack.py) built in one pass, county i
    drawing from the streams of `streams.codes[i]`: the state `stack` makes of each county's
    state alone (tests/sim/test_base_year_counties.py). Such a County carries no roster or
    budget table (those are read county by county)."""
    year = start_year(county, policy)
    given = _read(county, year)
    counties = len(given.notes)
    if len(streams.codes) != counties:
        raise ValueError(f"{counties} counties need as many county streams, got {len(streams.codes)}")
    rng = streams.draws("roster", year)
    schools = _state_schools(given, policy)
    counts = given.counts
    if given.roster is not None:
        teachers = roster.teachers_from(given.roster, schools, policy, years)
    else:
        teachers = roster.synthesise(schools, counts, policy, year, rng, years)
    completed = None
    if given.completed_known.any():
        completed = np.where(given.completed_known[schools.county],
                             counts[:, TEACHER_COUNTS.index("training_completed_teachers")], np.nan)
    status_quo = funding.status_quo_policy(policy)  # the base year is the levers' defaults
    training.start_cycle(teachers, completed, schools.n, training.Context.of(status_quo, year), rng, schools.county)
    if counties == 1:
        state = State(year=year, schools=schools, teachers=teachers, budget=None, notes=list(given.notes[0]),
                      observed_exchange=tuple(float(v) for v in given.observed_exchange[0]))
    else:
        state = State(year=year, schools=schools, teachers=teachers, budget=None, counties=counties,
                      observed_exchange=given.observed_exchange.copy(),
                      exchange_counts=np.zeros((counties, 3), np.int64),
                      targeted_counts=np.zeros((counties, 2), np.int64))
        state.county_notes = [list(n) for n in given.notes]
        schools.choice_moved = np.zeros(counties)
    enrolment.refresh(state, enrolment.Context.of(policy, year))
    quality.step(state, quality.Context.of(policy, year), streams.draws("quality", year))
    state.budget = funding.initial_budget(state, funding.Context.of(policy, year), funding.Context.of(status_quo, year),
                                          given.budget)
    return state
