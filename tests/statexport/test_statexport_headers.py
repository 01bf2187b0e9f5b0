"""Header paths from multi-row merged headers: detection of the header rows, vertical and
horizontal merges, table-code rows, column-number rows, CSV exports in UTF-8 and GBK."""
import csv

import pytest
from openpyxl import Workbook

from balance_sim.errors import InputError
from balance_sim.statexport.headers import read_sheets


def _workbook(path, rows, merges):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


# Written by hand: a table-code row over the backbone column only, a three-row header below it.
HAND_ROWS = [
    ["学校名称", "在校生数", None, "专任教师", None, None, "教基1102", "网络多媒体教室"],
    [None, None, None, None, None, None, "县级以上骨干教师(小学)", None],
    [None, "合计", "其中：女", "合计", "#按学历分", None, None, None],
    [None, None, None, None, "本科", "专科", None, None],
    ["甲小学", 300, 150, 20, 12, 6, 2, 7],
    ["乙小学", "1,020", 500, 61, 40, 15, 5, 20],
]
HAND_MERGES = ["A1:A4", "B1:C2", "B3:B4", "C3:C4", "D1:F2", "D3:D4", "E3:F3", "G2:G4", "H1:H4"]
HAND_PATHS = [
    "学校名称", "在校生数 › 合计", "在校生数 › 其中：女", "专任教师 › 合计", "专任教师 › #按学历分 › 本科",
    "专任教师 › #按学历分 › 专科", "教基1102 › 县级以上骨干教师(小学)", "网络多媒体教室",
]


def test_paths_follow_merged_cells_from_top_to_bottom(tmp_path):
    [sheet] = read_sheets(_workbook(tmp_path / "小学.xlsx", HAND_ROWS, HAND_MERGES))
    assert [c.text for c in sheet.columns] == HAND_PATHS
    assert sheet.header_rows == 4
    assert [number for number, _ in sheet.rows] == [5, 6]
    assert [c.letter for c in sheet.columns][-2:] == ["G", "H"]


def test_header_without_merges_ends_at_the_first_row_of_numbers(tmp_path):
    rows = [["学校名称", "在校生数", "班数"], ["合计", "合计", "合计"], ["甲", 10, 1]]
    [sheet] = read_sheets(_workbook(tmp_path / "x.xlsx", rows, []))
    assert sheet.header_rows == 2
    assert [c.text for c in sheet.columns] == ["学校名称 › 合计", "在校生数 › 合计", "班数 › 合计"]


def test_given_header_rows_override_detection(tmp_path):
    [sheet] = read_sheets(_workbook(tmp_path / "小学.xlsx", HAND_ROWS, HAND_MERGES), header_rows=2)
    assert sheet.header_rows == 2
    assert sheet.columns[1].text == "在校生数"
    assert [number for number, _ in sheet.rows] == [3, 4, 5, 6]


def test_column_number_row_and_title_row_are_not_part_of_paths(tmp_path):
    rows = [["2023年小学基层表", None, None], ["学校名称", "在校生数", "网络多媒体教室"],
            ["甲", 1, 2], ["某小学", 300, 7]]
    [sheet] = read_sheets(_workbook(tmp_path / "t.xlsx", rows, ["A1:C1"]))
    assert [c.text for c in sheet.columns] == ["学校名称", "在校生数", "网络多媒体教室"]
    assert [(number, cells[1]) for number, cells in sheet.rows] == [(4, 300)]


def _csv_of_hand_sheet(path, encoding):
    # A provider's CSV: the text of a merged range stands in its top-left cell only.
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([["" if v is None else v for v in row] for row in HAND_ROWS])
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_header_blanks_take_the_group_on_their_left(tmp_path, encoding):
    [sheet] = read_sheets(_csv_of_hand_sheet(tmp_path / "小学.csv", encoding))
    assert [c.text for c in sheet.columns] == HAND_PATHS
    assert sheet.rows[1] == (6, ("乙小学", "1,020", "500", "61", "40", "15", "5", "20"))


def test_missing_or_unreadable_files_are_input_errors(tmp_path):
    with pytest.raises(InputError) as error:
        read_sheets(tmp_path / "nothing.xlsx")
    assert "no such file" in str(error.value)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError) as error:
        read_sheets(bad)
    assert str(error.value).startswith(f"{bad}:-:-: cannot read workbook")


def test_value_merged_down_several_data_rows_holds_for_each(tmp_path):
    rows = [["统计三级", "学校名称", "在校生数"], ["甲县", "一小", 300], [None, "二小", 200], ["乙县", "三小", 100]]
    [sheet] = read_sheets(_workbook(tmp_path / "小学.xlsx", rows, ["A2:A3"]))
    assert [cells[:2] for _, cells in sheet.rows] == [("甲县", "一小"), ("甲县", "二小"), ("乙县", "三小")]


def test_empty_merged_header_cell_names_nothing(tmp_path):
    rows = [[None, None, "网络多媒体教室"], ["学校名称", "在校生数", None], ["一小", 300, 7]]
    [sheet] = read_sheets(_workbook(tmp_path / "小学.xlsx", rows, ["A1:B1", "C1:C2"]))
    assert [c.text for c in sheet.columns] == ["学校名称", "在校生数", "网络多媒体教室"]
