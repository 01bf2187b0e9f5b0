"""Teacher counts, indicators and the quality index on tiny hand-built states, worked out by hand;
itinerant PE/arts teachers counted only where the official rule allows."""
from dataclasses import replace

import numpy as np
import pytest

from balance_sim.sim import quality
from balance_sim.sim.policy import default_policy
from balance_sim.sim.state import TEACHER_COUNTS

from test_enrolment import tiny_state

KIND = {name: k for k, name in enumerate(TEACHER_COUNTS)}


def context(**changes) -> quality.Context:
    return replace(quality.Context.of(default_policy(), 2022), **changes)


def staffed():
    """A primary and a junior section of 100 pupils each; four teachers at the primary (one of
    them on exchange from the junior, one no longer serving), one at the junior."""
    state = tiny_state([[100 / 6] * 6, [0] * 6 + [100 / 3] * 3], level=[0, 1], classes=[2, 2],
                       teachers=[(0, 0), (0, 1), (0, 0), (1, 1), (0, 0)])
    t = state.teachers
    t.degree[:] = [1, 2, 0, 1, 3]  # associate counts above for primary, not for junior
    t.title[:] = [2, 3, 1, 2, 0]
    t.backbone[:] = [1, 0, 0, 2, 0]
    t.pe_art[:] = [True, False, False, False, True]
    t.training_cycle[:] = [0, 6, 4, 5, 0]
    t.exchange_left[:] = [0, 2, 0, 0, 0]
    t.active[4] = False
    state.pupils = state.schools.grades.sum(axis=1)
    return state


def test_teachers_are_counted_by_kind_where_they_teach():
    counts, exchange_in = quality.teacher_counts(staffed(), cycle_years=5)
    assert counts[0].tolist() == [3, 2, 2, 1, 1, 2]  # teachers, above degree, mid/senior, backbone, PE/arts, trained
    assert counts[1].tolist() == [1, 0, 1, 1, 0, 0]
    assert exchange_in.tolist() == [1, 0]
    assert counts.dtype == np.int64


def test_indicators_are_per_pupil_and_missing_without_pupils_or_once_closed():
    state = staffed()
    s = state.schools
    s.assets[:, 0] = [450.0, 700.0]  # teaching area m²
    counts, _ = quality.teacher_counts(state, 5)
    values = quality.indicators(s.assets, counts, np.array([100.0, 0.0]), s.open)
    assert values[0, 0] == pytest.approx(4.5)  # m² per pupil
    assert values[0, 5] == pytest.approx(3.0)  # teachers per 100 pupils
    assert np.isnan(values[1]).all()
    s.open[0] = False
    assert np.isnan(quality.indicators(s.assets, counts, np.array([100.0, 100.0]), s.open)[0]).all()


def test_quality_index_is_the_weighted_capped_ratios_to_the_minimums_less_the_class_size_penalty():
    state = staffed()
    s = state.schools
    s.assets[0, :3] = [450.0, 1500.0, 100_000.0]  # 4.5 m², 15 m² and 1,000 yuan per pupil
    state.teachers.active[:] = True
    state.teachers.school[:] = 0
    state.teachers.degree[:] = 3
    s.open[1] = False
    state.pupils[1] = 0.0
    quality.step(state, context(), None)
    # Primary minimums: 4.2 above-degree teachers, 1 backbone, 0.9 PE/arts per 100 pupils; 4.5 and
    # 7.5 m², 2,000 yuan, 2.3 multimedia rooms. Five teachers above degree (5 per 100), 2
    # backbone and 2 PE/arts (2.2 times the minimum, capped at 2); sports area 15 / 7.5 = 2;
    # 50 pupils a class (limit 45).
    expected = (0.15 * 5 / 4.2 + 0.25 * 2.0 + 0.10 * 2.0 + 0.10 * 1.0 + 0.05 * 2.0 + 0.15 * 0.5
                - 0.3 * (50 / 45 - 1))
    assert s.quality[0] == pytest.approx(expected)
    assert np.isnan(s.quality[1])  # closed
    assert s.counts[0, 0] == 5 and s.exchange_in[0] == 1


def test_itinerant_pe_art_teachers_count_only_in_rural_schools_of_50_to_99_pupils():
    state = tiny_state([[80 / 6] * 6, [120 / 6] * 6, [80 / 6] * 6, [99 / 6] * 6], level=[0, 0, 0, 0],
                       location=["rural", "rural", "urban", "rural"])
    state.pupils = state.schools.grades.sum(axis=1)
    counts = np.zeros((4, len(TEACHER_COUNTS)), np.int64)
    quality.add_itinerant(counts, state)
    assert counts.sum() == 0  # no itinerant teachers in this state: nothing added
    state.schools.itinerant_pe_art = np.array([2, 2, 2, 1])
    quality.add_itinerant(counts, state)
    assert counts[:, KIND["pe_art_teachers"]].tolist() == [2, 0, 0, 1]
