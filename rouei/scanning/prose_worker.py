"""What the free-text processes of a scan run (engine._match_prose sends them a table's
free-text cells): kept apart from the engine so that such a process imports only the
detectors, not the engine and the readers, report and prose modules it imports (a "spawn"
process imports the module of every function it is sent)."""

from __future__ import annotations

import signal

from rouei.scanning.detectors import CellSpans, all_detectors, cell_spans, compile_patterns


def detect_named(values: list[str], names: list[tuple[str, ...]]) -> CellSpans:
    """``cell_spans`` in another process, the detectors by name: flat lists, which pickle at a
    fraction of the cost of ``Match`` objects."""
    by_name = {d.name: d for d in all_detectors()}
    return cell_spans(values, [tuple(by_name[n] for n in subset) for subset in names])


def warm_up() -> int:
    """The first task of a free-text process: every detector's patterns compiled (what the
    first ``detect_named`` would otherwise do), so that the engine knows when the process can
    take cells as fast as it can (``engine._prose_ready``). Gives how many were compiled."""
    return compile_patterns()


def ignore_interrupt() -> None:
    # Only the coordinator handles Ctrl-C; workers are stopped by it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
