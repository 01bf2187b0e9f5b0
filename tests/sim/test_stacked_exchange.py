"""Exchange and targeted training on a state of many counties act on each county exactly as on
the county alone: targets, eligible counts, quotas, pairs, the backbone share and the staggered
terms are per county and level, training quotas and priorities per county (exchange.py,
exchange_moves.py, targeted_training.py; stacking.py)."""
from __future__ import annotations

import numpy as np
import pytest
from stacking import alone_states, assert_same_moves, assert_same_state, step_both

from balance_sim.sim import exchange, targeted_training
from balance_sim.sim import ledger as L
from balance_sim.sim.exchange_moves import stagger, stagger_within, swaps
from balance_sim.sim.model import mechanism_name
from balance_sim.sim.policy import default_policy

# The levers of the two mechanisms switched on (docs/validation.md): more exchange, a backbone
# share among those rotated, receivers lifted to the standard's minimum, and both kinds of
# targeted training with yearly quotas (small enough to bind in every county, so that a quota
# shared by the counties would show).
QUOTA = 4
LEVERS_ON = {"teachers.exchange_rate": 0.15, "teachers.backbone_share_min": 0.3, "teachers.exchange_to_minimum": True,
             "teachers.backbone_training_per_year": QUOTA, "teachers.subject_retraining_per_year": QUOTA}
POLICIES = {"default": {}, "levers_on": LEVERS_ON}
# (counties, first county): three from the first, two starting at another county.
LAYOUTS = [(3, 0), (2, 1)]


def _policy(name: str):
    changes = POLICIES[name]
    return default_policy().override(changes) if changes else default_policy()


def _stacked_equals_alone(module, policy_name: str, years: int, n: int, first: int):
    policy = _policy(policy_name)
    states = alone_states(n, years, until=mechanism_name(module), policy=policy, first=first)
    stacked, stacked_rows, alone_rows = step_both(module, states, policy)
    assert_same_state(stacked, states)
    assert_same_moves(stacked_rows, stacked, alone_rows)
    return stacked, states, alone_rows


def _moved(rows: list, kind: int) -> int:
    return sum(r.rows.shape[1] for r in rows if isinstance(r, L.Moves) and r.kind == kind)


@pytest.mark.parametrize("policy_name", ["default", "levers_on"])
@pytest.mark.parametrize("years", [1, 3])
@pytest.mark.parametrize("n, first", LAYOUTS)
def test_exchange_of_stacked_counties_equals_each_county_alone(policy_name, years, n, first):
    stacked, states, alone_rows = _stacked_equals_alone(exchange, policy_name, years, n, first)
    counts = np.asarray(stacked.exchange_counts)
    assert counts.shape == (n, 3)
    # Every county rotates teachers, backbone teachers among them, and (after the first year)
    # terms end: the comparison covers moves, not only their absence.
    assert (counts[:, 1] > 0).all() and (counts[:, 2] > 0).all()
    assert all(_moved(rows, L.EXCHANGE_OUT) > 0 for rows in alone_rows)
    if years == 3:
        assert all(_moved(rows, L.EXCHANGE_RETURN) + _moved(rows, L.EXCHANGE_STAY) > 0 for rows in alone_rows)


@pytest.mark.parametrize("policy_name", ["default", "levers_on"])
@pytest.mark.parametrize("years", [1, 3])
@pytest.mark.parametrize("n, first", LAYOUTS)
def test_targeted_training_of_stacked_counties_equals_each_county_alone(policy_name, years, n, first):
    stacked, _, _ = _stacked_equals_alone(targeted_training, policy_name, years, n, first)
    counts = np.asarray(stacked.targeted_counts)
    assert counts.shape == (n, 2)
    if policy_name == "default":
        assert (counts == 0).all()
    else:
        # Each county trains up to its own quota: the counties together train more than one quota.
        assert (counts > 0).all() and (counts <= QUOTA).all()
        assert (counts.sum(axis=0) > QUOTA).all()


def test_a_stacked_county_of_one_keeps_its_counts_as_arrays():
    states = alone_states(1, 1, until="exchange", policy=_policy("levers_on"))
    stacked, _, _ = step_both(exchange, states, _policy("levers_on"))
    assert np.asarray(stacked.exchange_counts).shape == (1, 3)
    assert isinstance(states[0].exchange_counts, tuple)  # a county alone: a tuple, as before


def test_staggered_terms_of_several_groups_are_each_group_alone():
    rng = np.random.default_rng(3)
    term, groups = 3, 4
    years_left = rng.integers(0, term + 1, 60).astype(np.int8)
    group = rng.integers(0, groups, 60)
    n = np.array([5, 0, 2, 7])
    expected = np.concatenate([stagger(years_left[group == g], term, int(n[g])) for g in range(groups)])
    assert stagger_within(years_left, group, term, n, groups).tolist() == expected.tolist()


def test_swaps_of_several_groups_are_each_group_alone():
    """Pairs of each group from its own candidates only, as the group makes them alone."""
    rng = np.random.default_rng(5)
    slots = np.arange(80)
    school = rng.integers(0, 12, 80)
    group = school // 4  # three groups of four sections each
    strong = rng.random(12) < 0.4
    n = np.array([6, 1, 40])
    ordered = slots[np.lexsort((rng.random(80), group[slots]))]  # group by group, by draw
    a = strong[school[ordered]]
    first, second = swaps(ordered[a], ordered[~a], n, school, group, 3)
    for g in range(3):
        mine = ordered[group[ordered] == g]
        alone_a = mine[strong[school[mine]]]
        alone_b = mine[~strong[school[mine]]]
        f, s = swaps(alone_a, alone_b, n[g:g + 1], school, np.zeros(80, np.int64), 1)
        assert first[group[first] == g].tolist() == f.tolist()
        assert second[group[second] == g].tolist() == s.tolist()
        assert (group[second[group[first] == g]] == g).all()
    assert (school[first] != school[second]).all()
