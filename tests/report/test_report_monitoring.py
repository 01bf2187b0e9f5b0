"""Notebook 01's numbers agree with the assessment they come from, in both languages."""
from __future__ import annotations

import pytest

from balance_sim.assessment import assess
from balance_sim.datasets import demo_county
from balance_sim.report import monitoring
from balance_sim.targets import county_targets


@pytest.fixture(scope="module")
def county():
    return demo_county()


@pytest.fixture(scope="module")
def quality(county):
    return assess(county, "quality-2017"), county_targets(county, "quality-2017")


@pytest.fixture(scope="module")
def basic(county):
    return assess(county, "basic-2012"), county_targets(county, "basic-2012")


def _by_key(items):
    return {item.key: item for item in items}


def test_headlines_match_an_independent_count(quality):
    assessment, targets = quality
    items = _by_key(monitoring.headlines(assessment, targets))
    rows = assessment.indicators
    assert items["cvs_above_ceiling"].value == int((rows["cv"] > rows["cv_max"]).sum())
    assert items["cvs_above_ceiling"].unit == f"of {len(rows)}"
    assert items["verdict"].value == "fail"
    assert items["schools_meeting_standard"].value == int(assessment.levels["schools_meeting_standard"].sum())
    one_off = assessment.shortfalls.loc[assessment.shortfalls["basis"] == "one-off", "cost_yuan"].sum()
    assert items["shortfall_one_off_yuan"].value == round(one_off)
    primary = rows[rows["level"] == "primary"]
    assert items["largest_cv_primary"].value == round(float((primary["cv"]).max()), 3)


def test_basic_standard_has_composite_cvs_and_no_per_school_numbers(basic):
    assessment, targets = basic
    items = _by_key(monitoring.headlines(assessment, targets))
    composite = assessment.levels.set_index("level")["composite_cv"]
    assert items["composite_cv_primary"].value == round(float(composite["primary"]), 3)
    assert "schools_meeting_standard" not in items and "shortfall_one_off_yuan" not in items
    assert items["verdict"].value == "pass"


def test_chinese_headlines_use_chinese_labels_and_words(quality):
    items = _by_key(monitoring.headlines(*quality, language="zh"))
    assert items["verdict"].label == "评估结论（2017年县域义务教育优质均衡）" and items["verdict"].value == "未达标"
    assert items["largest_cv_junior"].label.startswith("初中最大差异系数：")


def test_school_costs_add_up_to_the_shortfalls(quality):
    assessment, _ = quality
    costs = monitoring.school_costs(assessment)
    total = costs["cost_one_off_yuan"].sum() + costs["cost_per_year_yuan"].sum()
    assert total == pytest.approx(assessment.shortfalls["cost_yuan"].sum())
    assert costs["indicators_lacking"].sum() == len(assessment.shortfalls)
    assert costs["cost_one_off_yuan"].is_monotonic_decreasing


def test_conclusion_names_what_fails_in_plain_words(quality):
    assessment, _ = quality
    english = monitoring.conclusion(assessment).data
    assert english.startswith("**示范县 does not meet the quality-2017 standard.**")
    assert "backbone teachers per 100 pupils is 0.524, above its ceiling of 0.50" in english
    chinese = monitoring.conclusion(assessment, "zh").data
    assert chinese.startswith("**示范县未达到2017年县域义务教育优质均衡标准**。")


def test_written_tables_are_the_raw_assessment_tables(quality, county):
    assessment, targets = quality
    written = monitoring.tables(assessment, targets, targets.head(0))
    assert written["indicators"] is assessment.indicators
    assert written["levels"]["reasons"].map(type).eq(str).all()


def test_shown_tables_render_in_both_languages(quality):
    assessment, targets = quality
    assert "Coefficient of variation" in monitoring.indicator_table(assessment).to_html()
    assert "差异系数" in monitoring.indicator_table(assessment, "zh").to_html()
    assert "一次性投入（元）" in monitoring.school_table(assessment, "zh").to_html()


def test_a_marginal_failing_cv_is_said_so_in_the_conclusion_and_marked_in_the_table(quality):
    """A published CV of 0.501787 against 0.50 fails unrounded, within rounding of the ceiling."""
    from dataclasses import replace

    assessment, _ = quality
    indicators = assessment.indicators.copy()
    row = indicators.index[(indicators["level"] == "primary") & (indicators["key"] == "backbone_teachers_per_100")][0]
    indicators.loc[row, ["cv", "cv_pass", "marginal"]] = [0.501787, False, True]
    edge = replace(assessment, indicators=indicators)
    assert "is 0.502, above its ceiling of 0.50 — marginal: within rounding of the ceiling" in monitoring.conclusion(edge).data
    assert "（临界：与上限之差在四舍五入范围内）" in monitoring.conclusion(edge, "zh").data
    shown = monitoring.indicator_table(edge).data
    assert (shown["Within rounding of the ceiling"] == "≈").sum() == 1
