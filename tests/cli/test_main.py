"""`python -m rouei.cli.main` (how `rouei serve` starts its task worker) knows every command."""

from __future__ import annotations

import subprocess
import sys


def test_module_entry_point_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "rouei.cli.main", "--help"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    for command in ("assess", "estimate", "scan", "serve", "worker", "audit"):
        assert command in out
