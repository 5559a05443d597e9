"""Scanning a folder in a test: the report and the findings as the CLI writes them."""

from __future__ import annotations

import json
from pathlib import Path

from rouei.scanning.engine import ScanOptions, scan
from rouei.scanning.report import ScanReport


def scan_folder(folder: Path, tmp_path: Path, **options) -> tuple[ScanReport, list[dict]]:
    """Scan ``folder`` in one process (``options`` as ``ScanOptions``'s): the report and the
    findings, one dict a line of findings.jsonl."""
    out = tmp_path / "findings.jsonl"
    report = scan([folder], ScanOptions(workers=1, **options), findings_out=out)
    return report, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
