"""Drift and the county pool: who seeks a post, which posts they may take, in which order, what
the allowance does, and that nobody is lost or taken past a norm."""
import copy
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import ledger as L, mobility
from balance_sim.sim.policy import load_policy

from teacher_states import GivenDraws, make_schools, make_state, make_teachers, random_state
from balance_sim.sim.streams import CountyDraws

POLICY = load_policy()


def _draws(u, v=None):
    u = np.asarray(u, float)
    return GivenDraws(np.column_stack([u, np.zeros_like(u) if v is None else v]))


def test_rural_seekers_take_vacant_town_and_urban_posts_of_their_level_best_quality_first():
    # 0 urban primary (norm 5, 3 posts, quality 1), 1 town primary (norm 4, 3 posts, quality 2),
    # 2 rural primary, 3 town junior with 5 vacant posts, 4 closed urban primary
    schools = make_schools([0, 1, 2, 1, 0], level=[0, 0, 0, 1, 0], open_=[1, 1, 1, 1, 0],
                           quality=[1.0, 2.0, 0.0, 5.0, 9.0])
    at = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2]
    teachers = make_teachers(at, backbone=[0] * 7 + [1] + [0] * 4, exchange_left=[0] * 11 + [2])
    state = make_state(schools, teachers, norm=[5, 4, 6, 5, 5])
    context = mobility.Context(drift_rate=0.5, backbone_factor=2.0, pool=False)
    # slots 6–10 draw 0.1, 0.6 (backbone: chance 1), 0.3, 0.9, 0.05; slot 11 is on exchange
    (rows,) = mobility.step(state, context, _draws([0.0] * 6 + [0.1, 0.6, 0.3, 0.9, 0.05, 0.0]))
    # seekers by u ÷ chance: slot 10 (0.1), 6 (0.2), 7 (0.6), 8 (0.6); one town post, two urban posts
    assert rows.kind == L.DRIFT
    assert list(rows.teacher) == [10, 6, 7] and list(rows.source) == [2, 2, 2] and list(rows.target) == [1, 0, 0]
    t = state.teachers
    assert list(t.school[[10, 6, 7, 8]]) == [1, 0, 0, 2] and list(t.post[[10, 6, 7]]) == [1, 0, 0]
    assert list(t.years_at_school[[10, 6, 7, 8]]) == [0, 0, 0, 5]


def test_the_pool_moves_surplus_teachers_to_rural_and_weak_sections_first():
    # 0 urban (norm 4, 6 posts), 1 rural weak (norm 5, 4), 2 town (norm 3, 2), 3 rural (norm 3, 2)
    schools = make_schools([0, 2, 1, 2], weak=[0, 1, 0, 0])
    teachers = make_teachers([0] * 6 + [1] * 4 + [2] * 2 + [3] * 2)
    state = make_state(schools, teachers, norm=[4, 5, 3, 3])
    context = mobility.Context(drift_rate=0.03, backbone_factor=2.0, pool=True)
    v = [0.5, 0.2, 0.9, 0.1, 0.7, 0.3] + [0.0] * 8
    drifted, pooled = mobility.step(state, context, _draws([0.99] * 14, v))
    assert drifted.rows.shape[1] == 0
    # the two smallest draws of section 0 (slots 3, 1) go to the rural weak, then the rural section
    assert pooled.kind == L.POOL
    assert list(pooled.teacher) == [3, 1] and list(pooled.source) == [0, 0] and list(pooled.target) == [1, 3]
    assert list(mobility.posts_held(state.teachers, 4)) == [4, 5, 2, 3]


def test_the_pool_stays_off_unless_the_policy_runs_it():
    state = make_state(make_schools([0, 2]), make_teachers([0] * 8 + [1]), norm=[4, 5])
    rows = mobility.step(state, mobility.Context.of(POLICY, 2025), CountyDraws.of(np.random.default_rng(0)))
    assert [r.kind for r in rows] == [L.DRIFT]


def test_a_larger_allowance_lowers_drift_and_keeps_the_same_teachers():
    drifters = {}
    for allowance in (0, 300, 1500):
        state = make_state(make_schools([0, 2]), make_teachers([1] * 10_000), norm=[10_000, 10_000])
        context = mobility.Context.of(POLICY.override({"teachers.hardship_allowance_yuan_month": allowance}), 2025)
        drifters[allowance] = set(mobility.step(state, context, CountyDraws.of(np.random.default_rng(5)))[0].teacher)
    counts = {a: len(d) for a, d in drifters.items()}
    assert counts[0] > counts[300] > counts[1500]
    assert abs(counts[1500] - 10_000 * 0.03 * math.exp(-0.6)) < 4 * math.sqrt(165)
    assert drifters[1500] <= drifters[300] <= drifters[0]


def test_drift_rate_is_the_policy_rate_times_the_allowance_factor_of_the_year():
    policy = POLICY.override({"teachers.hardship_allowance_yuan_month": {2024: 0, 2028: 1000}})
    assert math.isclose(mobility.Context.of(policy, 2027).drift_rate, 0.03)
    assert math.isclose(mobility.Context.of(policy, 2028).drift_rate, 0.03 * math.exp(-0.4))


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_moves_keep_every_teacher_in_one_place_and_no_norm_is_crossed(seed, pool):
    state = random_state(seed)
    t, s = state.teachers, state.schools
    before = copy.deepcopy(t)
    held_before = mobility.posts_held(t, s.n)
    context = mobility.Context(drift_rate=0.3, backbone_factor=2.0, pool=pool)
    rows = mobility.step(state, context, CountyDraws.of(np.random.default_rng(seed)))
    n = t.n
    assert np.array_equal(t.active[:n], before.active[:n])
    held = mobility.posts_held(t, s.n)
    assert held.sum() == held_before.sum()
    moved = np.concatenate([r.teacher for r in rows])
    assert len(np.unique(moved)) == len(moved)  # nobody moves twice in a year
    assert before.active[moved].all() and (before.exchange_left[moved] == 0).all()
    assert np.array_equal(t.school[moved], t.post[moved])
    assert (s.level[before.post[moved]] == s.level[t.post[moved]]).all()
    drift = rows[0]
    assert s.rural[drift.source].all() and not s.rural[drift.target].any() and s.open[drift.target].all()
    targets = np.concatenate([r.target for r in rows])
    assert (held[targets] <= state.norm[targets]).all()
    if pool and len(rows) > 1:
        sources = rows[1].source
        assert (held[sources] >= state.norm[sources]).all()
    unmoved = np.setdiff1d(np.arange(n), moved)
    assert np.array_equal(t.school[unmoved], before.school[unmoved])
