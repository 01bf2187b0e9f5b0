"""The data dictionary: header normalisation, header and unit matching, value words."""
from decimal import Decimal

import pytest

from balance_sim.io.convert import Unreadable, parse
from balance_sim.io.dictionary import dictionary, normalise_header


@pytest.mark.parametrize(
    ("header", "normalised"),
    [
        ("教学仪器设备值（万元）", "教学仪器设备值(万元)"),
        ("其中：室内体育用房", "室内体育用房"),
        ("其中:图书（册）", "图书(册)"),
        ("　学校　名称 ", "学校名称"),
        ("School_ID", "school_id"),
        ("县（市、区）", "县(市、区)"),
    ],
)
def test_headers_are_normalised_to_ascii_brackets_without_spaces_or_prefix(header, normalised):
    assert normalise_header(header) == normalised


@pytest.mark.parametrize(
    ("header", "column", "scale"),
    [
        ("学校代码", "school_id", 1),
        ("学校标识码", "school_id", 1),
        ("School ID", "school_id", 1),
        ("STUDENTS", "students", 1),
        ("县（市、区）", "county", 1),
        ("县(市、区)", "county", 1),
        ("教学仪器设备值（万元）", "equipment_value_yuan", 10_000),
        ("教学仪器设备值（元）", "equipment_value_yuan", 1),
        ("教学仪器设备值", "equipment_value_yuan", 1),
        ("体育运动场（馆）面积（平方米）", "sports_area_m2", 1),
        ("教学及辅助用房面积(㎡)", "teaching_area_m2", 1),
        ("图书（册）", "books", 1),
        ("计算机（台）", "computers", 1),
        ("网络多媒体教室（间）", "multimedia_classrooms", 1),
        ("其中：中级及以上专业技术职务教师数", "teachers_mid_senior_title", 1),
        ("公用经费（元/年）", "public_funds_yuan", 1),
        ("在校生数（人）", "students", 1),
    ],
)
def test_chinese_and_english_headers_match_their_column_and_unit(header, column, scale):
    match = dictionary().match_header("schools", header)
    assert (match.column, match.scale, match.problem) == (column, Decimal(scale), None)


def test_a_foreign_unit_is_a_problem_naming_the_accepted_units():
    match = dictionary().match_header("schools", "教学仪器设备值（美元）")
    assert match.column == "equipment_value_yuan"
    assert "美元" in match.problem and "万元" in match.problem


def test_an_unknown_header_matches_nothing():
    assert dictionary().match_header("schools", "校长姓名") is None


@pytest.mark.parametrize(
    ("vocabulary", "word", "canonical"),
    [
        ("level", "小学", "primary"),
        ("level", "初中", "junior"),
        ("level", " Junior ", "junior"),
        ("location", "城区", "urban"),
        ("location", "镇区", "town"),
        ("location", "乡村", "rural"),
        ("school_type", "教学点", "teaching_point"),
        ("school_type", "九年一贯制", "nine_year"),
        ("school_type", "十二年一贯制学校", "twelve_year"),
        ("school_type", "完全中学", "complete_secondary"),
        ("sex", "男", "male"),
        ("sex", "女", "female"),
        ("degree", "本科", "bachelor"),
        ("degree", "大专", "associate"),
        ("degree", "硕士研究生", "postgraduate"),
        ("title", "一级教师", "intermediate"),
        ("title", "正高级", "professor"),
        ("backbone", "县级", "county"),
        ("backbone", "国家级", "national"),
        ("subject", "体育与健康", "pe"),
        ("subject", "道德与法治", "moral"),
        ("bool", "是", "true"),
        ("bool", "否", "false"),
        ("bool", "TRUE", "true"),
    ],
)
def test_value_words_map_to_canonical_words(vocabulary, word, canonical):
    assert dictionary().value_word(vocabulary, word) == canonical


def test_unknown_value_word_is_none():
    assert dictionary().value_word("level", "高中") is None


def test_wan_yuan_is_converted_exactly():
    column = dictionary().tables["schools"].columns["equipment_value_yuan"]
    assert parse("1.23", column, Decimal(10_000)) == 12_300.0
    assert parse("１８０", column, Decimal(10_000)) == 1_800_000.0  # full-width digits


def test_whole_numbers_accept_thousands_separators_and_integral_decimals_only():
    books = dictionary().tables["schools"].columns["books"]
    assert parse("24,000", books) == 24_000
    assert parse("2500.0", books) == 2500
    with pytest.raises(Unreadable, match="not a whole number"):
        parse("2500.5", books)
    with pytest.raises(Unreadable, match="not a number"):
        parse("inf", books)


def test_every_column_alias_is_unique_within_its_table():
    for table in dictionary().tables.values():
        seen = {}
        for column in table.columns.values():
            for alias in (column.name, *column.zh):
                key = normalise_header(alias)
                assert seen.setdefault(key, column.name) == column.name, (table.name, alias)


def _county_columns():
    return dictionary().tables["county"].columns


def test_every_share_of_the_county_table_is_bounded_by_1():
    # survey_satisfaction_share: share of respondents satisfied; monitoring_difference_rate: the
    # between-school share of score variance (rule < 0.15). Both are fractions (docs/sources.md#quality-2017-checklist).
    bounded = {name for name, column in _county_columns().items() if column.max is not None}
    assert bounded == {"survey_satisfaction_share", "monitoring_difference_rate"}
    assert all(_county_columns()[name].max == 1 and _county_columns()[name].min == 0 for name in bounded)
    # counts, pay and levels are not shares: no upper bound
    assert _county_columns()["monitoring_level"].max is None
    assert _county_columns()["migrant_children"].max is None


def test_max_becomes_a_pandera_check_of_the_county_schema():
    import pandas as pd
    import pandera.pandas as pa

    from balance_sim.io.schema import table_schema

    schema = table_schema("county")
    names = {check.error for check in schema.checks}
    assert {"max:survey_satisfaction_share", "max:monitoring_difference_rate"} <= names
    good = pd.DataFrame({"county": ["甲县"], "survey_satisfaction_share": [1.0], "monitoring_difference_rate": [0.0]})
    schema.validate(good)
    with pytest.raises(pa.errors.SchemaError, match="max:survey_satisfaction_share"):
        schema.validate(good.assign(survey_satisfaction_share=[1.0001]))


def test_a_percentage_header_is_read_as_a_fraction():
    match = dictionary().match_header("county", "社会认可度（%）")
    assert (match.column, match.scale, match.problem) == ("survey_satisfaction_share", Decimal("0.01"), None)
    assert parse("87.3", _county_columns()["survey_satisfaction_share"], match.scale) == pytest.approx(0.873, abs=1e-15)


def test_a_column_whose_minimum_exceeds_its_maximum_is_refused():
    from balance_sim.io.dictionary import _column

    with pytest.raises(ValueError, match="share has min 2 above max 1"):
        _column("share", {"type": "float", "min": 2, "max": 1})
