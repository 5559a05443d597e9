"""`rouei evidence verify [--incident ID]`: re-hash the stored evidence (exit 1 on a mismatch)."""

from __future__ import annotations

import io

import typer
from rich.console import Console

from rouei.cli.django_setup import setup_django
from rouei.cli.main import app

console = Console(highlight=False)
evidence_app = typer.Typer(help="証拠 / the evidence register", no_args_is_help=True)
app.add_typer(evidence_app, name="evidence")


@evidence_app.command()
def verify(incident: int | None = typer.Option(
        None, "--incident", help="この事案の証拠だけ / only this incident's evidence (id)")) -> None:
    """保存した証拠のハッシュを再検証 / re-hash every stored evidence file (exit 1 if any is
    missing or altered)."""
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("evidence_verify", incident=incident, stdout=out, stderr=err)
    except CommandError as exc:
        for line in err.getvalue().splitlines():
            console.print(line, style="red", markup=False, soft_wrap=True)
        console.print(str(exc), style="bold red", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    console.print(out.getvalue().rstrip("\n"), markup=False, soft_wrap=True)
