"""Malformed exports fail with every problem as file:row:column, and nothing is guessed."""
from importlib import resources

import pytest

from openpyxl import load_workbook

import statexport_builder as builder
from balance_sim.errors import InputError
from balance_sim.statexport import read_export


def _problems(*args, **kwargs) -> list[str]:
    with pytest.raises(InputError) as error:
        read_export(*args, **kwargs)
    return [str(p) for p in error.value.problems]


def _rename(old: tuple, new: tuple):
    def edit(paths, data):
        paths[paths.index(old)] = new
    return edit


def _set_cell(school_id: str, path: tuple, value):
    def edit(paths, data):
        row = next(r for r in data if r[1] == school_id)
        row[paths.index(path)] = value
    return edit


def test_renamed_header_without_alternative_names_the_closest_paths(tmp_path):
    edit = _rename(("教基1101", "在校生数", "合计"), ("教基1101", "在校学生数", "合计"))
    primary = builder.write_export(tmp_path / "小学.xlsx", "primary", parent_column=True, edit=edit)
    [problem] = _problems([primary])
    # H5 holds the renamed header (A–F identity, G 所属学校标识码); the header has five rows.
    assert problem.startswith(f"{primary}[小学基层表]:5:H: required column students: no header path matches")
    assert "closest header paths: H (教基1101 › 在校学生数 › 合计)" in problem


def test_a_province_mapping_file_reads_the_renamed_header(tmp_path):
    edit = _rename(("教基1101", "在校生数", "合计"), ("教基1101", "在校学生数", "合计"))
    primary = builder.write_export(tmp_path / "小学.xlsx", "primary", parent_column=True, edit=edit)
    # The shipped file is the starting point of a variant.
    text = resources.files("balance_sim.statexport").joinpath("default_mapping.yaml").read_text(encoding="utf-8")
    variant = tmp_path / "province.yaml"
    variant.write_text(text.replace('students: {from: ["在校生数 › 合计"', 'students: {from: ["在校学生数 › 合计"'),
                       encoding="utf-8")
    result = read_export([primary], mapping=variant)
    expected = builder.known_county()[0]
    got = result.schools.set_index("school_id")["students"].to_dict()
    assert got == expected[expected["level"] == "primary"].set_index("school_id")["students"].to_dict()


def test_campus_without_parent_is_an_error_naming_its_row(tmp_path):
    primary = builder.write_export(tmp_path / "小学.xlsx", "primary")
    [problem] = _problems([primary])
    # Row 6 of the header-less data: rows 1–5 header, six sections, then the campus at row 12.
    assert problem.startswith(f"{primary}[小学基层表]:12:F (是否计校数): campus 李家村小学东校区 (2142000113)")
    assert "no parent school" in problem


def test_campus_whose_parent_is_not_a_school_is_an_error(tmp_path):
    primary = builder.write_export(tmp_path / "小学.xlsx", "primary")
    [problem] = _problems([primary], campus_parents={"2142000113": "9999999999"})
    assert ":12:F (是否计校数):" in problem and "parent school 9999999999 is not among" in problem


def test_non_numeric_count_cell_names_file_row_and_column(tmp_path):
    edit = _set_cell("2142000102", ("教基1101", "专任教师", "合计"), "三十八")
    primary = builder.write_export(tmp_path / "小学.xlsx", "primary", parent_column=True, edit=edit)
    problems = _problems([primary])
    assert f"{primary}[小学基层表]:7:K (教基1101 › 专任教师 › 合计): teachers: not a number: '三十八'" in problems


def test_totals_that_do_not_add_up_are_reported_by_row(tmp_path):
    # 城关第一小学 has 70 teachers; one more bachelor makes the degree columns add up to 71.
    def edit(paths, data):
        column = paths.index(("教基1101", "专任教师", "#按学历分", "本科"))
        data[0][column] += 1
    primary = builder.write_export(tmp_path / "小学.xlsx", "primary", parent_column=True, edit=edit)
    [problem] = _problems([primary])
    assert problem.startswith(f"{primary}[小学基层表]:6:K (教基1101 › 专任教师 › 合计): total 70 differs "
                              "from the sum of its parts 71")


def test_whole_school_facilities_must_agree_between_workbooks(tmp_path):
    edit = _set_cell("2142000105", ("图书(册)",), 23000)
    primary = builder.write_export(tmp_path / "小学.xlsx", "primary", parent_column=True)
    junior = builder.write_export(tmp_path / "初中.xlsx", "junior", edit=edit)
    [problem] = _problems([primary, junior])
    assert problem.startswith(f"{junior}[初中基层表]:8:AH (图书(册)): whole-school books of 红旗九年一贯制学校 is 23000 "
                              f"here but 23226 in {primary}[小学基层表] row 10")


def test_unknown_school_type_and_location_code_are_reported(tmp_path):
    def edit(paths, data):
        data[0][paths.index(("办学类型",))] = "特殊教育学校"
        data[1][paths.index(("城乡分类",))] = "399"
    junior = builder.write_export(tmp_path / "初中.xlsx", "junior", edit=edit)
    problems = _problems([junior])
    assert any(p.startswith(f"{junior}[初中基层表]:6:E (办学类型): school_type: unknown value '特殊教育学校'") for p in problems)
    assert any(p.startswith(f"{junior}[初中基层表]:7:D (城乡分类): location: unknown value '399'") for p in problems)


def test_a_file_whose_level_cannot_be_told_is_an_error(tmp_path):
    path = builder.write_export(tmp_path / "2023.xlsx", "junior")  # the sheet name says 初中: rename it
    workbook = load_workbook(path)
    workbook.active.title = "Sheet1"
    workbook.save(path)
    [problem] = _problems([path])
    assert problem.startswith(f"{path}[Sheet1]:-:-: cannot tell the level")


def test_every_problem_of_every_file_is_reported_at_once(tmp_path):
    primary = builder.write_export(tmp_path / "小学.xlsx", "primary",
                                   edit=_set_cell("2142000101", ("网络多媒体教室",), "x"))
    junior = builder.write_export(tmp_path / "初中.xlsx", "junior",
                                  edit=_set_cell("2142000201", ("计算机(台)",), 12.5))
    problems = _problems([primary, junior], campus_parents={"李家村小学东校区": "2142000103"})
    assert len(problems) == 2
    assert problems[0].startswith(f"{primary}[小学基层表]:6:AJ (网络多媒体教室)")
    assert problems[1].startswith(f"{junior}[初中基层表]:6:AI (计算机(台)): computers is not a whole number: 12.5")


def test_a_school_twice_at_one_level_is_an_error(tmp_path):
    junior = builder.write_export(tmp_path / "初中.xlsx", "junior")
    again = builder.write_export(tmp_path / "初中补充.xlsx", "junior")
    problems = _problems([junior, again])
    assert f"{again}[初中基层表]:6:B (学校标识码): school 2142000201 appears twice at level junior" in problems


def test_indoor_sports_rooms_larger_than_the_teaching_area_is_an_error(tmp_path):
    edit = _set_cell("2142000201", ("教学及辅助用房", "其中：室内体育用房"), 99999)
    junior = builder.write_export(tmp_path / "初中.xlsx", "junior", edit=edit)
    problems = _problems([junior])
    assert any(p.startswith(f"{junior}[初中基层表]:6:AD−AE (teaching_area_m2): teaching_area_m2 = 教学及辅助用房 › 计 "
                            "− 教学及辅助用房 › 其中：室内体育用房 is negative") for p in problems)
