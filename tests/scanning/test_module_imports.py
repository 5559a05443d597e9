"""Every module of the scanner can be the first one a program imports (a circular import
shows only when the cycle is entered from its other end: normalise -> kernels -> detectors ->
normalise failed when ``rouei.scanning.normalise`` came first)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import rouei.scanning

MODULES = sorted(f"rouei.scanning.{m.name}" for m in pkgutil.iter_modules(rouei.scanning.__path__)
                 if not m.name.startswith("_"))


@pytest.mark.parametrize("module", MODULES)
def test_the_module_imports_first(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                          text=True, check=False)
    assert done.stderr == ""
