"""Retirement and attrition: ageing, the dated retirement age by sex, attrition by location with
the allowance's factor, ledger rows, and common random numbers across hiring levers."""
import copy
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import hiring, ledger as L, mobility, retirement, training
from balance_sim.sim.policy import load_policy

from teacher_states import GivenDraws, make_schools, make_state, make_teachers, random_state
from balance_sim.sim.streams import CountyDraws

POLICY = load_policy()


def test_teachers_age_and_retire_at_the_age_of_their_sex_and_leave_by_location():
    # sections: 0 urban, 1 rural; slot 5 is a former teacher
    state = make_state(make_schools([0, 2]), make_teachers(
        [0, 0, 1, 1, 0, 1], age=[59, 54, 54, 30, 30, 30], female=[0, 1, 0, 0, 0, 0],
        active=[1, 1, 1, 1, 1, 0], rural_years=[0, 0, 2, 2, 0, 0]))
    context = retirement.Context(retirement_age=np.array([60, 55]), attrition=np.array([0.01, 0.015, 0.04]),
                                 allowance_factor=1.0)
    draws = [0.9, 0.001, 0.9, 0.03, 0.03, 0.0]  # slot 1 retires before its draw counts
    retire, leave = retirement.step(state, context, GivenDraws(draws))
    t = state.teachers
    assert list(t.age[:6]) == [60, 55, 55, 31, 31, 30]
    assert list(t.years_at_school[:6]) == [6, 6, 6, 6, 6, 5]
    assert list(t.rural_years[:6]) == [0, 0, 3, 3, 0, 0]
    assert retire.kind == L.RETIRE and list(retire.teacher) == [0, 1] and list(retire.source) == [0, 0]
    # the rural teacher at 0.03 < 0.04 leaves, the urban one at 0.03 ≥ 0.01 stays; the man of 55 stays
    assert leave.kind == L.LEAVE and list(leave.teacher) == [3] and list(leave.source) == [1]
    assert list(leave.target) == [-1] and list(t.active[:6]) == [0, 0, 1, 0, 1, 0]


def test_rural_attrition_is_the_rate_times_the_allowance_factor_of_the_year():
    policy = POLICY.override({"teachers.hardship_allowance_yuan_month": {2024: 300, 2027: 1500}})
    rural = policy.teachers.attrition_rate.rural
    assert math.isclose(retirement.Context.of(policy, 2026).attrition[2], rural * math.exp(-0.4 * 0.3))
    assert math.isclose(retirement.Context.of(policy, 2027).attrition[2], rural * math.exp(-0.4 * 1.5))
    assert list(retirement.Context.of(policy, 2027).attrition[:2]) == [0.01, 0.015]  # urban, town: no allowance


def test_retirement_age_follows_the_dated_schedule():
    assert list(retirement.Context.of(POLICY, 2029).retirement_age) == [60, 55]
    assert list(retirement.Context.of(POLICY, 2030).retirement_age) == [61, 56]


def _rural_county(n=20_000):
    return make_state(make_schools([2]), make_teachers(np.zeros(n), age=30))


def test_a_larger_allowance_lowers_rural_attrition_and_keeps_the_same_teachers():
    leavers = {}
    for allowance in (0, 300, 1500):
        state = _rural_county()
        context = retirement.Context.of(POLICY.override({"teachers.hardship_allowance_yuan_month": allowance}), 2025)
        leavers[allowance] = set(retirement.step(state, context, CountyDraws.of(np.random.default_rng(7)))[1].teacher)
    counts = {a: len(v) for a, v in leavers.items()}
    # 20,000 × 0.04 × exp(−0.4 A / 1000): 800, 710, 439 expected
    assert counts[0] > counts[300] > counts[1500]
    assert abs(counts[1500] - 20_000 * 0.04 * math.exp(-0.6)) < 4 * math.sqrt(439)
    assert leavers[1500] <= leavers[300] <= leavers[0]  # common random numbers: a subset, not a reshuffle


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_every_exit_is_counted_once_and_only_serving_teachers_exit(seed):
    state = random_state(seed)
    t = state.teachers
    before = t.active[: t.n].copy()
    retire, leave = retirement.step(state, retirement.Context.of(POLICY, 2025), CountyDraws.of(np.random.default_rng(seed)))
    exits = np.concatenate([retire.teacher, leave.teacher])
    assert len(np.unique(exits)) == len(exits)
    assert before[exits].all() and not t.active[exits].any()
    assert np.count_nonzero(t.active[: t.n]) == np.count_nonzero(before) - len(exits)
    assert np.array_equal(np.concatenate([retire.source, leave.source]), t.school[exits])


def _year(state, policy, seed, modules=(retirement, mobility, hiring, training)):
    """The teacher mechanisms of one year, each with its own stream; the rows by module."""
    rows = {}
    for module in modules:
        rng = CountyDraws.of(np.random.default_rng([seed, state.year, modules.index(module)]))
        rows[module.__name__] = module.step(state, module.Context.of(policy, state.year), rng)
    return rows


def test_more_hires_leave_who_retires_and_who_leaves_unchanged():
    # Year 1 hires 1% or 20% of the force; in year 2 the same teachers retire and leave among
    # those both runs had (the first run's hires are the first hires of the second, slot by slot).
    few, many = (POLICY.override({"teachers.max_hires_share": share}) for share in (0.01, 0.2))
    base = random_state(3, n_sections=20, n_teachers=400)
    base.norm += 10  # room for many hires
    a, b = copy.deepcopy(base), copy.deepcopy(base)
    rows_a, rows_b = _year(a, few, 11), _year(b, many, 11)
    for kind in (0, 1):  # year 1: retirement runs before hiring
        assert np.array_equal(rows_a["balance_sim.sim.retirement"][kind].rows,
                              rows_b["balance_sim.sim.retirement"][kind].rows)
    hired_a, hired_b = (r["balance_sim.sim.hiring"][0] for r in (rows_a, rows_b))
    assert 0 < hired_a.rows.shape[1] < hired_b.rows.shape[1]
    assert np.array_equal(hired_a.rows, hired_b.rows[:, : hired_a.rows.shape[1]])
    n = a.teachers.n
    for name in ("active", "school", "age", "female", "degree", "title", "training_cycle"):
        assert np.array_equal(getattr(a.teachers, name)[:n], getattr(b.teachers, name)[:n]), name
    a.year = b.year = 2026
    exits_a, exits_b = (_year(x, POLICY, 11, (retirement,))["balance_sim.sim.retirement"] for x in (a, b))
    for kind in (0, 1):
        ta, tb = exits_a[kind].teacher, exits_b[kind].teacher
        assert np.array_equal(ta, tb[tb < n])
