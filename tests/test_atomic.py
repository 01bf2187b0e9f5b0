"""Atomic output: all or nothing, permissions from the umask, stale outputs removed."""
import os
import stat

import pytest

from balance_sim import atomic


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_file_appears_whole_with_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = atomic.write_text(tmp_path / "sub" / "a.txt", "一,二\n")
    finally:
        os.umask(old)
    assert path.read_text(encoding="utf-8") == "一,二\n"
    assert _mode(path) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["a.txt"]


def test_failed_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")

    def broken(temporary):
        temporary.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic.write_file(target, broken)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_new_folder_is_renamed_into_place_with_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic.staged_folder(tmp_path / "out") as staging:
            (staging / "x.csv").write_text("1", encoding="utf-8")
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "x.csv").read_text(encoding="utf-8") == "1"
    assert _mode(tmp_path / "out") == 0o755
    assert _mode(tmp_path / "out" / "x.csv") == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_existing_folder_keeps_other_files_and_loses_stale_outputs(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name, text in {"keep.txt": "k", "x.csv": "old", "stale.csv": "s"}.items():
        (out / name).write_text(text, encoding="utf-8")
    with atomic.staged_folder(out, remove=["x.csv", "stale.csv"]) as staging:
        (staging / "x.csv").write_text("new", encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "x.csv"]
    assert (out / "x.csv").read_text(encoding="utf-8") == "new"


def test_failed_block_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.csv").write_text("old", encoding="utf-8")
    with pytest.raises(ValueError):
        with atomic.staged_folder(out, remove=["x.csv"]) as staging:
            (staging / "x.csv").write_text("new", encoding="utf-8")
            raise ValueError("bad input")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert (out / "x.csv").read_text(encoding="utf-8") == "old"
