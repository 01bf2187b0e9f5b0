"""The demo county against the whole quality-2017 checklist, through the library and the CLI."""
import json

import pytest

from balance_sim.assessment import assess
from balance_sim.cli import main

datasets = pytest.importorskip("balance_sim.datasets")


@pytest.fixture(scope="module")
def demo_assessment():
    return assess(datasets.demo_county(), "quality-2017")


def test_demo_fails_government_items_as_counties_do_before_inspection(demo_assessment):
    parts = demo_assessment.parts.set_index("key")
    assert demo_assessment.certification == {"示范县": "fail"}
    status = demo_assessment.part_status.set_index("part")["status"].to_dict()
    assert status["resources"] == "fail" and status["government"] == "fail"
    assert parts.loc["class_size", "status"] == "fail" and parts.loc["exchange_share", "status"] == "fail"
    assert parts.loc["exchange_share", "value"] < 0.10
    # the county table makes every county item assessable
    assert not (parts["status"] == "not_assessable").any()


def test_demo_exchange_share_is_the_rosters_eligible_teachers():
    county = datasets.demo_county()
    eligible = int((county.teachers["years_at_school"] >= 6).sum())
    assert county.county_table["exchange_eligible_teachers"].iloc[0] == eligible


def test_demo_class_bins_are_nested_and_large_averages_have_large_classes():
    s = datasets.demo_county().schools
    assert ((s["classes_over_66"] <= s["classes_over_56"]) & (s["classes_over_56"] <= s["classes_over_50"])
            & (s["classes_over_50"] <= s["classes_over_45"]) & (s["classes_over_45"] <= s["classes"])).all()
    over = s["students"] / s["classes"] > 56
    assert over.any() and (s.loc[over, "classes_over_56"] >= 1).all()
    assert (s.loc[s["location"] == "town", "classes_over_56"] > 0).any()


def test_cli_table_shows_all_four_parts_with_item_status(capsys):
    assert main(["assess", "demo", "--standard", "quality-2017"]) == 0
    out = capsys.readouterr().out
    for heading in ("资源配置 Resource allocation: FAIL", "政府保障程度 Government guarantee: FAIL",
                    "教育质量 Education quality:", "社会认可度 Social recognition:"):
        assert heading in out
    assert "✗ class_size" in out and "✗ exchange_share" in out and "weak links" in out


def test_cli_json_has_parts_beside_levels(capsys):
    assert main(["assess", "demo", "--format", "json"]) == 0
    county = json.loads(capsys.readouterr().out)["counties"][0]
    assert county["verdict"] == "fail" and {"levels", "parts"} <= set(county)
    items = {i["key"]: i for part in county["parts"] for i in part["items"]}
    assert items["exchange_share"]["status"] == "fail" and items["exchange_share"]["value"] == pytest.approx(97 / 1244)
