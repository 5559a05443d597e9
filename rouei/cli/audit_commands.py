"""`rouei audit verify`: check that no audit record was altered, added or removed."""

from __future__ import annotations

import io
from pathlib import Path

import typer
from rich.console import Console

from rouei.cli.django_setup import setup_django
from rouei.cli.main import app

console = Console(highlight=False)
audit_app = typer.Typer(help="監査ログ / the audit trail", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


CHECKPOINTS_OPT = typer.Option(
    None, "--checkpoints",
    help="照合するチェックポイントファイル（既定: データディレクトリの audit-checkpoints.jsonl、"
         "syslog の抜き出しも可） / the checkpoint file to check against")
CHECKPOINTS_FROM_OPT = typer.Option(
    "file", "--checkpoints-from",
    help="チェックポイントの読み込み元: file（既定）または s3（ROUEI_AUDIT_S3_BUCKET のバケット） "
         "/ where to read the checkpoints: the file, or the object storage bucket")
NO_CHECKPOINTS_OPT = typer.Option(
    False, "--no-checkpoints",
    help="データベースだけを検証する（チェックポイントがないと通常は失敗） / check the "
         "database alone")


@audit_app.command()
def verify(checkpoints: Path | None = CHECKPOINTS_OPT,
           checkpoints_from: str = CHECKPOINTS_FROM_OPT,
           no_checkpoints: bool = NO_CHECKPOINTS_OPT) -> None:
    """監査ログの署名・連鎖・チェックポイントを検証 / verify the audit trail: signatures,
    links, and the signed checkpoints outside the database (exit 1 if broken)."""
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    options = {"no_checkpoints": no_checkpoints, "checkpoints_from": checkpoints_from}
    if checkpoints is not None:
        options["checkpoints"] = checkpoints
    try:
        call_command("audit_verify", stdout=out, **options)
    except CommandError as exc:
        console.print(str(exc), style="bold red", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    console.print(out.getvalue().rstrip("\n"), markup=False, soft_wrap=True)
