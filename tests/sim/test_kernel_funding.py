"""The compiled funding passes (claims and their payment, depreciation, allocation by each rule,
purchases, ledger rows) against the array formulas they replaced, bit for bit, on random
counties and policies; each kernel against itself run as plain Python (`py_func`) on random
arrays; numpy's summation order; and small cases worked out by hand."""
import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import capital, funding, load_policy
from balance_sim.sim import ledger as L
from balance_sim.sim.matching import per_school
from balance_sim.sim.model import advance, start
from balance_sim.sim.state import ASSETS

from array_references import level_matrix
from sim_counties import small_county

# ------------------------------------------------------------------ the array formulas replaced



def _funds_rows(yuan, quantity):
    """Ledger rows from dense (schools + 1) × items matrices (last row: county level); zeros left
    out except the unspent row, always written: the rows as the array formulas made them."""
    keep = yuan != 0
    keep[-1, L.UNSPENT] = True
    school, item = np.nonzero(keep)
    school = np.where(school == yuan.shape[0] - 1, -1, school)
    return L.Funds(item.astype(np.int8), school.astype(np.int32), yuan[keep], quantity[keep])

def reference_fill(pool, weight, cap, group):
    total = np.bincount(group, weights=weight, minlength=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        given = np.minimum(np.where(total[group] > 0, pool[group] * weight / total[group], 0.0), cap)
        left = pool - np.bincount(group, weights=given, minlength=2)
        remaining = np.maximum(cap - given, 0.0)
        remaining_total = np.bincount(group, weights=remaining, minlength=2)
        fill = np.where(remaining_total > 0, np.minimum(1.0, left / remaining_total), 0.0)
    return given + remaining * fill[group]


def reference_allocate(state, policy, pool):
    s, f, c = state.schools, policy.funding, state.constants
    pupils = state.pupils
    eligible = s.open & (pupils > 0)
    group = s.rural.astype(np.int64)
    group_pool = pool * np.array([1.0 - f.rural_share, f.rural_share])
    tilt = 1.0 + f.weak_school_tilt * s.weak
    if f.allocation_rule != "need":
        weight = pupils if f.allocation_rule == "per_pupil" else np.ones(s.n)
        weight = np.where(eligible, weight * tilt, 0.0)
        total = np.bincount(group, weights=weight, minlength=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            per = np.where(total[group] > 0, group_pool[group] * weight / total[group], 0.0)
        return per[:, None] * c.capital_mix
    open_pupils = pupils * s.open
    level_pupils = np.bincount(s.level, weights=open_pupils, minlength=2)
    mean = (level_matrix(s.level) @ (s.assets * s.open[:, None])) / np.maximum(level_pupils, 1e-12)[:, None]
    target = np.maximum(f.need_target * c.need_minimums[s.level], mean[s.level]) * open_pupils[:, None]
    need = np.maximum(target - s.assets, 0.0) * c.unit_costs * s.open[:, None]
    need_total = np.where(eligible, need.sum(axis=1), 0.0)
    given = reference_fill(group_pool, need_total * tilt, need_total, group)
    left = group_pool - np.bincount(group, weights=given, minlength=2)
    still = np.maximum(need_total - given, 0.0)
    given = given + reference_fill(left[::-1], still, still, group)
    with np.errstate(divide="ignore", invalid="ignore"):
        mix = np.where(need_total[:, None] > 0, need / need_total[:, None], 0.0)
    yuan = given[:, None] * mix
    rest = pool - float(given.sum())
    by_pupil = np.where(eligible, pupils, 0.0)
    if rest > 0 and by_pupil.sum() > 0:
        yuan += (rest * by_pupil / by_pupil.sum())[:, None] * c.capital_mix
    return np.maximum(yuan, 0.0)


def reference_step(state, policy):
    """funding.step as array formulas: (ledger rows, public funds, capital by section)."""
    s, t, b, f = state.schools, state.teachers, state.budget, policy.funding
    a = s.assets
    a[:, ASSETS.index("equipment_value_yuan")] *= 1.0 - 1.0 / f.equipment_life_years
    a[:, ASSETS.index("computers")] *= 1.0 - 1.0 / f.computer_life_years
    b.last_budget = b.current
    b.current = b.current * (1.0 + f.budget_growth)
    b.pay_factor *= 1.0 + f.teacher_pay_growth
    available = b.current
    dated = state.constants.dated(state.year)
    table = np.zeros((s.n + 1, len(L.FUND_ITEMS)))
    claims = table[:-1, L.SALARIES:L.OTHER]
    serving = t.active[: t.n]
    claims[:, L.SALARIES] = per_school(t.post[: t.n], serving, s.n) * (f.teacher_pay_yuan * b.pay_factor)
    at_rural = per_school(t.school[: t.n], serving, s.n) * s.rural
    claims[:, L.ALLOWANCE] = at_rural * policy.teachers.hardship_allowance_yuan_month * 12.0
    funded = np.where(state.pupils > 0, np.maximum(state.pupils, f.small_school_floor), 0.0)
    public = dated.public_funds_rate[s.level] * funded + dated.boarding_supplement * s.boarding_share * state.pupils
    claims[:, L.PUBLIC_FUNDS] = np.where(s.open, public, 0.0)
    other = b.other * b.current / b.base if b.base > 0 else 0.0
    ratios, left = [], available
    for total in [float(claims[:, k].sum()) for k in range(3)] + [other]:
        ratio = 1.0 if total <= left else (left / total if total > 0 else 0.0)
        ratios.append(ratio)
        left = max(left - total * ratio, 0.0)
    claims *= ratios[:3]
    other *= ratios[3]
    paid = [float(claims[:, k].sum()) for k in range(3)] + [other]
    remaining = available - paid[0] - paid[1] - paid[2] - paid[3]
    pool = min(max(b.current - b.base, 0.0), max(remaining, 0.0))
    yuan = reference_allocate(state, policy, pool)
    quantity = yuan / state.constants.unit_costs
    s.assets += quantity
    s.rooms += quantity[:, 0] / policy.enrolment.teaching_area_per_classroom_m2
    spent = sum(paid) + float(yuan.sum())
    unspent = max(available - spent, 0.0)
    table[-1, L.OTHER], table[-1, L.UNSPENT] = other, unspent
    table[:-1, L.CAPITAL_FIRST:L.UNSPENT] = yuan
    bought = np.full_like(table, np.nan)
    bought[:-1, L.CAPITAL_FIRST:L.UNSPENT] = quantity
    return _funds_rows(table, bought), claims[:, L.PUBLIC_FUNDS].copy(), yuan.sum(axis=1), spent, paid[2]


# ------------------------------------------------------------------ the year's pass, bit for bit

SAME = dict(equal_nan=True)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31), st.sampled_from(("per_pupil", "per_school", "need")), st.floats(0, 1),
       st.floats(0, 3), st.floats(0.2, 2.5), st.sampled_from((-0.08, 0.0, 0.03, 0.12)),
       st.sampled_from((0.0, 0.09)), st.booleans(), st.integers(0, 3))
def test_step_is_the_array_formulas_bit_for_bit(seed, rule, rural_share, tilt, need_target, growth, pay_growth,
                                                consolidation, years):
    policy = load_policy(overrides={
        "funding.allocation_rule": rule, "funding.rural_share": rural_share, "funding.weak_school_tilt": tilt,
        "funding.need_target": need_target, "funding.budget_growth": growth,
        "funding.teacher_pay_growth": pay_growth, "enrolment.consolidation.enabled": consolidation,
    })
    rng = np.random.default_rng(seed)
    county = small_county(seed=seed % 97, n_primary=5 + seed % 7, n_junior=2 + seed % 4, roster=seed % 2 == 0,
                          budget=seed % 3 == 0)
    run, state = start(county, policy, years + 1, rng)
    state = advance(run, state, policy, years, rng)
    state.year += 1
    expected_state = copy.deepcopy(state)
    rows, public, by_section, spent, public_paid = reference_step(expected_state, policy)
    _, (got,) = funding.step(state, policy, rng)
    for field in ("item", "school", "yuan", "quantity"):
        assert getattr(got, field).dtype == getattr(rows, field).dtype
        assert np.array_equal(getattr(got, field), getattr(rows, field), **SAME), field
    s, e = state.schools, expected_state.schools
    assert np.array_equal(s.public_funds, public) and np.array_equal(s.capital, by_section)
    assert np.array_equal(s.assets, e.assets) and np.array_equal(s.rooms, e.rooms)
    b, eb = state.budget, expected_state.budget
    assert (b.current, b.last_budget, b.pay_factor, b.spent) == (eb.current, eb.last_budget, eb.pay_factor, spent)
    pupils = float(expected_state.pupils.sum())
    if pupils > 0:
        assert (b.last_per_pupil, b.last_public_per_pupil) == (spent / pupils, public_paid / pupils)


def test_recurrent_cost_and_public_funds_are_the_array_formulas():
    policy = load_policy(overrides={"teachers.hardship_allowance_yuan_month": 700})
    run, state = start(small_county(seed=4, n_primary=8, n_junior=3, roster=True), policy, 1, np.random.default_rng(2))
    s, t, f = state.schools, state.teachers, policy.funding
    dated = state.constants.dated(state.year)
    funded = np.where(state.pupils > 0, np.maximum(state.pupils, f.small_school_floor), 0.0)
    public = np.where(s.open, dated.public_funds_rate[s.level] * funded
                      + dated.boarding_supplement * s.boarding_share * state.pupils, 0.0)
    assert np.array_equal(funding.public_funds(state, policy, state.year), public)
    serving = t.active[: t.n]
    salaries = per_school(t.post[: t.n], serving, s.n) * (f.teacher_pay_yuan * state.budget.pay_factor)
    allowance = per_school(t.school[: t.n], serving, s.n) * s.rural * 700 * 12.0
    assert allowance.sum() > 0  # rural sections exist: the allowance is checked on real numbers
    assert funding.recurrent_cost(state, policy, state.year) == float(salaries.sum() + allowance.sum() + public.sum())


# ------------------------------------------------------------------ compiled = plain Python


def _sections(rng, n):
    return dict(pupils=np.where(rng.random(n) < 0.1, 0.0, rng.uniform(5, 900, n)), is_open=rng.random(n) < 0.9,
                rural=rng.random(n) < 0.4, weak=rng.random(n) < 0.3, level=(rng.random(n) < 0.35).astype(np.int8))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 40), st.integers(0, 2), st.floats(0, 1e7))
def test_invest_kernel_compiled_and_as_python_agree(seed, n, rule, pool):
    rng = np.random.default_rng(seed)
    x = _sections(rng, n)
    assets = rng.uniform(0, 5000, (n, 6))
    minimums, unit_costs = rng.uniform(0, 3, (2, 6)), rng.uniform(1, 900, 6)
    out = []
    for f in (capital._invest, capital._invest.py_func):
        work = [assets.copy(), np.ones(n), *(np.zeros((n, 6)) for _ in range(4)), np.zeros(n)]
        total = f(rule, pool, 0.3, 0.5, np.full(6, 1 / 6), x["pupils"], x["is_open"], x["rural"], x["weak"],
                  x["level"], work[0], work[1], minimums, 1.2, unit_costs, 60.0, 0.9, 0.75, np.ones(n), *work[2:])
        out.append((total, *work))
    for a, b in zip(*out):
        assert np.array_equal(a, b)
    total, assets_after, open_assets, yuan, quantity = out[0][0], out[0][1], out[0][3], out[0][5], out[0][6]
    # depreciation first (equipment × 0.9, computers × 0.75), then the purchases
    assert np.array_equal(assets_after[:, 2], assets[:, 2] * 0.9 + quantity[:, 2])
    assert np.array_equal(assets_after[:, 4], assets[:, 4] * 0.75 + quantity[:, 4])
    assert np.array_equal(open_assets[:, 2], assets[:, 2] * 0.9 * x["is_open"])
    assert total == yuan.sum() and total <= pool * (1 + 1e-12) + 1e-6
    if rule == capital.NEED and (x["pupils"] * x["is_open"]).sum() > 0:  # what needs leave goes per pupil
        assert total == pytest.approx(pool, rel=1e-9, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 40), st.floats(0, 1e9))
def test_claims_kernel_compiled_and_as_python_agree(seed, n, available):
    rng = np.random.default_rng(seed)
    x = _sections(rng, n)
    teachers = int(rng.integers(0, 30 * n))
    active, post = rng.random(teachers) < 0.9, rng.integers(0, n, teachers).astype(np.int32)
    school = np.where(rng.random(teachers) < 0.1, rng.integers(0, n, teachers), post).astype(np.int32)
    boarding_share = rng.random(n) * 0.5
    out = []
    for f in (funding._claims, funding._claims.py_func):
        claims = np.empty((3, n))
        result = f(active, post, school, teachers, x["rural"], 1e5, 500.0, x["pupils"], x["level"], x["is_open"],
                   boarding_share, np.array([600.0, 800.0]), 200.0, 100.0, available, 3e6, 1e6, claims)
        out.append((result, claims))
    assert out[0][0] == out[1][0] and np.array_equal(out[0][1], out[1][1])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 30))
def test_rows_are_the_ledger_rows_of_the_dense_table(seed, n):
    rng = np.random.default_rng(seed)
    claims = np.where(rng.random((3, n)) < 0.3, 0.0, rng.uniform(0, 1e6, (3, n)))
    yuan = np.where(rng.random((n, 6)) < 0.3, 0.0, rng.uniform(0, 1e5, (n, 6)))
    quantity, other, unspent = yuan / 7.0, float(rng.choice([0.0, 5e5])), float(rng.choice([0.0, 3.0]))
    table = np.zeros((n + 1, len(L.FUND_ITEMS)))
    table[:-1, :3], table[:-1, L.CAPITAL_FIRST:L.UNSPENT] = claims.T, yuan
    table[-1, L.OTHER], table[-1, L.UNSPENT] = other, unspent
    bought = np.full_like(table, np.nan)
    bought[:-1, L.CAPITAL_FIRST:L.UNSPENT] = quantity
    expected = _funds_rows(table, bought)
    for f in (funding._rows, funding._rows.py_func):
        most = table.size
        item, school, amount = np.empty(most, np.int8), np.empty(most, np.int32), np.empty((2, most))
        count = f(claims, other, yuan, quantity, unspent, funding.ITEM_CODES, item, school, amount[0], amount[1])
        for got, want in ((item, expected.item), (school, expected.school), (amount[0], expected.yuan),
                          (amount[1], expected.quantity)):
            assert np.array_equal(got[:count], want, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 50))
def test_fill_is_the_array_formula(seed, n):
    rng = np.random.default_rng(seed)
    pool = rng.uniform(0, 1e6, 2)
    weight, cap = rng.uniform(0, 10, n) * (rng.random(n) < 0.8), rng.uniform(0, 2e5, n) * (rng.random(n) < 0.9)
    rural = rng.random(n) < 0.5
    expected = reference_fill(pool, weight, cap, rural.astype(np.int64))
    assert np.array_equal(capital._fill(pool, weight, cap, rural), expected)
    assert np.array_equal(capital._fill.py_func(pool, weight, cap, rural), expected)


# ------------------------------------------------------------------ worked by hand


def test_fill_caps_and_shares_what_the_cap_holds_back():
    # Rural pool 100 by weights 1:1:2 → 25, 25, 50; the first is capped at 10, and the 15 held
    # back go by remaining cap (0, 75, 50): +9 and +6.
    given = capital._fill(np.array([0.0, 100.0]), np.array([1.0, 1.0, 2.0]), np.array([10.0, 100.0, 100.0]),
                          np.array([True, True, True]))
    assert given.tolist() == pytest.approx([10.0, 34.0, 56.0])


def test_claims_are_paid_in_order_and_the_first_short_one_pro_rata():
    # 100 yuan; salaries 60 and allowance 30 in full, public funds 20 get half, other 10 nothing.
    claims = np.array([[60.0], [30.0], [20.0]])
    paid = funding._pay_claims(100.0, claims, 10.0)
    assert paid.tolist() == [60.0, 30.0, 10.0, 0.0]
    assert claims[:, 0].tolist() == [60.0, 30.0, 10.0]


def test_depreciation_and_purchase_by_hand():
    assets = np.array([[100.0, 200.0, 1000.0, 2.0, 50.0, 900.0]])
    open_assets = np.empty_like(assets)
    capital._depreciate(assets, 2, 0.9, 4, 0.8, np.array([False]), open_assets)
    assert assets.tolist() == [[100.0, 200.0, 900.0, 2.0, 40.0, 900.0]]
    assert open_assets.tolist() == [[0.0] * 6]  # closed: no stock for the need rule
    rooms, quantity, by_section = np.array([5.0]), np.empty((1, 6)), np.empty(1)
    capital._buy(np.array([[3000.0, 0, 500, 0, 0, 0]]), np.array([1000.0, 400, 1, 6e4, 5000, 20]), assets, rooms,
                 1.5, quantity, by_section)
    assert quantity[0, 0] == 3.0 and rooms[0] == 7.0 and assets[0, 2] == 1400.0 and by_section[0] == 3500.0
