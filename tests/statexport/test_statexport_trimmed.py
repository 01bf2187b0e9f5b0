"""Trimmed breakdowns: county staff often keep only some columns of a breakdown (专任教师 › #按职称分
with 正高级, 副高级 and 中级 alone). Parts above their total are an error; parts below it are an
error only when every category of the breakdown is in the sheet, otherwise a note in the mapping
report, which says which checks ran and which were skipped and why. `import` names a bad value at
the workbook cell it was read from, as `validate` does."""
import hashlib
from importlib import resources

import pandas as pd
import pytest

import statexport_builder as builder
from balance_sim.cli import main
from balance_sim.errors import InputError
from balance_sim.statexport import read_export
from balance_sim.statexport.mapping import Category

TITLE = ("教基1101", "专任教师", "#按职称分")
DEGREE = ("教基1101", "专任教师", "#按学历分")
TOTAL = "J (教基1101 › 专任教师 › 合计)"


def _drop(*paths: tuple):
    def edit(header_paths, data):
        for path in paths:
            position = header_paths.index(path)
            del header_paths[position]
            for row in data:
                del row[position]
    return edit


def _set(school_id: str, path: tuple, value, then=None):
    def edit(header_paths, data):
        if then is not None:
            then(header_paths, data)
        row = next(r for r in data if r[1] == school_id)
        row[header_paths.index(path)] = value
    return edit


_TRIM_TITLES = _drop(*[(*TITLE, word) for word in ("助理级", "员级", "未定职级")])


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _junior(tmp_path, edit=None):
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    return builder.write_export(folder / "初中.xlsx", "junior", edit=edit)


def test_trimmed_title_breakdown_is_accepted_with_a_note(tmp_path, capsys):
    junior = _junior(tmp_path, _TRIM_TITLES)
    before = _digest(junior)
    out = tmp_path / "county"
    assert main(["import", str(junior), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert ("  checked: J 教基1101 › 专任教师 › 合计 ≥ sum of P, Q, R (专任教师 › #按职称分 lacks 助理级, 员级, 未定职级: "
            "parts above the total are errors, below it are noted)") in printed
    assert ("  note: 专任教师 › #按职称分 (P, Q, R) adds up to less than J 教基1101 › 专任教师 › 合计 on 5 row(s) "
            "(6, 7, 8, 9, 10): the rest is in 助理级, 员级, 未定职级, not in the sheet") in printed
    assert "  checked: J 教基1101 › 专任教师 › 合计 = sum of K, L, M, N, O (专任教师 › #按学历分, every category present)" in printed
    # 正高级 + 副高级 + 中级 is the mid-senior count, whatever the columns left out hold.
    written = pd.read_csv(out / "schools.csv", dtype={"school_id": str}).set_index("school_id")
    known = builder.known_county()[0]
    known = known[known["level"] == "junior"].set_index("school_id")
    assert written["teachers_mid_senior_title"].to_dict() == known["teachers_mid_senior_title"].to_dict()
    assert written.loc["2142000201", "teachers_mid_senior_title"] == 61
    assert _digest(junior) == before


def test_validate_prints_the_note_of_a_trimmed_breakdown(tmp_path, capsys):
    junior = _junior(tmp_path, _TRIM_TITLES)
    assert main(["validate", str(junior.parent)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "adds up to less than J 教基1101 › 专任教师 › 合计 on 5 row(s) (6, 7, 8, 9, 10)" in captured.out


def test_the_report_frame_says_how_each_check_ran(tmp_path):
    result = read_export([_junior(tmp_path, _TRIM_TITLES)])
    checks = result.report.frame[result.report.frame["status"].str.contains("checked")]
    assert checks[["status", "columns", "header_path"]].values.tolist() == [
        ["checked", "J = K+L+M+N+O", "教基1101 › 专任教师 › 合计"],
        ["checked (trimmed)", "J = P+Q+R", "教基1101 › 专任教师 › 合计"],
        ["checked", "V = W+X", "教基1101 › 专任教师 › #按授课课程分 › 艺术 › 计"],
    ]
    assert checks["detail"].iloc[1] == ("专任教师 › #按职称分 lacks 助理级, 员级, 未定职级: parts above the total are "
                                        "errors, below it are noted; below it on rows 6, 7, 8, 9, 10")


def test_a_check_without_its_columns_is_reported_as_skipped_with_the_reason(tmp_path):
    degrees = [(*DEGREE, word) for word in ("研究生", "本科", "专科", "高中阶段毕业", "高中阶段以下毕业")]
    result = read_export([_junior(tmp_path, _drop(*degrees))])
    assert ("  not checked: 专任教师 › 合计 against the parts under 专任教师 › #按学历分: "
            "no columns under 专任教师 › #按学历分") in result.report.text
    skipped = result.report.frame[result.report.frame["status"] == "not checked"]
    assert skipped["detail"].tolist() == ["no columns under 专任教师 › #按学历分"]
    assert "teachers_above_degree" in result.report.text.split("not found: ")[1].splitlines()[0]


def test_complete_breakdown_below_its_total_is_refused_at_the_total_cell(tmp_path, capsys):
    # 城关中学 (row 6) has 105 teachers: 1 + 18 + 42 + 30 + 4 + 10 by title; one 未定职级 fewer.
    junior = _junior(tmp_path, _set("2142000201", (*TITLE, "未定职级"), 9))
    out = tmp_path / "county"
    assert main(["import", str(junior), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"{junior}[初中基层表]:6:{TOTAL}: total 105 differs from the sum of its parts 104 (正高级 1 + 副高级 18 + "
        "中级 42 + 助理级 30 + 员级 4 + 未定职级 9): every category of 专任教师 › #按职称分 is in the sheet, so its "
        "parts must add up to the total"]
    assert "Traceback" not in captured.err and captured.out == ""
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["export"]


def test_trimmed_breakdown_above_its_total_is_refused(tmp_path, capsys):
    # 镇初级中学 (row 7) has 41 teachers; 0 + 6 + 40 is more, whatever the columns left out hold.
    junior = _junior(tmp_path, _set("2142000202", (*TITLE, "中级"), 40, then=_TRIM_TITLES))
    out = tmp_path / "county"
    for command in (["import", str(junior), "--out", str(out)], ["validate", str(junior.parent)]):
        assert main(command) == 2
        captured = capsys.readouterr()
        assert captured.err.splitlines() == [
            f"{junior}[初中基层表]:7:{TOTAL}: total 41 differs from the sum of its parts 46 (正高级 0 + 副高级 6 + "
            "中级 40): the parts of 专任教师 › #按职称分 cannot add up to more than their total"]
        assert "Traceback" not in captured.err
    assert not out.exists()


def test_import_names_the_workbook_cell_of_a_value_the_loader_refuses(tmp_path, capsys):
    # 120 backbone teachers in 城关中学 (row 6), which has 105: the loader finds it in the staged
    # schools.csv, which is gone once the import is refused.
    junior = _junior(tmp_path, _set("2142000201", ("教基1102", "县级以上骨干教师(初中)"), 120))
    out = tmp_path / "county"
    expected = [f"{junior}[初中基层表]:6:AC (教基1102 › 县级以上骨干教师(初中)): 120 is more than teachers (105)"]
    assert main(["import", str(junior), "--out", str(out)]) == 2
    assert capsys.readouterr().err.splitlines() == expected
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["export"]
    assert main(["validate", str(junior)]) == 2
    assert capsys.readouterr().err.splitlines() == expected


def test_import_names_the_workbook_cell_after_trimming_and_shifted_columns(tmp_path, capsys):
    # Without 助理级, 员级, 未定职级 the backbone column moves from AC to Z.
    junior = _junior(tmp_path, _set("2142000203", ("教基1102", "县级以上骨干教师(初中)"), 59, then=_TRIM_TITLES))
    out = tmp_path / "county"
    out.mkdir()
    (out / "schools.csv").write_text("old", encoding="utf-8")
    assert main(["import", str(junior), "--out", str(out)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{junior}[初中基层表]:10:Z (教基1102 › 县级以上骨干教师(初中)): 59 is more than teachers (58)"]
    assert [p.name for p in out.iterdir()] == ["schools.csv"]
    assert (out / "schools.csv").read_text(encoding="utf-8") == "old"


def test_a_category_may_be_held_by_several_sub_headers():
    postgraduate = Category("研究生", (("研究生",), ("博士研究生", "硕士研究生")))
    assert postgraduate.present({"博士研究生", "硕士研究生", "本科"})
    assert postgraduate.present({"研究生"})
    assert not postgraduate.present({"博士研究生", "本科"})


def test_shipped_mapping_lists_the_categories_of_each_breakdown():
    from balance_sim.statexport import load_mapping

    categories = {check.parts_under.text: [c.name for c in check.categories] for check in load_mapping().checks}
    assert categories == {
        "专任教师 › #按学历分": ["研究生", "本科", "专科", "高中阶段毕业", "高中阶段以下毕业"],
        "专任教师 › #按职称分": ["正高级", "副高级", "中级", "助理级", "员级", "未定职级"],
        "专任教师 › #按授课课程分 › 艺术": ["音乐", "美术"],
    }


def test_a_malformed_category_list_names_its_key(tmp_path):
    text = resources.files("balance_sim.statexport").joinpath("default_mapping.yaml").read_text(encoding="utf-8")
    variant = tmp_path / "province.yaml"
    variant.write_text(text.replace("categories: [正高级, 副高级, 中级, 助理级, 员级, 未定职级]", "categories: 正高级"),
                       encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_export([_junior(tmp_path)], mapping=variant)
    assert [str(p) for p in error.value.problems] == [
        f"{variant}:-:checks[1].categories: give a list of category names, each a name or {{name: [sub-headers]}}"]
