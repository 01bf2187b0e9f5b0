"""Targeted training (targeted_training.py) on hand-built states: backbone training and PE/arts
retraining fill each section's shortfall against the quality-2017 minimums and no more, rural and
weak sections first, within the year's quota, from eligible candidates only; its cost is charged
with the next year's training claim; random states keep the invariants."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import load_policy, targeted_training
from balance_sim.sim.recurrent import training as training_claim
from balance_sim.sim.rules import _standard_rules

from teacher_states import make_schools, make_state, make_teachers, random_state
from balance_sim.sim.streams import CountyDraws

MINIMUMS = np.array([[1.0, 0.9], [1.0, 0.9]])  # quality-2017 per 100 pupils: backbone, PE/arts


def context(backbone=0, retraining=0):
    return targeted_training.Context(backbone_per_year=backbone, retraining_per_year=retraining,
                                     backbone_cost=10_000.0, retraining_cost=8_000.0,
                                     rules=_standard_rules("quality-2017"))


def test_the_context_reads_the_standard_and_the_dated_quota():
    policy = load_policy(overrides={"teachers.backbone_training_per_year": {2022: 0, 2026: 15}})
    assert targeted_training.Context.of(policy, 2025).backbone_per_year == 0
    ctx = targeted_training.Context.of(policy, 2026)
    assert ctx.backbone_per_year == 15
    assert ctx.minimums.tolist() == MINIMUMS.tolist()  # docs/sources.md#quality-2017
    assert (ctx.backbone_cost, ctx.retraining_cost) == (10_000.0, 8_000.0)


def two_rural_one_urban():
    """Section 0 urban 300 pupils (3 backbone: at the minimum), 1 rural 137 pupils (1 backbone:
    ⌈1.37⌉ − 1 = 1 short), 2 rural 250 pupils (0 backbone: 3 short). Each has 4 intermediate-
    titled non-backbone teachers and one untitled one."""
    schools = make_schools([0, 2, 2], pupils=[300, 137, 250])
    school = [0] * 8 + [1] * 6 + [2] * 5
    backbone = [1, 1, 1, 0, 0, 0, 0, 0] + [1, 0, 0, 0, 0, 0] + [0, 0, 0, 0, 0]
    title = [2, 2, 2, 2, 2, 2, 2, 0] + [2, 2, 2, 2, 2, 0] + [2, 2, 2, 2, 0]
    return make_state(schools, make_teachers(school, backbone=backbone, title=title))


@pytest.mark.parametrize("quota, expected", [(0, [0, 0, 0]), (1, [0, 0, 1]), (2, [0, 0, 2]), (3, [0, 1, 2]),
                                             (10, [0, 1, 3])])
def test_backbone_training_fills_each_shortfall_lowest_ratio_first_within_the_quota(quota, expected):
    # The urban section is at its minimum (3 of ⌈3.0⌉). Units by (held + j) / whole teachers
    # needed: section 2 at 0/3, 1/3, 2/3 and section 1 at 1/2, so the order is 2, 2, 1, 2.
    state = two_rural_one_urban()
    before = (state.teachers.backbone[: state.teachers.n] > 0).copy()
    targeted_training.step(state, context(backbone=quota), CountyDraws.of(np.random.default_rng(0)))
    t = state.teachers
    new = (t.backbone[: t.n] > 0) & ~before
    assert np.bincount(t.school[: t.n][new], minlength=3).tolist() == expected
    assert (t.title[: t.n][new] >= 2).all()  # only mid or senior titles are named
    assert state.targeted_counts == (sum(expected), 0)
    assert state.schools.targeted_trained_yuan.tolist() == [10_000.0 * k for k in expected]


def test_no_candidate_no_training_and_teaching_points_below_the_scope_are_left_out():
    schools = make_schools([2, 2], pupils=[60, 30])
    schools.teaching_point[1] = True  # 30 pupils: outside the standard's scope (below 50)
    state = make_state(schools, make_teachers([0, 0, 1, 1], title=[1, 1, 2, 2]))  # section 0: no mid title
    targeted_training.step(state, context(backbone=5), CountyDraws.of(np.random.default_rng(0)))
    assert state.targeted_counts == (0, 0)
    assert (state.teachers.backbone[:4] == 0).all()


def test_retraining_turns_teachers_of_short_sections_into_pe_or_arts_teachers_and_keeps_the_staff():
    # 250 pupils need ⌈2.25⌉ = 3 PE/arts teachers; the section has 1 and 6 others (one a
    # backbone teacher, who is not retrained): 2 are retrained. 100 pupils need 1 and have 1.
    schools = make_schools([1, 2], pupils=[250, 100])
    state = make_state(schools, make_teachers([0] * 7 + [1] * 4, pe_art=[True] + [False] * 6 + [True, False, False, False],
                                              backbone=[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
    targeted_training.step(state, context(retraining=5), CountyDraws.of(np.random.default_rng(1)))
    t = state.teachers
    assert np.bincount(t.school[: t.n][t.pe_art[: t.n]], minlength=2).tolist() == [3, 1]
    assert not t.pe_art[1]  # the backbone teacher keeps the subject
    assert t.n == 11 and state.targeted_counts == (0, 2)
    assert state.schools.targeted_trained_yuan.tolist() == [16_000.0, 0.0]


def test_the_cost_is_charged_with_next_years_training_claim():
    state = two_rural_one_urban()
    targeted_training.step(state, context(backbone=2), CountyDraws.of(np.random.default_rng(0)))
    claim = training_claim(state.teachers, state.schools, rate=0.0, rural_priority=1.0, cost=5000.0,
                           completion_rate=0.0, cycle_years=5, cycle_cost=0.0)
    # The funding claim adds the recorded yuan (funding.claims); the general training is 0 here.
    assert (claim + state.schools.targeted_trained_yuan).tolist() == [0.0, 0.0, 20_000.0]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31), backbone=st.integers(0, 30), retraining=st.integers(0, 30))
def test_no_section_is_trained_beyond_its_minimum_and_the_quota_holds(seed, backbone, retraining):
    state = random_state(seed)
    state.teachers.exchange_left[:] = 0
    state.teachers.post[: state.teachers.n] = state.teachers.school[: state.teachers.n]
    t, s, n = state.teachers, state.schools, state.teachers.n
    before_bb, before_pe, staff = (t.backbone[:n] > 0).copy(), t.pe_art[:n].copy(), t.active[:n].sum()
    targeted_training.step(state, context(backbone, retraining), CountyDraws.of(np.random.default_rng(seed)))
    new_bb, new_pe = (t.backbone[:n] > 0) & ~before_bb, t.pe_art[:n] & ~before_pe
    assert new_bb.sum() <= backbone and new_pe.sum() <= retraining and t.active[:n].sum() == staff
    assert not (new_bb & new_pe).any() and t.active[:n][new_bb | new_pe].all()
    for trained, kind, k in ((new_bb, t.backbone[:n] > 0, 0), (new_pe, t.pe_art[:n], 1)):
        gained = np.bincount(t.school[:n][trained], minlength=s.n)
        held = np.bincount(t.post[:n][t.active[:n] & kind], minlength=s.n)
        wanted = np.ceil(MINIMUMS[s.level, k] * state.pupils / 100.0 - 1e-9)
        assert (held[gained > 0] <= wanted[gained > 0]).all()  # never beyond the minimum
        assert (s.open[gained > 0]).all()
