"""The development corpora's generators (bench/corpus.py, bench/corpus_prose2-4.py): where they
write unless told, that a seed gives the same files, and that the truth names the files written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
PROSE_SETS = ("corpus_prose2", "corpus_prose3", "corpus_prose4")


def run_generator(script: str, bench_dir: Path, *args: str) -> None:
    env = {**os.environ, "ROUEI_BENCH_DIR": str(bench_dir)}
    subprocess.run([sys.executable, str(BENCH / f"{script}.py"), *args], env=env, check=True,
                   capture_output=True, cwd=bench_dir)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_goes_under_rouei_bench_dir(tmp_path):
    run_generator("corpus", tmp_path, "--scale", "0.01")
    assert (tmp_path / "corpus" / "truth" / "manifest.json").is_file()


@pytest.mark.parametrize("script", PROSE_SETS)
def test_prose_set_goes_under_rouei_bench_dir(tmp_path, script):
    run_generator(script, tmp_path)
    assert (tmp_path / script.removeprefix("corpus_") / "truth" / "spans.jsonl").is_file()


@pytest.mark.parametrize("script", PROSE_SETS)
def test_prose_set_same_seed_same_files(tmp_path, script):
    run_generator(script, tmp_path, "first", "--seed", "5")
    run_generator(script, tmp_path, "second", "--seed", "5")
    assert files_of(tmp_path / "first") == files_of(tmp_path / "second")


@pytest.mark.parametrize("script", PROSE_SETS)
def test_prose_set_truth_names_only_files_written(tmp_path, script):
    run_generator(script, tmp_path, "set")
    truth = tmp_path / "set" / "truth"
    labelled = {json.loads(row)["file"] for name in ("spans.jsonl", "cells.jsonl")
                if (truth / name).exists()
                for row in (truth / name).read_text(encoding="utf-8").splitlines()}
    assert labelled <= set(files_of(tmp_path / "set" / "data"))
