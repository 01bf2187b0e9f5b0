"""Inequality measures: hand-computed values, PySAL and numpy cross-checks, decompositions,
and the many-series forms the simulation uses (grouped CVs, Gini and Theil rows) against the
single-series measures and direct formulas."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from balance_sim.measures._weights import weighted_quantile
from balance_sim.measures.cv import grouped_weighted_cv, weighted_cv
from balance_sim.measures.allocation import teacher_allocation
from balance_sim.measures.gini import gini, gini_rows
from balance_sim.measures.mcloone import mcloone
from balance_sim.measures.ranges import federal_range_ratio, max_min_ratio
from balance_sim.measures.theil import theil_decomposition, theil_l, theil_t, theil_t_rows
from balance_sim.measures.verstegen import verstegen

positive = st.floats(0.1, 1e4, allow_nan=False)
schools = st.lists(st.tuples(positive, st.integers(1, 2000), st.sampled_from("urt")), min_size=2, max_size=40)


def test_gini_by_hand():
    # Values 1, 3 with pupils 1, 3: pairs |1 − 3| × 1 × 3 twice = 12; 2 W² μ = 2 × 16 × 2.5 = 80.
    assert gini([1.0, 3.0], [1, 3]) == pytest.approx(12 / 80)
    assert gini([5.0, 5.0, 5.0], [10, 20, 30]) == 0.0


@settings(max_examples=100, deadline=None)
@given(schools)
def test_unweighted_gini_and_theil_agree_with_pysal(rows):
    x = np.array([r[0] for r in rows])
    groups = np.array([r[2] for r in rows])
    assert gini(x) == pytest.approx(Gini(x).g, rel=1e-9, abs=1e-12)
    assert theil_t(x) == pytest.approx(float(np.ravel(Theil(x).T)[0]), rel=1e-7, abs=1e-10)
    parts = theil_decomposition(x, groups, measure="T")
    reference = TheilD(x, groups)
    assert parts.between == pytest.approx(float(np.ravel(reference.bg)[0]), rel=1e-6, abs=1e-9)
    assert parts.within == pytest.approx(float(np.ravel(reference.wg)[0]), rel=1e-6, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(schools)
def test_weighted_gini_equals_gini_over_pupils(rows):
    rows = rows[:12]
    x = np.array([r[0] for r in rows])
    w = np.array([min(r[1], 40) for r in rows])
    assert gini(x, w) == pytest.approx(Gini(np.repeat(x, w)).g, rel=1e-9, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(schools)
def test_theil_parts_sum_to_the_total(rows):
    x = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows], dtype=float)
    groups = [r[2] for r in rows]
    for measure, index in (("T", theil_t), ("L", theil_l)):
        parts = theil_decomposition(x, groups, w, measure)
        assert parts.total == pytest.approx(index(x, w), rel=1e-12)
        assert parts.between + parts.within == pytest.approx(parts.total, rel=1e-9, abs=1e-12)
        assert parts.between >= -1e-12 and parts.within >= -1e-12


def test_theil_by_hand():
    # Two schools, 1 pupil each, values 1 and 3 (mean 2): T = ¼ ln ½ + ¾ ln 1.5; L = ½ ln 2 + ½ ln ⅔.
    assert theil_t([1.0, 3.0]) == pytest.approx(0.25 * np.log(0.5) + 0.75 * np.log(1.5))
    assert theil_l([1.0, 3.0]) == pytest.approx(0.5 * np.log(2) + 0.5 * np.log(2 / 3))
    assert np.isnan(theil_l([0.0, 3.0])) and theil_t([0.0, 3.0]) == pytest.approx(np.log(2))
    # One group per school: everything is between.
    parts = theil_decomposition([1.0, 3.0], ["a", "b"], [1, 1], "L")
    assert parts.within == pytest.approx(0.0) and parts.between == pytest.approx(parts.total)


def test_mcloone_and_verstegen_by_hand():
    # Pupils 100, 100, 200 at 2, 4, 5 yuan: pupil median 4 (the 200th pupil).
    x, w = [2.0, 4.0, 5.0], [100, 100, 200]
    assert weighted_quantile(x, w, 0.5) == 4.0
    assert mcloone(x, w) == pytest.approx((200 + 400) / (4 * 200))          # 0.75
    assert verstegen(x, w) == pytest.approx((400 + 1000) / (4 * 300))       # 1.1667
    assert mcloone([3.0, 3.0], [1, 9]) == 1.0 and verstegen([3.0, 3.0], [1, 9]) == 1.0


@settings(max_examples=100, deadline=None)
@given(schools, st.sampled_from([0.05, 0.25, 0.5, 0.75, 0.95]))
def test_weighted_quantile_is_numpys_inverted_cdf_over_pupils(rows, q):
    rows = rows[:15]
    x = np.array([r[0] for r in rows])
    w = np.array([min(r[1], 50) for r in rows])
    pupils = np.repeat(x, w)
    assert weighted_quantile(x, w, q) == np.percentile(pupils, 100 * q, method="inverted_cdf")


def test_range_ratios_by_hand():
    x = np.arange(1.0, 21.0)  # 20 schools of 1 pupil: 5th pupil-percentile 1, 95th 19
    assert federal_range_ratio(x, np.ones(20)) == pytest.approx((19 - 1) / 1)
    assert max_min_ratio([2.0, 8.0, 4.0, 99.0], [10, 10, 10, 0]) == 4.0


def test_teacher_allocation_r2_is_the_squared_correlation():
    students = np.array([100, 250, 400, 800, 1200, 60])
    teachers = np.array([9, 17, 25, 50, 70, 8])
    fit = teacher_allocation(teachers, students)
    assert fit.r_squared == pytest.approx(np.corrcoef(students, teachers)[0, 1] ** 2, rel=1e-12)
    assert fit.unexplained == pytest.approx(1 - fit.r_squared)
    exact = teacher_allocation(students / 20 + 2, students)
    assert exact.r_squared == pytest.approx(1.0) and exact.slope == pytest.approx(0.05)
    assert exact.intercept == pytest.approx(2.0)
    assert np.isnan(teacher_allocation([1, 2], [10, 20]).r_squared)


@settings(max_examples=100, deadline=None)
@given(schools, schools)
def test_row_forms_match_one_series_at_a_time(first, second):
    # The simulation computes Gini and Theil T for many series at once; each row must equal the
    # single-series measures (themselves checked against PySAL above).
    n = min(len(first), len(second))
    x = np.array([[r[0] for r in first[:n]], [r[0] for r in second[:n]]])
    w = np.array([[r[1] for r in first[:n]], [r[1] for r in second[:n]]], dtype=float)
    rural = np.array([r[2] == "r" for r in first[:n]])
    totals, betweens = theil_t_rows(x, w, rural.astype(np.int64))
    for row in range(2):
        assert gini_rows(x, w)[row] == pytest.approx(gini(x[row], w[row]), rel=1e-9, abs=1e-12)
        parts = theil_decomposition(x[row], np.where(rural, "rural", "other"), w[row], "T")
        assert totals[row] == pytest.approx(parts.total, rel=1e-9, abs=1e-12)
        assert betweens[row] == pytest.approx(parts.between, rel=1e-9, abs=1e-12)


# Many series over the same schools, as the simulation has them (years × indicators): values
# with NaN, zeros and ties; pupils with zeros and NaN; each school in a group, −1 for none.
values_with_gaps = st.one_of(st.floats(0.01, 1e4), st.sampled_from([0.0, 2.5, np.nan]))
pupils_with_gaps = st.one_of(st.integers(0, 2000).map(float), st.just(np.nan))


@st.composite
def series_of_schools(draw):
    n_series, n_schools, n_groups = draw(st.integers(1, 4)), draw(st.integers(1, 30)), draw(st.integers(1, 4))
    x = draw(hnp.arrays(float, (n_series, n_schools), elements=values_with_gaps))
    w = draw(hnp.arrays(float, (n_series, n_schools), elements=pupils_with_gaps))
    groups = draw(hnp.arrays(np.int64, n_schools, elements=st.integers(-1, n_groups - 1)))
    return x, w, groups, n_groups


def _pair_difference_gini(x, w):
    """G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ) over the schools with a value and pupils."""
    keep = np.isfinite(x) & np.isfinite(w) & (w > 0)
    x, w = x[keep], w[keep]
    total, resource = w.sum(), (w * x).sum()
    if not (total > 0 and resource > 0):
        return np.nan
    return (w[:, None] * w[None, :] * np.abs(x[:, None] - x[None, :])).sum() / (2 * total * resource)


@settings(max_examples=150, deadline=None)
@given(series_of_schools())
def test_grouped_cv_is_the_single_series_cv_of_each_group(data):
    x, w, groups, n_groups = data
    values, pupils = x.T, w[0]  # schools × indicators, one enrolment per school
    means, cvs = grouped_weighted_cv(values, pupils, groups, n_groups)
    assert means.shape == cvs.shape == (n_groups, values.shape[1])
    for g in range(n_groups):
        member = groups == g
        for j in range(values.shape[1]):
            np.testing.assert_allclose(cvs[g, j], weighted_cv(values[member, j], pupils[member]), rtol=1e-9, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(series_of_schools())
def test_gini_rows_are_the_single_series_gini_and_the_pair_formula(data):
    x, w, _, _ = data
    ginis = gini_rows(x, w)
    for r in range(x.shape[0]):
        np.testing.assert_allclose(ginis[r], gini(x[r], w[r]), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(ginis[r], _pair_difference_gini(x[r], w[r]), rtol=1e-9, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(series_of_schools())
def test_theil_rows_are_the_single_series_theil_and_its_groups(data):
    # between = total − within, within = Σ_g S_g T_g with each group's own single-series T.
    x, w, groups, n_groups = data
    groups = groups + 1  # theil_t_rows takes every school: the "none" group becomes group 0
    totals, betweens = theil_t_rows(x, w, groups, n_groups + 1)
    for r in range(x.shape[0]):
        keep = np.isfinite(x[r]) & np.isfinite(w[r]) & (w[r] > 0)
        xr, wr, gr = x[r][keep], w[r][keep], groups[keep]
        total = theil_t(xr, wr)
        np.testing.assert_allclose(totals[r], total, rtol=1e-9, atol=1e-12)
        resource = (wr * xr).sum()
        if not resource > 0:
            assert np.isnan(betweens[r])
            continue
        shares = [(wr[gr == g] * xr[gr == g]).sum() / resource for g in range(n_groups + 1)]
        within = sum(share * theil_t(xr[gr == g], wr[gr == g]) for g, share in enumerate(shares) if share > 0)
        np.testing.assert_allclose(betweens[r], total - within, rtol=1e-9, atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(schools)
def test_unweighted_theil_rows_agree_with_pysal(rows):
    x = np.array([[r[0] for r in rows]])
    labels = np.array([r[2] for r in rows])
    codes = np.unique(labels, return_inverse=True)[1].astype(np.int64)
    totals, betweens = theil_t_rows(x, np.ones_like(x), codes, 3)
    reference = TheilD(x[0], labels)
    np.testing.assert_allclose(totals[0], float(np.ravel(Theil(x[0]).T)[0]), rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(betweens[0], float(np.ravel(reference.bg)[0]), rtol=1e-6, atol=1e-9)


def test_rows_by_hand():
    # Pupils 1, 1, 2 at 1, 3, 2 (the third listed first; the fourth school has no value):
    # pupils' values 1, 3, 2, 2, mean 2; Σ_i Σ_j |x_i − x_j| over the 16 pupil pairs = 12.
    x, w = np.array([[2.0, 1.0, 3.0, np.nan]]), np.array([[2.0, 1.0, 1.0, 5.0]])
    np.testing.assert_allclose(gini_rows(x, w), [12 / (2 * 16 * 2)])
    # Theil T: shares 4/8, 1/8, 3/8 of the resource at 2, 1, 3 against the mean 2.
    total, between = theil_t_rows(x, w, np.array([0, 1, 1, 0]))
    np.testing.assert_allclose(total, [0.125 * np.log(0.5) + 0.375 * np.log(1.5)])
    # Groups: {2} (share ½, mean 2) and {1, 3} (share ½, mean 2): nothing between.
    np.testing.assert_allclose(between, [0.0], atol=1e-15)
    assert np.isnan(gini_rows(np.array([[np.nan, 0.0]]), np.array([[1.0, 3.0]]))[0])
    assert np.isnan(theil_t_rows(np.array([[0.0, 0.0]]), np.ones((1, 2)), np.array([0, 1]))[0][0])
