"""Damaged, encrypted and never-calculated workbooks, both the tables workbook (学校 / 教师 … sheets)
and the statistics export: each gives exit code 2 from `balance-sim validate` (and `import` for the
export), names the file and the sheet or cell, prints no traceback, writes nothing and leaves the
input as it was."""
import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from io_inputs import SCHOOLS_ZH, TEACHERS_ZH

from balance_sim.cli import main
from balance_sim.io import load

ADVICE = "copy it again from its source, or export it anew"
SAVE = "the workbook must be saved by a spreadsheet program (Excel, WPS, LibreOffice) so that its values are stored"
ENCRYPTED = ("cannot read workbook: it is password-protected (encrypted), or an old .xls file named .xlsx (an OLE2 "
             "compound file, not the zip archive of an .xlsx file); remove the password in the spreadsheet program, "
             "or save the file as .xlsx, and give that copy")
COMPOUND_FILE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def _cell(text: str):
    return int(text) if text.lstrip("-").isdigit() else (text or None)


def tables_book(path: Path, formulas: dict[str, str] | None = None, teachers: bool = False, more: int = 0) -> Path:
    """The schools of io_inputs in a 学校 sheet (row 2 S01, row 3 S02, row 4 S03; G 在校生数,
    Q 图书（册）, T 寄宿生数) and `more` schools like S01 with 1000, 1001, … pupils, optionally a
    教师 sheet, and formulas written where given."""
    workbook = openpyxl.Workbook()
    schools = workbook.active
    schools.title = "学校"
    lines = SCHOOLS_ZH.strip().splitlines()
    for line in lines:
        schools.append([_cell(c) for c in line.split(",")])
    for n in range(more):
        row = [_cell(c) for c in lines[1].split(",")]
        row[0], row[6] = f"M{n:04d}", 1000 + n
        schools.append(row)
    for coordinate, formula in (formulas or {}).items():
        schools[coordinate] = formula
    if teachers:
        sheet = workbook.create_sheet("教师")
        for line in TEACHERS_ZH.strip().splitlines():
            sheet.append([_cell(c) for c in line.split(",")])
    workbook.save(path)
    return path


# A statistics export as it comes from the statistics system, header in one row: A 学校名称,
# B 学校标识码, C 城乡分类, D 在校生数, E 班数, F 专任教师数, G 图书(册); rows 2 and 3 the schools.
EXPORT = [["学校名称", "学校标识码", "城乡分类", "在校生数", "班数", "专任教师数", "图书(册)"],
          ["城关中学", "2142000201", "城区", 1350, 27, 105, 52000],
          ["镇初级中学", "2142000202", "镇区", 480, 10, 41, 19800]]


def export_book(path: Path, formulas: dict[str, str] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "初中基层表"
    for row in EXPORT:
        sheet.append(row)
    for coordinate, formula in (formulas or {}).items():
        sheet[coordinate] = formula
    workbook.save(path)
    return path


def _rewrite(path: Path, member: str, change, stored: bool = False) -> Path:
    """The workbook with one part of its archive changed (and kept uncompressed when `stored`)."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            if name == member:
                archive.writestr(name, change(data), zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
            else:
                archive.writestr(name, data)
    return path


def crc_error(path: Path, member: str, old: bytes, new: bytes) -> Path:
    """One value changed inside the stored part, its checksum left as it was."""
    _rewrite(path, member, lambda data: data, stored=True)
    raw = path.read_bytes()
    assert raw.count(old) == 1
    path.write_bytes(raw.replace(old, new))
    return path


def cut_off(path: Path, member: str) -> Path:
    """The part's XML cut off after its second row, as an interrupted copy leaves it."""
    return _rewrite(path, member, lambda data: data[: data.index(b'<row r="3"')])


def _cut_file(path: Path) -> Path:
    """The file as an interrupted download leaves it: its first half."""
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def encrypted(path: Path) -> Path:
    """What a spreadsheet program writes for a password-protected workbook: an OLE2 compound file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(COMPOUND_FILE_MAGIC + bytes(504) + b"EncryptedPackage junk " * 200)
    return path


def saved_values(path: Path, member: str, values: dict[bytes, bytes]) -> Path:
    """The formula cells given the results a spreadsheet program would have stored."""
    def change(data: bytes) -> bytes:
        for old, new in values.items():
            assert data.count(old) == 1
            data = data.replace(old, new)
        return data
    return _rewrite(path, member, change)


SHEET1, SHEET2 = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"

# name → (build(tmp) → path given to validate, the one line expected on stderr, relative to tmp)
TABLES = {
    "zip checksum error in the sheet": (
        lambda t: crc_error(tables_book(t / "county.xlsx"), SHEET1, b"<v>800</v>", b"<v>801</v>"),
        f"county.xlsx[学校]:-:-: cannot read workbook: this sheet is damaged, its data fail the zip checksum "
        f"(Bad CRC-32 for file '{SHEET1}'); {ADVICE}"),
    "zip checksum error found while the rows are read": (
        # A long sheet: opening the workbook reads only its start, the checksum fails at its end.
        lambda t: crc_error(tables_book(t / "county.xlsx", more=3000), SHEET1, b"<v>3999</v>", b"<v>3998</v>"),
        f"county.xlsx[学校]:-:-: cannot read workbook: this sheet is damaged, its data fail the zip checksum "
        f"(Bad CRC-32 for file '{SHEET1}'); {ADVICE}"),
    "zip checksum error in the second sheet": (
        lambda t: crc_error(tables_book(t / "county.xlsx", teachers=True), SHEET2, b"<v>1975</v>", b"<v>1976</v>"),
        f"county.xlsx[教师]:-:-: cannot read workbook: this sheet is damaged, its data fail the zip checksum "
        f"(Bad CRC-32 for file '{SHEET2}'); {ADVICE}"),
    "sheet XML cut off": (
        lambda t: cut_off(tables_book(t / "county.xlsx"), SHEET1),
        "county.xlsx[学校]:-:-: cannot read workbook: this sheet is damaged, its XML is cut off or malformed (no element "
        "found: line 1, column "),
    "encrypted workbook": (lambda t: encrypted(t / "county.xlsx"), f"county.xlsx:-:-: {ENCRYPTED}"),
    "workbook cut off short": (
        lambda t: _cut_file(tables_book(t / "county.xlsx")),
        f"county.xlsx:-:-: cannot read workbook: not an .xlsx file (which is a zip archive), or one cut off short; "
        f"{ADVICE}"),
    "formula without a saved value in a required column": (
        lambda t: tables_book(t / "county.xlsx", {"G3": "=H3*20"}),
        f"county.xlsx[学校]:3:G (在校生数): formula =H3*20 has no saved value: {SAVE}"),
    "formula without a saved value in an optional column": (
        lambda t: tables_book(t / "county.xlsx", {"Q2": "=G2*30"}),
        f"county.xlsx[学校]:2:Q (图书（册）): formula =G2*30 has no saved value: {SAVE}"),
    "formulas without saved values down a column": (
        lambda t: tables_book(t / "county.xlsx", {"T2": "=G2/10", "T3": "=G3/10", "T4": "=G4/10"}),
        f"county.xlsx[学校]:2:T (寄宿生数): formula =G2/10 has no saved value (and 2 more in this column, down to "
        f"row 4): {SAVE}"),
}

EXPORTS = {
    "zip checksum error in the sheet": (
        lambda t: crc_error(export_book(t / "export" / "初中.xlsx"), SHEET1, b"<v>1350</v>", b"<v>1351</v>"),
        f"export/初中.xlsx[初中基层表]:-:-: cannot read workbook: this sheet is damaged, its data fail the zip "
        f"checksum (Bad CRC-32 for file '{SHEET1}'); {ADVICE}"),
    "sheet XML cut off": (
        lambda t: cut_off(export_book(t / "export" / "初中.xlsx"), SHEET1),
        "export/初中.xlsx[初中基层表]:-:-: cannot read workbook: this sheet is damaged, its XML is cut off or "
        "malformed (no element found: line 1, column "),
    "encrypted workbook": (lambda t: encrypted(t / "export" / "初中.xlsx"), f"export/初中.xlsx:-:-: {ENCRYPTED}"),
    "formula without a saved value in an optional column": (
        lambda t: export_book(t / "export" / "初中.xlsx", {"G3": "=D3*40"}),
        f"export/初中.xlsx[初中基层表]:3:G (图书(册)): formula =D3*40 has no saved value: {SAVE}"),
    "formula without a saved value in a required column": (
        lambda t: export_book(t / "export" / "初中.xlsx", {"F2": "=E2*4", "F3": "=E3*4"}),
        f"export/初中.xlsx[初中基层表]:2:F (专任教师数): formula =E2*4 has no saved value (and 1 more in this "
        f"column, down to row 3): {SAVE}"),
}


def _digests(tmp: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(tmp.rglob("*")) if p.is_file()}


def _refused(command: list[str], expected: str, tmp: Path, capsys) -> None:
    before = _digests(tmp)
    assert main(command) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert len(captured.err.splitlines()) == 1 and captured.err.startswith(f"{tmp}/{expected}"), captured.err
    assert _digests(tmp) == before  # nothing written, the input untouched


@pytest.mark.parametrize("name", list(TABLES))
def test_tables_workbook_is_refused_naming_the_sheet_or_cell(name, tmp_path, capsys):
    build, expected = TABLES[name]
    _refused(["validate", str(build(tmp_path))], expected, tmp_path, capsys)


@pytest.mark.parametrize("name", list(EXPORTS))
@pytest.mark.parametrize("given", ["folder", "workbook"])
def test_export_workbook_is_refused_by_validate(name, given, tmp_path, capsys):
    build, expected = EXPORTS[name]
    path = build(tmp_path)
    _refused(["validate", str(path.parent if given == "folder" else path)], expected, tmp_path, capsys)


@pytest.mark.parametrize("name", list(EXPORTS))
def test_export_workbook_is_refused_by_import_and_nothing_is_written(name, tmp_path, capsys):
    build, expected = EXPORTS[name]
    path = build(tmp_path)
    _refused(["import", str(path), "--out", str(tmp_path / "county")], expected, tmp_path, capsys)
    assert not (tmp_path / "county").exists()


def test_the_undamaged_export_workbook_imports(tmp_path, capsys):
    path = export_book(tmp_path / "export" / "初中.xlsx")
    assert main(["import", str(path), "--out", str(tmp_path / "county")]) == 0, capsys.readouterr().err
    assert (tmp_path / "county" / "schools.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "2142000201,城关中学,junior,urban,1350,27,105,52000", "2142000202,镇初级中学,junior,town,480,10,41,19800"]


def test_formulas_with_saved_values_are_read_as_those_values(tmp_path):
    # As a spreadsheet program saves them: the number, and an empty text for a blank result.
    path = tables_book(tmp_path / "county.xlsx", {"G3": "=H3*20", "T3": '=IF(G3>500,G3,"")', "Q4": "=G4*35"})
    saved_values(path, SHEET1, {b'<c r="G3"><f>H3*20</f><v /></c>': b'<c r="G3"><f>H3*20</f><v>120</v></c>',
                                b'<f>IF(G3&gt;500,G3,"")</f><v />': b'<f>IF(G3&gt;500,G3,"")</f><v></v>',
                                b'<c r="Q4"><f>G4*35</f><v /></c>': b'<c r="Q4"><f>G4*35</f><v>21000</v></c>'})
    saved_values(path, SHEET1, {b'<c r="T3"><f>': b'<c r="T3" t="str"><f>'})
    schools = load(path).schools.set_index("school_id")
    assert schools.loc["S02", "students"] == 120
    assert schools.loc["S03", "books"] == 21000
    assert schools["boarding_students"].isna().tolist() == [False, True, False]


def test_text_beginning_with_an_equals_sign_is_text_not_a_formula(tmp_path, capsys):
    path = tables_book(tmp_path / "county.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["学校"]
    sheet["V1"] = "备注"
    sheet["V2"] = "=见附件"
    sheet["V2"].data_type = "s"  # typed as text, as a spreadsheet program stores '=见附件
    workbook.save(path)
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    assert "备注" in capsys.readouterr().out  # the column is ignored, with a note


def test_export_formulas_with_saved_values_are_imported_as_those_values(tmp_path, capsys):
    path = export_book(tmp_path / "export" / "初中.xlsx", {"G3": "=D3*40"})
    saved_values(path, SHEET1, {b'<c r="G3"><f>D3*40</f><v /></c>': b'<c r="G3"><f>D3*40</f><v>19200</v></c>'})
    assert main(["import", str(path), "--out", str(tmp_path / "county")]) == 0, capsys.readouterr().err
    rows = (tmp_path / "county" / "schools.csv").read_text(encoding="utf-8").splitlines()
    assert rows[2] == "2142000202,镇初级中学,junior,town,480,10,41,19200"
