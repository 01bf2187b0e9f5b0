"""The whole-array sorts of groups.py give numpy's own orders: `stable_order` is
`np.argsort(kind="stable")` (of groups by `stable_order`, of keys by `stable_argsort`) and `order_within` is `np.lexsort((key, group))`, ties included,
for groups beyond one 16-bit digit too; `rank_in_runs` is the rank within each run by that order."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim.groups import order_within, rank_in_runs, rank_within, stable_argsort, stable_order


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 400), st.sampled_from([1, 3, 70_000, 2**33]), st.booleans(), st.integers(0, 2**32 - 1))
def test_orders_equal_numpy(n, groups, coarse_keys, seed):
    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, n)
    key = rng.random(n)
    if coarse_keys:  # many ties: broken by position, as lexsort does
        key = np.round(key, 1)
    assert np.array_equal(stable_order(group), np.argsort(group, kind="stable"))
    assert np.array_equal(stable_argsort(key), np.argsort(key, kind="stable"))
    assert np.array_equal(order_within(group, key), np.lexsort((key, group)))


def test_hand_case():
    group = np.array([2, 0, 2, 0, 1, 70_000, 1])
    key = np.array([0.5, 0.9, 0.1, 0.2, 0.3, 0.0, 0.3])
    assert stable_order(group).tolist() == [1, 3, 4, 6, 0, 2, 5]
    assert order_within(group, key).tolist() == [3, 1, 4, 6, 2, 0, 5]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=30), st.booleans(), st.integers(0, 2**32 - 1))
def test_rank_in_runs_is_the_rank_by_lexsort(sizes, coarse_keys, seed):
    run = np.repeat(np.arange(len(sizes)), sizes)
    key = np.random.default_rng(seed).random(len(run))
    if coarse_keys:
        key = np.round(key, 1)
    expected = rank_within(run, np.lexsort((key, run)))
    assert np.array_equal(rank_in_runs(key, np.array(sizes, np.int64)), expected)


def test_rank_in_runs_hand_case():
    # runs [0.5, 0.1, 0.5], [], [0.9], [0.3, 0.2]: ties by position
    key = np.array([0.5, 0.1, 0.5, 0.9, 0.3, 0.2])
    assert rank_in_runs(key, np.array([3, 0, 1, 2])).tolist() == [1, 0, 2, 0, 1, 0]
