"""The optional county table: read from county.csv or a 县域 sheet, Chinese headers accepted,
validated like the other tables (every problem as file:row:column), and used by the checklist."""
import pandas as pd
import pytest

from balance_sim.assessment import assess
from balance_sim.errors import InputError
from balance_sim.io import load
from passing_county import COUNTY_ROW, passing_section


def _folder(tmp_path, county_text: str, name: str = "county.csv"):
    folder = tmp_path / "data"
    folder.mkdir()
    schools = pd.DataFrame([passing_section("a"), passing_section("b", students=800), passing_section("c", "junior")])
    schools.to_csv(folder / "schools.csv", index=False)
    (folder / name).write_text(county_text, encoding="utf-8")
    return folder


def _csv(row: dict) -> str:
    return pd.DataFrame([row]).to_csv(index=False)


def test_county_csv_is_read_and_makes_the_county_certifiable(tmp_path):
    county = load(_folder(tmp_path, _csv(COUNTY_ROW)))
    assert county.county_table["exchange_rotated_teachers"].iloc[0] == 12
    assert assess(county).certification == {"county": "pass"}


def test_chinese_headers_and_values_are_accepted(tmp_path):
    text = ("县（市、区）,年份,交流轮岗教师数,符合交流条件教师数,课程开齐开足,社会认可度\n"
            "county,2021,9,100,是,0.9\n")
    county = load(_folder(tmp_path, text, "县域.csv"))
    table = county.county_table
    assert table["exchange_rotated_teachers"].iloc[0] == 9 and bool(table["full_curriculum"].iloc[0]) is True
    parts = assess(county).parts.set_index("key")
    assert parts.loc["exchange_share", "status"] == "fail" and parts.loc["full_curriculum", "status"] == "pass"
    assert parts.loc["teacher_pay", "status"] == "not_assessable"


def test_malformed_county_table_is_rejected_with_file_row_and_column(tmp_path):
    text = ("county,year,exchange_eligible_teachers,exchange_rotated_teachers,full_curriculum,junior_deaths\n"
            "county,2020,100,120,maybe,-1\n"
            "county,2020,100,10,yes,0\n")
    folder = _folder(tmp_path, text)
    with pytest.raises(InputError) as error:
        load(folder)
    found = {str(p) for p in error.value.problems}
    label = str(folder / "county.csv")
    assert any(p.startswith(f"{label}:2:full_curriculum:") for p in found), found
    assert any(p.startswith(f"{label}:2:junior_deaths:") for p in found), found
    assert any(p.startswith(f"{label}:2:exchange_rotated_teachers:") and "more than" in p for p in found), found
    assert any(p.startswith(f"{label}:3:county:") and "duplicate key" in p for p in found), found
