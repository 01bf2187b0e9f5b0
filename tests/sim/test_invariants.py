"""Conservation on random small counties and random policies (hypothesis): teachers and yuan
conserved every year, no negative stock, no teacher in two places, ledgers sum to stock changes."""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balance_sim.sim import load_policy, simulate
from sim_checks import (
    check_no_negative_stock,
    check_school_flows,
    check_single_place,
    check_teacher_conservation,
    check_yuan,
)
from sim_counties import small_county

counties = st.builds(
    small_county,
    seed=st.integers(0, 10_000),
    n_primary=st.integers(1, 8),
    n_junior=st.integers(0, 4),
    townships=st.integers(1, 3),
    roster=st.booleans(),
    budget=st.booleans(),
)
policies = st.fixed_dictionaries({
    "funding.rural_share": st.floats(0, 1),
    "funding.budget_growth": st.floats(-0.1, 0.2),
    "funding.allocation_rule": st.sampled_from(["per_pupil", "per_school", "need"]),
    "funding.weak_school_tilt": st.floats(0, 3),
    "teachers.exchange_rate": st.floats(0, 0.5),
    "teachers.exchange_min_years": st.integers(0, 8),
    "teachers.exchange_stay_probability": st.floats(0, 1),
    "teachers.drift_rate": st.floats(0, 0.3),
    "teachers.max_hires_share": st.floats(0, 0.3),
    "teachers.pool_rebalancing": st.booleans(),
    "enrolment.consolidation.enabled": st.booleans(),
    "enrolment.urbanisation_rate": st.floats(0, 0.2),
    "enrolment.choice_sensitivity": st.floats(0, 5),
    "enrolment.nearest_school_enforcement": st.floats(0, 1),
})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(county=counties, changes=policies, seed=st.integers(0, 2**32 - 1))
def test_conservation_holds_every_year(county, changes, seed):
    result = simulate(county, load_policy(overrides=changes), years=4, seed=seed)
    check_teacher_conservation(result)
    check_school_flows(result)
    check_single_place(result)
    check_yuan(result)
    check_no_negative_stock(result)
    ids = result.teacher_moves["teacher_id"]
    assert ids.notna().all()


@settings(max_examples=10, deadline=None)
@given(county=counties, seed=st.integers(0, 2**32 - 1))
def test_pupils_in_closed_sections_are_zero_and_sections_never_reopen(county, seed):
    result = simulate(county, load_policy(overrides={"enrolment.consolidation.enabled": True}), years=3, seed=seed)
    panel = result.schools
    assert (panel.loc[~panel["open"], "students"] == 0).all()
    opened = panel.pivot_table(index="year", columns=["school_id", "level"], values="open", aggfunc="first").astype(int)
    assert (np.diff(opened.to_numpy(), axis=0) <= 0).all()
