"""The Jupyter kernel that runs notebooks: always this interpreter (`sys.executable`).

A notebook run from `balance-sim` must see the same installed package as the command itself. The
`python3` kernelspec does when its command is plain `python` (jupyter_client then substitutes
`sys.executable`) or this very interpreter; otherwise a kernelspec pointing here is written to a
temporary folder put first on JUPYTER_PATH for the duration of the run.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

DEFAULT_KERNEL = "python3"
PRIVATE_KERNEL = "balance-sim-python"
_PLAIN_PYTHON = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"}


def runs_this_interpreter(argv: list[str]) -> bool:
    """Whether a kernelspec command starts this interpreter."""
    if not argv:
        return False
    if argv[0] in _PLAIN_PYTHON:  # jupyter_client swaps it for sys.executable
        return True
    try:
        return Path(argv[0]).resolve() == Path(sys.executable).resolve()
    except OSError:
        return False


def _private_kernelspec(root: Path) -> None:
    folder = root / "kernels" / PRIVATE_KERNEL
    folder.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "balance_sim (this environment)",
        "language": "python",
    }
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")


@contextmanager
def current_interpreter_kernel() -> Iterator[str]:
    """Yield the name of a kernelspec that runs `sys.executable`, valid inside the block."""
    try:
        argv = KernelSpecManager().get_kernel_spec(DEFAULT_KERNEL).argv
    except NoSuchKernel:
        argv = []
    if runs_this_interpreter(argv):
        yield DEFAULT_KERNEL
        return
    previous = os.environ.get("JUPYTER_PATH")
    with tempfile.TemporaryDirectory(prefix="balance-sim-kernel-") as root:
        _private_kernelspec(Path(root))
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (root, previous) if p)
        try:
            yield PRIVATE_KERNEL
        finally:
            if previous is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = previous
