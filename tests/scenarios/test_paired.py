"""Paired differences: a hand-worked interval, and the interval against statsmodels' paired t-test."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.weightstats import DescrStatsW

from balance_sim.scenarios import paired


def _frame(values, key="cv"):
    return pd.DataFrame({"replication": range(len(values)), "key": key, "value": values})


def test_paired_interval_worked_by_hand():
    out = paired(_frame([1.0, 2.0, 3.0]), _frame([2.0, 4.0, 3.0]), keys=["key"]).iloc[0]
    # differences 1, 2, 0: mean 1, sd 1; t(0.95, 2) = 2.919986 → half-width 2.919986 / √3
    half = 2.919986 / np.sqrt(3)
    assert out["difference"] == pytest.approx(1.0)
    assert out["low"] == pytest.approx(1.0 - half, abs=1e-5)
    assert out["high"] == pytest.approx(1.0 + half, abs=1e-5)
    assert not out["detectable"]
    assert out["baseline"] == pytest.approx(2.0) and out["scenario"] == pytest.approx(3.0)


def test_a_constant_shift_is_detectable_and_one_replication_has_no_interval():
    out = paired(_frame([1.0, 2.0, 3.0]), _frame([0.5, 1.4, 2.6]), keys=["key"]).iloc[0]
    assert out["detectable"] and out["high"] < 0
    one = paired(_frame([1.0]), _frame([2.0]), keys=["key"]).iloc[0]
    assert one["difference"] == 1.0 and np.isnan(one["low"]) and not one["detectable"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=3, max_size=30))
def test_interval_is_the_paired_t_interval_of_statsmodels(pairs):
    base, scenario = (np.array(v) for v in zip(*pairs))
    diff = scenario - base
    if np.std(diff) < 1e-9:
        return
    out = paired(_frame(base), _frame(scenario), keys=["key"]).iloc[0]
    low, high = DescrStatsW(diff).tconfint_mean(alpha=0.10)
    assert out["low"] == pytest.approx(low, abs=1e-9) and out["high"] == pytest.approx(high, abs=1e-9)
