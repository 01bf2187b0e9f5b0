"""`balance-sim import`: exit 0 with the mapping report; exit 2 with every problem, nothing written."""
import hashlib

import pandas as pd

import statexport_builder as builder
from balance_sim.cli import main


def _digest(paths):
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def test_import_writes_tables_and_prints_the_mapping(export_files, tmp_path, capsys):
    inputs = [export_files[k] for k in ("primary", "junior", "senior", "campuses")]
    before = _digest(inputs)
    out = tmp_path / "county"
    code = main(["import", *map(str, inputs[:3]), "--campuses", str(inputs[3]), "--year", "2023", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "students                  ← G: 教基1101 › 在校生数 › 合计" in printed
    assert "ignored: H 教基1101 › 在校生数 › 其中：女" in printed
    assert f"wrote {out / 'schools.csv'}" in printed
    schools = pd.read_csv(out / "schools.csv", dtype={"school_id": str})
    assert len(schools) == 11 and schools["year"].eq(2023).all()
    assert len(pd.read_csv(out / "shared_facilities.csv")) == 3
    assert _digest(inputs) == before  # the input is never modified


def test_bad_input_exits_2_lists_every_problem_and_writes_nothing(tmp_path, capsys):
    primary = builder.write_export(tmp_path / "小学.xlsx", "primary")  # campus without a parent
    junior = builder.write_export(
        tmp_path / "初中.xlsx", "junior",
        edit=lambda paths, data: data[0].__setitem__(paths.index(("教基1101", "专任教师", "合计")), "n/a"))
    out = tmp_path / "county"
    code = main(["import", str(primary), str(junior), "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith(f"{junior}[初中基层表]:6:J (教基1101 › 专任教师 › 合计)")
    assert not out.exists()
    # Row problems stop the reading before campuses are folded; with them mended the campus shows.
    code = main(["import", str(primary), "--out", str(out)])
    assert code == 2 and ":12:F (是否计校数): campus 李家村小学东校区" in capsys.readouterr().err
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".county")]


def test_failed_import_leaves_an_existing_folder_as_it_was(tmp_path, capsys):
    out = tmp_path / "county"
    out.mkdir()
    (out / "schools.csv").write_text("old", encoding="utf-8")
    primary = builder.write_export(tmp_path / "小学.xlsx", "primary")
    assert main(["import", str(primary), "--out", str(out)]) == 2
    assert (out / "schools.csv").read_text(encoding="utf-8") == "old"


def test_bad_header_rows_value_is_a_parameter_error(export_files, tmp_path, capsys):
    code = main(["import", str(export_files["primary"]), "--header-rows", "0", "--out", str(tmp_path / "o")])
    assert code == 2 and "--header-rows" in capsys.readouterr().err
