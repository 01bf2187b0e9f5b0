"""Hostile and mistaken inputs: each is refused with exit code 2 and a message naming the file and
the row, cell or key; none gives a traceback, writes anything or changes the input."""
import csv

import pandas as pd
import pytest

from balance_sim.cli import main
from balance_sim.errors import InputError, ParameterError
from balance_sim.io.readers import MAX_CELL_CHARS
from balance_sim.sim import simulation
from balance_sim.spreadsheet_safe import formula_safe
from balance_sim.yaml_input import MAX_YAML_NESTING, read_yaml

SCHOOLS = (
    "school_id,name,county,level,location,students,classes,teachers\n"
    "S01,城关一小,甲县,primary,urban,800,18,45\n"
    "S02,红旗小学,甲县,primary,rural,120,6,10\n"
    "S03,城关中学,甲县,junior,town,600,12,50\n"
)


def run_cli(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if not line.startswith("note: ")]


# ---------------------------------------------------------------- 1. replications and memory


def test_replications_beyond_the_limit_are_refused_before_any_work(tmp_path, capsys):
    out = tmp_path / "run"
    code, err = run_cli(capsys, "simulate", "demo", "--replications", "100000000", "--out", str(out))
    assert code == 2
    assert error_lines(err) == ["error: --replications: must be from 1 to 10,000, got 100,000,000"]
    assert list(tmp_path.iterdir()) == []


def test_the_library_refuses_replications_beyond_the_limit_too():
    with pytest.raises(ParameterError) as error:
        simulation._check(10, 0, simulation.MAX_REPLICATIONS + 1)
    assert str(error.value) == "replications: must be a whole number from 1 to 10,000, got 10001"
    simulation._check(10, 0, simulation.MAX_REPLICATIONS)  # the limit itself is allowed


def test_the_memory_estimate_counts_sections_teachers_counties_and_years():
    from balance_sim.io import load

    demo = load("demo")
    schools = demo.schools
    assert (len(schools), int(schools["teachers"].sum()), len(demo.counties)) == (63, 2567, 1)
    per_year = 63 * 2_000 + 2567 * 40 + 1 * 40_000
    assert per_year == 268_680
    assert simulation.estimated_bytes(demo, 10, 1) == 11 * per_year
    assert simulation.estimated_bytes(demo, 10, 300) == 300 * 11 * per_year


def test_the_memory_limit_is_the_machine_or_container_memory():
    physical = simulation.os.sysconf("SC_PHYS_PAGES") * simulation.os.sysconf("SC_PAGE_SIZE")
    assert 0 < simulation.available_memory() <= physical


def test_a_run_whose_tables_exceed_memory_is_refused_with_the_estimate(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(simulation, "available_memory", lambda: 10_000_000)
    out = tmp_path / "run"
    code, err = run_cli(capsys, "simulate", "demo", "--replications", "5", "--out", str(out))
    assert code == 2
    # 5 × 11 years × 268,680 bytes = 14.8 MB; 10 MB holds 3 replications.
    assert error_lines(err) == [
        "error: replications: 5 replications of 10 years need about 15 MB of memory for the result tables, "
        "more than the memory here (10 MB); run at most 3 replications at a time"]
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- 2. user-given YAML files


def test_a_gbk_yaml_file_is_refused_naming_the_file_and_line(tmp_path):
    path = tmp_path / "province.yaml"
    data = "name: province\ntitle:\n  zh: 省级标准\n".encode("gbk")
    path.write_bytes(data)
    with pytest.raises(InputError) as error:
        read_yaml(path)
    # 省 is CA A1 in GBK, which happens to be valid UTF-8 too; 级 (BC B6) at offset 30 is not.
    assert data[30:32] == "级".encode("gbk")
    assert str(error.value) == (
        f"{path}:3:-: not UTF-8: byte 0xbc at offset 30 cannot be read "
        "(the file looks saved as GBK/GB18030); save the file as UTF-8")
    assert path.read_bytes() == data


def test_a_yaml_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text("columns:\n  students:\n    from: [在校生数\n  name: x\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_yaml(path)
    assert str(error.value) == (
        f"{path}:4:-: not valid YAML at line 4, column 7: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence)")


def test_yaml_tags_that_would_run_code_are_refused(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("a: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_yaml(path)
    assert str(error.value) == (
        f"{path}:1:-: not valid YAML at line 1, column 4: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'")


def test_aliases_that_expand_beyond_reason_are_refused(tmp_path):
    path = tmp_path / "laughs.yaml"
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 6)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_yaml(path)
    message = str(error.value)
    assert message.startswith(f"{path}:5:-: more than 100,000 values (aliases counted as what they repeat) (line 5, ")


def test_an_ordinary_yaml_file_reads_as_the_safe_loader_reads_it(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_bytes("\ufefffunding:\n  rural_share: 0.7\nbase: &b {x: 1}\nmore: {<<: *b, y: 2}\n".encode())
    assert read_yaml(path) == {"funding": {"rural_share": 0.7}, "base": {"x": 1}, "more": {"x": 1, "y": 2}}


def test_a_gbk_policy_file_exits_2_naming_the_file(tmp_path, capsys):
    policy = tmp_path / "policy.yaml"
    policy.write_bytes("# 农村倾斜\nfunding:\n  rural_share: 0.7\n".encode("gbk"))
    code, err = run_cli(capsys, "simulate", "demo", "--policy", str(policy), "--out", str(tmp_path / "run"))
    assert code == 2
    # 农 is C5 A9 in GBK, valid UTF-8 by chance; 村 (B4 E5) at offset 4 is not.
    assert error_lines(err) == [
        f"error: {policy}: not UTF-8: byte 0xb4 at offset 4 cannot be read (the file looks saved as GBK/GB18030); "
        "save the file as UTF-8"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policy.yaml"]


def test_a_gbk_standard_file_exits_2_naming_the_file(tmp_path, capsys):
    standard = tmp_path / "province.yaml"
    standard.write_bytes("name: province\ntitle:\n  zh: 省级标准\n".encode("gbk"))
    code, err = run_cli(capsys, "assess", "demo", "--standard", str(standard))
    assert code == 2
    assert error_lines(err)[0].startswith(f"{standard}:3:-: not UTF-8")


def test_a_mapping_sign_that_is_not_a_number_exits_2_naming_the_key(tmp_path, capsys):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  students:\n    sum:\n      - from: [在校生数]\n        sign: minus\n",
                       encoding="utf-8")
    code, err = run_cli(capsys, "import", str(tmp_path / "export.xlsx"), "--mapping", str(mapping),
                        "--out", str(tmp_path / "out"))
    assert code == 2
    assert error_lines(err)[0].startswith(f"{mapping}:-:columns.students")


# ---------------------------------------------------------------- 3. an over-long CSV cell


def test_a_cell_beyond_the_csv_field_limit_is_refused_at_its_row_and_column(tmp_path, capsys):
    folder = tmp_path / "county"
    folder.mkdir()
    lines = SCHOOLS.splitlines()
    lines[2] = lines[2].replace("红旗小学", "长" * 200_000)  # row 3, well past csv's 131,072
    (folder / "schools.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = (folder / "schools.csv").read_bytes()
    limit = csv.field_size_limit()
    code, err = run_cli(capsys, "validate", str(folder))
    assert code == 2
    assert error_lines(err) == [
        f"{folder}/schools.csv:3:name: value of 200,000 characters is longer than any real cell (limit 10,000)"]
    assert csv.field_size_limit() == limit  # the process-wide setting is put back
    assert (folder / "schools.csv").read_bytes() == before


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path, capsys):
    folder = tmp_path / "county"
    folder.mkdir()
    rows = [f"S{n:05d},小学{n},甲县,primary,rural,120,6,10" for n in range(4, 2004)]
    text = SCHOOLS.replace("S02,红旗小学", 'S02,"红旗小学') + "\n".join(rows) + "\n"
    (folder / "schools.csv").write_text(text, encoding="utf-8")
    code, err = run_cli(capsys, "validate", str(folder))
    assert code == 2
    [line] = error_lines(err)
    swallowed = len(text.split('"', 1)[1])  # everything after the quote, newlines included
    # The cell runs to the end of the file: the rest of row 3, row 4 and the 2,000 added rows.
    assert swallowed > MAX_CELL_CHARS
    assert line == (f"{folder}/schools.csv:3:name: value of {swallowed:,} characters is longer than any real cell "
                    f"(limit 10,000); it spans 2,003 lines: probably a quote (\") opened here and never closed")


# ---------------------------------------------------------------- 4. a policy nested thousands deep


def test_a_policy_nested_thousands_of_levels_deep_exits_2_naming_the_file(tmp_path, capsys):
    policy = tmp_path / "deep.yaml"
    policy.write_text("funding:\n  rural_share: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    code, err = run_cli(capsys, "simulate", "demo", "--policy", str(policy), "--out", str(tmp_path / "run"))
    assert code == 2
    column = len("  rural_share: ") + MAX_YAML_NESTING - 1  # where the 101st level opens
    assert error_lines(err) == [
        f"error: {policy}: nested more than 100 levels deep (line 2, column {column}); a real file is far smaller"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep.yaml"]


def test_a_block_style_policy_nested_deep_is_refused_too(tmp_path, capsys):
    policy = tmp_path / "deep.yaml"
    policy.write_text("".join(" " * depth + f"k{depth}:\n" for depth in range(1200)), encoding="utf-8")
    code, err = run_cli(capsys, "simulate", "demo", "--policy", str(policy), "--out", str(tmp_path / "run"))
    assert code == 2
    assert error_lines(err) == [
        f"error: {policy}: nested more than 100 levels deep (line 100, column 100); a real file is far smaller"]


def test_a_set_value_nested_thousands_deep_is_refused(tmp_path, capsys):
    value = "[" * 5000 + "]" * 5000
    code, err = run_cli(capsys, "simulate", "demo", "--set", f"funding.rural_share={value}",
                        "--out", str(tmp_path / "run"))
    assert code == 2
    assert error_lines(err) == [
        f"error: funding.rural_share: cannot read value {value[:60]!r}… (10,000 characters) "
        "(nested more than 100 levels deep)"]


# ---------------------------------------------------------------- 5. a key path below a value


def test_a_key_below_a_value_says_the_value_is_not_a_section(tmp_path, capsys):
    code, err = run_cli(capsys, "simulate", "demo", "--set", "funding.rural_share.cap=1", "--out", str(tmp_path / "r"))
    assert code == 2
    assert error_lines(err) == [
        "error: funding.rural_share.cap: funding.rural_share is a value, not a section; "
        "use --set funding.rural_share=VALUE (a value by year is written {2016: 600, 2022: 720})"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("assignment, message", [
    ("teachers.exchange_min_years.max=3",
     "teachers.exchange_min_years.max: teachers.exchange_min_years is a value, not a section; "
     "use --set teachers.exchange_min_years=VALUE"),
    ("funding.rural_shar.cap=1", "funding.rural_shar: unknown key"),
    ("enrolment.consolidation.enable=true", "enrolment.consolidation.enable: unknown key"),
])
def test_key_paths_are_told_apart_from_misspelt_keys(assignment, message):
    from balance_sim.sim import load_policy

    with pytest.raises(ParameterError) as error:
        load_policy(overrides=[assignment])
    assert str(error.value) == message


def test_a_number_too_large_for_a_float_is_refused_naming_the_key():
    from balance_sim.sim import load_policy

    with pytest.raises(ParameterError) as error:
        load_policy(overrides=["teachers.exchange_min_years=1" + "0" * 400])
    assert str(error.value) == "teachers.exchange_min_years: must be finite, got a number of 401 digits"


# ---------------------------------------------------------------- 6. formulas in CSV outputs


def test_assess_csv_keeps_formula_like_names_as_text(tmp_path, capsys):
    folder = tmp_path / "county"
    folder.mkdir()
    (folder / "schools.csv").write_text(SCHOOLS.replace("甲县", "=HYPERLINK(\"\"http://evil.example\"\")")
                                        .replace(",=HYPERLINK(\"\"http://evil.example\"\"),",
                                                 ',"=HYPERLINK(""http://evil.example"")",'), encoding="utf-8")
    out = tmp_path / "cv.csv"
    code, _ = run_cli(capsys, "assess", str(folder), "--format", "csv", "--out", str(out))
    assert code == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert set(table["county"]) == {"'=HYPERLINK(\"http://evil.example\")"}
    assert table["schools_below_minimum"].dtype.kind == "i"  # numbers stay numbers


def test_formula_safe_prefixes_text_only_and_leaves_the_frame_alone():
    frame = pd.DataFrame({
        "name": ["=HYPERLINK(\"http://x\",\"y\")", "城关一小", "-A", None],
        "level": pd.Categorical(["@SUM(1)", "primary", "primary", "junior"]),
        "value": [-1.5, 2.0, 3.0, 4.0],
        "+header": [1, 2, 3, 4],
    })
    original = frame.copy(deep=True)
    safe = formula_safe(frame)
    assert list(safe.columns) == ["name", "level", "value", "'+header"]
    assert list(safe["name"].iloc[:3]) == ["'=HYPERLINK(\"http://x\",\"y\")", "城关一小", "'-A"]
    assert pd.isna(safe["name"].iloc[3])
    assert list(safe["level"]) == ["'@SUM(1)", "primary", "primary", "junior"]
    assert list(safe["value"]) == [-1.5, 2.0, 3.0, 4.0]
    pd.testing.assert_frame_equal(frame, original)
    plain = pd.DataFrame({"name": ["城关一小"], "value": [-1]})
    assert formula_safe(plain) is plain


@pytest.mark.parametrize("body, key", [
    ("parts: [government]\n", "parts"),
    ("resources:\n  indicators: [[teaching_area_per_student]]\n", "resources.indicators[0]"),
    ("resources:\n  inclusion:\n    exclude_school_types: [[teaching_point]]\n", "resources.inclusion.exclude_school_types[0]"),
])
def test_a_standard_with_a_list_where_a_name_belongs_exits_2_naming_the_key(tmp_path, capsys, body, key):
    standard = tmp_path / "province.yaml"
    standard.write_text("name: province\n" + body, encoding="utf-8")
    from balance_sim.errors import InputError
    from balance_sim.standards import load_standard

    with pytest.raises(InputError) as error:
        load_standard(str(standard))
    assert key in [p.column for p in error.value.problems]
