"""CSV decoding: UTF-8, UTF-8 with BOM and GB18030 are read; mixed or foreign bytes are refused
with the row and byte offset, never decoded into the wrong characters."""
import codecs

import pytest

from balance_sim.errors import InputError
from balance_sim.io.encoding import decode

TEXT = "学校代码,学校名称,城乡类型\nS01,城关一小,城区\nS02,红旗小学,乡村\n"


@pytest.mark.parametrize(
    ("text", "data", "encoding"),
    [
        (TEXT, TEXT.encode("utf-8"), "utf-8"),
        (TEXT, codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT, TEXT.encode("gbk"), "gb18030"),
        (TEXT, TEXT.encode("gb18030"), "gb18030"),
        ("school_id,name\nS01,A\n", b"school_id,name\nS01,A\n", "utf-8"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "ascii"],
)
def test_each_accepted_encoding_gives_the_original_text(text, data, encoding):
    decoded = decode(data, "f.csv")
    assert (decoded.text, decoded.encoding) == (text, encoding)


def test_gbk_row_inside_a_utf8_file_is_refused_at_that_row():
    lines = TEXT.splitlines(keepends=True)
    data = lines[0].encode("utf-8") + lines[1].encode("utf-8") + lines[2].encode("gbk")
    with pytest.raises(InputError) as caught:
        decode(data, "f.csv")
    (problem,) = caught.value.problems
    offset = len((lines[0] + lines[1]).encode("utf-8")) + len("S02,")
    assert (problem.file, problem.row) == ("f.csv", 3)
    assert "mixed encodings" in problem.message and f"offset {offset}" in problem.message


def test_utf8_value_word_inside_a_gbk_file_is_refused():
    # Only two UTF-8 characters (城区) in an otherwise GBK file: still not decoded as mojibake.
    data = "学校代码,城乡类型\nS01,".encode("gbk") + "城区".encode("utf-8") + "\nS02,".encode() + "乡村\n".encode("gbk")
    with pytest.raises(InputError) as caught:
        decode(data, "f.csv")
    assert "mixed encodings" in caught.value.problems[0].message


def test_stray_byte_in_an_ascii_file_names_row_and_offset():
    data = b"school_id,name\nS01,A\nS02,B\xff\n"
    with pytest.raises(InputError) as caught:
        decode(data, "f.csv")
    (problem,) = caught.value.problems
    assert problem.row == 3
    assert "0xff at offset 26" in problem.message


def test_utf16_is_refused_with_advice():
    with pytest.raises(InputError, match="UTF-16"):
        decode(TEXT.encode("utf-16"), "f.csv")
