"""The official enrolment-weighted CV against the worked case in facts.md §1 and statsmodels."""
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


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(0.01, 1e4), st.integers(1, 3000), st.integers(0, 2)), min_size=1, max_size=30))
def test_grouped_matches_one_group_at_a_time(rows):
    x = np.array([[r[0], 2 * r[0] + 1] for r in rows])
    w = np.array([r[1] for r in rows], dtype=float)
    g = np.array([r[2] for r in rows])
    means, cvs = grouped_weighted_cv(x, w, g, 3)
    for group in range(3):
        for col in range(2):
            mean, cv = weighted_mean_cv(x[g == group, col], w[g == group])
            np.testing.assert_allclose([means[group, col], cvs[group, col]], [mean, cv], rtol=1e-9, atol=1e-12)
