"""Mappings as data: path matching, alternatives, level words, codes and bad mapping files."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import statexport_builder as builder
from balance_sim.errors import InputError
from balance_sim.statexport import load_mapping, read_export
from balance_sim.statexport.headers import HeaderColumn
from balance_sim.statexport.mapping import Pattern


@pytest.mark.parametrize(
    "pattern, path, matches",
    [
        ("室内体育用房", ("教学及辅助用房", "其中：室内体育用房"), True),
        ("教学及辅助用房 › 室内体育用房", ("教学及辅助用房", "其中:室内体育用房"), True),
        ("在校生数 › 合计", ("教基1101", "在校生数", "合计"), True),
        ("在校生数", ("在校生数", "合计"), False),  # a path must end with the pattern
        ("合计", ("在校生数", "合计"), True),
        ("图书", ("图书（册）",), True),  # a bracketed unit is matched separately
        ("县级以上骨干教师(小学)", ("县级以上骨干教师（小学）",), True),
        ("县级以上骨干教师", ("县级以上骨干教师（小学）",), False),  # 小学 is not a unit
        ("专任教师 › #按学历分 › 本科", ("专任教师", "按学历分", "本 科"), True),
    ],
)
def test_header_path_matching(pattern, path, matches):
    assert Pattern(pattern).matches(HeaderColumn(0, path)) is matches


def test_contains_pattern_finds_any_header_with_the_text():
    assert Pattern("骨干教师", contains=True).matches(HeaderColumn(3, ("教基1102", "县级以上骨干教师(初中)")))


def _sheet(path, header, rows):
    workbook = Workbook()
    for row in [header, *rows]:
        workbook.active.append(row)
    workbook.save(path)
    return path


HEADER = ["学校名称", "学校标识码", "学段", "城乡分类", "在校生数", "专任教师数", "教学仪器设备值(元)"]


def test_level_from_a_column_codes_for_location_and_total_rows_skipped(tmp_path):
    path = _sheet(tmp_path / "基层表.xlsx", HEADER, [
        ["合计", None, None, None, 530, 30, 700000],
        ["甲校", 1001, "小学", 112, 300, 18, 400000],
        ["乙校", 1002, "初中", "122", 230, 12, 300000],
        ["丙校", 1003, "小学", "210", 0, 0, 0],
    ])
    result = read_export([path])
    schools = result.schools.set_index("school_id")
    assert schools.loc[["1001", "1002", "1003"], "level"].tolist() == ["primary", "junior", "primary"]
    assert schools.loc[["1001", "1002", "1003"], "location"].tolist() == ["urban", "town", "rural"]
    assert schools.loc["1001", "equipment_value_yuan"] == 400000.0  # 元: no conversion
    assert set(result.report.frame["level"]) == {"primary", "junior"}


def test_a_pattern_matching_several_columns_is_an_error_not_a_choice(tmp_path):
    path = _sheet(tmp_path / "小学.xlsx", [*HEADER[:2], "城乡分类", "在校生数", "专任教师数", "专任教师数"],
                  [["甲校", 1001, "城区", 300, 18, 18]])
    with pytest.raises(InputError) as error:
        read_export([path])
    [problem] = error.value.problems
    assert problem.row == 1 and problem.column == "E"
    assert "matches several columns (E (专任教师数); F (专任教师数))" in problem.message


@pytest.mark.parametrize(
    "text, message",
    [
        ("columns: []", "a mapping file needs a `columns:` table"),
        ("columns: {pupils: {from: [在校生数]}}", "not a canonical column"),
        ("columns: {students: {sum: [{sign: -1}]}}", "each term needs `from:`"),
        ("columns: {students: [oops", "not valid YAML at line"),
    ],
)
def test_bad_mapping_files_are_input_errors(tmp_path, text, message):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_mapping(path)
    assert message in str(error.value)


def test_default_mapping_reads_degrees_by_level():
    mapping = load_mapping()
    primary = [t.describe() for t in mapping.terms_for("teachers_above_degree", "primary")]
    junior = [t.describe() for t in mapping.terms_for("teachers_above_degree", "junior")]
    assert primary[-1] == "专任教师 › #按学历分 › 专科" and len(primary) == 3
    assert len(junior) == 2 and "专科" not in " ".join(junior)


section = st.fixed_dictionaries({
    "teachers": st.integers(0, 200),
    "above": st.floats(0, 1), "mid": st.floats(0, 1), "pe_art": st.floats(0, 1),
    "students": st.integers(0, 3000), "indoor": st.sampled_from([0.0, 150.0, 600.0]),
})


@settings(max_examples=15, deadline=None)
@given(level=st.sampled_from(["primary", "junior"]), sections=st.lists(section, min_size=1, max_size=4))
def test_any_counts_split_over_export_columns_read_back_unchanged(tmp_path_factory, level, sections):
    rows = []
    for i, s in enumerate(sections):
        t = s["teachers"]
        rows.append({
            "school_id": f"9{i:03d}", "name": f"学校{i}", "county": "某县", "location": "rural",
            "school_type": "regular", "counts": 1, "students": s["students"], "classes": 1, "teachers": t,
            "teachers_above_degree": int(t * s["above"]), "teachers_mid_senior_title": int(t * s["mid"]),
            "backbone_teachers": 0, "pe_art_teachers": int(t * s["pe_art"]),
            "teaching_area_m2": 1000.0, "sports_area_m2": 2000.0 + s["indoor"], "equipment_value_yuan": 123_400.0,
            "books": 10, "computers": 1, "multimedia_classrooms": 1, "indoor_sports_m2": s["indoor"],
        })
    path = builder.write_export(tmp_path_factory.mktemp("x") / f"{builder.LEVEL_WORDS[level]}.xlsx", level, rows=rows)
    schools = read_export([path]).schools
    for column in ("teachers", "teachers_above_degree", "teachers_mid_senior_title", "pe_art_teachers", "students"):
        assert schools[column].tolist() == [r[column] for r in rows], column
    assert schools["teaching_area_m2"].tolist() == [1000.0] * len(rows)
    assert schools["sports_area_m2"].tolist() == [r["sports_area_m2"] for r in rows]
