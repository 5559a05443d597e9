"""What the free-text processes of a scan run (engine._match_prose sends them a table's
free-text cells): kept apart from the engine so that such a process imports only the
detectors, not the engine and the readers, report and prose modules it imports (a "spawn"
process imports the module of every function it is sent)."""

from __future__ import annotations

import signal

from rouei.scanning.detectors import all_detectors, detect_cells
from rouei.scanning.model import Match


def detect_named(values: list[str], names: list[tuple[str, ...]]) -> list[list[Match]]:
    """``detect_cells`` in another process: the detectors by name."""
    by_name = {d.name: d for d in all_detectors()}
    return detect_cells(values, [tuple(by_name[n] for n in subset) for subset in names])


def ignore_interrupt() -> None:
    # Only the coordinator handles Ctrl-C; workers are stopped by it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
