"""The `rouei` command: the one entry point. Each command group lives in its own module.

The modules are imported when a command is looked up, not when this module is: `rouei scan`
(run by analysts on big leaked files, often in scripts) imports only rouei/cli/scan_commands.py
and the scanner — no Django, no web app, no facts models — which saves a good part of its
start-up. Any other command, `--help` and a mistyped command import them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:  # typer carries its own click
    from typer._click import Command, Context

# Modules that add commands to ``app`` when imported.
_MODULES = ("api_commands", "audit_commands", "document_commands", "domain_commands",
            "evidence_commands", "people_commands", "scan_commands", "scan_job_commands",
            "spend_commands", "web_commands")
# Commands that need only their own module.
_ALONE = {"scan": "scan_commands"}
_loaded: set[str] = set()


class _LazyGroup(TyperGroup):
    """Imports the command modules on demand and rebuilds its commands from ``app``."""

    def _load(self, modules: tuple[str, ...]) -> None:
        missing = [m for m in modules if m not in _loaded]
        if missing or not self.commands:
            for module in missing:
                importlib.import_module(f"rouei.cli.{module}")
                _loaded.add(module)
            self.commands = dict(typer.main.get_group(app).commands)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in self.commands:
            self._load((_ALONE[cmd_name],) if cmd_name in _ALONE else _MODULES)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: Context) -> list[str]:
        self._load(_MODULES)
        return super().list_commands(ctx)


app = typer.Typer(
    name="rouei",
    help="rouei（漏えい）: 個人データ漏えい等への対応 / personal-data leak response under the APPI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_LazyGroup,
)


@app.callback()
def _main() -> None:
    """The group itself does nothing: the commands live in the modules above."""


if __name__ == "__main__":  # `python -m rouei.cli.main`: how `rouei serve` starts its worker
    # Run as __main__, this file is a second module object: use the one the commands join.
    from rouei.cli.main import app as registered

    registered()
