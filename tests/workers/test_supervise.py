"""`rouei serve` keeps its worker: a worker that exits or is killed is started again."""

from __future__ import annotations

import sys

from rouei.workers.supervise import supervise


def test_a_worker_that_exits_is_started_again(tmp_path):
    log = tmp_path / "starts"
    child = [sys.executable, "-c",
             f"open({str(log)!r}, 'a').write('x'); raise SystemExit(3)"]
    status = supervise(child, first_pause=0.01, max_starts=3)
    assert log.read_text() == "xxx"
    assert status == 3


def test_a_killed_worker_is_started_again(tmp_path):
    log = tmp_path / "pids"
    child = [sys.executable, "-c",
             f"import os, signal; open({str(log)!r}, 'a').write(f'{{os.getpid()}}\\n'); "
             "os.kill(os.getpid(), signal.SIGKILL)"]
    supervise(child, first_pause=0.01, max_starts=2)
    pids = log.read_text().split()
    assert len(set(pids)) == 2


def test_the_pause_grows_while_the_worker_keeps_dying(tmp_path, monkeypatch):
    import rouei.workers.supervise as module

    pauses = []
    monkeypatch.setattr(module.time, "sleep", pauses.append)
    supervise([sys.executable, "-c", "raise SystemExit(1)"], first_pause=1, cap=4,
              max_starts=5)
    assert pauses == [1, 2, 4, 4, 4]
