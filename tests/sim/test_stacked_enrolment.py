"""Enrolment on a state of many counties acts on each county exactly as on the county alone:
cohorts and the grade 6 → 7 transition, urbanisation, school choice, consolidation, intake caps
with re-seating, classes and the classrooms planned stay within their county, and the pupils
moved are counted per county (enrolment.py, consolidation.py, capacity.py; stacking.py)."""
from __future__ import annotations

import numpy as np
import pytest
from stacking import alone_states, assert_same_moves, assert_same_state, step_both

from balance_sim.sim import capacity, enrolment
from balance_sim.sim import ledger as L
from balance_sim.sim.policy import default_policy

# The levers of enrolment switched on (docs/validation.md): consolidation of small schools,
# intake caps on oversized schools, a few classrooms a year (few enough to bind in every
# county, so that a quota shared by the counties would show), and school choice unhindered by
# the nearest-school rule (more pupils moved, so that a mean or a receiver shared across
# counties would show).
CLASSROOMS = 2
LEVERS_ON = {"enrolment.consolidation.enabled": True, "capacity.intake_caps": True,
             "capacity.extension_classrooms_per_year": CLASSROOMS, "enrolment.nearest_school_enforcement": 0.0}
POLICIES = {"default": {}, "levers_on": LEVERS_ON}
# (counties, first county): three from the first, two starting at another county.
LAYOUTS = [(3, 0), (2, 1)]


def _policy(name: str):
    changes = POLICIES[name]
    return default_policy().override(changes) if changes else default_policy()


def _stacked_equals_alone(policy_name: str, years: int, n: int, first: int):
    policy = _policy(policy_name)
    states = alone_states(n, years, until="enrolment", policy=policy, first=first)
    stacked, stacked_rows, alone_rows = step_both(enrolment, states, policy)
    assert_same_state(stacked, states)
    assert_same_moves(stacked_rows, stacked, alone_rows)
    return stacked, states, alone_rows, policy


def _classrooms_planned(stacked, policy) -> np.ndarray:
    """Classrooms planned this year by county."""
    c = capacity.Context.of(policy, stacked.year)
    rooms = stacked.schools.construction_yuan / (c.area_per_classroom * c.yuan_per_m2)
    return np.bincount(stacked.schools.county, weights=rooms, minlength=stacked.counties)


@pytest.mark.parametrize("policy_name", ["default", "levers_on"])
@pytest.mark.parametrize("years", [1, 3])
@pytest.mark.parametrize("n, first", LAYOUTS)
def test_enrolment_of_stacked_counties_equals_each_county_alone(policy_name, years, n, first):
    stacked, states, alone_rows, policy = _stacked_equals_alone(policy_name, years, n, first)
    s = stacked.schools
    # The pupils moved are one number per county, and every county moves some by choice.
    assert np.shape(s.choice_moved) == (n,) and np.shape(s.intake_moved) == (n,)
    assert (np.asarray(s.choice_moved) > 0).all()
    if policy_name == "default":
        assert (np.asarray(s.intake_moved) == 0).all() and not s.construction_yuan.any()
    else:
        # Oversized schools refuse entrants in some county, and each county plans its own
        # classrooms up to the yearly number: together more than one county's number.
        assert (np.asarray(s.intake_moved) > 0).any()
        planned = _classrooms_planned(stacked, policy)
        assert (planned <= CLASSROOMS + 1e-9).all() and planned.sum() > CLASSROOMS


@pytest.mark.parametrize("n, first", LAYOUTS)
def test_consolidation_of_stacked_counties_merges_within_each_county(n, first):
    """In the first simulated year with consolidation on, small sections close and their
    teachers move; nobody moves to a section of another county."""
    policy = _policy("levers_on")
    states = alone_states(n, 0, until="enrolment", policy=policy, first=first)
    stacked, stacked_rows, alone_rows = step_both(enrolment, states, policy)
    assert_same_state(stacked, states)
    assert_same_moves(stacked_rows, stacked, alone_rows)
    assert not stacked.schools.open.all()
    moves = [r for r in stacked_rows if isinstance(r, L.Moves) and r.kind == L.CONSOLIDATION]
    assert moves and sum(m.teacher.size for m in moves) > 0
    county = stacked.schools.county
    for m in moves:
        assert np.array_equal(county[m.source], county[m.target])
    assert any(any("small sections merged" in note for note in one.notes) for one in states)


def test_a_stacked_county_of_one_keeps_its_figures_as_arrays():
    states = alone_states(1, 1, until="enrolment", policy=_policy("levers_on"))
    stacked, _, _ = step_both(enrolment, states, _policy("levers_on"))
    assert np.shape(stacked.schools.choice_moved) == (1,) and np.shape(stacked.schools.intake_moved) == (1,)
    assert isinstance(states[0].schools.choice_moved, float)  # a county alone keeps numbers
