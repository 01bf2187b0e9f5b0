"""The result tables' construction agrees with independent computations: frames from ready
blocks (vs pandas' constructor), the official grouped CVs (vs np.add.at), group sums by one
bincount (vs one sum per array), the targets' sums (vs array operations), the county table's long
rows (vs a table built row by row from the run's arrays and the single-series Gini and Theil), the
Gini and Theil rows (vs the single-series measures), hires' ids by Arrow (vs f-strings)."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.measures.cv import grouped_weighted_cv
from balance_sim.measures.gini import gini, gini_rows
from balance_sim.measures.theil import theil_decomposition, theil_t_rows
from balance_sim.sim import load_policy, simulate, tables
from balance_sim.sim import ledger as L
from balance_sim.sim.metrics import BACKBONE, Panel, target_sums
from balance_sim.sim.rules import _standard_rules

from sim_counties import small_county


def _grouped_cv_by_arrays(x, w, groups, n_groups):
    """The official grouped CV by np.add.at, an independent form of the bincount implementation."""
    w = w[:, None] * np.ones_like(x)
    valid = np.isfinite(x) & (w > 0) & (groups[:, None] >= 0)
    w = np.where(valid, w, 0.0)
    xz = np.where(valid, x, 0.0)
    g = np.where(groups >= 0, groups, 0)
    total = np.zeros((n_groups, x.shape[1]))
    np.add.at(total, g, w)
    sum_wx = np.zeros((n_groups, x.shape[1]))
    np.add.at(sum_wx, g, w * xz)
    mean = sum_wx / total
    dev = xz - mean[g]
    sum_wdev = np.zeros((n_groups, x.shape[1]))
    np.add.at(sum_wdev, g, w * dev * dev)
    return mean, np.sqrt(sum_wdev / total) / mean


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 80), st.integers(1, 9), st.integers(1, 6))
def test_grouped_cv_equals_the_add_at_formula(seed, n, k, n_groups):
    rng = np.random.default_rng(seed)
    x = rng.gamma(2.0, 3.0, (n, k))
    x[rng.random((n, k)) < 0.1] = np.nan  # indicators without a value
    x[rng.random((n, k)) < 0.05] = 0.0
    w = np.where(rng.random(n) < 0.15, 0.0, rng.integers(1, 900, n).astype(float))
    g = rng.integers(-1, n_groups, n)  # −1: a section the standard does not count
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = _grouped_cv_by_arrays(x, w, g, n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        got_all = grouped_weighted_cv(x, w, g, n_groups)
    for got, want in zip(got_all, expected):
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14, equal_nan=True)


def test_panel_sums_per_year_and_level_by_hand():
    # Two years, three sections: primary, junior, primary; the second section closes in year 2.
    panel = Panel(
        pupils=np.array([[10.0, 20.0, 30.0], [11.0, 0.0, 31.0]]), classes=np.ones((2, 3)),
        open=np.array([[True, True, True], [True, False, True]]), counts=np.zeros((2, 3, 6), np.int64),
        indicators=np.zeros((2, 3, 11)), quality=np.zeros((2, 3)), level=np.array([0, 1, 0]),
        rural=np.array([False, True, True]), teaching_point=np.zeros(3, bool),
    )
    values = np.array([[[1.0, 2.0, 4.0], [8.0, np.nan, 4.0]], [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]])  # the NaN: a closed section
    sums = panel.by_groups(values)
    assert sums.tolist() == [[[5.0, 2.0], [12.0, 0.0]], [[2.0, 1.0], [2.0, 0.0]]]
    assert panel.by_group(values[0]).tolist() == sums[0].tolist()
    keep = np.array([[False, True, True], [True, True, True]])
    assert panel.by_group(values[1], keep).tolist() == [[1.0, 1.0], [2.0, 1.0]]


def _random_panel(seed, n_years, n):
    rng = np.random.default_rng(seed)
    pupils = rng.integers(0, 900, (n_years, n)).astype(float)
    indicators = rng.gamma(2.0, 3.0, (n_years, n, 11))
    indicators[rng.random(indicators.shape) < 0.1] = np.nan
    indicators[rng.random(indicators.shape) < 0.02] = np.inf
    quality = np.where(rng.random((n_years, n)) < 0.1, np.nan, rng.random((n_years, n)))
    return Panel(
        pupils=pupils, classes=rng.integers(0, 20, (n_years, n)).astype(float), open=rng.random((n_years, n)) < 0.85,
        counts=rng.integers(0, 60, (n_years, n, 6)), indicators=indicators, quality=quality,
        level=rng.integers(0, 2, n).astype(np.int8), rural=rng.random(n) < 0.5, teaching_point=rng.random(n) < 0.1,
    )


def _target_sums_by_arrays(panel: Panel, columns, small, large, super_large) -> np.ndarray:
    """The sums target_sums makes, as array operations summed by Panel.by_groups."""
    pupils = np.where(panel.open, panel.pupils, 0.0)
    classes = panel.classes
    rural = np.broadcast_to(panel.rural, pupils.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        size = np.where(classes > 0, pupils / classes, 0.0)
        stock = np.nan_to_num(panel.indicators[..., columns] * pupils[..., None]).transpose(2, 0, 1)
    backbone = panel.counts[..., BACKBONE].astype(float)
    rows = np.concatenate([np.stack([
        classes, classes * (size <= small), classes * (size > large), classes * (size > super_large), pupils,
        backbone * rural, backbone * ~rural, pupils * rural, pupils * ~rural, np.nan_to_num(panel.quality) * pupils,
        panel.counts[..., 0].astype(float), np.ones_like(pupils)]), stock * rural, stock * ~rural])
    return panel.by_groups(rows)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 5), st.integers(1, 30))
def test_target_sums_are_the_array_sums(seed, n_years, n):
    panel = _random_panel(seed, n_years, n)
    columns = _standard_rules("quality-2017").columns.astype(np.int64)
    args = (panel.pupils, panel.classes, panel.open, panel.counts, panel.indicators, panel.quality,
            panel.level.astype(np.int64), panel.rural, columns, BACKBONE, 30.0, 45.0, 55.0)
    expected = _target_sums_by_arrays(panel, columns, 30.0, 45.0, 55.0)
    with np.errstate(invalid="ignore", over="ignore"):
        got = target_sums(*args)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12, equal_nan=True)


columns = st.lists(st.sampled_from(["int32", "int64", "float", "bool", "str", "category"]), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(columns, st.integers(0, 40), st.integers(0, 2**32 - 1))
def test_frame_is_what_the_dataframe_constructor_makes(kinds, n, seed):
    rng = np.random.default_rng(seed)
    words = np.array(["甲小学", "b", ""], dtype=object)
    data = {}
    for i, kind in enumerate(kinds):
        name = f"{kind}_{i}"
        if kind == "str":
            data[name] = L.string_column(words, rng.integers(-1, 3, n))
        elif kind == "category":
            data[name] = pd.Categorical.from_codes(rng.integers(0, 9, n).astype(np.int8), dtype=L.MOVE_KIND_DTYPE)
        elif kind == "bool":
            data[name] = rng.random(n) < 0.5
        elif kind == "float":
            data[name] = np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n))
        else:
            data[name] = rng.integers(-5, 5, n).astype(kind)
    built = L.frame(data)
    expected = pd.DataFrame(data)
    pd.testing.assert_frame_equal(built, expected, check_exact=True)
    assert built.columns.equals(expected.columns) and built.columns.dtype == expected.columns.dtype
    # The numpy columns are copies: changing the frame leaves the arrays alone.
    first = next((name for name, v in data.items() if isinstance(v, np.ndarray)), None)
    if first is not None and n:
        before = data[first].copy()
        built.loc[0, first] = built[first].iloc[0]  # a write through the frame
        built[first] = built[first]
        assert np.array_equal(data[first], before, equal_nan=True)


def test_string_column_reuses_a_word_table_and_keeps_missing_words():
    table = L.word_table(["p1", "j1"])
    column = L.string_column(table, np.array([1, -1, 0, 1], np.int32))
    assert pd.Series(column).tolist()[0] == "j1" and pd.isna(pd.Series(column)[1])
    assert pd.Series(column).tolist()[2:] == ["p1", "j1"]
    assert str(column.dtype) == "str"
    assert pd.Series(L.repeated_word("示范县", 3)).tolist() == ["示范县"] * 3


def _rows(seed, n_rows, n_schools):
    rng = np.random.default_rng(seed)
    x = rng.gamma(2.0, 1.0, (n_rows, n_schools))
    x[rng.random(x.shape) < 0.1] = np.nan
    x[rng.random(x.shape) < 0.1] = 0.0
    x[rng.random(x.shape) < 0.03] = -1.0  # Theil leaves negative values out
    x[:, rng.random(n_schools) < 0.1] = 2.5  # ties
    w = np.where(rng.random(x.shape) < 0.2, 0.0, rng.integers(1, 500, x.shape).astype(float))
    return x, w, rng.integers(0, 2, n_schools)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 30)), min_size=1, max_size=5), st.integers(0, 2**32 - 1))
def test_string_columns_at_once_equal_one_at_a_time(shapes, seed):
    rng = np.random.default_rng(seed)
    pairs = []
    for i, (n_words, n) in enumerate(shapes):
        words = [f"{i}词{j}" for j in range(n_words)]
        pairs.append((L.word_table(words) if i % 2 else words, rng.integers(-1, n_words, n)))
    for together, (words, codes) in zip(L.string_columns(*pairs), pairs):
        pd.testing.assert_series_equal(pd.Series(together), pd.Series(L.string_column(words, codes)))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12), st.integers(1, 40))
def test_gini_and_theil_rows_equal_the_single_series_measures(seed, n_rows, n_schools):
    # NaN, zero, negative and tied values and zero weights: each row as the one-series measures.
    x, w, groups = _rows(seed, n_rows, n_schools)
    ginis = gini_rows(x, w)
    totals, betweens = theil_t_rows(x, w, groups)
    for r in range(n_rows):
        np.testing.assert_allclose(ginis[r], gini(x[r], w[r]), rtol=1e-9, atol=1e-12)
        counted = np.isfinite(x[r]) & (x[r] >= 0) & (w[r] > 0)
        if (w[r][counted] * x[r][counted]).sum() > 0:
            parts = theil_decomposition(x[r][counted], groups[counted], w[r][counted], "T")
            np.testing.assert_allclose([totals[r], betweens[r]], [parts.total, parts.between], rtol=1e-9, atol=1e-12)
        else:
            assert np.isnan(totals[r]) and np.isnan(betweens[r])


def test_gini_by_hand():
    # Pupils 1, 1, 2 with values 1, 3, 2 (the third listed first): pupils' values 1, 3, 2, 2;
    # mean 2; Σ_i Σ_j |x_i − x_j| over the 16 pupil pairs = 12; G = 12 / (2 · 16 · 2) = 0.1875.
    assert gini_rows(np.array([[2.0, 1.0, 3.0, np.nan]]), np.array([[2.0, 1.0, 1.0, 5.0]]))[0] == pytest.approx(0.1875)


@pytest.fixture(scope="module")
def result():
    overrides = {"enrolment.consolidation.enabled": True, "teachers.pool_rebalancing": True}
    return simulate(small_county(seed=3, roster=True, budget=True), load_policy(overrides=overrides), years=4, seed=2)


def _county_rows_one_by_one(run, county: str, replication: int) -> pd.DataFrame:
    """The county table as plain loops write it: per-level metrics, then Gini and Theil of each
    quality-2017 indicator per year and level (single-series measures), then county figures."""
    levels = ("primary", "junior")
    rows = []
    for name, values in run.levels.items():
        standard, _, metric = name.rpartition(":")
        keys = _standard_rules(standard).keys if np.ndim(values) == 3 else ("",)
        for y, year in enumerate(run.years):
            for lv in range(2):
                for j, key in enumerate(keys):
                    value = values[y, lv, j] if np.ndim(values) == 3 else values[y, lv]
                    rows.append((year, levels[lv], standard, key, metric, float(value)))
    rules = _standard_rules("quality-2017")
    s = run.state.schools
    for lv in range(2):
        for metric in ("gini", "theil", "theil_between_location"):
            for y, year in enumerate(run.years):
                pupils, open_ = run.panel["pupils"][y], run.panel["open"][y]
                keep = open_ & (pupils > 0) & (~s.teaching_point | (pupils >= rules.teaching_point_min_students))
                weight = np.where(keep & (s.level == lv), pupils, 0.0)
                for key, column in zip(rules.keys, rules.columns):
                    x = run.panel["indicators"][y][:, column]
                    if metric == "gini":
                        value = gini(x, weight)
                    else:
                        counted = np.isfinite(x) & (x >= 0) & (weight > 0)
                        parts = theil_decomposition(x[counted], s.rural[counted], weight[counted], "T")
                        value = parts.total if metric == "theil" else parts.between
                        value = value if (weight[counted] * x[counted]).sum() > 0 else np.nan
                    rows.append((year, levels[lv], "quality-2017", key, metric, value))
    for metric, values in run.county.items():
        for year, value in zip(run.years, values):
            rows.append((year, "all", "", "", metric, float(value)))
    frame = pd.DataFrame(rows, columns=["year", "level", "standard", "key", "metric", "value"])
    frame.insert(0, "county", county)
    frame.insert(0, "replication", np.int32(replication))
    return frame.astype({"replication": np.int32, "year": np.int32})


def test_county_table_equals_rows_written_one_by_one(result):
    county, replication, run = result.runs[0]
    expected = _county_rows_one_by_one(run, county, replication)
    pd.testing.assert_frame_equal(tables.county_table(run, county, replication), expected, rtol=1e-9, atol=1e-12)
    # The layout is reused for a second county of the same shape: its own years and values.
    other = simulate(small_county(seed=4, roster=True, budget=True), result.policy, years=4, seed=5).runs[0]
    pd.testing.assert_frame_equal(tables.county_table(other[2], "乙县", 1), _county_rows_one_by_one(other[2], "乙县", 1),
                                  rtol=1e-9, atol=1e-12)


def test_hires_get_h_and_their_slot_in_six_digits(result):
    run = result.runs[0][2]
    t = run.state.teachers
    ids = tables.teacher_ids(run)
    roster = t.ids[: t.n]
    hired = np.flatnonzero(roster == None)  # noqa: E711
    assert len(hired) > 0
    assert ids.tolist() == [f"H{i:06d}" if v is None else v for i, v in enumerate(roster)]
    moves = result.teacher_moves
    assert set(moves.loc[moves["kind"] == "hire", "teacher_id"]) <= {f"H{i:06d}" for i in hired}
