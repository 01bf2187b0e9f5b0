"""Importing export files written from a known county gives back exactly that county."""
import importlib

import numpy as np
import pandas as pd
import pytest

import statexport_builder as builder
from balance_sim.statexport import read_export, write_canonical


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in ("level", "school_id") if k in frame]
    return frame.sort_values(keys).reset_index(drop=True)


def assert_same_table(got: pd.DataFrame, expected: pd.DataFrame):
    got, expected = _sorted(got), _sorted(expected)
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    for column in expected:
        if pd.api.types.is_numeric_dtype(got[column]):
            a = got[column].astype("float64").to_numpy()
            b = pd.to_numeric(expected[column]).astype("float64").to_numpy()
            np.testing.assert_allclose(a, b, rtol=1e-9, equal_nan=True, err_msg=column)
        else:
            assert got[column].tolist() == expected[column].tolist(), column


def _paths(files):
    return [files["primary"], files["junior"], files["senior"]]


def test_workbooks_give_back_the_known_county(export_files):
    result = read_export(_paths(export_files), campus_parents=export_files["campuses"])
    schools, shared = builder.known_county()
    assert_same_table(result.schools, schools)
    assert_same_table(result.shared_facilities, shared)


def test_counts_are_whole_numbers_and_text_stays_text(export_files):
    result = read_export(_paths(export_files), campus_parents=export_files["campuses"])
    assert str(result.schools["students"].dtype) == "Int64"
    assert result.schools["school_id"].map(type).eq(str).all()
    assert set(result.schools["school_id"]) >= {"2142000101", "2142000105"}


def test_branch_campus_is_added_to_its_parent(export_files):
    # 李家村小学: 165 pupils in its own row + 45 at 东校区 (是否计校数 = 0); equipment 36.0 + 9.25 万元.
    result = read_export(_paths(export_files), campus_parents=export_files["campuses"])
    school = result.schools.set_index("school_id").loc["2142000103"]
    assert (school["students"], school["teachers"], school["books"]) == (210, 19, 6500)
    assert school["equipment_value_yuan"] == pytest.approx(452_500.0)
    assert "2142000113" not in set(result.schools["school_id"])
    assert any("1 campus row" in note for note in result.notes)


def test_indoor_sports_rooms_move_from_teaching_to_sports_area(export_files):
    # 城关第一小学 reports 教学及辅助用房 6,020 m² including 420 m² of indoor sports rooms and a
    # 9,380 m² ground: teaching 5,600 m², sports 9,800 m² (docs/sources.md#quality-2017).
    result = read_export(_paths(export_files), campus_parents=export_files["campuses"])
    school = result.schools.set_index("school_id").loc["2142000101"]
    assert (school["teaching_area_m2"], school["sports_area_m2"]) == (5600.0, 9800.0)


def test_combined_schools_report_whole_school_facilities_once(export_files):
    result = read_export(_paths(export_files), campus_parents=export_files["campuses"])
    nine_year = result.schools[result.schools["school_id"] == "2142000105"]
    assert sorted(nine_year["level"]) == ["junior", "primary"]
    assert nine_year["books"].isna().all() and nine_year["teaching_area_m2"].isna().all()
    shared = result.shared_facilities.set_index("school_id")
    assert shared.loc["2142000105", "books"] == 23226
    assert pd.isna(shared.loc["2142000105", "students_senior"])
    assert shared.loc["2142000203", "students_senior"] == 900  # from the 高中 workbook


def test_without_senior_workbook_senior_pupils_are_unknown_and_said_so(export_files):
    result = read_export([export_files["primary"], export_files["junior"]], campus_parents=export_files["campuses"])
    assert result.shared_facilities["students_senior"].isna().all()
    assert sum("students_senior left empty" in note for note in result.notes) == 2


def test_parent_column_replaces_the_campus_file(tmp_path):
    primary = builder.write_export(tmp_path / "小学.xlsx", "primary", parent_column=True)
    result = read_export([primary])
    expected, _ = builder.known_county()
    assert_same_table(result.schools, expected[expected["level"] == "primary"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_exports_give_back_the_known_county(tmp_path, encoding):
    files = [builder.write_csv(tmp_path / f"{builder.LEVEL_WORDS[level]}.csv", level, encoding)
             for level in ("primary", "junior", "senior")]
    campuses = builder.campus_csv(tmp_path / "campuses.csv", "gbk")
    result = read_export(files, campus_parents=campuses)
    schools, shared = builder.known_county()
    assert_same_table(result.schools, schools)
    assert_same_table(result.shared_facilities, shared)


def test_year_is_attached_to_both_tables(export_files):
    result = read_export(_paths(export_files), campus_parents=export_files["campuses"], year=2023)
    assert result.schools["year"].eq(2023).all() and result.shared_facilities["year"].eq(2023).all()


def test_report_names_each_source_and_every_ignored_header(export_files):
    result = read_export(_paths(export_files), campus_parents=export_files["campuses"])
    report = result.report.frame
    primary = report[report["file"] == str(export_files["primary"])].set_index("canonical")
    assert primary.loc["teachers_above_degree", "columns"] == "K+L+M"  # 研究生 + 本科 + 专科 for primary
    assert primary.loc["teaching_area_m2", "header_path"] == "教学及辅助用房 › 计 − 教学及辅助用房 › 其中：室内体育用房"
    assert primary.loc["equipment_value_yuan", "header_path"] == "教学仪器设备资产值(万元) × 10000"
    junior = report[report["file"] == str(export_files["junior"])]
    ignored = junior.loc[junior["status"] == "ignored", "header_path"].tolist()
    assert "教基1101 › 专任教师 › #按学历分 › 专科" in ignored  # associate is not above the junior requirement
    assert "教基1101 › 在校生数 › 其中：女" in ignored
    assert "backbone_teachers         ← AC: 教基1102 › 县级以上骨干教师(初中)" in result.report.text


def test_written_folder_holds_the_canonical_tables(export_files, tmp_path):
    result = read_export(_paths(export_files), campus_parents=export_files["campuses"])
    written = write_canonical(result, tmp_path / "out")
    assert [p.name for p in written] == ["schools.csv", "shared_facilities.csv"]
    schools = pd.read_csv(tmp_path / "out" / "schools.csv", dtype={"school_id": str})
    assert_same_table(schools, builder.known_county()[0])
    assert [p.name for p in (tmp_path).iterdir() if p.name.startswith(".out")] == []


def test_written_folder_loads_as_a_county(export_files, tmp_path):
    io = importlib.import_module("balance_sim.io")
    if not hasattr(io, "load"):
        pytest.skip("balance_sim.io.load is not available yet")
    result = read_export(_paths(export_files), campus_parents=export_files["campuses"])
    write_canonical(result, tmp_path / "out", validate=io.load)
    county = io.load(tmp_path / "out")
    assert len(county.schools) == 11
    assert county.levels == ("primary", "junior")
