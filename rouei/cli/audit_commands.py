"""`rouei audit verify`: check that no audit record was altered or removed."""

from __future__ import annotations

import io

import typer
from rich.console import Console

from rouei.cli.django_setup import setup_django
from rouei.cli.main import app

console = Console(highlight=False)
audit_app = typer.Typer(help="監査ログ / the audit trail", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command()
def verify() -> None:
    """監査ログのハッシュ連鎖を検証 / verify the audit trail's hash chain (exit 1 if broken)."""
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as exc:
        console.print(str(exc), style="bold red", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    console.print(out.getvalue().rstrip("\n"), markup=False, soft_wrap=True)
