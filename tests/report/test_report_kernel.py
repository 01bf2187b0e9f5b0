"""Notebooks always run on this interpreter, whatever kernelspecs the machine has."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

from balance_sim.report import kernel
from balance_sim.report.kernel import current_interpreter_kernel, runs_this_interpreter


def test_plain_python_and_this_executable_count_as_this_interpreter():
    assert runs_this_interpreter(["python", "-m", "ipykernel_launcher"])
    assert runs_this_interpreter([sys.executable, "-m", "ipykernel_launcher"])
    assert not runs_this_interpreter(["/opt/elsewhere/bin/python3.9", "-m", "ipykernel_launcher"])
    assert not runs_this_interpreter([])


def test_foreign_python3_kernel_is_replaced_by_a_private_one(monkeypatch):
    original = KernelSpecManager.get_kernel_spec

    def foreign_python3(self, name):
        spec = original(self, name)
        if name == kernel.DEFAULT_KERNEL:
            spec.argv = ["/opt/elsewhere/bin/python3.9", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        return spec

    monkeypatch.setattr(KernelSpecManager, "get_kernel_spec", foreign_python3)
    before = os.environ.get("JUPYTER_PATH")
    with current_interpreter_kernel() as name:
        assert name == kernel.PRIVATE_KERNEL
        spec = KernelSpecManager().get_kernel_spec(name)
        assert spec.argv[0] == sys.executable
        assert json.loads((Path(spec.resource_dir) / "kernel.json").read_text())["argv"][0] == sys.executable
    assert os.environ.get("JUPYTER_PATH") == before


def test_python3_kernel_that_runs_this_interpreter_is_used_as_it_is(monkeypatch):
    original = KernelSpecManager.get_kernel_spec

    def plain_python3(self, name):
        spec = original(self, name)
        spec.argv = ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        return spec

    monkeypatch.setattr(KernelSpecManager, "get_kernel_spec", plain_python3)
    with current_interpreter_kernel() as name:
        assert name == "python3"
