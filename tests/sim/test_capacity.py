"""The capacity lever on tiny hand-built states: intake caps hold a school at its size limit and
seat the refused pupils in schools with room (township first, then county), nine-year schools
against their own limit, classrooms planned where rooms are short, built as paid; pupils
conserved and never negative (hypothesis); the checklist's school_size item passes."""
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import capacity, enrolment
from balance_sim.sim.checklist_items import item_arrays
from balance_sim.checklist import MODELLED
from balance_sim.sim.policy import default_policy
from balance_sim.sim.state import N_GRADES

from test_enrolment import context, tiny_state

CAPS = capacity.Context(intake_caps=True, max_pupils=2000.0, max_pupils_combined=2500.0, classrooms=0,
                        area_per_classroom=200.0, yuan_per_m2=3000.0)


def with_arrivals(own, arrived):
    """Grades and arrivals of sections whose pupils are all in grade 2 (own) and grade 1 (arrived)."""
    grades = np.zeros((len(own), N_GRADES))
    grades[:, 0], grades[:, 1] = arrived, own
    entrants = np.zeros_like(grades)
    entrants[:, 0] = arrived
    return grades, entrants


def test_a_school_over_its_limit_admits_only_what_keeps_it_at_the_limit_and_the_rest_go_to_its_township():
    grades, arrived = with_arrivals(own=[1900.0, 1000.0], arrived=[300.0, 0.0])
    state = tiny_state(grades, level=[0, 0])
    displaced, unseated = capacity.cap_intake(state.schools, arrived, CAPS)
    pupils = state.schools.grades.sum(axis=1)
    assert displaced == pytest.approx(200.0) and unseated == 0.0
    assert pupils == pytest.approx([2000.0, 1200.0])
    assert pupils[0] <= 2000.0
    assert state.schools.grades[1, 0] == pytest.approx(200.0)  # they enter grade 1 there


def test_refused_pupils_go_county_wide_when_their_township_has_no_room():
    grades, arrived = with_arrivals(own=[1950.0, 1990.0, 500.0, 1500.0], arrived=[150.0, 0.0, 0.0, 0.0])
    state = tiny_state(grades, level=[0, 0, 0, 0], township=[0, 0, 1, 1])
    capacity.cap_intake(state.schools, arrived, CAPS)
    pupils = state.schools.grades.sum(axis=1)
    # 100 refused: township 0 has 10 places (the second school), the other 90 go to township 1
    # in proportion to its room (1,500 : 500).
    assert pupils == pytest.approx([2000.0, 2000.0, 500.0 + 90 * 0.75, 1500.0 + 90 * 0.25])


def test_pupils_no_school_can_seat_stay_at_their_first_school():
    grades, arrived = with_arrivals(own=[1950.0, 1980.0], arrived=[100.0, 0.0])
    state = tiny_state(grades, level=[0, 0])
    displaced, unseated = capacity.cap_intake(state.schools, arrived, CAPS)
    assert displaced == pytest.approx(50.0) and unseated == pytest.approx(30.0)
    assert state.schools.grades.sum(axis=1) == pytest.approx([2030.0, 2000.0])


def test_a_school_whose_own_pupils_exceed_the_limit_admits_no_one_and_keeps_its_pupils():
    grades, arrived = with_arrivals(own=[2100.0, 100.0], arrived=[50.0, 0.0])
    state = tiny_state(grades, level=[0, 0])
    capacity.cap_intake(state.schools, arrived, CAPS)
    assert state.schools.grades.sum(axis=1) == pytest.approx([2100.0, 150.0])


def test_pupils_go_only_to_schools_of_their_level():
    grades, arrived = with_arrivals(own=[1950.0, 1000.0], arrived=[100.0, 0.0])
    grades[1] = np.roll(grades[1], 6)  # the second is a junior section (grade 8)
    state = tiny_state(grades, level=[0, 1])
    displaced, unseated = capacity.cap_intake(state.schools, arrived, CAPS)
    assert unseated == pytest.approx(displaced) == pytest.approx(50.0)


def test_a_nine_year_school_sums_its_sections_against_the_combined_limit():
    grades, arrived = with_arrivals(own=[1400.0, 1000.0, 0.0], arrived=[200.0, 0.0, 0.0])
    grades[1] = np.roll(grades[1], 6)
    grades[2, 1] = 100.0
    state = tiny_state(grades, level=[0, 1, 0], school_code=[0, 0, 1],
                       school_types=["nine_year", "nine_year", "regular"])
    capacity.cap_intake(state.schools, arrived, CAPS)
    pupils = state.schools.grades.sum(axis=1)
    assert pupils[:2].sum() == pytest.approx(2500.0)  # 100 of the 200 entrants admitted
    assert pupils[2] == pytest.approx(200.0)
    assert capacity.school_limits(state.schools, CAPS).tolist() == [2500.0, 2000.0]


def test_extensions_plan_classrooms_where_rooms_are_short_most_short_first():
    state = tiny_state([[45] * 6] * 3, level=[0, 0, 0], rooms=[5, 3, 6])
    needed = np.array([6.0, 6.0, 6.0])  # short by 1, 3 and 0
    yuan = capacity.plan(state.schools, needed, replace(CAPS, classrooms=2))
    assert yuan.tolist() == [0.0, 1_200_000.0, 0.0]  # 2 classrooms × 200 m² × 3,000 yuan
    assert state.schools.rooms.tolist() == [5.0, 3.0, 6.0]  # nothing stands before it is paid
    yuan = capacity.plan(state.schools, needed, replace(CAPS, classrooms=10))
    assert yuan.tolist() == [600_000.0, 1_800_000.0, 0.0]  # every room short, no more


def test_construction_paid_builds_teaching_area_and_rooms_in_proportion():
    state = tiny_state([[45] * 6] * 2, level=[0, 0], rooms=[3, 5])
    built = capacity.build(state.schools, np.array([1_200_000.0, 300_000.0]), 200.0, 3000.0)
    assert built.tolist() == [2.0, 0.5]  # a claim paid in part builds part of its classrooms
    assert state.schools.rooms.tolist() == [5.0, 5.5]
    assert state.schools.assets[:, 0].tolist() == [400.0, 100.0]


def test_intake_caps_let_the_school_size_item_pass():
    state = tiny_state([[400] * 6, [150] * 6], level=[0, 0])  # 2,400 and 900 pupils
    c = context(capacity=CAPS)
    rules = dict(zip(MODELLED, range(len(MODELLED))))
    for year in range(2):
        enrolment.step(state, c, None)
        s = state.schools
        _, status = item_arrays(state.pupils[None], s.classes[None], s.open[None], s.counts[None],
                                np.zeros((1, s.n)), s.boarding_share, s.level, s.school_code,
                                np.zeros(s.n, bool), np.zeros((1, 3)))
        assert status[0, rules["school_size"]] == 0, year  # pass
    # Year 1: the first school's own 2,000 pupils (grades 2–6) leave no room for its 400
    # entrants; they go to the second. Year 2: its catchment's 400 entrants again, and room for
    # them now that 400 have left grade 6.
    assert state.pupils == pytest.approx([2000.0, 1300.0])
    assert state.schools.entry_demand[:, 0] == pytest.approx([400.0, 150.0])


def test_the_policy_switches_the_lever():
    policy = default_policy()
    assert not capacity.Context.of(policy, 2022).intake_caps
    on = policy.override({"capacity.intake_caps": True, "capacity.extension_classrooms_per_year": 12})
    c = capacity.Context.of(on, 2022)
    # The limits are the checklist item's (quality-2017 school_size), not a separate parameter.
    assert c.intake_caps and c.classrooms == 12 and (c.max_pupils, c.max_pupils_combined) == (2000.0, 2500.0)
    assert c.area_per_classroom * c.yuan_per_m2 == pytest.approx(600_000.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 2600), st.floats(0, 600), st.integers(0, 2), st.integers(0, 1)),
                min_size=1, max_size=8))
def test_caps_conserve_pupils_and_leave_none_negative(sections):
    own, arrived, township, level = (list(v) for v in zip(*sections))
    grades, entrants = with_arrivals(own, arrived)
    grades[np.array(level) == 1] = np.roll(grades[np.array(level) == 1], 6, axis=1)
    entrants[np.array(level) == 1] = np.roll(entrants[np.array(level) == 1], 6, axis=1)
    state = tiny_state(grades, level=level, township=township)
    before = grades.sum()
    displaced, unseated = capacity.cap_intake(state.schools, entrants, CAPS)
    after = state.schools.grades
    assert after.sum() == pytest.approx(before, rel=1e-12, abs=1e-6)
    assert (after >= -1e-9).all()
    pupils = after.sum(axis=1)
    # No school ends above the larger of its limit and what it held before: a school only grows
    # up to the limit, and one over it is over only by its own pupils or by unseated returns.
    assert (pupils <= np.maximum(2000.0, np.array(own) + np.array(arrived)) + 1e-6).all()
    if unseated == 0:
        assert (pupils <= np.maximum(2000.0, own) + 1e-6).all()
    assert 0.0 <= unseated <= displaced + 1e-9
