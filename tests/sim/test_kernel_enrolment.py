"""The compiled enrolment pass (cohorts, urbanisation, choice, consolidation, classes, norms)
against the array formulas it replaced and against its own kernels run as plain Python, on random
sections; and small cases worked out by hand."""
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import consolidation, enrolment, load_policy
from balance_sim.sim.consolidation import merge_small
from balance_sim.sim.enrolment import _classes_and_norm, _cohorts_and_moves, row_sums
from balance_sim.sim.initial import initial_state
from balance_sim.sim.matching import staffing_norm
from balance_sim.sim.state import GRADE_MASK, RURAL

from sim_counties import small_county

# ------------------------------------------------------------------ the array formulas replaced


def _reference_redistribute(grades, level, outflow, receiver_weight):
    total = np.zeros((2, grades.shape[1]))
    np.add.at(total, level, outflow)  # sums by level in section order, as the kernel takes them
    weight_by_level = np.bincount(level, weights=receiver_weight, minlength=2)
    has_receiver = weight_by_level > 0
    outflow = outflow * has_receiver[level][:, None]
    total *= has_receiver[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(has_receiver[level], receiver_weight / weight_by_level[level], 0.0)
    grades += share[:, None] * total[level] - outflow
    return float(total.sum())


def reference_cohorts_and_moves(grades, level, location, township, is_open, quality, p):
    """Cohort advance, urbanisation and choice as numpy array formulas (the pass before it was
    compiled); `grades` keeps its memory order, which sets numpy's order of the row sums."""
    old = grades
    new = np.zeros_like(old)
    new[:, 0] = old[:, 0] * p.entry
    new[:, 1:6] = old[:, 0:5] * p.primary
    new[:, 7:9] = old[:, 6:8] * p.junior
    leavers = np.bincount(township, weights=old[:, 5] * p.transition, minlength=p.n_townships)
    junior_weight = np.where(is_open & (level == 1), old[:, 6] + 1e-9, 0.0)
    township_weight = np.bincount(township, weights=junior_weight, minlength=len(leavers))
    served = township_weight > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        local = np.where(served[township], junior_weight / township_weight[township], 0.0)
    unserved = leavers[~served].sum()
    county_weight = junior_weight.sum()
    county = junior_weight / county_weight if county_weight > 0 else junior_weight
    new[:, 6] = leavers[township] * local + unserved * county
    new[~is_open] = 0.0
    pupils = new.sum(axis=1)
    receiving = is_open & (location != RURAL)
    rural_out = new * (p.urbanisation * (is_open & (location == RURAL)))[:, None]
    _reference_redistribute(new, level, rural_out, np.where(receiving, pupils, 0.0))
    pupils = new.sum(axis=1)
    q = np.where(is_open & np.isfinite(quality), quality, 0.0)
    weight = np.where(is_open, pupils, 0.0)
    mean = np.bincount(level, weights=weight * q, minlength=2) / np.maximum(np.bincount(level, weights=weight, minlength=2), 1e-12)
    scale = np.maximum(np.abs(mean[level]), 1e-9)
    gap = (mean[level] - q) / scale
    leave = np.clip(p.choice * gap, 0.0, p.choice_max)
    leave = np.where(is_open, leave, 0.0)
    moved = _reference_redistribute(new, level, new * leave[:, None], np.where(is_open & (gap < 0), -gap * pupils, 0.0))
    return new, new.sum(axis=1), moved


def reference_merge(grades, pupils, classes, level, township, teaching_point, is_open, p):
    small = np.where(level == 0, pupils < p.primary_min, classes < p.junior_min)
    if p.keep_points:
        small &= ~teaching_point
    candidate = is_open & small
    into = np.full(len(level), -1, dtype=np.int64)
    if not candidate.any():
        return into
    group = township.astype(np.int64) * 2 + level
    keeper = np.flatnonzero(is_open & ~candidate)
    order = keeper[np.lexsort((pupils[keeper], group[keeper]))]
    sorted_group = group[order]
    last = np.append(sorted_group[1:] != sorted_group[:-1], True) if len(order) else np.zeros(0, bool)
    central = np.full(int(group.max()) + 1, -1, dtype=np.int64)
    central[sorted_group[last]] = order[last]
    closing = np.flatnonzero(candidate & (central[group] >= 0))
    into[closing] = central[group[closing]]
    np.add.at(grades, into[closing], grades[closing])
    grades[closing] = 0.0
    is_open[closing] = False
    return into


def reference_classes_and_norm(grades, level, is_open, rooms, p):
    needed = np.ceil(grades / p.class_limit[level][:, None] - 1e-9).sum(axis=1)
    classes = np.where(is_open, np.minimum(needed, np.maximum(np.floor(rooms + 1e-9), 1.0)), 0.0)
    pupils = grades.sum(axis=1)
    by_pupils = np.ceil(pupils / p.per_teacher[level] - 1e-9)
    by_classes = np.ceil(classes * p.per_class_small - 1e-9)
    norm = np.where(pupils < p.small_school, np.maximum(by_pupils, by_classes), by_pupils)
    return classes, pupils, np.where(is_open & (pupils > 0), norm, 0.0).astype(np.int64)


# ------------------------------------------------------------------ random sections


def random_sections(seed: int, n: int, n_townships: int, order: str = "C"):
    """Sections with pupils in their level's grades only, some closed, some with an unknown quality,
    townships without any section, and a random policy."""
    rng = np.random.default_rng(seed)
    level = (rng.random(n) < 0.35).astype(np.int8)
    grades = rng.uniform(0, 120, (n, 9)) * GRADE_MASK[level] * (rng.random((n, 1)) < 0.9)
    quality = rng.normal(50, 15, n)
    quality[rng.random(n) < 0.1] = np.nan
    sections = SimpleNamespace(
        grades=np.asarray(grades, order=order),
        level=level,
        location=rng.integers(0, 3, n).astype(np.int8),
        township=rng.integers(0, n_townships, n).astype(np.int32),
        is_open=rng.random(n) < 0.85,
        quality=quality,
        rooms=rng.uniform(0, 20, n),
        classes=rng.integers(0, 8, n).astype(float),
        teaching_point=rng.random(n) < 0.2,
    )
    policy = SimpleNamespace(
        n_townships=n_townships, entry=1.0 + rng.uniform(-0.1, 0.05), primary=rng.uniform(0.9, 1.0),
        junior=rng.uniform(0.9, 1.0), transition=rng.uniform(0.8, 1.0), urbanisation=rng.uniform(0, 0.2),
        choice=rng.uniform(0, 5) * (1 - rng.uniform(0, 1)), choice_max=rng.uniform(0, 0.2),
        primary_min=float(rng.integers(0, 400)), junior_min=float(rng.integers(0, 6)), keep_points=bool(rng.random() < 0.5),
        class_limit=np.array([45.0, 50.0]), per_teacher=np.array([19.0, 13.5]), per_class_small=1.2, small_school=100.0,
    )
    return sections, policy


def _cohort_args(x, p, grades):
    return (grades, x.level, x.location, x.township, x.is_open, x.quality, p.n_townships, p.entry, p.primary,
            p.junior, p.transition, p.urbanisation, p.choice, p.choice_max)


def _merge_args(x, p, grades, pupils, is_open):
    return (grades, pupils, x.classes, x.level, x.township, x.teaching_point, is_open, p.primary_min, p.junior_min,
            p.keep_points, 2 * p.n_townships)


SECTIONS = dict(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 70), n_townships=st.integers(1, 9))


@settings(max_examples=80, deadline=None)
@given(**SECTIONS, order=st.sampled_from("CF"))
def test_the_compiled_year_is_the_array_formulas_to_the_last_bit(seed, n, n_townships, order):
    x, p = random_sections(seed, n, n_townships, order)
    pairwise = x.grades.flags.c_contiguous  # numpy sums a grade row pairwise only when rows are contiguous
    expected_grades, expected_pupils, expected_moved = reference_cohorts_and_moves(
        x.grades.copy(order="K"), x.level, x.location, x.township, x.is_open, x.quality, p)
    grades, pupils, moved = _cohorts_and_moves(*_cohort_args(x, p, np.ascontiguousarray(x.grades)), pairwise)
    assert np.array_equal(grades, expected_grades)
    assert np.array_equal(pupils, expected_pupils)
    assert moved == expected_moved

    expected_open, is_open = x.is_open.copy(), x.is_open.copy()
    expected_into = reference_merge(expected_grades, expected_pupils, x.classes, x.level, x.township,
                                    x.teaching_point, expected_open, p)
    into, closed = merge_small(*_merge_args(x, p, grades, pupils, is_open))
    assert np.array_equal(into, expected_into) and closed == np.count_nonzero(expected_into >= 0)
    assert np.array_equal(is_open, expected_open) and np.array_equal(grades, expected_grades)

    expected = reference_classes_and_norm(expected_grades, x.level, expected_open, x.rooms, p)
    result = _classes_and_norm(grades, x.level, is_open, x.rooms, p.class_limit, p.per_teacher, p.per_class_small,
                               p.small_school, pairwise)
    for got, want in zip(result, expected):
        assert np.array_equal(got, want)


@settings(max_examples=40, deadline=None)
@given(**SECTIONS)
def test_compiled_and_plain_python_kernels_agree(seed, n, n_townships):
    x, p = random_sections(seed, n, n_townships)
    compiled = _cohorts_and_moves(*_cohort_args(x, p, x.grades.copy()), True)
    plain = _cohorts_and_moves.py_func(*_cohort_args(x, p, x.grades.copy()), True)
    for got, want in zip(compiled, plain):
        assert np.array_equal(got, want)
    grades, pupils, _ = compiled
    merged = [grades.copy(), x.is_open.copy()], [grades.copy(), x.is_open.copy()]
    into = merge_small(*_merge_args(x, p, merged[0][0], pupils, merged[0][1]))
    into_plain = merge_small.py_func(*_merge_args(x, p, merged[1][0], pupils, merged[1][1]))
    assert np.array_equal(into[0], into_plain[0]) and into[1] == into_plain[1]
    assert all(np.array_equal(a, b) for a, b in zip(*merged))
    args = (merged[0][0], x.level, merged[0][1], x.rooms, p.class_limit, p.per_teacher, p.per_class_small, p.small_school, True)
    for got, want in zip(_classes_and_norm(*args), _classes_and_norm.py_func(*args)):
        assert np.array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 3000))
def test_row_sums_are_numpys_row_sums(seed, n):
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1, 1, n) * 10.0 ** rng.integers(-8, 9, n)  # magnitudes that make the order show
    rows = values[: n - n % 9].reshape(-1, 9)
    assert np.array_equal(row_sums(rows, True), rows.sum(axis=1))
    by_column = np.asfortranarray(rows)  # one row: also C-contiguous, and numpy sums it pairwise
    assert np.array_equal(row_sums(rows, by_column.flags.c_contiguous), by_column.sum(axis=1))


@settings(max_examples=40, deadline=None)
@given(**SECTIONS)
def test_norm_is_matchings_staffing_norm(seed, n, n_townships):
    x, p = random_sections(seed, n, n_townships)
    x.grades[: n // 3] *= 0.5  # some small schools, where the classes set the norm
    classes, pupils, norm = _classes_and_norm(x.grades, x.level, x.is_open, x.rooms, p.class_limit, p.per_teacher,
                                              p.per_class_small, p.small_school, True)
    state = SimpleNamespace(pupils=pupils, schools=SimpleNamespace(level=x.level, classes=classes, open=x.is_open),
                            constants=SimpleNamespace(pupils_per_teacher=p.per_teacher))
    policy = SimpleNamespace(teachers=SimpleNamespace(teachers_per_class_small=p.per_class_small,
                                                      small_school_students=p.small_school))
    assert np.array_equal(norm, staffing_norm(state, policy))


def test_a_year_of_a_small_county_is_the_array_formulas():
    overrides = {"enrolment.consolidation.enabled": True, "enrolment.consolidation.primary_min_students": 400}
    policy = load_policy(overrides=overrides)
    state = initial_state(small_county(seed=2, n_primary=8, n_junior=4, townships=3), policy, np.random.default_rng(0), 3)
    s, e, c = state.schools, policy.enrolment, policy.enrolment.consolidation
    p = SimpleNamespace(
        n_townships=int(s.township.max()) + 1, entry=1.0 + e.births_change, primary=e.primary_progression,
        junior=e.junior_progression, transition=e.transition_rate, urbanisation=e.urbanisation_rate,
        choice=e.choice_sensitivity * (1.0 - e.nearest_school_enforcement), choice_max=e.choice_max_share,
        primary_min=c.primary_min_students, junior_min=c.junior_min_classes, keep_points=c.keep_teaching_points,
        class_limit=state.constants.class_limit, per_teacher=state.constants.pupils_per_teacher,
        per_class_small=policy.teachers.teachers_per_class_small, small_school=policy.teachers.small_school_students,
    )
    is_open, classes_before = s.open.copy(), s.classes.copy()
    grades, pupils, moved = reference_cohorts_and_moves(s.grades.copy(), s.level, s.location, s.township, is_open,
                                                        s.quality, p)
    into = reference_merge(grades, pupils, classes_before, s.level, s.township, s.teaching_point, is_open, p)
    classes, pupils, norm = reference_classes_and_norm(grades, s.level, is_open, s.rooms, p)
    enrolment.step(state, policy, np.random.default_rng(1))
    assert (into >= 0).any() and moved > 0  # sections merged, pupils moved by choice
    assert np.array_equal(s.grades, grades) and np.array_equal(s.open, is_open)
    assert np.array_equal(s.classes, classes) and np.array_equal(state.pupils, pupils)
    assert np.array_equal(state.norm, norm) and s.choice_moved == moved
    merged = np.flatnonzero(into >= 0)
    t = state.teachers
    assert not np.isin(t.school[: t.n][t.active[: t.n]], merged).any()  # no one teaches in a closed section


# ------------------------------------------------------------------ worked by hand


def _sections(grades, level, location, township, quality=None):
    n = len(level)
    return SimpleNamespace(
        grades=np.array(grades, dtype=float), level=np.array(level, np.int8), location=np.array(location, np.int8),
        township=np.array(township, np.int32), is_open=np.ones(n, bool),
        quality=np.zeros(n) if quality is None else np.array(quality, float),
    )


def _policy(**values):
    p = dict(n_townships=2, entry=1.0, primary=1.0, junior=1.0, transition=1.0, urbanisation=0.0, choice=0.0,
             choice_max=0.05)
    p.update(values)
    return SimpleNamespace(**p)


def test_cohorts_advance_and_grade_six_goes_to_the_townships_junior_sections():
    # Township 0: a primary and a junior section; township 1: a primary only (its leavers go county-wide).
    x = _sections([[100] * 6 + [0] * 3, [0] * 6 + [90, 80, 70], [50] * 6 + [0] * 3], [0, 1, 0], [0, 0, 2], [0, 0, 1])
    p = _policy(entry=0.9, primary=0.8, junior=0.5, transition=0.8)
    grades, pupils, moved = _cohorts_and_moves(*_cohort_args(x, p, x.grades), True)
    assert grades[0].tolist() == pytest.approx([90, 80, 80, 80, 80, 80, 0, 0, 0])
    # Grade 7: 100 × 0.8 from its own township and 50 × 0.8 from the township without a junior school.
    assert grades[1].tolist() == pytest.approx([0] * 6 + [120, 45, 40])
    assert grades[2].tolist() == pytest.approx([45, 40, 40, 40, 40, 40, 0, 0, 0])
    assert pupils.tolist() == pytest.approx([490, 205, 245]) and moved == 0.0


def test_urbanisation_sends_rural_pupils_to_town_and_urban_sections_by_their_size():
    # Equal grades and progression 1: the advance leaves every primary section as it is.
    x = _sections([[100] * 6 + [0] * 3, [100] * 6 + [0] * 3, [300] * 6 + [0] * 3], [0, 0, 0], [2, 0, 1], [0, 0, 1])
    grades, pupils, moved = _cohorts_and_moves(*_cohort_args(x, _policy(urbanisation=0.1), x.grades), True)
    # 10 pupils of each rural grade leave; the urban section (600 pupils) takes 1/4, the town one (1800) 3/4.
    np.testing.assert_allclose(grades[:, :6], [[90] * 6, [102.5] * 6, [307.5] * 6], rtol=1e-12)
    assert pupils.tolist() == pytest.approx([540, 615, 1845]) and moved == 0.0


def test_choice_moves_pupils_from_below_the_mean_quality_to_above_it():
    x = _sections([[100] * 6 + [0] * 3] * 2, [0, 0], [0, 0], [0, 1], quality=[1.0, 3.0])
    # Mean quality 2: gaps +0.5 and −0.5; 0.05 × 0.5 = 2.5% of each grade leaves the first section.
    grades, pupils, moved = _cohorts_and_moves(*_cohort_args(x, _policy(choice=0.05), x.grades), True)
    np.testing.assert_allclose(grades[:, :6], [[97.5] * 6, [102.5] * 6], rtol=1e-12)
    assert moved == pytest.approx(15.0)
    x.quality[:] = [1.0, 30.0]  # a gap of −0.5 × … capped at choice_max: 5% leaves
    grades, _, moved = _cohorts_and_moves(*_cohort_args(x, _policy(choice=1.0), x.grades), True)
    assert moved == pytest.approx(30.0) and grades[0, :6].tolist() == pytest.approx([95.0] * 6)


@pytest.mark.parametrize("keep_points", [True, False])
def test_small_sections_merge_into_the_largest_keeper_the_later_among_equals(keep_points):
    #               0    1    2   3 (point) 4 (alone)  5 junior  6 junior
    pupils = np.array([300, 300, 50, 30, 80, 60, 400], float)
    grades = np.zeros((7, 9))
    grades[:, 0] = pupils
    level = np.array([0, 0, 0, 0, 0, 1, 1], np.int8)
    township = np.array([0, 0, 0, 0, 1, 0, 0], np.int32)
    classes = np.array([6, 6, 2, 1, 2, 2, 9], float)
    point = np.array([0, 0, 0, 1, 0, 0, 0], bool)
    is_open = np.ones(7, bool)
    into, closed = merge_small(grades, pupils, classes, level, township, point, is_open, 200.0, 3.0, keep_points, 4)
    expected = [-1, -1, 1, -1 if keep_points else 1, -1, 6, -1]
    assert into.tolist() == expected and closed == 3 - keep_points
    assert is_open.tolist() == [i < 0 for i in expected]
    assert grades[:, 0].tolist() == [300, 350 if keep_points else 380, 0, 30 if keep_points else 0, 80, 0, 460]


def test_classes_within_the_rooms_and_the_small_school_norm():
    grades = np.zeros((6, 9))
    grades[0, 0] = grades[1, 0] = 100  # 3 classes of ≤ 45; the second school has 2.5 rooms
    grades[2, :2] = 25  # 2 classes, 0.4 rooms: still one class
    grades[3, :6] = 5  # 6 classes of 5 pupils: a small school, the norm follows the classes
    grades[4, 6] = 135  # junior: 3 classes, 135 / 13.5 = 10 teachers exactly
    grades[5, 0] = 100  # closed
    level = np.array([0, 0, 0, 0, 1, 0], np.int8)
    is_open = np.array([1, 1, 1, 1, 1, 0], bool)
    rooms = np.array([10, 2.5, 0.4, 10, 10, 10])
    classes, pupils, norm = _classes_and_norm(grades, level, is_open, rooms, np.array([45.0, 50.0]),
                                              np.array([19.0, 13.5]), 1.2, 100.0, True)
    assert classes.tolist() == [3, 2, 1, 6, 3, 0]
    assert pupils.tolist() == [100, 100, 50, 30, 135, 100]
    # 100 pupils is not a small school: ⌈100/19⌉ = 6; 50 pupils: max(⌈50/19⌉, ⌈1 × 1.2⌉) = 3;
    # 30 pupils: max(⌈30/19⌉, ⌈6 × 1.2⌉) = 8.
    assert norm.tolist() == [6, 6, 3, 8, 10, 0]


def test_consolidation_off_leaves_the_sections_alone():
    county = small_county(seed=2, n_primary=8, n_junior=4, townships=3)
    outcome = {}
    for enabled in (False, True):
        policy = load_policy(overrides={"enrolment.consolidation.enabled": enabled})
        state = initial_state(county, policy, np.random.default_rng(0), 3)
        state.year += 1
        _, rows = enrolment.step(state, policy, np.random.default_rng(0))
        outcome[enabled] = (int(state.schools.open.sum()), sum(r.rows.shape[1] for r in rows), len(state.notes))
    assert outcome[False] == (12, 0, outcome[True][2] - 1)  # all open, no one moved, no note
    opened, moved, _ = outcome[True]
    assert opened < 12 and moved > 0  # switched on, the same county merges sections and moves teachers


def reference_move_teachers(into, active, school, post, years_at_school, n):
    serving = active[:n]
    moving = np.flatnonzero(serving & (into[school[:n]] >= 0))
    source = school[moving].copy()
    school[moving] = into[source]
    years_at_school[moving] = 0
    posted = np.flatnonzero(serving & (into[post[:n]] >= 0))
    post[posted] = into[post[posted]]
    return moving, source, school[moving]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 30), st.integers(0, 400))
def test_teachers_of_closed_sections_move_as_the_array_formulas_move_them(seed, n_sections, n_teachers):
    rng = np.random.default_rng(seed)
    into = np.where(rng.random(n_sections) < 0.3, rng.integers(0, n_sections, n_sections), -1)
    capacity = n_teachers + 5  # spare slots past n are left alone
    roster = [rng.random(capacity) < 0.9, rng.integers(0, n_sections, capacity).astype(np.int32),
              rng.integers(0, n_sections, capacity).astype(np.int32), rng.integers(0, 30, capacity).astype(np.int8)]
    for kernel_fn in (consolidation.move_teachers, consolidation.move_teachers.py_func):
        expected, got = [a.copy() for a in roster], [a.copy() for a in roster]
        want = reference_move_teachers(into, *expected, n_teachers)
        result = kernel_fn(into, *got, n_teachers)
        for a, b in zip(result, want):
            assert np.array_equal(a, b) and a.dtype == b.dtype
        for a, b in zip(got, expected):
            assert np.array_equal(a, b)


def test_a_teacher_away_on_exchange_keeps_a_post_that_follows_the_merge():
    into = np.array([-1, 0, -1])  # section 1 closes into section 0
    active = np.array([True, True, True, False])
    school = np.array([1, 2, 2, 1], np.int32)  # teacher 1 teaches at 2 on exchange from a post at 1
    post = np.array([1, 1, 2, 1], np.int32)
    years = np.array([5, 2, 7, 9], np.int8)
    moving, source, target = consolidation.move_teachers(into, active, school, post, years, 4)
    assert moving.tolist() == [0] and source.tolist() == [1] and target.tolist() == [0]
    assert school.tolist() == [0, 2, 2, 1]  # the former teacher (slot 3) stays on the books as it was
    assert post.tolist() == [0, 0, 2, 1] and years.tolist() == [0, 2, 7, 9]
