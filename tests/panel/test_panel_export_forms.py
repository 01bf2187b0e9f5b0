"""`load` recognises the statistics export by the rule of `balance_sim/io/export_forms.py` and
never mistakes a canonical folder or workbook for one."""
import shutil

import pandas as pd
import pytest

import panel_builder as build
from balance_sim.cli import main
from balance_sim.errors import InputError
from balance_sim.io import load
from balance_sim.io.export_forms import export_files

export_builder = build.export_builder


@pytest.fixture
def small_export(tmp_path):
    """The export tests' known county: 小学, 初中, 高中 workbooks and campuses.csv in one folder."""
    folder = tmp_path / "export"
    folder.mkdir()
    for level, word in export_builder.LEVEL_WORDS.items():
        export_builder.write_export(folder / f"2023{word}基层表.xlsx", level)
    export_builder.campus_csv(folder / "campuses.csv")
    return folder


def test_export_folder_with_campus_list_gives_the_known_county(small_export):
    county = load(small_export)
    schools, _ = export_builder.known_county()
    got = county.schools.set_index(["school_id", "level"]).sort_index()
    expected = schools.set_index(["school_id", "level"]).sort_index()
    assert list(got.index) == list(expected.index)
    assert got.loc[("2142000103", "primary"), "students"] == 210  # campus of 45 pupils folded in
    assert any("1 campus row(s)" in note for note in county.notes)
    assert any("senior-only school" in note for note in county.notes)


def test_without_the_campus_list_the_campus_is_reported_at_its_row(small_export):
    (small_export / "campuses.csv").unlink()
    with pytest.raises(InputError) as error:
        load(small_export)
    [problem] = error.value.problems
    assert problem.file.endswith("2023小学基层表.xlsx[小学基层表]") and problem.column.startswith("F (是否计校数)")
    assert "no parent school" in problem.message


def test_a_mapping_file_in_the_folder_is_used(small_export):
    # A province's mapping that reads 学校名称 as the school code and the name from 统计三级 is
    # absurd, but proves the folder's mapping.yaml, not the shipped one, was read.
    (small_export / "mapping.yaml").write_text(
        "name: folder mapping\ncolumns:\n  name: {from: [学校名称]}\n  school_id: {from: [学校标识码]}\n"
        "  location: {from: [城乡分类]}\n  students: {from: [在校生数 › 合计]}\n  classes: {from: [班数 › 合计]}\n"
        "  teachers: {from: [专任教师 › 合计]}\n  school_type: {from: [办学类型]}\n  counts_as_school: {from: [是否计校数]}\n"
        "level: {words: {小学: primary, 初中: junior, 高中: senior}}\n"
        "values: {school_type: {regular: [小学, 初级中学], teaching_point: [小学教学点], senior_high: [高级中学]}, level: {senior: [高中]}}\n"
        "location_codes: {'11': urban, '12': town, '2': rural}\n",
        encoding="utf-8")
    county = load(small_export)
    assert any("mapping: folder mapping" in note for note in county.notes)
    assert "books" not in county.schools  # the folder's mapping does not map 图书


def test_a_single_export_workbook_loads(small_export):
    county = load(small_export / "2023初中基层表.xlsx")
    assert county.levels == ("junior",)
    assert len(county.schools) == 5


def test_problems_in_the_mapped_tables_are_reported_at_the_sheet_row(small_export, capsys):
    # 镇中心小学 (sheet row 7: five header rows, then 城关第一小学) with 620 pupils and no classes
    # passes the export reader; the canonical validation finds it, reported at the workbook cell.
    def edit(paths, data):
        data[1][paths.index(("教基1101", "班数", "合计"))] = 0
    export_builder.write_export(small_export / "2023小学基层表.xlsx", "primary", edit=edit)
    assert main(["validate", str(small_export)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{small_export}/2023小学基层表.xlsx[小学基层表]:7:I (教基1101 › 班数 › 合计): no classes given for 620 pupils"]


def test_canonical_folder_wins_over_workbooks_beside_it(small_export, tmp_path):
    # `balance-sim import --out` into the export folder itself: the canonical tables are read.
    schools, _ = export_builder.known_county()
    schools[schools["school_type"] == "regular"].to_csv(small_export / "schools.csv", index=False)
    assert export_files(small_export) is None
    county = load(small_export)
    assert not any("export" in note for note in county.notes)
    assert len(county.schools) == len(schools[schools["school_type"] == "regular"])


def test_canonical_workbook_is_never_read_as_an_export(tmp_path):
    # A canonical workbook named 小学.xlsx with a 学校 sheet stays canonical.
    path = tmp_path / "2023小学.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"学校代码": ["S1"], "学校名称": ["一小"], "学段": ["小学"], "城乡类型": ["乡村"],
                      "在校生数": [100], "班级数": [4], "专任教师数": [8]}).to_excel(writer, sheet_name="学校", index=False)
    assert export_files(path) is None
    assert load(path).schools["school_id"].tolist() == ["S1"]


def test_a_workbook_without_level_words_or_table_sheets_keeps_the_canonical_message(tmp_path):
    path = tmp_path / "data.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(path, sheet_name="Sheet1", index=False)
    assert export_files(path) is None
    with pytest.raises(InputError, match="no sheet named schools"):
        load(path)


def test_demo_data_folder_is_canonical():
    from pathlib import Path
    folder = Path(__file__).resolve().parents[2] / "data" / "demo"
    assert export_files(folder) is None


def test_input_is_not_modified(small_export):
    before = {p.name: p.read_bytes() for p in small_export.iterdir()}
    load(small_export)
    assert {p.name: p.read_bytes() for p in small_export.iterdir()} == before
    shutil.rmtree(small_export)
