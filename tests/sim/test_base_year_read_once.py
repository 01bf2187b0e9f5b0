"""The base year reads a County once and reuses what it read: a second run on the same County
builds the same state as a run on a fresh copy of it, the policy still applies on each run, runs
share no arrays, and bad input is reported on every run."""
from dataclasses import fields

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.county import County
from balance_sim.errors import InputError
from balance_sim.sim import Streams, load_policy
from balance_sim.sim.initial import initial_state
from balance_sim.sim.state import Schools, Teachers

from sim_counties import small_county

SCHOOL_ARRAYS = [f.name for f in fields(Schools) if f.type not in ("float", float)]
TEACHER_ARRAYS = [f.name for f in fields(Teachers) if f.name != "n"]


def _copy(county: County) -> County:
    return County.from_frames(county.schools, county.teachers, county.budget, county.county_table,
                              county.source, county.notes)


def _same_state(a, b) -> None:
    assert (a.year, a.notes) == (b.year, b.notes)
    assert np.array_equal(a.observed_exchange, b.observed_exchange, equal_nan=True)
    assert repr(a.budget) == repr(b.budget)
    for name in SCHOOL_ARRAYS:
        x, y = getattr(a.schools, name), getattr(b.schools, name)
        if x is None or y is None:
            assert x is None and y is None, name
            continue
        assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), name
    assert a.teachers.n == b.teachers.n
    for name in TEACHER_ARRAYS:
        assert np.array_equal(getattr(a.teachers, name), getattr(b.teachers, name)), name


@pytest.fixture(scope="module")
def counties():
    return {
        "roster": small_county(seed=3, n_primary=9, n_junior=4, roster=True, budget=True),
        "no roster": small_county(seed=1),
    }


@settings(max_examples=12, deadline=None)
@given(which=st.sampled_from(["roster", "no roster"]), seed=st.integers(0, 2**32 - 1),
       limit=st.integers(20, 60), min_age=st.integers(18, 30), years=st.integers(0, 12))
def test_a_second_run_equals_a_run_on_a_fresh_copy(counties, which, seed, limit, min_age, years):
    county = counties[which]
    schools = county.schools.drop(columns=["classes"])
    teachers = None if county.teachers is None else county.teachers.drop(columns=["years_at_school"])
    county = County.from_frames(schools, teachers, county.budget)
    policy = load_policy(overrides={"enrolment.class_size_limit.primary": limit, "roster.min_age": min_age})
    initial_state(county, load_policy(), Streams(seed + 1), 3)  # read with another policy
    again = initial_state(county, policy, Streams(seed), years)
    fresh = initial_state(_copy(county), policy, Streams(seed), years)
    _same_state(again, fresh)


def test_the_policy_applies_on_every_run(counties):
    """Classes the input lacks come from this run's class-size limit; tenure the roster lacks
    from this run's minimum age (hand-computed: ceil(pupils / limit), clip(age − min_age))."""
    county = counties["roster"]
    county = County.from_frames(county.schools.drop(columns=["classes"]),
                                county.teachers.drop(columns=["years_at_school"]), county.budget)
    students = county.schools["students"].to_numpy(dtype=float)
    primary = (county.schools["level"] == "primary").to_numpy()
    ages = 2023 - county.teachers["birth_year"].to_numpy()
    for limit, min_age in ((45, 22), (30, 26)):
        policy = load_policy(overrides={"enrolment.class_size_limit.primary": limit, "roster.min_age": min_age})
        state = initial_state(county, policy, Streams(0), 2)
        junior_limit = policy.enrolment.class_size_limit.junior
        expected = np.where(primary, np.ceil(students / limit), np.ceil(students / junior_limit))
        assert np.array_equal(state.schools.classes, expected)
        tenure = np.clip(ages - min_age, 0, policy.roster.max_years_at_school)
        assert np.array_equal(state.teachers.years_at_school[: state.teachers.n], tenure)


def test_runs_share_no_arrays(counties):
    county = counties["roster"]
    policy = load_policy()
    first = initial_state(county, policy, Streams(0), 2)
    for name in SCHOOL_ARRAYS:
        value = getattr(first.schools, name)
        if value is None:
            continue
        value[...] = 0 if value.dtype != object else "changed"
    first.teachers.school[:] = 0
    first.teachers.ids[:] = "changed"
    _same_state(initial_state(county, policy, Streams(0), 2),
                initial_state(_copy(county), policy, Streams(0), 2))


def test_bad_input_is_reported_on_every_run(counties):
    teachers = counties["roster"].teachers
    teachers.loc[4, "sex"] = "x"
    county = County.from_frames(counties["roster"].schools, teachers)
    for _ in range(2):
        with pytest.raises(InputError) as error:
            initial_state(county, load_policy(), Streams(0), 2)
        assert [(p.row, p.column) for p in error.value.problems] == [(6, "sex")]


def test_county_names_are_read_once_and_frames_stay_private(counties):
    county = counties["no roster"]
    assert county.counties == ("county",) and county.counties is county.counties
    frame = county.schools
    frame.loc[0, "students"] = -1
    frame["county"] = "elsewhere"
    assert county.schools.loc[0, "students"] != -1 and "county" not in county.schools
    assert county.counties == ("county",) and county.levels == ("primary", "junior")
