"""`rouei scan-cancel SCAN_ID`: stop an evidence scan queued or running in the background (the
scan page's "Cancel" button, from the server). `rouei scan` itself needs no database and lives
in scan_commands.py."""

from __future__ import annotations

import typer
from rich.console import Console

from rouei.cli.django_setup import setup_django
from rouei.cli.main import app

console = Console(highlight=False)


@app.command("scan-cancel")
def scan_cancel(scan_id: int = typer.Argument(..., min=1, help="スキャンの番号 / the scan's id",
                                              show_default=False)) -> None:
    """背景のスキャンを取り消す / cancel a background evidence scan, keeping what it found.

    Exits 1 if the scan is not queued or running."""
    setup_django()
    from rouei.core.errors import ActionError
    from rouei.scans.actions import do_cancel_scan
    from rouei.scans.models import EvidenceScan, ScanStatus

    scan = EvidenceScan.objects.filter(pk=scan_id).select_related("incident").first()
    if scan is None:
        console.print(f"スキャン {scan_id} はありません / no scan {scan_id}", style="red")
        raise typer.Exit(1)
    try:
        scan = do_cancel_scan(scan, actor=None)
    except ActionError:
        console.print(f"スキャン {scan_id} は実行中ではありません（{scan.status}） / scan "
                      f"{scan_id} is not queued or running ({scan.status})", style="red")
        raise typer.Exit(1) from None
    if scan.status == ScanStatus.CANCELLED:
        console.print(f"スキャン {scan_id} を取り消しました（未開始） / scan {scan_id} cancelled "
                      "before it started")
    else:
        console.print(f"スキャン {scan_id} の取り消しを依頼しました。数秒で止まり、それまでの結果は"
                      f"残ります / scan {scan_id} will stop within seconds, keeping what it found")
