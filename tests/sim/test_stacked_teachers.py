"""Drift, the county pool and hiring on a state of many counties act on each county exactly as on
the county alone: destinations, pools, quotas, places, draws and hire order stay within the
county (mobility.py, hiring.py; stacking.py)."""
from __future__ import annotations

import numpy as np
import pytest
from stacking import alone_states, assert_same_moves, assert_same_state, step_both

from balance_sim.sim import hiring, mobility
from balance_sim.sim import ledger as L
from balance_sim.sim.model import mechanism_name
from balance_sim.sim.policy import default_policy
from balance_sim.sim.stack import stack

# The levers of the two mechanisms switched on (hiring by subject is on by default).
LEVERS_ON = {"teachers.pool_rebalancing": True, "teachers.hire_by_subject": True,
             "teachers.itinerant_pe_art.enabled": True}
# Hiring by the coin toss instead of by subject, with itinerant teachers still on.
COIN_TOSS = {"teachers.hire_by_subject": False, "teachers.itinerant_pe_art.enabled": True}
POLICIES = {"default": {}, "levers_on": LEVERS_ON, "coin_toss": COIN_TOSS}
# (counties, first county): three from the first, two starting at another county.
LAYOUTS = [(3, 0), (2, 1)]


def _policy(name: str):
    changes = POLICIES[name]
    return default_policy().override(changes) if changes else default_policy()


def _moved(rows: list[list], kind: int) -> int:
    return sum(r.rows.shape[1] for county in rows for r in county if isinstance(r, L.Moves) and r.kind == kind)


def _stacked_equals_alone(module, policy_name: str, years: int, n: int, first: int):
    policy = _policy(policy_name)
    states = alone_states(n, years, until=mechanism_name(module), policy=policy, first=first)
    stacked, stacked_rows, alone_rows = step_both(module, states, policy)
    assert_same_state(stacked, states)
    assert_same_moves(stacked_rows, stacked, alone_rows)
    return stacked, states, alone_rows


@pytest.mark.parametrize("policy_name", ["default", "levers_on"])
@pytest.mark.parametrize("years", [1, 3])
@pytest.mark.parametrize("n, first", LAYOUTS)
def test_drift_and_pool_of_stacked_counties_equal_each_county_alone(policy_name, years, n, first):
    _, _, alone_rows = _stacked_equals_alone(mobility, policy_name, years, n, first)
    assert _moved(alone_rows, L.DRIFT) > 0  # the comparison covers moves, not only their absence
    if policy_name == "levers_on":
        assert _moved(alone_rows, L.POOL) > 0


@pytest.mark.parametrize("policy_name", ["default", "levers_on", "coin_toss"])
@pytest.mark.parametrize("years", [1, 3])
@pytest.mark.parametrize("n, first", LAYOUTS)
def test_hiring_of_stacked_counties_equals_each_county_alone(policy_name, years, n, first):
    stacked, _, alone_rows = _stacked_equals_alone(hiring, policy_name, years, n, first)
    assert _moved(alone_rows, L.HIRE) > 0
    if POLICIES[policy_name].get("teachers.itinerant_pe_art.enabled"):
        assert stacked.schools.itinerant_pe_art.sum() > 0


def test_each_county_hires_up_to_its_own_quota():
    """The quota is each county's share of its own serving teachers, not of the state's, and
    each county's places are its places alone, in the same order."""
    states = alone_states(3, 1, until="hiring")
    context = hiring.Context.of(default_policy(), states[0].year)
    state = stack(states)
    assert hiring.hiring_quotas(state, context).tolist() == [int(hiring.hiring_quotas(s, context)[0]) for s in states]
    where = hiring.places(state, context)
    first = np.flatnonzero(np.r_[True, np.diff(state.schools.county) != 0])
    for c, one in enumerate(states):
        mine = where[state.schools.county[where] == c] - first[c]
        assert np.array_equal(mine, hiring.places(one, context))


def test_itinerant_teachers_by_county_are_each_countys_own():
    context = hiring.Context.of(_policy("levers_on"), 2020)
    served = np.array([1, 1, 1, 1, 2, 0, 2])
    county = np.array([0, 0, 0, 0, 1, 1, 2])
    by_county = hiring.itinerant_teachers_by_county(served, county, 3, context)
    assert by_county.tolist() == [hiring.itinerant_teachers(served[county == c], context) for c in range(3)]
    assert by_county.tolist() == [2, 1, 1]  # ⌈4 ÷ 3⌉, ⌈2 ÷ 3⌉, ⌈2 ÷ 3⌉: not ⌈8 ÷ 3⌉ = 3 in all
    yuan = hiring.itinerant_cost_yuan_by_county(served, county, 3, context)
    assert yuan.tolist() == [hiring.itinerant_cost_yuan(served[county == c], context) for c in range(3)]
