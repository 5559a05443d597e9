"""`rouei token create|list|revoke`: REST API tokens from the command line (an administrator on
the server; the audit trail records these with no actor). The page /api/tokens/ does the same
for the logged-in user."""

from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console

from rouei.cli.django_setup import setup_django
from rouei.cli.main import app

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)
token_app = typer.Typer(help="APIトークン / REST API tokens", no_args_is_help=True)
app.add_typer(token_app, name="token")


def _user(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_active:
        err.print(f"有効なユーザーがいません / no active user: {username}", markup=False)
        raise typer.Exit(1)
    return user


@token_app.command()
def create(
    username: str = typer.Argument(..., metavar="USER", help="ユーザー名 / user name"),
    name: str = typer.Option(..., "--name", help="用途 / what the token is for"),
    expires_days: int | None = typer.Option(None, "--expires-days", min=1, max=3650,
                                     help="有効日数（省略時は無期限）/ days until it expires "
                                          "(default: never)"),
) -> None:
    """トークンを作成し一度だけ表示 / create a token for USER and print it (shown only once)."""
    setup_django()
    from django.utils import timezone

    from rouei.api.actions import do_create_api_token

    if not name.strip() or len(name.strip()) > 100:
        err.print("--name: 1〜100文字 / 1 to 100 characters", markup=False)
        raise typer.Exit(2)
    expires_at = timezone.now() + dt.timedelta(days=expires_days) if expires_days else None
    new = do_create_api_token(_user(username), name=name, expires_at=expires_at, actor=None)
    # The token alone on stdout, so a script can capture it; the rest on stderr.
    err.print(f"トークン {new.token.prefix}… を作成しました（再表示できません）/ created token "
              f"{new.token.prefix}… (it cannot be shown again)", markup=False)
    console.print(new.secret, markup=False, soft_wrap=True)


@token_app.command("list")
def list_tokens(username: str = typer.Argument(..., metavar="USER")) -> None:
    """USER のトークン一覧 / list USER's tokens (prefixes only)."""
    setup_django()
    from rouei.api.models import ApiToken

    for token in ApiToken.objects.filter(user=_user(username)):
        state = "revoked" if token.revoked else "expired" if token.expired() else "active"
        expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never"
        console.print(f"{token.pk}\t{token.prefix}…\t{state}\texpires {expires}\t{token.name}",
                      markup=False, soft_wrap=True)


@token_app.command()
def revoke(token_id: int = typer.Argument(..., metavar="ID")) -> None:
    """トークンを失効 / revoke the token with this ID (see `rouei token list`)."""
    setup_django()
    from rouei.api.actions import do_revoke_api_token
    from rouei.api.models import ApiToken

    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        err.print(f"トークンがありません / no such token: {token_id}", markup=False)
        raise typer.Exit(1)
    do_revoke_api_token(token, actor=None)
    console.print(f"失効しました / revoked: {token.prefix}…", markup=False)
