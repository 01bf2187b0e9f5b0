"""Same arguments, same tables; the committed files and README tables are the generator's output."""
import re
from pathlib import Path

import pandas as pd
import pytest

from balance_sim.datasets import demo_county, synthetic_county, synthetic_province
from balance_sim.datasets.generate import demo_files, main
from balance_sim.datasets.targets import calibration_markdown, standards_markdown

DATA = Path(__file__).resolve().parents[2] / "data"


def test_same_seed_gives_identical_frames():
    a, b = synthetic_county(7, 20, 6), synthetic_county(7, 20, 6)
    pd.testing.assert_frame_equal(a.schools, b.schools)
    pd.testing.assert_frame_equal(a.teachers, b.teachers)
    pd.testing.assert_frame_equal(a.budget, b.budget)


def test_other_seed_gives_other_schools():
    assert not synthetic_county(7, 20, 6).schools.equals(synthetic_county(8, 20, 6).schools)


def test_roster_request_does_not_change_schools():
    pd.testing.assert_frame_equal(synthetic_county(3).schools, synthetic_county(3, roster=False, budget=False).schools)


def test_province_is_deterministic():
    pd.testing.assert_frame_equal(synthetic_province(5, 8).schools, synthetic_province(5, 8).schools)


@pytest.mark.parametrize("relative", [
    "demo/schools.csv", "demo/shared_facilities.csv", "demo/teachers.csv", "demo/budget.csv", "demo/county.csv",
    "demo-province/schools.csv", "demo-province/shared_facilities.csv",
])
def test_committed_csv_equals_generator_output(relative):
    committed = (DATA / relative).read_bytes()
    assert committed == demo_files()[relative].encode("utf-8")


def test_generate_writes_all_files_with_identical_bytes(tmp_path, capsys):
    assert main([str(tmp_path)]) == 0
    for relative, text in demo_files().items():
        assert (tmp_path / relative).read_text(encoding="utf-8") == text
    assert "| primary: pupils per teacher |" in capsys.readouterr().out


def test_committed_csv_reads_back_to_the_demo_tables():
    demo = demo_county().schools
    schools = pd.read_csv(DATA / "demo" / "schools.csv", dtype={"school_id": str})
    assert schools["school_id"].tolist() == demo["school_id"].tolist()
    assert schools["students"].tolist() == demo["students"].tolist()
    # nine-year sections leave the cell empty (the total is in shared_facilities.csv)
    own = schools["school_type"] != "nine_year"
    assert schools.loc[own, "equipment_value_yuan"].tolist() == demo.loc[own, "equipment_value_yuan"].tolist()
    assert schools.loc[~own, "equipment_value_yuan"].isna().all()


def _section(text: str, name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)\n<!-- {name}:end -->", text, re.S)
    assert match, f"README has no {name} section"
    return match.group(1)


def test_readme_tables_match_the_data():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    demo = demo_county()
    assert _section(readme, "calibration-table") == calibration_markdown(demo)
    assert _section(readme, "standards-table") == standards_markdown(demo)


@pytest.mark.parametrize("folder", ["demo", "demo-province"])
def test_committed_data_passes_the_loaders_validation(folder):
    from balance_sim.io.load import load

    loaded = load(DATA / folder)
    expected = demo_county() if folder == "demo" else None
    assert len(loaded.schools) == len(pd.read_csv(DATA / folder / "schools.csv"))
    if expected is not None:
        assert len(loaded.teachers) == len(expected.teachers)
        assert loaded.schools["students"].sum() == expected.schools["students"].sum()
