"""`rouei serve`, `rouei demo`, `rouei manage`: the web application from the command line."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import typer
from rich.console import Console
from rich.panel import Panel

from rouei.cli.django_setup import setup_django
from rouei.cli.main import app

console = Console()
DEMO_USER = "demo"

HOST_OPT = typer.Option("127.0.0.1", "--host", help="待ち受けるアドレス / address to listen on")
PORT_OPT = typer.Option(8000, "--port", min=1, max=65535, help="ポート / port")
WORKERS_OPT = typer.Option(2, "--workers", min=1, help="gunicorn のワーカー数 / worker processes")


def _prepare() -> None:
    """Bring the database schema and the collected static files up to date (both idempotent)."""
    from django.core.management import call_command

    setup_django()
    with console.status("データベースを準備しています / preparing the database…"):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)


def _start_task_worker() -> None:
    """Run `rouei worker --supervise` beside the web server: the worker is started again
    whenever it dies, and the supervisor ends when the server (this PID) ends."""
    from rouei.workers.supervise import die_with_parent

    subprocess.Popen([sys.executable, "-m", "rouei.cli.main", "worker", "--supervise"],
                     preexec_fn=die_with_parent)  # noqa: PLW1509


def _serve(host: str, port: int, workers: int) -> None:
    """Replace this process with gunicorn (a real server: Ctrl-C stops it cleanly), with a
    background-task worker beside it."""
    _start_task_worker()
    argv = [sys.executable, "-m", "gunicorn", "rouei.config.wsgi:application",
            "--bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "--workers", str(workers), "--log-level", "warning",
            "--error-logfile", "-", "--graceful-timeout", "5"]
    console.print(f"[dim]gunicorn: http://{host}:{port}/ (Ctrl-C で停止 / to stop)[/]")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)  # noqa: S606 — our own interpreter, our own arguments


@app.command()
def worker(until_empty: bool = typer.Option(
        False, "--until-empty", help="キューが空になったら終了 / exit once the queue is empty"),
        supervise: bool = typer.Option(
        False, "--supervise", help="止まったら再起動 / start the worker again whenever it "
        "exits (rouei serve does)")) -> None:
    """バックグラウンド処理を実行 / run background tasks (scans, documents) from the queue.

    On the database queue it outlasts a locked or lost database (waits and retries), re-queues
    tasks whose worker died, and exits non-zero only on a real failure."""
    if supervise:
        from rouei.workers.supervise import supervise as run_supervised

        argv = [sys.executable, "-m", "rouei.cli.main", "worker"]
        raise typer.Exit(run_supervised(argv + (["--until-empty"] if until_empty else [])))

    from django.conf import settings
    from django.core.management import call_command

    from rouei.config.env import DATABASE_TASKS, REDIS_TASKS

    setup_django()
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == REDIS_TASKS:
        # The scheduler runs deferred tasks (a scan put back while its incident has another
        # running: rouei.scans.jobs).
        # RoueiRQWorker: heartbeats in the database and lost jobs queued again, as on the
        # database queue (rouei.workers.rq_worker).
        call_command("rqworker", *settings.TASKS["default"]["QUEUES"],
                     job_class="rouei.workers.rq_worker.RoueiRQJob", burst=until_empty, with_scheduler=True,
                     worker_class="rouei.workers.rq_worker.RoueiRQWorker")
    elif backend == DATABASE_TASKS:
        from django.utils.crypto import get_random_string

        from rouei.workers.worker import RoueiWorker

        runner = RoueiWorker(queue_names=["default"], interval=1.0, batch=until_empty,
                             backend_name="default", startup_delay=not until_empty,
                             max_tasks=None, worker_id=get_random_string(32),
                             excluded_queue_names=[])
        runner.configure_signals()
        runner.run()
    else:
        call_command("db_worker", batch=until_empty)


@app.command()
def serve(host: str = HOST_OPT, port: int = PORT_OPT, workers: int = WORKERS_OPT) -> None:
    """Webアプリを起動 / run the web application (migrate, collect static files, gunicorn)."""
    _prepare()
    _serve(host, port, workers)


def reset_demo_user(username: str = DEMO_USER) -> str:
    """Create the user (``demo`` by default), or reset it, with a fresh random password that
    the password validators accept (drawn again in the unlikely case they do not)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user, _ = get_user_model().objects.get_or_create(username=username)
    while True:
        password = secrets.token_urlsafe(12)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        break
    user.set_password(password)
    user.is_active = True
    user.save()
    return password


def prepare_demo() -> dict:
    """The demo users (fresh passwords), the demo incident and the demo complaints (created
    once)."""
    from django.contrib.auth import get_user_model

    from rouei.demo.workspace import demo_incident, load_workspace
    from rouei.intake.demo import load_demo_signals

    password = reset_demo_user()
    spec = load_workspace()
    viewer, operator = spec["viewer"], spec["operator"]
    viewer_password = reset_demo_user(viewer)
    operator_password = reset_demo_user(operator)
    users = get_user_model().objects
    lead = users.get(username=DEMO_USER)
    incident = demo_incident(lead, users.get(username=viewer), users.get(username=operator))
    load_demo_signals(lead)
    return {"password": password, "viewer": viewer, "viewer_password": viewer_password,
            "operator": operator, "operator_password": operator_password,
            "incident_id": incident.pk}


@app.command()
def demo(port: int = PORT_OPT, workers: int = WORKERS_OPT) -> None:
    """デモ事案で起動 / start the app with the demo incident and a demo login."""
    # The demo logins work without a phone: two-factor sign-in is not required (gunicorn
    # inherits this); anyone who adds an authenticator on /accounts/security/ is asked for it.
    os.environ["ROUEI_REQUIRE_MFA"] = "0"
    _prepare()
    ready = prepare_demo()
    base = f"http://127.0.0.1:{port}"
    incident_url = f"{base}/incidents/{ready['incident_id']}/"
    assess_url = f"{base}/assess/?example=demo"
    signals_url = f"{base}/signals/"
    window_url = f"{incident_url}people/window/"
    console.print(Panel.fit(
        f"[bold]デモを起動しました[/]（EC サイトへの不正アクセス事案・架空）\n"
        f"[bold]Demo started[/] (an online shop hit by unauthorised access; fictitious)\n\n"
        f"事案 / incident:   [link={incident_url}]{incident_url}[/link]\n"
        f"判定 / assessment: [link={assess_url}]{assess_url}[/link]\n"
        f"苦情 / complaints: [link={signals_url}]{signals_url}[/link]\n"
        f"窓口 / window:     [link={window_url}]{window_url}[/link]\n\n"
        f"ユーザー名 / user:      [bold]{DEMO_USER}[/]（対応責任者 / incident lead）\n"
        f"パスワード / password:  [bold]{ready['password']}[/]\n"
        f"閲覧者 / viewer:        [bold]{ready['viewer']}[/] / [bold]{ready['viewer_password']}[/]\n"
        f"窓口担当 / operator:    [bold]{ready['operator']}[/] / "
        f"[bold]{ready['operator_password']}[/]"
        f"\n\n[dim]パスワードは起動のたびに変わります / the passwords change on every start[/]"
        f"\n[dim]二要素認証はデモでは求めません（本番では必須。{base}/accounts/security/ で"
        f"設定を試せます）\n/ two-factor sign-in is not required in the demo (it is in "
        f"production; try it at {base}/accounts/security/)[/]",
        title="rouei demo", border_style="green"), highlight=False)
    _serve("127.0.0.1", port, workers)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True,
                               "help_option_names": []})
def manage(ctx: typer.Context) -> None:
    """Django の管理コマンド / Django management commands (rouei manage help)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rouei manage", *ctx.args])
