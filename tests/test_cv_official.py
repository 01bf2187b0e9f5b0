"""The official enrolment-weighted CV, one indicator and grouped, against the worked case in
docs/sources.md#cv and statsmodels."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.weightstats import DescrStatsW

from balance_sim.measures.cv import grouped_weighted_cv, weighted_mean_cv


def test_worked_case_from_facts():
    mean, cv = weighted_mean_cv([2.0, 4.0, 5.0], [100, 300, 600])
    assert mean == pytest.approx(4.4, abs=1e-12)
    assert cv == pytest.approx(0.208299, abs=1e-6)
    assert cv == pytest.approx(np.sqrt(0.84) / 4.4, rel=1e-12)


def test_equal_schools_have_zero_cv():
    assert weighted_mean_cv([3.0, 3.0, 3.0], [10, 500, 70])[1] == 0.0


def test_zero_weight_and_nan_are_left_out():
    assert weighted_mean_cv([2.0, 4.0, 5.0, 99.0, np.nan], [100, 300, 600, 0, 50]) == pytest.approx(
        (4.4, 0.208299), abs=1e-6
    )


school_values = st.lists(
    st.tuples(st.floats(0.01, 1e4), st.integers(1, 3000)), min_size=1, max_size=40
)


@settings(max_examples=200, deadline=None)
@given(school_values, st.floats(0.01, 1e3))
def test_agrees_with_statsmodels_and_is_scale_free(rows, scale):
    x = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows], dtype=float)
    mean, cv = weighted_mean_cv(x, w)
    stats = DescrStatsW(x, weights=w, ddof=0)
    assert mean == pytest.approx(stats.mean, rel=1e-9)
    assert cv == pytest.approx(stats.std / stats.mean, rel=1e-9, abs=1e-9)
    assert weighted_mean_cv(x * scale, w)[1] == pytest.approx(cv, rel=1e-9, abs=1e-9)


def test_grouped_worked_case_leaves_out_what_the_official_cv_leaves_out():
    # Group 0: the worked case plus a school without pupils, one without a value and one not
    # counted (group −1); group 1: one school; group 2: none (NaN).
    values = np.array([[2.0], [4.0], [5.0], [99.0], [np.nan], [7.0], [3.0]])
    pupils = np.array([100, 300, 600, 0, 50, 80, 40], dtype=float)
    groups = np.array([0, 0, 0, 0, 0, -1, 1])
    means, cvs = grouped_weighted_cv(values, pupils, groups, 3)
    np.testing.assert_allclose(means[:, 0], [4.4, 3.0, np.nan], rtol=1e-12)
    np.testing.assert_allclose(cvs[:, 0], [np.sqrt(0.84) / 4.4, 0.0, np.nan], rtol=1e-12)


cells = st.one_of(st.floats(0.01, 1e4), st.just(np.nan))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(cells, cells, st.integers(0, 3000), st.integers(-1, 2)), min_size=1, max_size=30))
def test_grouped_matches_statsmodels_one_group_at_a_time(rows):
    # Each group and indicator on its own: the schools with a value and pupils, weighted by pupils.
    x = np.array([[r[0], r[1]] for r in rows])
    w = np.array([r[2] for r in rows], dtype=float)
    g = np.array([r[3] for r in rows])
    means, cvs = grouped_weighted_cv(x, w, g, 3)
    for group in range(3):
        for col in range(2):
            keep = (g == group) & np.isfinite(x[:, col]) & (w > 0)
            expected = (np.nan, np.nan)
            if keep.any():
                stats = DescrStatsW(x[keep, col], weights=w[keep], ddof=0)
                expected = (stats.mean, stats.std / stats.mean)
            np.testing.assert_allclose([means[group, col], cvs[group, col]], expected, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(cvs[group, col], weighted_mean_cv(x[g == group, col], w[g == group])[1],
                                       rtol=1e-9, atol=1e-12)
