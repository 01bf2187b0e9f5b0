"""Training, the five-year cycle and titles: hand-worked years, the steady-state share, 100%
completion when the policy pays for it (hires included), the base-year cycle and dated rates."""
import dataclasses
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import hiring, training
from balance_sim.sim.policy import load_policy

from teacher_states import GivenDraws, make_schools, make_state, make_teachers, random_state, synthetic_county, ten_years
from balance_sim.sim.streams import CountyDraws

POLICY = load_policy()
CONTEXT = training.Context.of(POLICY, 2025)


def _completed_share(state) -> float:
    t, n = state.teachers, state.teachers.n
    active = t.active[:n]
    return float(np.mean(t.training_cycle[:n][active] < training.Context.of(POLICY, 2025).cycle_years))


def test_a_due_teacher_completes_the_cycle_with_the_completion_rate():
    state = make_state(make_schools([0]), make_teachers([0] * 6, training_cycle=[0, 4, 5, 5, 3, 5],
                                                        active=[1, 1, 1, 1, 1, 0]))
    w = [0.9, 0.5, 0.81, 0.83, 0.0, 0.0]
    draws = np.column_stack([np.ones(6), np.ones(6), w, np.ones(6), np.ones(6)])  # u, z, w, x, y
    training.step(state, CONTEXT, GivenDraws(draws))  # p = 0.82, L = 5
    assert list(state.teachers.training_cycle[:6]) == [1, 0, 0, 5, 4, 5]


def test_training_degrees_backbone_and_titles_under_the_rural_service_rule_by_hand():
    # sections 0 urban, 1 rural; teachers a–f
    teachers = make_teachers([0, 0, 1, 0, 1, 0], title=[2, 2, 2, 1, 2, 2], rural_years=[0, 1, 0, 0, 0, 0],
                             degree=[2, 2, 2, 2, 3, 2])
    state = make_state(make_schools([0, 2]), teachers)
    draws = np.array([  # u (trained), z (title), w (cycle), x (degree), y (backbone)
        [0.9, 0.0, 0.9, 0.9, 0.9],  # a: urban, no rural service: not senior
        [0.9, 0.0, 0.9, 0.9, 0.9],  # b: a year of rural service: senior
        [0.9, 0.0, 0.9, 0.9, 0.9],  # c: at a rural school: senior
        [0.1, 0.1, 0.9, 0.0, 0.0],  # d: trained, next degree, junior → mid title; held junior: not backbone
        [0.5, 0.9, 0.9, 0.0, 0.1],  # e: rural, trained (0.5 < 0.6), top degree, held mid title: backbone
        [0.5, 0.9, 0.9, 0.0, 0.0],  # f: urban, not trained (0.5 ≥ 0.3)
    ])
    context = dataclasses.replace(CONTEXT, training_probability=np.array([0.3, 0.6]), degree_probability=0.3,
                                  backbone_probability=0.2)
    training.step(state, context, GivenDraws(draws))
    t = state.teachers
    assert list(t.title[:6]) == [2, 3, 3, 2, 2, 2]
    assert list(t.degree[:6]) == [2, 2, 2, 3, 3, 2]
    assert list(t.backbone[:6]) == [0, 0, 0, 0, 1, 0]
    assert list(t.training_cycle[:6]) == [1] * 6


def test_training_and_completion_rates_are_dated():
    policy = POLICY.override({"teachers.training_rate": {2024: 0.1, 2028: 0.3},
                              "teachers.training_completion_rate": {2024: 0.82, 2027: 1.0}})
    assert list(training.Context.of(policy, 2027).training_probability) == [0.1, 0.2]
    assert list(training.Context.of(policy, 2028).training_probability) == [0.3, 0.6]
    assert training.Context.of(policy, 2026).completion_rate == 0.82
    assert training.Context.of(policy, 2027).completion_rate == 1.0


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_at_completion_rate_one_every_teacher_and_every_hire_has_completed_after_the_year(seed):
    state = random_state(seed)
    state.norm += 3
    hiring.step(state, dataclasses.replace(hiring.Context.of(POLICY, 2025), max_share=0.2), CountyDraws.of(np.random.default_rng(seed)))
    training.step(state, dataclasses.replace(CONTEXT, completion_rate=1.0), CountyDraws.of(np.random.default_rng(seed)))
    assert _completed_share(state) == 1.0


def test_a_county_hiring_every_year_keeps_100_percent_at_completion_rate_one():
    policy = POLICY.override({"teachers.training_completion_rate": 1.0})
    state = synthetic_county(1)
    assert _completed_share(state) == 1.0  # the builder starts everyone completed
    state.teachers.training_cycle[: state.teachers.n] = 5  # all due
    state = ten_years(state, policy, 1)
    assert state.teachers.n > synthetic_county(1).teachers.n  # hires came in
    assert _completed_share(state) == 1.0


def test_without_hires_the_completed_share_settles_at_the_steady_state():
    for p in (0.82, 0.5):
        context = dataclasses.replace(CONTEXT, completion_rate=p, training_probability=np.zeros(2),
                                      promotion=np.zeros(5))
        state = make_state(make_schools([0]), make_teachers(np.zeros(20_000), training_cycle=5))
        rng = CountyDraws.of(np.random.default_rng(2))
        shares = []
        for _ in range(60):  # all due at the start: the cohorts' waves fade over the cycles
            training.step(state, context, rng)
            shares.append(_completed_share(state))
        expected = 5 / (5 + (1 - p) / p)  # 0.958 and 0.833
        assert math.isclose(training.steady_completion(p, 5), expected)
        assert abs(np.mean(shares[-10:]) - expected) < 0.005


def test_the_base_year_cycle_gives_each_section_its_completed_teachers():
    t = make_teachers([0] * 5 + [1] * 3 + [2] * 4, training_cycle=0)
    completed = np.array([2, 3, 7])  # section 2 says more than it has: all four
    training.start_cycle(t, completed, 3, CONTEXT, np.random.default_rng(4))
    done = t.training_cycle[: t.n] < 5
    assert list(np.bincount(t.school[: t.n][done], minlength=3)) == [2, 3, 4]
    assert set(t.training_cycle[: t.n][done]) <= set(range(5)) and (t.training_cycle[: t.n][~done] == 5).all()


def test_the_base_year_cycle_without_counts_uses_the_steady_state_share():
    t = make_teachers(np.zeros(20_000), training_cycle=0)
    training.start_cycle(t, None, 1, CONTEXT, np.random.default_rng(4))
    assert abs(np.mean(t.training_cycle[: t.n] < 5) - training.steady_completion(0.82, 5)) < 0.01
