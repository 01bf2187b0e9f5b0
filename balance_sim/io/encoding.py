"""Decoding CSV bytes: UTF-8 (with or without BOM) or GB18030/GBK, decided strictly, never guessed.

County staff save CSV from Excel as GBK ("ANSI" on Chinese Windows) or UTF-8; a file pasted
together from both is common. design.md "Data dictionary": detected, never guessed silently wrong.
Order: strict UTF-8, then strict GB18030 unless the bytes show that the file is UTF-8 in part.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from balance_sim.errors import InputError, Problem

# Runs of non-ASCII bytes: each is one or more characters in either encoding.
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-sig" or "gb18030"


def _row_of(data: bytes, offset: int) -> int:
    """The line (1-based, header = 1) holding the byte at `offset`."""
    return data.count(b"\n", 0, offset) + 1


def _common_hanzi(char: str) -> bool:
    # GB2312 level 1: the 3,755 most frequent characters (lead bytes 0xB0–0xD7).
    try:
        return 0xB0 <= char.encode("gb2312")[0] <= 0xD7
    except UnicodeEncodeError:
        return False


def _is_utf8_run(run: bytes) -> bool:
    """True when a run of non-ASCII bytes is plainly UTF-8 and not GB18030.

    An odd-length run cannot be GB18030 (its characters are 2 or 4 bytes). An even-length run
    that is valid in both is UTF-8 when it reads as common characters in UTF-8 but not in GB18030
    (UTF-8 bytes read as GB18030 give rare characters: the usual mojibake).
    """
    try:
        as_utf8 = run.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if len(run) % 2:
        return True
    try:
        as_gb = run.decode("gb18030")
    except UnicodeDecodeError:
        return True
    return all(map(_common_hanzi, as_utf8)) and not all(map(_common_hanzi, as_gb))


def _first_utf8_run(data: bytes) -> int | None:
    for run in _NON_ASCII_RUN.finditer(data):
        if _is_utf8_run(run.group()):
            return run.start()
    return None


def _in_utf8_file(data: bytes, bad: int, utf8_at: int) -> str:
    run = _NON_ASCII_RUN.match(data, bad)
    try:
        run.group().decode("gb18030")
        what = "mixed encodings: GBK/GB18030 text in a UTF-8 file"
    except UnicodeDecodeError:
        what = "undecodable bytes in a UTF-8 file"
    where = f"byte 0x{data[bad]:02x} at offset {bad} is not UTF-8"
    return f"{what}: {where} (row {_row_of(data, utf8_at)} is UTF-8); save the file in one encoding"


def decode(data: bytes, label: str) -> Decoded:
    """The text of a CSV file, or InputError naming the file, row and byte offset that fail."""
    if data.startswith(_UTF16_BOMS):
        raise InputError(Problem(label, 1, None, "file is UTF-16; save it as UTF-8 or GBK CSV"))
    try:
        text = data.decode("utf-8-sig")
        return Decoded(text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8")
    except UnicodeDecodeError as not_utf8:
        bad = not_utf8.start
    utf8_at = 0 if data.startswith(codecs.BOM_UTF8) else _first_utf8_run(data)
    if utf8_at is not None:
        raise InputError(Problem(label, _row_of(data, bad), None, _in_utf8_file(data, bad, utf8_at)))
    try:
        return Decoded(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError as not_gb:
        bad = not_gb.start
    raise InputError(
        Problem(
            label,
            _row_of(data, bad),
            None,
            f"undecodable byte 0x{data[bad]:02x} at offset {bad}: the file is neither UTF-8 nor "
            "GB18030/GBK",
        )
    )
