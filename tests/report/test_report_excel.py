"""The workbook for policy staff: text from users' files never becomes a formula."""
from __future__ import annotations

import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from balance_sim.report.excel import sheet_title, write_workbook

HOSTILE_NAMES = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0", "\t=1"]


@pytest.fixture
def schools():
    return pd.DataFrame({
        "school_id": ["s1", "s2", "s3", "s4", "s5", "s6", "s7"],
        "name": HOSTILE_NAMES + ["第一小学"],
        "level": ["primary"] * 4 + ["junior"] * 3,
        "location": ["rural", "urban", "town", "rural", "urban", "rural", "town"],
        "students": np.array([120, 340, 0, 55, 900, 61, 12], dtype="int64"),
        "cv": [0.5, np.nan, 0.25, 0.125, 0.0, -0.5, 1.0],
    })


def test_formula_like_text_is_read_back_as_the_same_text(tmp_path, schools):
    path = write_workbook(tmp_path / "t.xlsx", {"schools": schools})
    sheet = openpyxl.load_workbook(path)["schools"]
    names = [sheet.cell(row=r, column=2) for r in range(2, 9)]
    assert [c.value for c in names] == HOSTILE_NAMES + ["第一小学"]
    for cell in names[:-1]:
        assert cell.data_type == "s"
        assert cell.quotePrefix  # Excel keeps it text even after the cell is edited


def test_no_formula_is_stored_anywhere_in_the_file(tmp_path, schools):
    path = write_workbook(tmp_path / "t.xlsx", {"schools": schools})
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(archive.read(n).decode("utf-8") for n in sheets)
    assert sheets and "<f>" not in xml and "<f " not in xml


def test_numbers_stay_numbers_and_missing_values_are_empty(tmp_path, schools):
    path = write_workbook(tmp_path / "t.xlsx", {"schools": schools})
    sheet = openpyxl.load_workbook(path)["schools"]
    assert [sheet.cell(row=r, column=5).value for r in range(2, 9)] == [120, 340, 0, 55, 900, 61, 12]
    assert sheet.cell(row=3, column=6).value is None
    assert sheet.cell(row=7, column=6).value == -0.5 and sheet.cell(row=7, column=6).data_type == "n"


def test_chinese_workbook_has_chinese_headers_and_words(tmp_path, schools):
    path = write_workbook(tmp_path / "t.xlsx", {"学校": schools}, language="zh")
    sheet = openpyxl.load_workbook(path)["学校"]
    headers = [c.value for c in sheet[1]]
    assert headers == ["学校代码", "学校名称", "学段", "城乡类型", "在校生数", "差异系数"]
    assert [sheet.cell(row=r, column=3).value for r in (2, 6)] == ["小学", "初中"]
    assert sheet.cell(row=2, column=4).value == "乡村"
    assert sheet.cell(row=2, column=2).value == HOSTILE_NAMES[0]  # names are never translated


def test_english_workbook_has_labelled_headers(tmp_path, schools):
    path = write_workbook(tmp_path / "t.xlsx", {"schools": schools})
    headers = [c.value for c in openpyxl.load_workbook(path)["schools"][1]]
    assert headers[-1] == "Coefficient of variation"


def test_a_failed_write_leaves_no_file(tmp_path):
    bad = pd.DataFrame({"x": [object()]})  # openpyxl cannot store an arbitrary object
    with pytest.raises(ValueError):
        write_workbook(tmp_path / "t.xlsx", {"bad": bad})
    assert list(tmp_path.iterdir()) == []


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    first = sheet_title("a/b:c" + "x" * 40, taken)
    second = sheet_title("a/b:c" + "x" * 40, taken)
    assert first == ("a_b_c" + "x" * 40)[:31]
    assert second.endswith(" (2)") and len(second) == 31 and second != first
