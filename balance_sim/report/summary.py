"""Headline numbers of a notebook run: printed in a checked cell and saved as `summary.json`.

The index page of `balance-sim demo` reads each run's `summary.json`, so the numbers a reader
sees there are the very numbers the notebook printed.
"""
from __future__ import annotations

import json
import math
import numbers
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

SUMMARY_FILE = "summary.json"


@dataclass(frozen=True)
class Headline:
    """One headline number: a stable `key`, its label, the value, its unit and how it is shown."""

    key: str
    label: str
    value: float | int | str | bool | None
    unit: str = ""
    text: str = ""

    def line(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.label}: {self.text}{unit}"


def headline(key: str, label: str, value, unit: str = "", digits: int = 3, percent: bool = False) -> Headline:
    """A Headline whose `text` rounds numbers to `digits` decimals (whole numbers stay whole);
    a share with `percent` reads as a percentage with `digits` decimals ("80%")."""
    if percent and isinstance(value, (numbers.Real, float)) and not isinstance(value, bool) and math.isfinite(value):
        value = round(float(value), digits + 2)
        return Headline(key, label, value, unit, f"{value:.{digits}%}")
    if hasattr(value, "item"):  # numpy scalar → Python scalar, so json can write it
        value = value.item()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        text = "—" if value is None else str(value)
    elif isinstance(value, numbers.Integral) or (digits == 0 and float(value).is_integer()):
        value = int(value)
        text = f"{value:,d}"
    elif not math.isfinite(float(value)):
        value, text = None, "—"
    else:
        value = round(float(value), digits)
        text = f"{value:,.{digits}f}"
    return Headline(key, label, value, unit, text)


def print_headlines(headlines: Sequence[Headline]) -> None:
    """One line per headline number; stable text, so nbval can compare it."""
    for item in headlines:
        print(item.line())


def write_summary(out_dir: str | Path, notebook: str, headlines: Sequence[Headline], **extra) -> Path:
    """Write `summary.json` (notebook name, headline numbers, any `extra` fields) into `out_dir`."""
    path = Path(out_dir) / SUMMARY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"notebook": notebook, **extra, "headline": [asdict(h) for h in headlines]}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def read_summary(out_dir: str | Path) -> dict | None:
    """The `summary.json` of a run's output folder, or None when the notebook wrote none."""
    path = Path(out_dir) / SUMMARY_FILE
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
