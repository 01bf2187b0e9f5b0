"""Scenario comparisons: same seed, differences that come from the policy, numbers that add up."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from balance_sim.datasets import demo_county
from balance_sim.report import new_funds, scenario_story, teacher_exchange
from balance_sim.report.explorer import scenario_explorer
from balance_sim.report.scenarios import (BASELINE, compare, county_series, final_differences, metric_bands,
                                          share_meeting, total)
from balance_sim.sim import default_policy, simulate

YEARS, SEED, REPLICATIONS = 4, 11, 3


@pytest.fixture(scope="module")
def county():
    return demo_county()


@pytest.fixture(scope="module")
def funds(county):
    return compare(county, new_funds.scenarios(0.9), YEARS, SEED, REPLICATIONS)


@pytest.fixture(scope="module")
def exchange(county):
    levers = dict(exchange_rate=0.3, backbone_share_min=0.4, hardship_allowance_yuan_month=900)
    return compare(county, teacher_exchange.scenarios(**levers), YEARS, SEED, REPLICATIONS), levers


def test_baseline_is_the_default_policy_with_the_same_seed(county, funds):
    direct = simulate(county, None, YEARS, SEED, REPLICATIONS)
    assert funds.names == [BASELINE, new_funds.SCENARIO]
    pd.testing.assert_frame_equal(funds.results[BASELINE].county, direct.county)
    assert funds.results[new_funds.SCENARIO].policy.value("funding.rural_share") == 0.9


def test_a_scenario_equal_to_the_baseline_differs_by_nothing(county):
    same = compare(county, new_funds.scenarios(default_policy().value("funding.rural_share")), YEARS, SEED, 2)
    assert (final_differences(same)["difference"] == 0).all()
    shares = share_meeting(same).pivot(index="year", columns="scenario", values="share_meeting")
    assert (shares[BASELINE] == shares[new_funds.SCENARIO]).all()


def test_bands_are_ordered_and_collapse_with_one_replication(county, funds):
    bands = metric_bands(funds, "cv", "quality-2017").dropna()
    assert ((bands["p5"] <= bands["p50"]) & (bands["p50"] <= bands["p95"])).all()
    single = compare(county, {}, 2, SEED, 1)
    one = metric_bands(single, "cv", "quality-2017").dropna()
    assert np.allclose(one["p5"], one["p95"])


def test_share_meeting_pools_the_levels(funds):
    result = funds.results[BASELINE]
    rows = result.county[(result.county["standard"] == "quality-2017") & (result.county["year"] == result.years[-1])]
    meeting = rows[rows["metric"] == "schools_meeting"].groupby("replication")["value"].sum()
    schools = rows[rows["metric"] == "schools"].groupby("replication")["value"].sum()
    shares = share_meeting(funds)
    final = shares[(shares["scenario"] == BASELINE) & (shares["year"] == result.years[-1])]["share_meeting"]
    assert final.iloc[0] == pytest.approx((meeting / schools).mean())


def test_differences_are_scenario_minus_baseline(funds):
    rows = final_differences(funds)
    assert np.allclose(rows["difference"], rows["value"] - rows["baseline"])
    assert set(rows["scenario"]) == {new_funds.SCENARIO}


def test_extra_rural_yuan_matches_the_funding_ledger(funds):
    def rural_capital(funding):
        rows = funding[(funding["group"].astype(str) == "rural") & funding["item"].astype(str).str.startswith("capital")]
        return rows["yuan"].sum()

    ledger = {name: rural_capital(r.funding) / r.replications for name, r in funds.results.items()}
    items = {h.key: h for h in new_funds.headlines(funds, 0.9)}
    assert items["rural_yuan_difference"].value == round(ledger[new_funds.SCENARIO] - ledger[BASELINE])
    assert items["rural_share"].value == 0.9


def test_exchanged_teachers_match_the_movement_ledger(exchange):
    comparison, levers = exchange
    moves = teacher_exchange.exchanged(comparison)
    for name, result in comparison.results.items():
        ledger = result.teacher_moves
        sent = (ledger["kind"].astype(str) == "exchange_out").sum() / result.replications
        assert total(moves, name, "exchange_sent") == pytest.approx(sent)
    items = {h.key: h for h in teacher_exchange.headlines(comparison, levers)}
    assert items["exchanged_scenario"].value > items["exchanged_baseline"].value  # 30% rotate instead of 10%


def test_county_series_leaves_the_base_year_out_of_totals(exchange):
    comparison, _ = exchange
    series = county_series(comparison, "exchange_sent")
    first = series[series["year"] == comparison.years[0]]
    assert (first["exchange_sent"] == 0).all()
    assert len(series) == len(comparison.years) * len(comparison.names)


def test_still_failing_lists_cvs_above_the_ceiling(funds):
    failing = scenario_story.still_failing(funds, new_funds.SCENARIO)
    assert (failing["cv"] > failing["ceiling"]).all()
    sentence = scenario_story.outcome_sentence(funds, new_funds.SCENARIO)
    assert sentence.startswith("By ") or sentence.startswith("Under this scenario the county first passes")


def test_conclusions_speak_both_languages(funds, exchange):
    assert new_funds.conclusion(funds, 0.9).data.startswith("**Raising the share of new funds for rural schools from 50% to 90%")
    assert new_funds.conclusion(funds, 0.9, "zh").data.startswith("**新增经费用于农村学校的比例由 50% 提高到 90%")
    comparison, levers = exchange
    assert teacher_exchange.conclusion(comparison, levers).data.startswith("**Rotating 30% of eligible teachers")
    assert "每年交流 30%" in teacher_exchange.conclusion(comparison, levers, "zh").data


def test_explorer_is_skipped_outside_a_live_kernel(county, capsys):
    assert scenario_explorer(county, {"rural_share": (0, 1, 0.05, 0.8)}, new_funds.RESOURCE_KEYS, 2, SEED) is None
    assert capsys.readouterr().out == "Interactive explorer skipped: not a live Jupyter kernel (batch run).\n"
