"""Reading a YAML file a user gives (a policy, a standard, an export mapping): safe loader only,
and every way the file can be unreadable reported as an InputError naming the file and line.

Users' files are small trees a few levels deep, so anything far beyond that is refused before it
is built: a file nested thousands of levels deep would exhaust Python's recursion in the YAML
composer, and a few aliases of aliases (the "billion laughs") expand to more nodes than memory
holds once code walks them.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from balance_sim.errors import InputError, Problem

# The shipped files are at most 30 kB, 6 levels deep and a few thousand nodes; these limits are
# far above any real file and far below what exhausts recursion or memory.
MAX_YAML_BYTES = 1_000_000
MAX_YAML_NESTING = 100
MAX_YAML_NODES = 100_000


class YamlLimitError(yaml.MarkedYAMLError):
    """A file beyond MAX_YAML_NESTING or MAX_YAML_NODES, marked where the limit was crossed."""


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader, counting nesting and nodes (an alias counts as every node it stands for)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0
        self._anchor_sizes: dict[str, int] = {}

    def _count(self, nodes: int, mark) -> None:
        self._nodes += nodes
        if self._nodes > MAX_YAML_NODES:
            raise YamlLimitError(problem=f"more than {MAX_YAML_NODES:,} values (aliases counted as what they repeat)",
                                 problem_mark=mark)

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._count(self._anchor_sizes.get(event.anchor, 1), event.start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_YAML_NESTING:
            raise YamlLimitError(problem=f"nested more than {MAX_YAML_NESTING} levels deep", problem_mark=event.start_mark)
        before = self._nodes
        self._count(1, event.start_mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if event.anchor is not None:
            self._anchor_sizes[event.anchor] = self._nodes - before
        return node


def parse_yaml(text: str) -> object:
    """The value of YAML `text` (safe loader, within the limits above); yaml.YAMLError otherwise."""
    loader = _LimitedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _line_and_column(error: yaml.YAMLError, text: str) -> tuple[int | None, int | None]:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return mark.line + 1, mark.column + 1
    position = getattr(error, "position", None)  # ReaderError: a character YAML does not allow
    if position is not None:
        line_start = text.rfind("\n", 0, position) + 1
        return text.count("\n", 0, position) + 1, position - line_start + 1
    return None, None


def _describe(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError):
        problem = error.problem or "not readable"
        return f"{problem} ({error.context})" if error.context else problem
    if isinstance(error, yaml.reader.ReaderError):
        character = error.character if isinstance(error.character, int) else ord(error.character)
        return f"character U+{character:04X} is not allowed in YAML"
    return str(error)


def yaml_text_problem(file: str, error: yaml.YAMLError, text: str) -> Problem:
    """The problem of a YAML text that does not parse, at its line and column."""
    line, column = _line_and_column(error, text)
    where = f"line {line}, column {column}" if line is not None else ""
    if isinstance(error, YamlLimitError):
        return Problem(file, line, None, f"{_describe(error)} ({where}); a real file is far smaller")
    return Problem(file, line, None, f"not valid YAML{' at ' + where if where else ''}: {_describe(error)}")


def _decoded(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        try:
            data.decode("gb18030")
            looks = " (the file looks saved as GBK/GB18030)"
        except UnicodeDecodeError:
            looks = ""
        raise InputError(Problem(
            file, line, None,
            f"not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} cannot be read{looks}; "
            "save the file as UTF-8")) from None


def read_yaml(path: str | Path) -> object:
    """The value of the YAML file at `path`, read with the safe loader (no tags that run code).

    InputError naming the file (and line, column) when it cannot be read, is larger than
    MAX_YAML_BYTES, is not UTF-8, is not valid YAML, or is nested or aliased beyond the limits.
    """
    file = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_YAML_BYTES + 1)  # a bounded read: the path may be a device or a pipe
    except OSError as error:
        raise InputError(Problem(file, None, None, f"cannot read: {error.strerror or error}")) from None
    if len(data) > MAX_YAML_BYTES:
        raise InputError(Problem(file, None, None, f"file is larger than {MAX_YAML_BYTES:,} bytes; "
                                                   "a policy, standard or mapping file is a few kilobytes"))
    text = _decoded(data, file)
    try:
        return parse_yaml(text)
    except yaml.YAMLError as error:
        raise InputError(yaml_text_problem(file, error, text)) from None
