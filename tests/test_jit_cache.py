"""The compiled-kernel cache is stamped with every kernel module of the package: editing any of
them (kernels call kernels of other modules) invalidates all cached kernels, while files without
kernels do not matter; the stamp's locators only take this package's files."""
from pathlib import Path

from numba.core import caching

import balance_sim
from balance_sim import jit
from balance_sim.sim import retirement


def _package(tmp_path: Path) -> Path:
    (tmp_path / "sim").mkdir()
    (tmp_path / "jit.py").write_text("kernel = None\n")
    (tmp_path / "sim" / "a.py").write_text("from balance_sim.jit import kernel\n@kernel\ndef f(x):\n    return x\n")
    (tmp_path / "sim" / "b.py").write_text("from balance_sim.jit import kernel\n")
    (tmp_path / "plain.py").write_text("X = 1\n")
    return tmp_path


def test_stamp_changes_when_any_kernel_module_changes(tmp_path):
    package = _package(tmp_path)
    before = jit.kernel_sources_stamp(package)
    assert jit.kernel_sources_stamp(package) == before  # same files, same stamp
    (package / "sim" / "b.py").write_text("from balance_sim.jit import kernel\n# edited\n")
    edited = jit.kernel_sources_stamp(package)
    assert edited != before
    (package / "jit.py").write_text("kernel = 1\n")
    assert jit.kernel_sources_stamp(package) != edited


def test_stamp_ignores_modules_without_kernels(tmp_path):
    package = _package(tmp_path)
    before = jit.kernel_sources_stamp(package)
    (package / "plain.py").write_text("X = 2\n")
    assert jit.kernel_sources_stamp(package) == before


def test_locators_take_only_this_package(tmp_path):
    outside = tmp_path / "other.py"
    outside.write_text("def f():\n    return 1\n")
    namespace = {}
    exec(compile(outside.read_text(), str(outside), "exec"), namespace)
    assert jit._InTreeLocator.from_function(namespace["f"], str(outside)) is None
    inside = jit._InTreeLocator.from_function(retirement.step, retirement.__file__)
    assert inside is not None
    assert inside.get_source_stamp() == jit.kernel_sources_stamp(Path(balance_sim.__file__).parent)
    assert caching.CacheImpl._locator_classes[0] is jit._InTreeLocator
