"""A corpus of malformed inputs: each gives exit code 2 from `balance-sim validate` and names the
exact file, row (header = row 1) and column of its problem on stderr; none gives a traceback."""
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from io_inputs import BUDGET, SCHOOLS, SCHOOLS_ZH, TEACHERS, TEACHERS_ZH, write

from balance_sim.cli import main


def edit(text: str, row: int, column: str, value: str) -> str:
    """`text` (CSV without quotes) with the cell at user row `row` and header `column` replaced."""
    lines = text.splitlines()
    position = lines[0].split(",").index(column)
    cells = lines[row - 1].split(",")
    cells[position] = value
    lines[row - 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


def drop(text: str, column: str) -> str:
    lines = [line.split(",") for line in text.splitlines()]
    position = lines[0].index(column)
    return "\n".join(",".join(c for i, c in enumerate(cells) if i != position) for cells in lines) + "\n"


def folder(tmp: Path, schools=SCHOOLS, encoding="utf-8", **others) -> Path:
    files = {"schools.csv": schools, **{f"{name}.csv": text for name, text in others.items()}}
    return write(tmp / "county", files, encoding)


def book(tmp: Path, sheets: dict[str, str]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, text in sheets.items():
        sheet = workbook.create_sheet(title)
        for line in text.strip().splitlines():
            sheet.append([int(c) if c.lstrip("-").isdigit() else (c or None) for c in line.split(",")])
    path = tmp / "county.xlsx"
    workbook.save(path)
    return path


SHARED = "school_id,school_type,books\nS01,nine_year,30000\n"
# a county table whose shares are fractions (0.873 for 87.3%, docs/sources.md#quality-2017-checklist); row 2 is 甲县
COUNTY = "county,year,monitoring_difference_rate,survey_satisfaction_share\n甲县,2021,0.13,0.873\n"

# name -> (build(tmp) -> path given to the command, expected "file:row:column" relative to tmp)
CASES = {
    "missing required column": (
        lambda t: folder(t, drop(SCHOOLS, "students")), "county/schools.csv:1:students"),
    "wrong type in a count": (
        lambda t: folder(t, edit(SCHOOLS, 3, "students", "many")), "county/schools.csv:3:students"),
    "negative count": (
        lambda t: folder(t, edit(SCHOOLS, 3, "teachers", "-1")), "county/schools.csv:3:teachers"),
    "duplicate key": (
        lambda t: folder(t, SCHOOLS + SCHOOLS.splitlines()[2] + "\n"), "county/schools.csv:5:school_id"),
    "sub-count above total": (
        lambda t: folder(t, edit(SCHOOLS, 2, "teachers_above_degree", "50")),
        "county/schools.csv:2:teachers_above_degree"),
    "orphan teacher": (
        lambda t: folder(t, teachers=edit(TEACHERS, 3, "school_id", "S99")),
        "county/teachers.csv:3:school_id"),
    "teacher at a level the school lacks": (
        lambda t: folder(t, teachers=edit(TEACHERS, 2, "level", "junior")),
        "county/teachers.csv:2:school_id"),
    "empty file": (lambda t: folder(t, ""), "county/schools.csv:-:-"),
    "blank lines only": (lambda t: folder(t, "\n\n  \n"), "county/schools.csv:-:-"),
    "header-only file": (
        lambda t: folder(t, SCHOOLS.splitlines()[0] + "\n"), "county/schools.csv:-:-"),
    "unknown level word": (
        lambda t: folder(t, edit(SCHOOLS, 4, "level", "高中")), "county/schools.csv:4:level"),
    "unknown location word": (
        lambda t: folder(t, edit(SCHOOLS, 3, "location", "郊区")), "county/schools.csv:3:location"),
    "mixed encodings in one file": (
        lambda t: write(t / "county", {"schools.csv": SCHOOLS_ZH.encode("utf-8")
                                       + "S04,东风小学,甲县,小学,乡村,普通,90,6,8,6,4,1,1,500,900,10,2000,9,3,0,\n".encode("gbk")}),
        "county/schools.csv:5:-"),
    "undecodable bytes": (
        lambda t: write(t / "county", {"schools.csv": SCHOOLS.encode().replace(b"S02", b"S\xff2")}),
        "county/schools.csv:3:-"),
    "UTF-16 file": (
        lambda t: write(t / "county", {"schools.csv": SCHOOLS.encode("utf-16")}), "county/schools.csv:1:-"),
    "NaN in a required column": (
        lambda t: folder(t, edit(SCHOOLS, 3, "teachers", "NaN")), "county/schools.csv:3:teachers"),
    "empty required cell": (
        lambda t: folder(t, edit(SCHOOLS, 2, "name", "")), "county/schools.csv:2:name"),
    "students without classes": (
        lambda t: folder(t, edit(SCHOOLS, 3, "classes", "")), "county/schools.csv:3:classes"),
    "students with zero classes": (
        lambda t: folder(t, edit(SCHOOLS, 3, "classes", "0")), "county/schools.csv:3:classes"),
    "no classes column at all": (
        lambda t: folder(t, drop(SCHOOLS, "classes")), "county/schools.csv:1:classes"),
    "float in an int column": (
        lambda t: folder(t, edit(SCHOOLS, 3, "books", "2500.5")), "county/schools.csv:3:books"),
    "facility on a section row and in shared_facilities": (
        lambda t: folder(t, edit(SCHOOLS, 2, "school_type", "nine_year"), shared_facilities=SHARED),
        "county/schools.csv:2:books"),
    "shared_facilities row for an unknown school": (
        lambda t: folder(t, shared_facilities=SHARED.replace("S01", "S77")),
        "county/shared_facilities.csv:2:school_id"),
    "shared_facilities row for a regular school": (
        lambda t: folder(t, drop(SCHOOLS, "books"), shared_facilities=SHARED.replace("nine_year", "regular")),
        "county/shared_facilities.csv:2:school_type"),
    "share typed as a percentage": (
        lambda t: folder(t, county=edit(COUNTY, 2, "survey_satisfaction_share", "87")),
        "county/county.csv:2:survey_satisfaction_share"),
    "difference rate typed as a percentage, Chinese header": (
        lambda t: folder(t, county=edit(COUNTY, 2, "monitoring_difference_rate", "13").replace(
            "monitoring_difference_rate", "校际差异率")),
        "county/county.csv:2:校际差异率"),
    "percentage column above 100%": (
        lambda t: folder(t, county=edit(COUNTY, 2, "survey_satisfaction_share", "187").replace(
            "survey_satisfaction_share", "社会认可度（%）")),
        "county/county.csv:2:社会认可度（%）"),
    "workbook county sheet with a share typed as a percentage": (
        lambda t: book(t, {"学校": SCHOOLS_ZH, "县域": edit(COUNTY, 2, "survey_satisfaction_share", "90")}),
        "county.xlsx[县域]:2:survey_satisfaction_share"),
    "workbook without a known sheet": (
        lambda t: book(t, {"Sheet1": SCHOOLS}), "county.xlsx:-:-"),
    "workbook sheet with a negative count": (
        lambda t: book(t, {"学校": edit(SCHOOLS_ZH, 3, "在校生数", "-120")}), "county.xlsx[学校]:3:在校生数"),
    "workbook teacher with an unknown sex word": (
        lambda t: book(t, {"学校": SCHOOLS_ZH, "教师": edit(TEACHERS_ZH, 3, "性别", "未知")}),
        "county.xlsx[教师]:3:性别"),
    "unknown teacher degree word": (
        lambda t: folder(t, teachers=edit(TEACHERS, 2, "degree", "大学")), "county/teachers.csv:2:degree"),
    "teacher table without a required column": (
        lambda t: folder(t, teachers=drop(TEACHERS, "sex")), "county/teachers.csv:1:sex"),
    "budget with a duplicate year": (
        lambda t: folder(t, budget=edit(BUDGET, 3, "year", "2021")), "county/budget.csv:3:year"),
    "budget year before 1949": (
        lambda t: folder(t, budget=edit(BUDGET, 2, "year", "1900")), "county/budget.csv:2:year"),
    "boarding students above students": (
        lambda t: folder(t, edit(SCHOOLS, 3, "boarding_students", "121")),
        "county/schools.csv:3:boarding_students"),
    "non-numeric area": (
        lambda t: folder(t, edit(SCHOOLS, 3, "teaching_area_m2", "约600")),
        "county/schools.csv:3:teaching_area_m2"),
    "parent school that does not exist": (
        lambda t: folder(t, edit(SCHOOLS, 3, "parent_school_id", "S99")),
        "county/schools.csv:3:parent_school_id"),
    "path that does not exist": (lambda t: t / "nowhere", "nowhere:-:-"),
    "foreign unit in a header": (
        lambda t: folder(t, SCHOOLS_ZH.replace("（万元）", "（美元）")),
        "county/schools.csv:1:教学仪器设备值（美元）"),
    "two headers for one column": (
        lambda t: folder(t, SCHOOLS.replace("name,", "学校代码,", 1)), "county/schools.csv:1:学校代码"),
    "row longer than the header": (
        lambda t: folder(t, edit(SCHOOLS, 3, "parent_school_id", ",extra")), "county/schools.csv:3:-"),
    "county missing on one row of several": (
        lambda t: folder(t, edit(SCHOOLS, 3, "county", "")), "county/schools.csv:3:county"),
    "unknown yes/no word": (
        lambda t: folder(t, edit(SCHOOLS, 1, "parent_school_id", "weak_school") .replace(",\n", ",maybe\n", 1)),
        "county/schools.csv:2:weak_school"),
    "old .xls workbook": (lambda t: write(t, {"county.xls": b"\xd0\xcf\x11\xe0"}) / "county.xls", "county.xls:-:-"),
    "damaged .xlsx workbook": (lambda t: write(t, {"county.xlsx": "not a zip"}) / "county.xlsx", "county.xlsx:-:-"),
    "teachers file alone": (
        lambda t: folder(t, teachers=TEACHERS) / "teachers.csv", "county/teachers.csv:-:-"),
    "folder without schools": (
        lambda t: write(t / "county", {"teachers.csv": TEACHERS}), "county:-:-"),
    "two files for one table": (
        lambda t: write(t / "county", {"schools.csv": SCHOOLS, "学校.csv": SCHOOLS}), "county:-:-"),
}


def _parquet_negative(t: Path) -> Path:
    frame = pd.read_csv(folder(t) / "schools.csv", dtype=str, keep_default_na=False)
    frame.loc[1, "students"] = "-5"
    frame = frame.astype({"students": int})
    (t / "pq").mkdir()
    frame.to_parquet(t / "pq" / "schools.parquet", index=False)
    return t / "pq"


CASES["parquet with a negative count"] = (_parquet_negative, "pq/schools.parquet:3:students")


@pytest.mark.parametrize("name", list(CASES))
def test_malformed_input_exits_2_naming_file_row_and_column(name, tmp_path, capsys):
    build, where = CASES[name]
    path = build(tmp_path)
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert any(line.startswith(f"{tmp_path}/{where}: ") for line in lines), captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_corpus_is_large_enough():
    assert len(CASES) >= 25


def test_every_problem_in_several_tables_is_reported_together(tmp_path, capsys):
    schools = edit(edit(edit(SCHOOLS, 2, "students", "x"), 3, "location", "郊区"), 4, "teachers", "-2")
    schools = edit(schools, 2, "teachers_above_degree", "46")
    path = folder(tmp_path, schools, teachers=edit(TEACHERS, 4, "school_id", "S88"),
                  budget=edit(BUDGET, 3, "year", "2021"))
    assert main(["validate", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    base = f"{tmp_path}/county"
    expected = [
        f"{base}/budget.csv:3:year: duplicate key (year) = (2021), first on row 2",
        f"{base}/schools.csv:2:students: not a number: 'x'",
        f"{base}/schools.csv:2:teachers_above_degree: 46 is more than teachers (45)",
        f"{base}/schools.csv:3:location: unknown location word '郊区' "
        "(accepted: urban/城区/城市/城镇, town/镇区/县镇/镇中心区, rural/乡村/农村/乡中心区)",
        f"{base}/schools.csv:4:teachers: -2 is below the minimum 0",
        f"{base}/teachers.csv:4:school_id: no school section (S88, junior) in schools",
    ]
    assert lines == expected


@pytest.mark.parametrize(
    ("column", "typed", "message"),
    [
        ("survey_satisfaction_share", "87", "87 is above 1: shares are fractions (0.87 for 87%)"),
        ("survey_satisfaction_share", "87.3", "87.3 is above 1: shares are fractions (0.873 for 87.3%)"),
        ("monitoring_difference_rate", "13", "13 is above 1: shares are fractions (0.13 for 13%)"),
        ("survey_satisfaction_share", "100", "100 is above 1: shares are fractions (1 for 100%)"),
        ("survey_satisfaction_share", "850", "850 is above 1: shares are fractions between 0 and 1"),
    ],
)
def test_a_share_above_1_says_it_is_a_fraction(column, typed, message, tmp_path, capsys):
    path = folder(tmp_path, county=edit(COUNTY, 2, column, typed))
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"{tmp_path}/county/county.csv:2:{column}: {message}"]


@pytest.mark.parametrize("share", ["0", "1", "0.873", "1.0"])
def test_shares_from_0_to_1_inclusive_are_valid(share, tmp_path, capsys):
    path = folder(tmp_path, county=edit(COUNTY, 2, "survey_satisfaction_share", share))
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_both_shares_of_one_row_are_reported_together(tmp_path, capsys):
    county = edit(edit(COUNTY, 2, "survey_satisfaction_share", "87"), 2, "monitoring_difference_rate", "1.2")
    assert main(["validate", str(folder(tmp_path, county=county))]) == 2
    base = f"{tmp_path}/county/county.csv:2"
    assert capsys.readouterr().err.splitlines() == [
        f"{base}:monitoring_difference_rate: 1.2 is above 1: shares are fractions (0.012 for 1.2%)",
        f"{base}:survey_satisfaction_share: 87 is above 1: shares are fractions (0.87 for 87%)",
    ]
