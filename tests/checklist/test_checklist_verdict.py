"""The four-part verdict: pass only when all four parts pass; not-assessable items listed, never
passed; weak links ranked by their distance from the rule; the JSON and table show it all."""
import json

import pandas as pd

from balance_sim.assessment import assess
from balance_sim.assessment.text import format_table
from balance_sim.checklist.outcome import combine
from balance_sim.checklist.verdict import certification, weak_links
from balance_sim.county import County
from passing_county import passing_county


def test_part_status_logic():
    assert combine(["pass", "pass"]) == "pass"
    assert combine(["pass", "not_assessable"]) == "not_assessable"
    assert combine(["not_assessable", "fail", "pass"]) == "fail"


def _parts(statuses: dict[str, list[str]]) -> pd.DataFrame:
    rows = [{"county": "c", "part": part, "key": f"{part}{i}", "status": s, "gap": 0.1 * i, "value": 1.0,
             "rule": "r", "en": "", "detail": ""} for part, items in statuses.items() for i, s in enumerate(items)]
    return pd.DataFrame(rows)


def test_certified_only_when_every_one_of_four_parts_passes():
    passing = {"resources": ["pass"], "government": ["pass"], "quality": ["pass"], "recognition": ["pass"]}
    assert certification(_parts(passing)) == {"c": "pass"}
    assert certification(_parts({**passing, "recognition": ["not_assessable"]})) == {"c": "fail"}
    assert certification(_parts({**passing, "quality": ["pass", "fail"]})) == {"c": "fail"}
    three = {k: v for k, v in passing.items() if k != "quality"}
    assert certification(_parts(three)) == {"c": "fail"}  # a part without items is not a pass


def test_weak_links_rank_by_gap():
    parts = _parts({"government": ["fail", "pass", "fail", "fail"]})
    parts.loc[parts["key"] == "government0", "gap"] = 0.05
    links = weak_links(parts)
    assert list(links["key"]) == ["government3", "government2", "government0"] and list(links["rank"]) == [1, 2, 3]


def test_a_county_passing_every_item_is_certified():
    assessment = assess(passing_county())
    assert (assessment.parts["status"] == "pass").all(), assessment.parts.loc[assessment.parts["status"] != "pass", ["key", "detail"]]
    assert assessment.certification == {"county": "pass"}
    assert assessment.weak_links.empty and assessment.not_assessable_items.empty


def test_one_failing_item_fails_its_part_and_the_county():
    assessment = assess(passing_county(exchange_rotated_teachers=9))
    status = assessment.part_status.set_index("part")["status"].to_dict()
    assert status == {"resources": "pass", "government": "fail", "quality": "pass", "recognition": "pass"}
    assert assessment.certification == {"county": "fail"} and assessment.verdict == {"county": "pass"}
    assert list(assessment.weak_links["key"]) == ["exchange_share"]


def test_absent_county_column_is_not_assessable_and_never_passes():
    county = passing_county()
    table = county.county_table.drop(columns=["survey_satisfaction_share"])
    assessment = assess(County.from_frames(county.schools, county_table=table))
    item = assessment.parts.set_index("key").loc["social_recognition"]
    assert item["status"] == "not_assessable" and item["missing"] == ("county.survey_satisfaction_share",)
    assert assessment.certification == {"county": "fail"}
    assert list(assessment.not_assessable_items["key"]) == ["social_recognition"]


def test_absent_school_column_is_not_assessable():
    county = passing_county()
    assessment = assess(County.from_frames(county.schools.drop(columns=["catchment_students"]), county_table=county.county_table))
    parts = assessment.parts.set_index("key")
    assert parts.loc["nearest_school_primary", "status"] == "not_assessable"
    assert parts.loc["nearest_school_primary", "missing"] == ("schools.catchment_students",)


def test_json_carries_parts_beside_levels_and_names_missing_data():
    county = passing_county()
    table = county.county_table.drop(columns=["monitoring_level"])
    data = assess(County.from_frames(county.schools, county_table=table)).to_dict()
    json.dumps(data)
    entry = data["counties"][0]
    assert entry["verdict"] == "fail" and [lv["level"] for lv in entry["levels"]] == ["primary", "junior"]
    parts = {part["part"]: part for part in entry["parts"]}
    assert list(parts) == ["resources", "government", "quality", "recognition"]
    assert {p: parts[p]["status"] for p in parts} == {"resources": "pass", "government": "pass",
                                                      "quality": "not_assessable", "recognition": "pass"}
    item = next(i for i in parts["quality"]["items"] if i["key"] == "learning_outcomes_level")
    assert item == {"key": "learning_outcomes_level", "value": None, "rule": item["rule"],
                    "status": "not_assessable", "missing": ["county.monitoring_level"]}
    passing = next(i for i in parts["government"]["items"] if i["key"] == "exchange_share")
    assert set(passing) == {"key", "value", "rule", "status"} and passing["value"] == 0.12


def test_basic_2012_has_no_parts():
    data = assess(passing_county(), "basic-2012").to_dict()
    assert "parts" not in data["counties"][0]


def test_table_shows_every_part_and_the_weak_links():
    text = format_table(assess(passing_county(exchange_rotated_teachers=9, monitoring_level=None)))
    assert "four parts of quality-2017: FAIL" in text
    for heading in ("资源配置", "政府保障程度 Government guarantee: FAIL", "教育质量 Education quality: NOT_ASSESSABLE",
                    "社会认可度 Social recognition: PASS"):
        assert heading in text
    assert "✗ exchange_share" in text and "9.0%" in text
    assert "[missing: county.monitoring_level]" in text
    assert "1. exchange_share" in text
