"""Labels for report tables, figures and workbooks, in English (`en`) or Chinese (`zh`).

A column is labelled from, in order: `labels.yaml` (result columns), `indicators.yaml` (indicator
keys), the data dictionary (input columns, first Chinese alias); otherwise its name is kept.
Category values (`primary`, `rural`, `pass` …) become the Chinese words of the data dictionary.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd
import yaml

from balance_sim.indicators import definitions


@cache
def _yaml(package: str, name: str) -> dict:
    return yaml.safe_load(resources.files(package).joinpath(name).read_text(encoding="utf-8"))


@cache
def _column_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    dictionary = _yaml("balance_sim.io", "dictionary.yaml")
    for table in dictionary["tables"].values():
        for column, spec in table["columns"].items():
            if spec.get("zh"):
                labels.setdefault(column, {"en": column.replace("_", " ").capitalize(), "zh": spec["zh"][0]})
    for key, indicator in definitions().items():
        labels[key] = {"en": indicator.en, "zh": indicator.zh}
    labels.update(_yaml(__package__, "labels.yaml")["columns"])
    return labels


@cache
def _value_words() -> dict[str, dict[str, str]]:
    """Per column, English value word → Chinese word."""
    dictionary = _yaml("balance_sim.io", "dictionary.yaml")
    words: dict[str, dict[str, str]] = {}
    for table in dictionary["tables"].values():
        for column, spec in table["columns"].items():
            if spec.get("type") == "category":
                values = dictionary["values"][spec["values"]]
                words[column] = {value: aliases[0] for value, aliases in values.items()}
    for column, mapping in _yaml(__package__, "labels.yaml")["values"].items():
        words.setdefault(column, {}).update(mapping)
    return words


def column_label(column: str, language: str = "en") -> str:
    """Human label of a column or indicator key in `language` (`en` or `zh`)."""
    labels = _column_labels().get(column)
    return labels.get(language, labels["en"]) if labels else column


def sheet_label(table: str, language: str = "en") -> str:
    """Name of a workbook sheet holding the table `table`, in `language`."""
    labels = _yaml(__package__, "labels.yaml")["sheets"].get(table)
    return labels.get(language, labels["en"]) if labels else table


def unit_label(unit: str, language: str = "en") -> str:
    """A unit (as written in indicators.yaml) in `language`."""
    return _yaml(__package__, "labels.yaml")["units"].get(unit, unit) if language == "zh" else unit


def level_label(level: str, language: str = "en") -> str:
    """`primary` / `junior` as a reader says it."""
    labels = _yaml(__package__, "labels.yaml")["levels"].get(level)
    return labels.get(language, labels["en"]) if labels else level


def level_word(level: str, language: str = "en") -> str:
    """`primary` / `junior` inside a sentence (lower case in English)."""
    label = level_label(level, language)
    return label.lower() if language == "en" else label


def indicator_label(key: str, language: str = "en", unit: bool = False) -> str:
    """The indicator's name in `language`, optionally with its unit in brackets."""
    indicator = definitions()[key]
    name = indicator.label(language)
    if not unit:
        return name
    return f"{name}（{unit_label(indicator.unit, language)}）" if language == "zh" else f"{name} ({indicator.unit})"


def standard_name(standard: str, language: str = "en") -> str:
    """A standard as a reader of `language` calls it (zh: 2017年县域义务教育优质均衡); a standard
    file of the user's keeps its own name."""
    names = _yaml(__package__, "labels.yaml")["standards"].get(str(standard))
    return names.get(language, names["en"]) if names else str(standard)


def _named(fields: dict, language: str) -> dict:
    if "standard" in fields:
        fields = {**fields, "standard": standard_name(fields["standard"], language)}
    return fields


def headline_label(key: str, language: str = "en", **fields: object) -> str:
    """The label of a headline number, its template filled with `fields` (level, indicator …)."""
    template = _yaml(__package__, "labels.yaml")["headlines"][key]
    return template.get(language, template["en"]).format(**_named(fields, language))


def pick(texts: dict[str, dict[str, str]], key: str, language: str = "en", **fields: object) -> str:
    """The text `key` of a module's {key: {en, zh}} table in `language`, filled with `fields`."""
    return texts[key][language].format(**_named(fields, language))


def value_label(column: str, value: object, language: str = "en") -> object:
    """A category value in `language` (Chinese words for `zh`); other values unchanged."""
    if language != "zh":
        return value
    return _value_words().get(column, {}).get(value, value) if isinstance(value, str) else value


def translate(frame: pd.DataFrame, language: str = "en") -> pd.DataFrame:
    """A copy of `frame` with labelled headers and, for `zh`, Chinese category words."""
    out = frame.copy()
    if language == "zh":
        for column in out.columns:
            if column in _value_words() and not pd.api.types.is_numeric_dtype(out[column]):
                out[column] = out[column].astype(object).map(lambda v, c=column: value_label(c, v, language))
    return out.rename(columns={c: column_label(c, language) for c in out.columns})
