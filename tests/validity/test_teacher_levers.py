"""Teacher levers close the gaps they are named for, on the demo county and a second county
(paired runs, common random numbers): exchange lowers the backbone CV and more exchange does not
raise it; a larger allowance lowers rural attrition and costs more; subject hiring, retraining and
backbone training lower the PE/arts and backbone CVs; a 10% policy rotates 10%.

That no sender ends below and no receiver above the target after any year is a property of the
exchange step itself, checked on random states in tests/sim/test_exchange_properties.py."""
from __future__ import annotations

import numpy as np
import pytest

from balance_sim.scenarios import paired_county_series, paired_cvs
from validity_runs import run

BACKBONE = "backbone_teachers_per_100"
PE_ART = "pe_art_teachers_per_100"


def cv_effect(base, scenario, key: str, first_year: int = 2) -> object:
    """Paired difference of the CV of `key`, mean of simulated years first_year…10, by level."""
    effect = paired_cvs(base, scenario)
    effect = effect[(effect["key"] == key) & (effect["year"] >= base.years[0] + first_year)]
    return effect.groupby("level")[["difference", "low", "high"]].mean()


def test_a_first_exchange_lowers_the_backbone_cv(name):
    effect = cv_effect(run(name, teachers__exchange_rate=0.0), run(name, teachers__exchange_rate=0.1), BACKBONE)
    assert (effect["high"] < 0).all(), effect


@pytest.mark.parametrize("rate", [0.2, 0.3, 0.5])
def test_more_exchange_does_not_widen_the_backbone_gap(name, rate):
    """Beyond 10% the gap has closed to its plateau: the CV moves by less than 0.03 either way."""
    effect = cv_effect(run(name), run(name, teachers__exchange_rate=rate), BACKBONE)
    assert (effect["difference"] < 0.03).all(), effect


def test_a_ten_percent_policy_rotates_ten_percent(name):
    """The checklist item counts rotated ÷ eligible teachers: the model reaches the 10% asked."""
    result = run(name, teachers__exchange_rate=0.1)
    sent, eligible = (result.metric(m).pivot_table(index="replication", columns="year", values="value")
                      for m in ("exchange_sent", "exchange_eligible"))
    share = (sent / eligible).loc[:, result.years[1]:].to_numpy()
    assert (share >= 0.1 - 1e-9).all() and (share < 0.12).all(), share


def _rural_leavers(result) -> float:
    moves = result.teacher_moves
    rural = set(result.schools.loc[result.schools["location"] == "rural", "school_id"])
    left = moves[moves["kind"].astype(str).isin(["leave", "drift"]) & moves["from_school"].isin(rural)]
    return len(left) / result.replications


def test_a_larger_allowance_keeps_rural_teachers_and_costs_more(name):
    small, large = run(name, teachers__hardship_allowance_yuan_month=0), \
        run(name, teachers__hardship_allowance_yuan_month=1500)
    assert _rural_leavers(large) < 0.9 * _rural_leavers(small)
    cost = paired_county_series(small, large, "allowance", total=True).iloc[0]
    assert cost["low"] > 0


def test_hiring_by_subject_lowers_the_pe_art_cv(name):
    effect = cv_effect(run(name, teachers__hire_by_subject=False), run(name), PE_ART, first_year=3)
    assert (effect["high"] < 0).all(), effect


def test_retraining_lowers_the_pe_art_cv_within_its_quota(name):
    base, retrained = run(name), run(name, teachers__subject_retraining_per_year=10)
    effect = cv_effect(base, retrained, PE_ART)
    assert (effect["difference"] < 0).all() and (effect["high"] < 0).any(), effect
    trained = retrained.metric("pe_art_retrained")
    assert trained["value"].max() <= 10
    assert trained.groupby("replication")["value"].sum().min() > 0  # (its cost: tests/sim/test_targeted_training.py)


def test_backbone_training_lowers_the_backbone_cv_in_primary_schools(name):
    effect = cv_effect(run(name), run(name, teachers__backbone_training_per_year=20), BACKBONE)
    assert effect.loc["primary", "difference"] < 0, effect
    assert (effect["difference"] < 0.01).all(), effect
