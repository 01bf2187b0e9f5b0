"""The engine's fast paths agree with the plain computations they replace: the reference random
orders within groups the compiled ones are checked against (argsort of group + draw/2 vs a
two-key lexsort), teacher counts by the compiled pass (vs one bincount per kind), counts per
section with a dropped bin, text columns by an Arrow take (vs pandas inferring an object array),
the exchange's choice (vs sorting every draw)."""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import load_policy, quality
from balance_sim.sim.initial import initial_state
from balance_sim.sim.ledger import string_column
from balance_sim.sim.matching import per_school
from balance_sim.sim.model import advance, start
from balance_sim.sim.state import ABOVE_DEGREE_MIN, MID_SENIOR_MIN

from array_references import choice_by_level, group_order, rank_in_group
from sim_counties import small_county


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 400), st.integers(1, 60))
def test_group_order_is_the_lexsort_order_for_random_keys(seed, n, n_groups):
    rng = np.random.default_rng(seed)
    groups = rng.integers(0, n_groups, n)
    keys = rng.random(n)
    assert np.array_equal(group_order(groups, keys), np.lexsort((keys, groups)))
    rank = rank_in_group(groups, keys, n_groups)
    for g in np.unique(groups):  # ranks 0..k−1 within each group, in key order
        members = np.flatnonzero(groups == g)
        assert np.array_equal(rank[members], np.argsort(np.argsort(keys[members])))


def test_group_order_keeps_the_largest_draw_inside_its_group():
    groups = np.array([1, 2, 1, 2])
    keys = np.array([np.nextafter(1.0, 0.0), 0.0, 0.5, 0.25])  # the largest double below 1
    assert group_order(groups, keys).tolist() == [2, 0, 1, 3]


def _state_after(years: int):
    policy = load_policy(overrides={"teachers.pool_rebalancing": True})
    rng = np.random.default_rng(4)
    run, state = start(small_county(seed=3, n_primary=9, n_junior=4, roster=True), policy, years, rng)
    return advance(run, state, policy, years, rng), policy


def test_packed_teacher_counts_equal_one_bincount_per_kind():
    state, policy = _state_after(4)
    t, s, n = state.teachers, state.schools, state.teachers.n
    quality.step(state, policy, None)  # counts the teachers (no draws)
    serving = t.active[:n]
    school = t.school[:n]
    level = s.level[school]
    kinds = (
        np.ones(n, bool),
        t.degree[:n] >= ABOVE_DEGREE_MIN[level],
        t.title[:n] >= MID_SENIOR_MIN,
        t.backbone[:n] > 0,
        t.pe_art[:n],
        t.training_cycle[:n] < policy.teachers.training_cycle_years,
    )
    for k, kind in enumerate(kinds):
        assert np.array_equal(s.counts[:, k], np.bincount(school[serving & kind], minlength=s.n))
    assert s.exchange_in.sum() > 0  # four years of exchange: some teachers are away
    assert np.array_equal(s.exchange_in, np.bincount(school[serving & (t.exchange_left[:n] > 0)], minlength=s.n))


def test_counts_per_section_leave_former_teachers_out():
    section = np.array([0, 2, 2, 1, 0, 2])
    counted = np.array([True, True, False, True, False, True])
    assert per_school(section, counted, 4).tolist() == [1, 1, 2, 0]


def test_string_column_is_what_pandas_infers_from_the_words():
    words = np.array(["甲小学", "b", "c"], dtype=object)
    codes = np.array([2, -1, 0, 0, 1, -1])
    expected = pd.Series(np.append(words, None)[codes])
    column = pd.Series(string_column(words, codes))
    pd.testing.assert_series_equal(column, expected)
    assert len(string_column(words, np.zeros(0, np.int64))) == 0


def test_base_year_state_reads_the_schools_numbers():
    county = small_county(seed=5)
    state = initial_state(county, load_policy(), np.random.default_rng(0), 3)
    schools = county.schools
    assert np.array_equal(state.schools.assets[:, 0], schools["teaching_area_m2"].to_numpy(float))
    assert state.schools.level.tolist() == [0 if w == "primary" else 1 for w in schools["level"]]


def _select_by_sorting(level, backbone, u, quota, share):
    """Reference: within each level, sort by draw; backbone teachers first up to ⌈share·quota⌉,
    then the smallest draws among the others up to the quota."""
    chosen, first = set(), set()
    for lv in (0, 1):
        order = [i for i in np.argsort(u) if level[i] == lv]
        bb = [i for i in order if backbone[i]][: int(np.ceil(share * quota[lv] - 1e-9))]
        rest = [i for i in order if i not in set(bb)][: max(quota[lv] - len(bb), 0)]
        chosen |= set(bb) | set(rest)
        first |= set(bb)
    return chosen, first


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 120), st.integers(0, 40), st.integers(0, 40),
       st.floats(0.0, 1.0))
def test_exchange_selection_takes_backbone_first_then_the_smallest_draws(seed, n, q0, q1, share):
    rng = np.random.default_rng(seed)
    level = rng.integers(0, 2, n).astype(np.int8)
    backbone = rng.random(n) < 0.3
    u = rng.random(n)
    quota = np.array([q0, q1])
    picked, is_first = choice_by_level(level, backbone, u, quota, share)
    chosen, first = _select_by_sorting(level, backbone, u, quota, share)
    assert len(picked) == len(set(picked.tolist()))
    assert set(picked.tolist()) == chosen
    assert set(picked[is_first].tolist()) == first
