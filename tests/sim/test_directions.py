"""Direction of effects on the demo county, one lever at a time, same seed."""
import numpy as np
import pytest

from balance_sim.sim import load_policy, simulate

datasets = pytest.importorskip("balance_sim.datasets")
LEVELS = ("primary", "junior")


@pytest.fixture(scope="module")
def demo():
    return datasets.demo_county()


def _run(demo, **changes):
    return simulate(demo, load_policy(overrides=changes), years=10, seed=11)


def _final(result, metric, standard="", key=""):
    rows = result.metric(metric, standard, key=key)
    rows = rows[rows["year"] == rows["year"].max()]
    return rows.set_index("level")["value"]


def test_higher_rural_share_lowers_cvs_where_rural_schools_lag(demo):
    # Rural schools of the demo county start short of equipment and multimedia rooms (towns
    # crowded, villages weak); with funds shared per pupil, moving the rural share from none
    # towards the rural share of pupils narrows those gaps.
    low = _run(demo, **{"funding.rural_share": 0.0, "funding.allocation_rule": "per_pupil"})
    high = _run(demo, **{"funding.rural_share": 0.2, "funding.allocation_rule": "per_pupil"})
    for key in ("equipment_value_per_student", "multimedia_classrooms_per_100"):
        before = _final(low, "cv", "quality-2017", key)
        after = _final(high, "cv", "quality-2017", key)
        assert (after[list(LEVELS)] < before[list(LEVELS)]).all(), key


def test_higher_exchange_rate_spreads_backbone_teachers(demo):
    none = _run(demo, **{"teachers.exchange_rate": 0.0})
    more = _run(demo, **{"teachers.exchange_rate": 0.3})
    cv_none = _final(none, "cv", "quality-2017", "backbone_teachers_per_100")
    cv_more = _final(more, "cv", "quality-2017", "backbone_teachers_per_100")
    assert (cv_more[list(LEVELS)] < cv_none[list(LEVELS)]).all()
    # Rotated teachers return in cohorts after their term, so the share is compared over the
    # simulated years, not in the last one alone.
    share_none = _mean_after_base(none, "backbone_rural_share")
    share_more = _mean_after_base(more, "backbone_rural_share")
    assert (share_more[list(LEVELS)] > share_none[list(LEVELS)]).all()


def _mean_after_base(result, metric):
    rows = result.metric(metric)
    return rows[rows["year"] > rows["year"].min()].groupby("level")["value"].mean()


def _rural_attrition(result):
    moves = result.teacher_moves
    panel = result.schools
    rural_ids = set(panel.loc[panel["location"] == "rural", "school_id"])
    left = moves[(moves["kind"] == "leave") & moves["from_school"].isin(rural_ids)]
    serving = panel[(panel["location"] == "rural") & (panel["year"] < panel["year"].max())]["teachers"].sum()
    return len(left) / serving


def test_larger_hardship_allowance_lowers_rural_attrition(demo):
    small = _run(demo, **{"teachers.hardship_allowance_yuan_month": 0})
    large = _run(demo, **{"teachers.hardship_allowance_yuan_month": 1500})
    assert _rural_attrition(large) < _rural_attrition(small)


def test_a_budget_that_stops_growing_buys_nothing_and_lets_equipment_wear(demo):
    """No budget growth while pay and prices rise: nothing is left for new funds or building,
    floor area (which does not wear) stays as it was, per-pupil area follows enrolment, and
    the budget cannot replace all the wear, so equipment falls and never rises."""
    result = _run(demo, **{"funding.budget_growth": 0.0, "teachers.exchange_rate": 0.0})
    funds = result.funding
    items = funds["item"].astype(str)
    assert funds.loc[items.str.startswith("capital_") | (items == "construction"), "yuan"].sum() == 0.0
    gap = result.metric("unaffordable_gap").dropna(subset=["value"])
    assert (gap["value"] > 0).all()
    panel = result.schools.sort_values(["year", "school_id", "level"])
    years = sorted(panel["year"].unique())
    base = panel[panel["year"] == years[0]].reset_index(drop=True)
    previous = base
    for year in years[1:]:
        now = panel[panel["year"] == year].reset_index(drop=True)
        for column in ("teaching_area_m2", "sports_area_m2"):
            assert np.allclose(now[column], base[column]), (year, column)
        pupils = now["students"].where(now["students"] > 0)
        assert np.allclose(now["teaching_area_per_student"], base["teaching_area_m2"] / pupils, equal_nan=True)
        assert (now["equipment_value_yuan"] <= previous["equipment_value_yuan"] + 1e-6).all(), year
        previous = now
    assert previous["equipment_value_yuan"].sum() < base["equipment_value_yuan"].sum()
