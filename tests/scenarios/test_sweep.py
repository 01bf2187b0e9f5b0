"""Sweeps (balance_sim.scenarios.sweep): the same numbers on every executor, bit for bit; the tidy
table's shape; replication r the same as in a plain `simulate`; paired differences; the CLI."""
from __future__ import annotations

import pandas as pd
import pytest

from balance_sim.cli import main
from balance_sim.datasets import demo_county
from balance_sim.scenarios import Scenario, compare, grid_scenarios, sweep
from balance_sim.scenarios.paired import paired_cvs
from balance_sim.sim import default_policy, simulate

GRID = {"funding.rural_share": [0.2, 0.8], "teachers.exchange_rate": [0.0, 0.2]}


@pytest.fixture(scope="module")
def county():
    return demo_county()


@pytest.fixture(scope="module")
def serial(county):
    return sweep(county, grid=GRID, years=2, seed=5, replications=2, executor="serial")


def test_the_grid_is_every_combination_named_by_its_settings():
    names = [s.name for s in grid_scenarios(GRID)]
    assert names == ["funding.rural_share=0.2, teachers.exchange_rate=0.0", "funding.rural_share=0.2, teachers.exchange_rate=0.2",
                     "funding.rural_share=0.8, teachers.exchange_rate=0.0", "funding.rural_share=0.8, teachers.exchange_rate=0.2"]


def test_the_table_is_tidy_scenario_by_replication(serial, county):
    table = serial.table
    assert list(table.columns) == ["scenario", "replication", "county", "year", "level", "standard", "key", "metric", "value"]
    assert list(serial.scenarios["scenario"]) == ["baseline", *[s.name for s in grid_scenarios(GRID)]]
    per_run = len(simulate(county, years=2, seed=5).county)
    assert len(table) == 5 * 2 * per_run
    assert (table.groupby("scenario")["replication"].unique().map(sorted).map(list) == [[0, 1]] * 5).all()
    assert serial.scenarios.set_index("scenario").loc["baseline"].isna().all()


@pytest.mark.parametrize("executor", ["processes", "dask"])
def test_every_executor_gives_the_same_numbers_bit_for_bit(serial, county, executor):
    other = sweep(county, grid=GRID, years=2, seed=5, replications=2, executor=executor, workers=2)
    pd.testing.assert_frame_equal(other.table, serial.table, check_exact=True)


def test_replication_r_is_the_same_as_in_a_plain_simulate(serial, county):
    plain = simulate(county, default_policy().override({"funding.rural_share": 0.2, "teachers.exchange_rate": 0.2}),
                     years=2, seed=5, replications=2).county
    mine = serial.table[serial.table["scenario"] == "funding.rural_share=0.2, teachers.exchange_rate=0.2"]
    pd.testing.assert_frame_equal(mine.drop(columns="scenario").reset_index(drop=True), plain.reset_index(drop=True),
                                  check_exact=True)


def test_paired_differences_are_those_of_the_two_runs(county):
    result = compare(county, [Scenario("more rural", {"funding.rural_share": 0.8})], years=3, seed=2, replications=3)
    mine = result.paired("cv", "quality-2017", key="equipment_value_per_student")
    base = simulate(county, years=3, seed=2, replications=3)
    other = simulate(county, default_policy().override({"funding.rural_share": 0.8}), years=3, seed=2, replications=3)
    expected = paired_cvs(base, other)
    expected = expected[expected["key"] == "equipment_value_per_student"]
    merged = mine.merge(expected, on=["level", "key", "year"], suffixes=("", "_expected"))
    assert len(merged) == len(expected) > 0
    for column in ("difference", "low", "high"):
        assert merged[column].to_numpy() == pytest.approx(merged[f"{column}_expected"].to_numpy(), nan_ok=True)


def test_the_cli_writes_the_tables_and_refuses_like_simulate(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", "demo", "--grid", "funding.rural_share=0.2,0.8", "--years", "2", "--replications", "2",
                 "--executor", "serial", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["paired_cv.parquet", "scenarios.csv", "sweep.parquet"]
    assert set(pd.read_parquet(out / "sweep.parquet")["scenario"]) == {"baseline", "funding.rural_share=0.2",
                                                                        "funding.rural_share=0.8"}
    capsys.readouterr()
    bad = tmp_path / "bad"
    for args, message in (
        (["--grid", "funding.rural_share=0.2,1.5"], "funding.rural_share: must be between 0.0 and 1.0, got 1.5"),
        (["--grid", "funding.rural_share="], "expected KEY=V1,V2"),
        (["--grid", "funding.rural_share=0.2", "--scheduler", "tcp://x:8786"], "--scheduler: only with --executor dask"),
        (["--grid", "funding.rural_share=0.2", "--years", "0"], "--years: must be from 1 to"),
    ):
        assert main(["sweep", "demo", *args, "--replications", "2", "--executor", "serial", "--out", str(bad)]) == 2
        assert message in capsys.readouterr().err
        assert not bad.exists()
