"""The synthetic country (`balance_sim.datasets.national`): national counts of
docs/sources.md#national-statistics within the tolerances its docstring states, scaled to fewer
counties, seeded; and the data source `synthetic:N[:SEED]` on the command line."""
import functools
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from balance_sim.cli import main
from balance_sim.datasets import national_targets, synthetic_country, synthetic_country_tables
from balance_sim.datasets.national import NATIONAL_COUNTIES, achieved, comparison_markdown, parse_source
from balance_sim.errors import ParameterError
from balance_sim.io import load

KEYS = ["quantity", "level", "location"]


@functools.cache
def _country(counties: int, seed: int = 1):
    return synthetic_country(counties, seed)


def _compared(counties: int) -> pd.DataFrame:
    table = national_targets(counties).merge(achieved(_country(counties)), on=KEYS, validate="one_to_one")
    table["relative_error"] = (table["achieved"] / table["target"] - 1.0).abs()
    return table


def _rows(table, quantity, by_location=False):
    rows = table[table["quantity"] == quantity]
    return rows[(rows["location"] != "all") if by_location else (rows["location"] == "all")]


@pytest.mark.parametrize("counties", [60, 200])
def test_scaled_counts_are_within_the_stated_tolerance(counties):
    table = _compared(counties)
    assert len(_country(counties).counties) == counties
    sections = _rows(table, "sections")
    expected = np.floor(np.array([149_100, 52_500]) * counties / NATIONAL_COUNTIES + 0.5)
    assert sections["achieved"].tolist() == expected.tolist()  # whole schools, exact
    assert (_rows(table, "sections", by_location=True)["relative_error"] <= 0.05).all()
    for quantity in ("students", "teachers"):
        assert (_rows(table, quantity)["relative_error"] <= 0.005).all(), _rows(table, quantity)


def test_counts_scale_in_proportion_to_the_counties():
    small, large = achieved(_country(60)), achieved(_country(200))
    ratio = (large["achieved"] / small["achieved"]).to_numpy()
    assert ratio == pytest.approx(200 / 60, rel=0.05)
    # targets are the national figures times counties / 2,895
    # (location targets derive from the level counts rounded to whole schools)
    targets = national_targets(60).set_index(KEYS)["target"] / national_targets().set_index(KEYS)["target"]
    assert targets.to_numpy() == pytest.approx(60 / NATIONAL_COUNTIES, rel=0.002)


def test_the_national_case_reaches_the_national_counts():
    table = _compared(NATIONAL_COUNTIES)
    get = table.set_index(KEYS)["achieved"]
    assert get[("counties", "all", "all")] == 2_895
    assert get[("sections", "primary", "all")] == 149_100 and get[("sections", "junior", "all")] == 52_500
    assert (_rows(table, "sections", by_location=True)["relative_error"] <= 0.02).all()
    assert get[("teachers", "all", "all")] == pytest.approx(10_654_600, rel=0.005)
    assert get[("teachers", "primary", "all")] == pytest.approx(6_629_400, rel=0.005)
    assert get[("teachers", "junior", "all")] == pytest.approx(4_025_200, rel=0.005)
    assert get[("students", "all", "all")] == pytest.approx(158_206_000, rel=0.005)
    readme = (Path(__file__).resolve().parents[1] / "data" / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- national-table:start -->\n(.*?)\n<!-- national-table:end -->", readme, re.S)
    assert shown and shown.group(1) == comparison_markdown(_country(NATIONAL_COUNTIES)), \
        "run: python -m balance_sim.datasets.national_table and paste its table into data/README.md"


def test_each_county_has_its_own_name_and_code():
    schools = _country(200).schools
    assert schools["county"].nunique() == 200
    assert schools["school_id"].str[:6].nunique() == 200
    assert schools["school_id"].str.startswith("9").all()
    assert not schools.duplicated(["school_id", "level"]).any()


def test_same_seed_gives_identical_tables_and_another_seed_others():
    first, again, other = (synthetic_country_tables(20, seed) for seed in (5, 5, 6))
    pd.testing.assert_frame_equal(first.schools, again.schools)
    pd.testing.assert_frame_equal(first.shared_facilities, again.shared_facilities)
    assert not first.schools["students"].equals(other.schools["students"])
    assert set(first.schools["county"]) != set(other.schools["county"])


def test_the_files_load_back_as_the_same_country(tmp_path):
    for name, frame in synthetic_country_tables(3, 7).files().items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    loaded, direct = load(tmp_path).schools, synthetic_country(3, 7).schools
    assert len(loaded) == len(direct)
    assert loaded["teachers"].sum() == direct["teachers"].sum()
    assert loaded["books"].sum() == pytest.approx(direct["books"].sum())


@pytest.mark.parametrize("counties, seed", [(0, 1), (NATIONAL_COUNTIES + 1, 1), (5, -1), (2.5, 1), (True, 1)])
def test_bad_sizes_and_seeds_are_refused(counties, seed):
    with pytest.raises(ParameterError):
        synthetic_country_tables(counties, seed)


@pytest.mark.parametrize("text, expected", [("synthetic:5", (5, 1)), ("synthetic:3:7", (3, 7)),
                                            ("synthetic:2895:0", (2895, 0))])
def test_source_forms(text, expected):
    assert parse_source(text) == expected


def test_cli_validate_synthetic(capsys):
    assert main(["validate", "synthetic:5"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("source: synthetic:5:1\n") and err == ""
    assert out.splitlines()[1].count("县") == 5


def test_cli_assess_synthetic_with_seed(capsys):
    assert main(["assess", "synthetic:3:7", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["counties"]) == 3
    assert {level["level"] for county in data["counties"] for level in county["levels"]} == {"primary", "junior"}


@pytest.mark.parametrize("command", [["validate"], ["assess"], ["simulate", "--years", "1"]])
@pytest.mark.parametrize("path, says", [
    ("synthetic:0", "N, the number of counties"), ("synthetic:abc", "N, the number of counties"),
    ("synthetic:3000000", "from 1 to 2,895"), ("synthetic:5:-1", "SEED"), ("synthetic:5:1:2", "expected synthetic:N[:SEED]"),
])
def test_cli_bad_synthetic_forms_exit_2_naming_the_path(command, path, says, capsys, tmp_path):
    argv = [command[0], path, *command[1:]] + (["--out", str(tmp_path / "out")] if command[0] == "simulate" else [])
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: PATH '{path}': ") and says in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
