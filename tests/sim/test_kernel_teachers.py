"""The compiled retirement, training and quality passes against the array formulas they replaced
(same draws consumed, same teachers, ledger rows, counts, indicators and index afterwards) on
random counties and policies; each kernel against itself run as plain Python (`py_func`) on
random arrays; and small cases worked out by hand."""
import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import ledger as L
from balance_sim.sim import load_policy, quality, retirement, training
from balance_sim.sim.model import advance, start
from balance_sim.sim.state import ABOVE_DEGREE_MIN, INDICATOR_COLUMNS, INDICATOR_PER, MID_SENIOR_MIN

from sim_counties import small_county

TEACHER_FIELDS = ("active", "school", "post", "age", "female", "degree", "title", "backbone", "pe_art",
                  "years_at_school", "rural_years", "exchange_left", "training_cycle")

# ------------------------------------------------------------------ the array formulas replaced


def reference_retirement(state, policy, rng):
    t, s, year = state.teachers, state.schools, state.year
    n = t.n
    active, school = t.active[:n], t.school[:n]
    t.age[:n] += active
    t.years_at_school[:n] += active
    t.rural_years[:n] += active & s.rural[school]
    limit = state.constants.dated(year).retirement_age[t.female[:n].view(np.int8)]
    retiring = active & (t.age[:n] >= limit)
    leaving = active & ~retiring & (rng.random(n, dtype=np.float32) < state.constants.attrition[s.location[school]])
    out_retire, out_leave = np.flatnonzero(retiring), np.flatnonzero(leaving)
    active[out_retire] = False
    active[out_leave] = False
    return [
        L.moves(L.RETIRE, out_retire, school[out_retire], np.full(len(out_retire), -1)),
        L.moves(L.LEAVE, out_leave, school[out_leave], np.full(len(out_leave), -1)),
    ]


def reference_training(state, policy, rng):
    t, s, tp = state.teachers, state.schools, policy.teachers
    n = t.n
    active = t.active[:n]
    rural = s.rural[t.school[:n]]
    u = rng.random((3, n), dtype=np.float32)
    cycle, length = t.training_cycle[:n], np.int8(tp.training_cycle_years)
    cycle += active & (cycle < length)
    cycle[active & (cycle >= length) & (u[2] < tp.training_completion_rate)] = 0
    trained = np.flatnonzero(active & (u[0] < state.constants.training_probability[rural.view(np.int8)]))
    v = rng.random((2, len(trained)), dtype=np.float32)
    degree, title, backbone = t.degree[:n], t.title[:n], t.backbone[:n]
    upgrade = trained[(degree[trained] < 3) & (v[0] < tp.degree_upgrade_probability)]
    new_backbone = trained[(backbone[trained] == 0) & (title[trained] >= 2) & (v[1] < tp.backbone_probability)]
    degree[upgrade] += 1
    backbone[new_backbone] = 1
    promote = active & (u[1] < state.constants.promotion[title])
    if tp.rural_service_before_senior:
        served = rural | (t.rural_years[:n] >= tp.rural_service_years_required)
        promote &= (title + 1 != 3) | served
    title += promote & (title < 4)
    return []


def reference_quality(state, policy, rng):
    t, s, n = state.teachers, state.schools, state.teachers.n
    school = np.where(t.active[:n], t.school[:n], s.n)
    level = np.append(s.level, 0)[school]
    flags = np.stack((
        t.degree[:n] >= ABOVE_DEGREE_MIN[level], t.title[:n] >= MID_SENIOR_MIN, t.backbone[:n] > 0, t.pe_art[:n],
        t.training_cycle[:n] < policy.teachers.training_cycle_years, t.exchange_left[:n] > 0,
    ))
    code = (flags.view(np.uint8) * (1 << np.arange(6)).astype(np.uint8)[:, None]).sum(axis=0, dtype=np.uint8)
    table = np.bincount(school * 64 + code, minlength=(s.n + 1) * 64).reshape(s.n + 1, 64)
    bits = np.column_stack([np.ones(64, np.int64)] + [(np.arange(64) >> b) & 1 for b in range(6)])
    counts = table[: s.n] @ bits
    s.counts, s.exchange_in = counts[:, :6], counts[:, 6]
    stacked = np.concatenate([s.assets, s.counts], axis=1)[:, INDICATOR_COLUMNS] * INDICATOR_PER
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where((state.pupils > 0) & s.open, 1.0 / state.pupils, np.nan)
    s.indicators = stacked * scale[:, None]
    c, q = state.constants, policy.quality
    ratio = np.minimum(s.indicators[:, c.quality_columns] / c.quality_minimums[s.level], q.ratio_cap)
    score = q.intercept + (np.where(np.isnan(ratio), 0.0, ratio) * c.quality_beta).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        class_size = np.where(s.classes > 0, state.pupils / s.classes, 0.0)
    score -= q.class_size_penalty * np.maximum(class_size / c.class_limit[s.level] - 1.0, 0.0)
    s.quality = np.where(np.isfinite(s.indicators[:, 0]), score, np.nan)
    return []


# ------------------------------------------------------------------ compiled step = array formulas

POLICIES = (
    {},
    {"teachers.rural_service_before_senior": False, "teachers.hardship_allowance_yuan_month": 1500},
    {"teachers.training_rate": 0.9, "teachers.degree_upgrade_probability": 0.7, "teachers.backbone_probability": 0.6,
     "teachers.training_completion_rate": 0.35, "teachers.exchange_rate": 0.3},
    {"enrolment.consolidation.enabled": True, "teachers.pool_rebalancing": True, "quality.ratio_cap": 1.2,
     "quality.intercept": 0.5, "quality.class_size_penalty": 2.0},
)


def _state_in_year(seed, policy_index, years):
    policy = load_policy(overrides=POLICIES[policy_index])
    rng = np.random.default_rng(seed)
    county = small_county(seed=seed % 97, n_primary=5 + seed % 7, n_junior=2 + seed % 4, roster=bool(seed % 2))
    run, state = start(county, policy, years + 1, rng)
    advance(run, state, policy, years, rng)
    state.year += 1
    return state, policy, rng


def _same_rows(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert x.kind == y.kind
        for field in ("teacher", "source", "target"):
            assert np.array_equal(getattr(x, field), getattr(y, field)), field


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, len(POLICIES) - 1), st.integers(0, 6))
def test_each_step_equals_the_array_formulas(seed, policy_index, years):
    state, policy, rng = _state_in_year(seed, policy_index, years)
    for step, reference in ((retirement.step, reference_retirement), (training.step, reference_training),
                            (quality.step, reference_quality)):
        mine, theirs = copy.deepcopy((state, rng)), copy.deepcopy((state, rng))
        _, rows = step(mine[0], policy, mine[1])
        expected = reference(theirs[0], policy, theirs[1])
        _same_rows(rows, expected)
        assert mine[1].bit_generator.state == theirs[1].bit_generator.state  # same draws consumed
        t, u = mine[0].teachers, theirs[0].teachers
        for name in TEACHER_FIELDS:
            assert np.array_equal(getattr(t, name), getattr(u, name)), name
        for name in ("counts", "exchange_in", "indicators", "quality"):
            assert np.array_equal(getattr(mine[0].schools, name), getattr(theirs[0].schools, name), equal_nan=True), name
        state, rng = mine  # the next mechanism starts from this one's result


def test_a_year_of_the_three_changes_teachers():
    """The comparison above is not vacuous: a year of these steps retires, trains and promotes."""
    state, policy, rng = _state_in_year(3, 2, 2)
    before = copy.deepcopy(state.teachers)
    _, rows = retirement.step(state, policy, rng)
    training.step(state, policy, rng)
    t, n = state.teachers, state.teachers.n
    assert sum(len(r.teacher) for r in rows) > 0
    assert (t.degree[:n] != before.degree[:n]).any() and (t.title[:n] != before.title[:n]).any()
    assert (t.training_cycle[:n] != before.training_cycle[:n]).any()


# ------------------------------------------------------------------ compiled = plain Python


def _random_teachers(rng, n, n_schools):
    return dict(
        active=rng.random(n) < 0.8,
        school=np.sort(rng.integers(0, n_schools, n)).astype(np.int32) if rng.random() < 0.5
        else rng.integers(0, n_schools, n).astype(np.int32),
        age=rng.integers(20, 66, n).astype(np.int8),
        years=rng.integers(0, 30, n).astype(np.int8),
        rural_years=rng.integers(0, 10, n).astype(np.int8),
        female=rng.random(n) < 0.6,
        degree=rng.integers(0, 4, n).astype(np.int8),
        title=rng.integers(0, 5, n).astype(np.int8),
        backbone=rng.integers(0, 3, n).astype(np.int8) * (rng.random(n) < 0.3),
        pe_art=rng.random(n) < 0.15,
        cycle=rng.integers(0, 6, n).astype(np.int8),
        exchange_left=rng.integers(0, 3, n).astype(np.int8) * (rng.random(n) < 0.2),
    )


def _both(kernel, *args):
    """The kernel compiled and as plain Python, each on its own copy of the arrays."""
    first, second = copy.deepcopy(args), copy.deepcopy(args)
    with np.errstate(divide="ignore", invalid="ignore"):  # numpy's scalars warn where the kernel does not
        return (kernel(*first), first), (kernel.py_func(*second), second)


def _assert_same(a, b):
    if isinstance(a, (tuple, list)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _assert_same(x, y)
    elif isinstance(a, np.ndarray):
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    else:
        assert a == b or (a != a and b != b)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 300), st.integers(1, 12))
def test_kernels_compiled_and_as_python_agree(seed, n, n_schools):
    rng = np.random.default_rng(seed)
    t = _random_teachers(rng, n, n_schools)
    rural = rng.random(n_schools) < 0.5
    draw = rng.random(n, dtype=np.float32)
    _assert_same(*_both(retirement._age_and_exit, t["active"], t["school"], t["age"], t["years"], t["rural_years"],
                        t["female"], rural, rng.random(n_schools) * 0.2, np.array([60, 55], np.int8), draw,
                        np.zeros(n + 3, np.int64)))
    u = rng.random((3, n), dtype=np.float32)
    (n_trained, (*_, trained)), _ = result = _both(
        training._cycle_training_titles, t["active"], t["school"], t["cycle"], t["title"], t["rural_years"], rural,
        np.array([0.3, 0.6]), np.array([0.3, 0.2, 0.1, 0.05, 0.0]), u, 5, training.compared_threshold(0.8),
        bool(seed % 2), 3, np.full((2, n + 2), -7, np.int64))
    _assert_same(*result)
    v = rng.random((2, n_trained), dtype=np.float32)
    _assert_same(*_both(training._degrees_and_backbone, trained, n_trained, v, t["degree"], t["backbone"], 0.4, 0.3))
    level = rng.integers(0, 2, n_schools).astype(np.int8)
    counts = _both(quality._count_pass, n_schools, t["active"], t["school"], t["degree"], t["title"], t["backbone"],
                   t["pe_art"], t["cycle"], t["exchange_left"], level, ABOVE_DEGREE_MIN, 5)
    _assert_same(*counts)
    pupils = np.where(rng.random(n_schools) < 0.2, 0.0, rng.random(n_schools) * 900)
    is_open = rng.random(n_schools) < 0.9
    assets = rng.random((n_schools, 6)) * 1000
    indicators = _both(quality._indicator_pass, assets, counts[0][0][0], pupils, is_open, INDICATOR_COLUMNS,
                       INDICATOR_PER)
    _assert_same(*indicators)
    minimums = np.where(rng.random((2, 7)) < 0.2, np.nan, rng.random((2, 7)) + 0.1)
    minimums[rng.integers(0, 2), rng.integers(0, 7)] = 0.0  # a zero minimum: the ratio is capped
    _assert_same(*_both(quality._quality_pass, indicators[0][0], level, pupils, np.floor(rng.random(n_schools) * 20),
                        np.arange(7), minimums, rng.normal(size=7), 2.0, 0.1, 0.3, np.array([45.0, 50.0])))


# ------------------------------------------------------------------ worked by hand


def test_retirement_by_hand():
    # Slots: 0 a man reaching 60, 1 a rural woman of 40 whose draw is below the rural rate, 2 a
    # former teacher (untouched), 3 an urban woman of 54 reaching 55, 4 a rural man who stays.
    active = np.array([True, True, False, True, True])
    school = np.array([0, 1, 1, 0, 1], np.int32)
    age = np.array([59, 40, 70, 54, 30], np.int8)
    years = np.array([5, 2, 9, 1, 0], np.int8)
    rural_years = np.array([0, 2, 9, 0, 0], np.int8)
    female = np.array([False, True, False, True, False])
    draw = np.array([0.0, 0.05, 0.0, 0.5, 0.5], np.float32)
    rows, n_retire = retirement._age_and_exit(active, school, age, years, rural_years, female, np.array([False, True]),
                                              np.array([0.01, 0.1]), np.array([60, 55], np.int8), draw,
                                              np.empty(5, np.int64))
    assert n_retire == 2
    assert rows.tolist() == [[0, 3, 1], [0, 0, 1], [-1, -1, -1]]  # retiring 0 and 3, then leaving 1
    assert active.tolist() == [False, False, False, False, True]
    assert age.tolist() == [60, 41, 70, 55, 31]
    assert years.tolist() == [6, 3, 9, 2, 1]
    assert rural_years.tolist() == [0, 3, 9, 0, 1]


def test_promotion_to_senior_needs_rural_service_by_hand():
    # Four intermediate teachers whose promotion draw succeeds: urban without rural service (held
    # back), urban with 3 years (promoted), rural (promoted), and one already senior → professor.
    active = np.ones(4, bool)
    school = np.array([0, 0, 1, 0], np.int32)
    cycle = np.array([5, 2, 4, 0], np.int8)
    title = np.array([2, 2, 2, 3], np.int8)
    rural_years = np.array([0, 3, 0, 0], np.int8)
    u = np.zeros((3, 4), np.float32)
    u[0] = [0.9, 0.1, 0.9, 0.9]  # only slot 1 is trained
    u[2] = [0.5, 0.5, 0.9, 0.9]  # slot 0 is due and completes; slot 2 becomes due; slot 3 reaches 1 year
    trained = np.zeros((2, 4), np.int64)
    n_trained = training._cycle_training_titles(active, school, cycle, title, rural_years, np.array([False, True]),
                                                np.array([0.2, 0.4]), np.array([0.3, 0.2, 0.1, 0.05, 0.0]), u, 5,
                                                0.8, True, 3, trained)
    assert title.tolist() == [2, 3, 3, 4]
    assert cycle.tolist() == [0, 3, 5, 1]
    assert n_trained == 1 and trained[:, 0].tolist() == [1, 1]  # slot 1, which held a mid title before promotion
    degree, backbone = np.array([1, 3, 0, 2], np.int8), np.zeros(4, np.int8)
    training._degrees_and_backbone(trained, 1, np.array([[0.1], [0.1]], np.float32), degree, backbone, 0.3, 0.2)
    assert degree.tolist() == [1, 3, 0, 2]  # slot 1 already holds the top degree
    assert backbone.tolist() == [0, 1, 0, 0]


def test_thresholds_compare_as_numpy_does():
    # A Python float meets float32 draws in float32 (NEP 50), a numpy float64 in float64: the
    # float32 nearest 0.7 lies below 0.7, so it is below 0.7 only in the second case.
    draws = np.array([0.7], np.float32)
    assert not (draws < 0.7)[0] and (draws < np.float64(0.7))[0]
    draw = float(draws[0])  # as a kernel compares it: the float32 value widened to float64
    assert not draw < training.compared_threshold(0.7)
    assert draw < training.compared_threshold(np.float64(0.7))
    assert training.compared_threshold(1) == 1.0


def test_quality_index_by_hand():
    # One primary school: 2 teachers, one above the degree minimum; 100 pupils in 2 classes of 50
    # (limit 45: 11.1% over); one asset column, indicator k = counts or assets per pupil.
    n_schools = 1
    counts, exchange_in = quality._count_pass(
        n_schools, np.array([True, True, False]), np.zeros(3, np.int32), np.array([1, 0, 3], np.int8),
        np.array([2, 1, 4], np.int8), np.array([1, 0, 1], np.int8), np.array([False, True, True]),
        np.array([0, 5, 0], np.int8), np.array([1, 0, 0], np.int8), np.zeros(1, np.int8), ABOVE_DEGREE_MIN, 5)
    assert counts.tolist() == [[2, 1, 1, 1, 1, 1]] and exchange_in.tolist() == [1]
    assets = np.array([[300.0]])
    indicators = quality._indicator_pass(assets, counts, np.array([100.0]), np.array([True]),
                                         np.array([0, 1, 2]), np.array([1.0, 100.0, 100.0]))
    assert indicators.tolist() == [[3.0, 2.0, 1.0]]
    minimums = np.array([[2.0, 1.0, np.nan]])
    q = quality._quality_pass(indicators, np.zeros(1, np.int8), np.array([100.0]), np.array([2.0]),
                              np.arange(3), minimums, np.array([1.0, 0.5, 9.0]), 1.5, 0.25, 0.3, np.array([45.0]))
    # 0.25 + 1.0 × min(3/2, 1.5) + 0.5 × min(2/1, 1.5) + 0 (no minimum) − 0.3 × (50/45 − 1)
    assert q[0] == pytest.approx(0.25 + 1.5 + 0.75 - 0.3 * (50 / 45 - 1), rel=1e-15)
    closed = quality._indicator_pass(assets, counts, np.array([100.0]), np.array([False]), np.array([0]), np.ones(1))
    assert np.isnan(closed[0, 0])


# ------------------------------------------------------------------ the base-year training cycle


def reference_start_cycle(t, completed, n_schools, tp, rng):
    n, length = t.n, tp.training_cycle_years
    u = rng.random((2, n))
    if completed is None:
        done = u[0] < training.steady_completion(tp)
    else:
        school = t.school[:n]
        order = np.lexsort((u[0], school))
        starts = np.searchsorted(school[order], np.arange(n_schools))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n) - starts[school[order]]
        done = rank < completed[school]
    t.training_cycle[:n] = np.where(done, np.floor(u[1] * length), length).astype(np.int8)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 400), st.integers(1, 15), st.booleans(), st.booleans())
def test_start_cycle_equals_the_lexsort_formula(seed, n, n_schools, by_school, integer_counts):
    from balance_sim.sim.roster import empty_teachers

    rng = np.random.default_rng(seed)
    t = empty_teachers(n + 5)
    t.n = n
    t.school[:n] = rng.integers(0, n_schools, n)
    completed = rng.integers(0, 40, n_schools) if by_school else None
    if by_school and not integer_counts:
        completed = completed.astype(float)
    tp = load_policy(overrides={"teachers.training_completion_rate": float(rng.random())}).teachers
    mine, theirs = copy.deepcopy((t, rng)), copy.deepcopy((t, rng))
    training.start_cycle(mine[0], completed, n_schools, tp, mine[1])
    reference_start_cycle(theirs[0], completed, n_schools, tp, theirs[1])
    assert np.array_equal(mine[0].training_cycle, theirs[0].training_cycle)
    assert mine[1].bit_generator.state == theirs[1].bit_generator.state


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 300), st.integers(1, 10))
def test_ranks_within_school_break_ties_by_slot_as_lexsort(seed, n, n_schools):
    rng = np.random.default_rng(seed)
    school = rng.integers(0, n_schools, n).astype(np.int32)
    keys = rng.integers(0, 4, n) / 4.0  # many equal keys
    completed = rng.integers(0, 30, n_schools).astype(float)
    order = np.lexsort((keys, school))
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n) - np.searchsorted(school[order], np.arange(n_schools))[school[order]]
    expected = rank < completed[school]
    assert np.array_equal(training._ranked_within_school(school, keys, completed, n_schools), expected)
    assert np.array_equal(training._ranked_within_school.py_func(school, keys, completed, n_schools), expected)


def test_start_cycle_by_hand():
    # School 0 has three teachers, two of whom completed the cycle: the two smallest draws.
    school = np.array([0, 1, 0, 0], np.int32)
    keys = np.array([0.9, 0.5, 0.1, 0.4])
    done = training._ranked_within_school(school, keys, np.array([2.0, 0.0]), 2)
    assert done.tolist() == [False, False, True, True]
    cycle = np.zeros(4, np.int8)
    training._start_cycle(cycle, done, np.array([0.0, 0.5, 0.99, 0.5]), 5)
    assert cycle.tolist() == [5, 5, 4, 2]  # due (5) or at year floor(u × 5) of the cycle
