"""Every input form gives the same County: CSV in three encodings with English or Chinese headers,
an Excel workbook with Chinese sheet names, Parquet, a single schools file; canonical tables
written out and read back are unchanged; the input files are never touched."""
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from io_inputs import BUDGET, SCHOOLS, SCHOOLS_ZH, TEACHERS, TEACHERS_ZH, write

from balance_sim.errors import InputError
from balance_sim.io import load
from balance_sim.io.schema import table_schema


def _same_tables(left, right):
    pd.testing.assert_frame_equal(left.schools, right.schools)
    for name in ("teachers", "budget"):
        a, b = getattr(left, name), getattr(right, name)
        assert (a is None) == (b is None)
        if a is not None:
            pd.testing.assert_frame_equal(a, b)


def test_english_utf8_folder_gives_typed_values(county_folder):
    county = load(county_folder)
    schools = county.schools
    assert list(schools["school_id"]) == ["S01", "S02", "S03"]
    assert list(schools["location"]) == ["urban", "rural", "town"]
    assert schools["students"].dtype == "int64"
    assert schools.loc[1, "teaching_area_m2"] == 600.5
    assert schools.loc[0, "equipment_value_yuan"] == 1_800_000.0
    assert schools["parent_school_id"].isna().all()
    assert county.teachers.loc[1, "backbone"] == "none"  # default for an empty cell
    assert list(county.budget["year"]) == [2021, 2022]
    assert county.levels == ("primary", "junior")


@pytest.mark.parametrize(
    ("names", "encoding"),
    [
        (("schools.csv", "teachers.csv", "budget.csv"), "utf-8-sig"),
        (("学校.csv", "教师.csv", "经费.csv"), "gbk"),
        (("学校.csv", "教师.csv", "经费.csv"), "utf-8"),
    ],
    ids=["utf8-bom", "gbk-chinese-names", "utf8-chinese-names"],
)
def test_chinese_headers_words_and_wan_yuan_give_the_english_tables(
    county_folder, tmp_path, names, encoding
):
    folder = write(tmp_path / "zh", dict(zip(names, (SCHOOLS_ZH, TEACHERS_ZH, BUDGET))), encoding)
    county = load(folder)
    _same_tables(county, load(county_folder))
    assert county.schools.loc[0, "equipment_value_yuan"] == 1_800_000.0  # 180 万元
    assert any("教学仪器设备值（万元）" in note and "10,000" in note for note in county.notes)
    assert any("GB18030" in note for note in county.notes) == (encoding == "gbk")


def _sheet(book, title, text):
    sheet = book.create_sheet(title)
    for line in text.strip().splitlines():
        sheet.append([_typed_cell(cell) for cell in line.split(",")])


def _typed_cell(text):
    # As Excel holds them: numbers as numbers, empty cells empty.
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def test_workbook_with_chinese_sheet_names(county_folder, tmp_path):
    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(book, "说明", "本表由县教育局填报")
    _sheet(book, "学校", SCHOOLS_ZH)
    _sheet(book, "教师", TEACHERS_ZH)
    _sheet(book, "经费", BUDGET)
    path = tmp_path / "county.xlsx"
    book.save(path)
    county = load(path)
    _same_tables(county, load(county_folder))
    assert any("说明" in note for note in county.notes)


def _write_canonical(county, folder: Path, suffix: str) -> Path:
    folder.mkdir()
    for name in ("schools", "teachers", "budget"):
        frame = getattr(county, name)
        if suffix == ".csv":
            frame.to_csv(folder / f"{name}.csv", index=False)
        else:
            frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_canonical_tables_round_trip(county_folder, tmp_path, suffix):
    county = load(county_folder)
    _same_tables(load(_write_canonical(county, tmp_path / "out", suffix)), county)


def test_canonical_tables_round_trip_through_a_workbook(county_folder, tmp_path):
    county = load(county_folder)
    path = tmp_path / "county.xlsx"
    with pd.ExcelWriter(path) as writer:
        for name in ("schools", "teachers", "budget"):
            getattr(county, name).to_excel(writer, sheet_name=name, index=False)
    _same_tables(load(path), county)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_single_schools_file(county_folder, tmp_path, suffix):
    expected = load(county_folder).schools
    folder = _write_canonical(load(county_folder), tmp_path / "out", suffix)
    county = load(folder / f"schools{suffix}")
    pd.testing.assert_frame_equal(county.schools, expected)
    assert county.teachers is None
    assert any("no teacher roster" in note for note in county.notes)


def test_unknown_headers_are_left_out_and_noted(tmp_path):
    text = SCHOOLS.replace("parent_school_id\n", "parent_school_id,校长姓名\n", 1)
    county = load(write(tmp_path / "c", {"schools.csv": text}))
    assert "校长姓名" not in county.schools
    assert any("ignored: 校长姓名" in note for note in county.notes)


def test_school_type_defaults_to_regular(tmp_path):
    lines = SCHOOLS.splitlines()
    text = "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 5) for line in lines)
    schools = load(write(tmp_path / "c", {"schools.csv": text + "\n"})).schools
    assert list(schools["school_type"]) == ["regular"] * 3


def test_same_school_in_two_years_is_a_panel_not_a_duplicate(tmp_path):
    header, *rows = SCHOOLS.splitlines()
    text = "\n".join([header + ",year"] + [r + ",2021" for r in rows] + [r + ",2022" for r in rows])
    county = load(write(tmp_path / "c", {"schools.csv": text + "\n"}))
    assert county.years == (2021, 2022)
    assert len(county.schools) == 6


def _fingerprints(folder: Path) -> dict:
    return {p.name: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in sorted(folder.iterdir())}


def test_input_files_are_never_modified(county_folder, tmp_path):
    before = _fingerprints(county_folder)
    load(county_folder)
    broken = write(tmp_path / "bad", {"schools.csv": SCHOOLS.replace(",800,", ",-800,")})
    bad_before = _fingerprints(broken)
    with pytest.raises(InputError):
        load(broken)
    workbook = tmp_path / "book"
    workbook.mkdir()
    with pd.ExcelWriter(workbook / "county.xlsx") as writer:
        load(county_folder).schools.to_excel(writer, sheet_name="学校", index=False)
    book_before = _fingerprints(workbook)
    load(workbook / "county.xlsx")
    assert _fingerprints(county_folder) == before
    assert _fingerprints(broken) == bad_before
    assert _fingerprints(workbook) == book_before


def _demo_or_skip():
    datasets = pytest.importorskip("balance_sim.datasets")
    if not hasattr(datasets, "demo_county"):
        pytest.skip("balance_sim.datasets.demo_county is not there yet")


def test_demo_county_passes_the_schemas_and_round_trips_through_csv(tmp_path):
    _demo_or_skip()
    county = load("demo")
    assert county.source == "demo"
    for name in ("schools", "teachers", "budget"):
        frame = getattr(county, name)
        if frame is not None:
            table_schema(name).validate(frame, lazy=True)
    # Written as its files hold it (nine-year schools' facilities whole in shared_facilities.csv),
    # the demo loads back to the same tables, split shares and all.
    from balance_sim.datasets import demo_county_tables

    folder = tmp_path / "demo"
    folder.mkdir()
    for name, frame in demo_county_tables().files().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    again = load(folder)
    for name in ("schools", "teachers", "budget", "county_table"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(county, name), check_exact=True)
