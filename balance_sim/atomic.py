"""Writing output so that nothing is ever half-written: a temporary file or folder beside the
target, then a rename. Permissions follow the user's umask (temporary files are created private).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call `write(temporary_path)`, then move the result to `path` in one rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return path


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text (newlines as given) atomically."""
    return write_file(path, lambda temporary: temporary.write_text(text, encoding="utf-8", newline=""))


@contextmanager
def staged_folder(out: str | Path, remove: Iterable[str] = ()) -> Iterator[Path]:
    """Yield an empty folder beside `out`; when the block succeeds, its files move into `out`.

    A new `out` is the staging folder renamed; an existing one keeps its other files, has the
    staged files replaced, and loses the files named in `remove` (stale outputs of an earlier run).
    When the block fails, `out` is left exactly as it was.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        yield staging
        mask = _umask()
        for item in staging.iterdir():
            os.chmod(item, 0o666 & ~mask)
        os.chmod(staging, 0o777 & ~mask)
        if not out.exists():
            os.replace(staging, out)
            return
        staged = {item.name for item in staging.iterdir()}
        for name in staged:
            os.replace(staging / name, out / name)
        for name in set(remove) - staged:
            (out / name).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
