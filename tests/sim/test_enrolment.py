"""Enrolment's year on tiny hand-built states: cohort advance, the grade 6 → 7 transition within a
township, urbanisation, school choice, classes within rooms and the staffing norm, worked out by
hand; pupils conserved by every move (hypothesis)."""
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import enrolment
from balance_sim.sim.policy import default_policy
from balance_sim.sim.state import ASSETS, N_GRADES, TEACHER_COUNTS, Schools, State, Teachers

LOCATION = {"urban": 0, "town": 1, "rural": 2}


def tiny_state(grades, level, location=None, township=None, quality=None, rooms=None, school_code=None,
               school_types=None, teaching_point=None, classes=None, teachers=()) -> State:
    """A state of a few sections. `grades`: pupils by grade (rows of up to 9 values, padded
    with zeros); `location`: words; `teachers`: (school, post) per teacher."""
    grades = np.array([list(row) + [0.0] * (N_GRADES - len(row)) for row in grades], dtype=float)
    n = len(grades)
    level = np.asarray(level, dtype=np.int8)
    words = location or ["urban"] * n
    rooms = np.full(n, 100.0) if rooms is None else np.asarray(rooms, dtype=float)
    schools = Schools(
        ids=np.array([f"s{i}" for i in range(n)], dtype=object),
        names=np.array([f"school {i}" for i in range(n)], dtype=object),
        township_names=np.array([""] * n, dtype=object),
        school_types=np.array(school_types or ["regular"] * n, dtype=object),
        level=level, location=np.array([LOCATION[w] for w in words], dtype=np.int8),
        township=np.zeros(n, np.int32) if township is None else np.asarray(township, np.int32),
        teaching_point=np.zeros(n, bool) if teaching_point is None else np.asarray(teaching_point, bool),
        weak=np.zeros(n, bool), open=np.ones(n, bool), grades=grades, boarding_share=np.zeros(n),
        rooms=rooms, classes=rooms.copy() if classes is None else np.asarray(classes, float),
        assets=np.zeros((n, len(ASSETS))), public_funds=np.zeros(n), capital=np.zeros(n),
        quality=np.zeros(n) if quality is None else np.asarray(quality, float),
        counts=np.zeros((n, len(TEACHER_COUNTS)), np.int64), exchange_in=np.zeros(n, np.int64),
        indicators=np.zeros((n, 11)), school_code=np.arange(n) if school_code is None else np.asarray(school_code),
    )
    k = len(teachers)
    school = np.array([t[0] for t in teachers], np.int32)
    post = np.array([t[1] for t in teachers], np.int32)
    small = np.zeros(k, np.int8)
    staff = Teachers(
        ids=np.array([f"t{i}" for i in range(k)], dtype=object), active=np.ones(k, bool), school=school, post=post,
        age=np.full(k, 40, np.int8), female=np.zeros(k, bool), degree=small.copy(), title=small.copy(),
        backbone=small.copy(), pe_art=np.zeros(k, bool), years_at_school=np.full(k, 5, np.int8),
        rural_years=small.copy(), exchange_left=small.copy(), training_cycle=small.copy(), n=k,
    )
    return State(year=2021, schools=schools, teachers=staff, budget=None)


def context(**changes) -> enrolment.Context:
    """The default policy's enrolment values with births, progression and transition set to 1
    and no urbanisation or choice, then `changes`."""
    base = enrolment.Context.of(default_policy(), 2022)
    quiet = replace(base, entry_factor=1.0, primary_progression=1.0, junior_progression=1.0, transition_rate=1.0,
                    urbanisation_rate=0.0, choice_factor=0.0)
    return replace(quiet, **changes)


def moved_grades(state, c):
    """Cohorts, urbanisation and choice of one year (the grades before consolidation)."""
    grades, arrived = enrolment.advance_cohorts(state.schools, c)
    enrolment.urbanise(grades, arrived, state.schools, c.urbanisation_rate)
    moved = enrolment.choose(grades, arrived, state.schools, c)
    return grades, arrived, moved


def test_each_grade_advances_by_its_levels_progression_ratio():
    state = tiny_state([[100, 90, 80, 70, 60, 50], [0] * 6 + [40, 30, 20]], level=[0, 1])
    c = context(entry_factor=0.97, primary_progression=0.99, junior_progression=0.95, transition_rate=0.9)
    grades, arrived, _ = moved_grades(state, c)
    assert grades[0, :6] == pytest.approx([97.0, 99.0, 89.1, 79.2, 69.3, 59.4])
    # Grade 7: the township's 50 grade-6 pupils × 0.9; grades 8 and 9 from 7 and 8 × 0.95.
    assert grades[1, 6:] == pytest.approx([45.0, 38.0, 28.5])
    assert arrived[0, 0] == pytest.approx(97.0) and arrived[1, 6] == pytest.approx(45.0)
    assert arrived.sum() == pytest.approx(97.0 + 45.0)  # only entrants have arrived


def test_grade_six_leavers_go_to_their_townships_junior_sections_by_last_years_intake():
    primary = [0, 0, 0, 0, 0, 100]
    state = tiny_state([primary, [0] * 6 + [60], [0] * 6 + [20], primary, primary], level=[0, 1, 1, 0, 0],
                       township=[0, 0, 0, 1, 0])
    grades, _, _ = moved_grades(state, context())
    # Township 0: 200 leavers shared 60 : 20; township 1 has no junior section, its 100 go
    # county-wide by the same weights.
    assert grades[1, 6] == pytest.approx(150.0 + 75.0)
    assert grades[2, 6] == pytest.approx(50.0 + 25.0)
    assert grades[:, 6].sum() == pytest.approx(300.0)


def test_urbanisation_moves_the_rural_share_to_town_and_urban_sections_by_their_pupils():
    state = tiny_state([[100] * 6, [50] * 6, [150] * 6, [100] * 6], level=[0, 0, 0, 1],
                       location=["rural", "town", "urban", "urban"])
    state.schools.grades[3] = [0] * 6 + [100] * 3
    grades, arrived, _ = moved_grades(state, context(urbanisation_rate=0.1))
    assert grades[0].sum() == pytest.approx(540.0)
    assert grades[1].sum() == pytest.approx(300.0 + 60.0 * 300 / 1200)  # receivers weighted 300 : 900
    assert grades[2].sum() == pytest.approx(900.0 + 60.0 * 900 / 1200)
    # Junior: 300 grade-6 leavers enter grade 7; no rural junior section sends anyone.
    assert grades[3].sum() == pytest.approx(300.0 + 200.0)
    assert arrived[1, 3] == pytest.approx(10.0 * 0.25)  # grade 4 pupils arrived from the rural section


def test_school_choice_moves_pupils_only_from_below_the_mean_to_above_it():
    state = tiny_state([[100] * 6] * 3, level=[0, 0, 0], quality=[0.5, 1.0, 1.5])
    grades, _, moved = moved_grades(state, context(choice_factor=0.1, choice_max_share=0.5))
    # Mean quality 1.0; the first section's gap is 0.5, so it sends 0.1 × 0.5 = 5% of every
    # grade; the second is at the mean and keeps its pupils; the third takes them all.
    assert grades.sum(axis=1) == pytest.approx([570.0, 600.0, 630.0])
    assert moved == pytest.approx(30.0)


def test_school_choice_is_capped_at_the_largest_share():
    state = tiny_state([[100] * 6] * 2, level=[0, 0], quality=[0.1, 1.9])
    grades, _, _ = moved_grades(state, context(choice_factor=1.0, choice_max_share=0.05))
    assert grades.sum(axis=1) == pytest.approx([570.0, 630.0])


def test_classes_are_those_pupils_need_within_the_rooms():
    grades = np.zeros((3, N_GRADES))
    grades[0, :3] = [45.0, 46.0, 90.5]  # 1 + 2 + 3 classes at 45
    grades[1, 6:] = [50.0, 101.0, 0.0]  # 1 + 3 classes at 50
    grades[2, :3] = [45.0, 46.0, 90.5]
    needed = enrolment.classes_needed(grades, np.array([0, 1, 0]), (45.0, 50.0))
    assert needed.tolist() == [6.0, 4.0, 6.0]
    state = tiny_state(grades, level=[0, 1, 0], rooms=[10, 10, 4.7])
    enrolment.step(state, context(entry_factor=0.0), None)  # no new entrants, nothing moves
    # Grades move up one year (the junior section's grade 9 leaves): the same classes are needed.
    assert state.schools.classes.tolist() == [6.0, 4.0, 4.0]  # 4.7 rooms hold 4 classes


def test_staffing_norm_is_pupils_over_the_norm_or_classes_for_small_schools():
    state = tiny_state([[10] * 6, [100] * 6, [0] * 6 + [27] * 3], level=[0, 0, 1], classes=[6, 14, 3])
    state.schools.open[2] = True
    c = context()
    norm = enrolment.staffing_norm(state.schools.grades.sum(axis=1), state.schools.classes, state.schools, c)
    # 60 pupils < 100: max(⌈60/19⌉, ⌈6 × 1.2⌉) = 8; 600 pupils: ⌈600/19⌉ = 32; 81 junior pupils:
    # max(⌈81/13.5⌉, ⌈3 × 1.2⌉) = 6.
    assert norm.tolist() == [8, 32, 6]
    state.schools.open[1] = False
    assert enrolment.staffing_norm(state.schools.grades.sum(axis=1), state.schools.classes, state.schools,
                                   c).tolist() == [8, 0, 6]


def test_refresh_sets_the_base_years_pupils_and_norm():
    state = tiny_state([[100] * 6, [19] * 6], level=[0, 0], classes=[14, 6])
    enrolment.refresh(state, context())
    assert state.pupils.tolist() == [600.0, 114.0]
    assert state.norm.tolist() == [32, 6]  # 114 pupils is not a small school: ⌈114 / 19⌉
    assert state.schools.construction_yuan.tolist() == [0.0, 0.0]


sections = st.lists(st.tuples(st.floats(0, 500), st.floats(-1, 3), st.integers(0, 2), st.integers(0, 1),
                              st.sampled_from(["urban", "town", "rural"])), min_size=1, max_size=8)


@settings(max_examples=80, deadline=None)
@given(sections, st.floats(0, 0.5), st.floats(0, 2), st.floats(0, 1))
def test_urbanisation_and_choice_conserve_pupils_and_leave_none_negative(rows, rate, factor, most):
    size, q, township, level, location = (list(v) for v in zip(*rows))
    grades = np.array([[p] * 6 + [0.0] * 3 if lv == 0 else [0.0] * 6 + [p] * 3 for p, lv in zip(size, level)])
    state = tiny_state(grades, level=level, township=township, quality=q, location=location)
    c = context(urbanisation_rate=rate, choice_factor=factor, choice_max_share=most)
    grades, arrived = enrolment.advance_cohorts(state.schools, c)
    before = grades.sum(axis=0)
    enrolment.urbanise(grades, arrived, state.schools, c.urbanisation_rate)
    assert grades.sum(axis=0) == pytest.approx(before, abs=1e-6)
    pupils = grades.sum(axis=1)
    enrolment.choose(grades, arrived, state.schools, c)
    assert grades.sum(axis=0) == pytest.approx(before, abs=1e-6)
    assert (grades >= -1e-9).all() and (arrived >= -1e-9).all() and (arrived <= grades + 1e-9).all()
    # Choice: sections below their level's mean only lose pupils, those above it only gain.
    s = state.schools
    mean = np.bincount(s.level, weights=pupils * s.quality, minlength=2) / np.maximum(
        np.bincount(s.level, weights=pupils, minlength=2), 1e-12)
    change = grades.sum(axis=1) - pupils
    assert (change[s.quality > mean[s.level] + 1e-9] >= -1e-9).all()
    assert (change[s.quality < mean[s.level] - 1e-9] <= 1e-9).all()
