"""Run one parameterised notebook with papermill, then export it as HTML (`balance-sim run`).

Layout of a run into OUT: `OUT/<name>.ipynb` (executed), `OUT/<name>.html` (the report) and
`OUT/<name>/` (the notebook's tables, workbook and `summary.json`). A parameter the notebook does
not declare, or a value its rules reject, stops the run before a kernel starts.
"""
from __future__ import annotations

import ast
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import papermill
from papermill.exceptions import PapermillExecutionError

from balance_sim.errors import ParameterError
from balance_sim.report.explorer import BATCH_ENV
from balance_sim.report.html_export import export_html
from balance_sim.report.index import INDEX_FILE, write_index
from balance_sim.report.kernel import current_interpreter_kernel
from balance_sim.report.parameters import check_value, specs
from balance_sim.report.summary import read_summary

_PATH_PARAMETERS = ("data", "out_dir")  # resolved against the caller's folder, not the notebook's


def notebook_folders() -> list[Path]:
    """Where notebooks are looked up by name: ./notebooks, then the one beside the package."""
    beside_package = Path(__file__).resolve().parents[2] / "notebooks"
    return [Path.cwd() / "notebooks", beside_package]


def find_notebook(name: str | Path) -> Path:
    """A notebook given as a path, or by name (`01_county_monitoring`, with or without `.ipynb`)."""
    given = Path(name)
    if given.suffix == ".ipynb" and given.is_file():
        return given.resolve()
    file_name = given.name if given.suffix == ".ipynb" else f"{given.name}.ipynb"
    for folder in notebook_folders():
        if (folder / file_name).is_file():
            return (folder / file_name).resolve()
    raise ParameterError(f"no notebook {str(name)!r}; available: {', '.join(available_notebooks()) or 'none'}")


def available_notebooks() -> list[str]:
    """Names of the numbered notebooks, in order (the first folder that has any)."""
    for folder in notebook_folders():
        names = sorted(p.stem for p in folder.glob("[0-9][0-9]_*.ipynb"))
        if names:
            return names
    return []


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The notebook's parameters and their default values, read from its `parameters` cell."""
    declared = papermill.inspect_notebook(str(notebook))
    return {name: _literal(p["default"]) for name, p in declared.items()}


def _literal(source: str) -> Any:
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError):
        return source


def coerce_text(name: str, text: str, default: Any) -> Any:
    """A command-line value converted to the type of the parameter's default."""
    if isinstance(default, bool):
        if text.lower() in ("true", "false", "yes", "no", "1", "0"):
            return text.lower() in ("true", "yes", "1")
        raise ParameterError(f"{name}: expected true or false, got {text!r}")
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError:
            raise ParameterError(f"{name}: expected a whole number, got {text!r}") from None
    if isinstance(default, float):
        try:
            return float(text)
        except ValueError:
            raise ParameterError(f"{name}: expected a number, got {text!r}") from None
    return text


def check_overrides(notebook: Path, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Reject names the notebook does not declare and values the rules reject; return the values."""
    declared = declared_parameters(notebook)
    unknown = [name for name in overrides if name not in declared]
    if unknown:
        raise ParameterError(
            f"notebook {notebook.stem} has no parameter {', '.join(map(repr, unknown))}; "
            f"its parameters are: {', '.join(declared)}"
        )
    checked = {}
    for name, value in overrides.items():
        if isinstance(value, str) and not isinstance(declared[name], str):
            value = coerce_text(name, value, declared[name])
        if name in _PATH_PARAMETERS and value != "demo":
            value = str(Path(value).expanduser().resolve())
        checked[name] = check_value(name, value) if name in specs() and name != "out_dir" else value
    return checked


def _load_or_fail(data: str) -> None:
    """Read the user's data once before a kernel starts: bad input fails fast as InputError
    (every problem with file, row and column), not as a traceback from inside the notebook."""
    from balance_sim.io import load

    load(data)


@dataclass(frozen=True)
class NotebookRun:
    """What one run wrote: the executed notebook, its HTML report and its output folder."""

    name: str
    notebook: Path
    html: Path
    out_dir: Path
    summary: dict | None
    seconds: float


@contextmanager
def _batch_environment() -> Iterator[None]:
    previous = os.environ.get(BATCH_ENV)
    os.environ[BATCH_ENV] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(BATCH_ENV, None)
        else:
            os.environ[BATCH_ENV] = previous


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders this run created, deepest first, where they are still empty."""
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def run_notebook(
    notebook: str | Path,
    parameters: Mapping[str, Any] | None = None,
    out: str | Path = "reports",
    progress: bool = True,
) -> NotebookRun:
    """Execute `notebook` with `parameters` (others keep their defaults) and write its report.

    Values may be Python values or command-line text (converted to the type of the default).
    Raises ParameterError for an undeclared parameter or a bad value, before or during the run.
    """
    started = time.perf_counter()
    path = find_notebook(notebook)
    out = Path(out).expanduser().resolve()
    values = check_overrides(path, dict(parameters or {}))
    if values.get("data", "demo") != "demo":
        _load_or_fail(values["data"])
    values.setdefault("out_dir", str(out / path.stem))
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out: {out} is a file; give a folder for the reports")
    created = [p for p in (out, *out.parents, Path(values["out_dir"])) if not p.exists()]
    out.mkdir(parents=True, exist_ok=True)
    executed = out / f"{path.stem}.ipynb"
    with current_interpreter_kernel() as kernel_name, _batch_environment():
        try:
            node = papermill.execute_notebook(
                str(path), str(executed), parameters=values, kernel_name=kernel_name,
                progress_bar=progress, cwd=str(path.parent),
            )
        except PapermillExecutionError as error:
            if error.ename == "ParameterError":
                executed.unlink(missing_ok=True)  # a refused run leaves nothing behind
                _remove_empty(created)
                raise ParameterError(error.evalue) from None
            raise
    html = export_html(node, out / f"{path.stem}.html", title=path.stem)
    if (out / INDEX_FILE).is_file():  # an index beside the reports lists what they now say
        write_index(out)
    out_dir = Path(values["out_dir"])
    return NotebookRun(path.stem, executed, html, out_dir, read_summary(out_dir),
                       time.perf_counter() - started)
