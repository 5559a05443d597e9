"""The `rouei` command: the one entry point. Each command group lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="rouei",
    help="rouei（漏えい）: 個人データ漏えい等への対応 / personal-data leak response under the APPI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Imported for their side effect of adding commands to ``app``.
    from rouei.cli import (  # noqa: F401
        api_commands,
        audit_commands,
        domain_commands,
        evidence_commands,
        scan_commands,
        web_commands,
    )


_register()


if __name__ == "__main__":  # `python -m rouei.cli.main`: how `rouei serve` starts its worker
    # Run as __main__, this file is a second module object: use the one the commands joined.
    from rouei.cli.main import app as registered

    registered()
