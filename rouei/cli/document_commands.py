"""`rouei documents render` and `rouei incident create|facts`: documents for a facts file
without the web app, through the same audited actions as the pages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from rouei.cli.django_setup import setup_django
from rouei.cli.main import app

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

documents_app = typer.Typer(help="文書 / documents drafted from an incident", no_args_is_help=True)
incident_app = typer.Typer(help="事案 / incidents", no_args_is_help=True)
app.add_typer(documents_app, name="documents")
app.add_typer(incident_app, name="incident")


OUT_OPTION = typer.Option(..., "--out", help="出力ファイル / output file")
FACTS_OPTION = typer.Option(..., "--facts", exists=True, dir_okay=False,
                            help="事実ファイル（YAML/JSON） / facts file")
FACTS_ARG = typer.Argument(..., exists=True, dir_okay=False, metavar="FILE",
                           help="事実ファイル（YAML/JSON） / facts file")


def _fail(message: str, code: int = 1):
    err.print(message, style="red", markup=False, soft_wrap=True)
    raise typer.Exit(code)


def _incident(incident_id: str):
    from rouei.incidents.models import Incident

    try:
        return Incident.objects.get(pk=int(incident_id))
    except (ValueError, Incident.DoesNotExist):
        _fail(f"事案がありません / no such incident: {incident_id}")


def _user(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        _fail(f"有効なユーザーがいません / no active user: {username}")
    return user


def _facts_file(path: Path) -> dict:
    from rouei.domain.facts import FactsError
    from rouei.domain.inputs import read_mapping_file

    try:
        return read_mapping_file(path, FactsError)
    except FactsError as exc:
        _fail(f"{path}: {exc.message('ja')} / {exc.message('en')}", 2)


@documents_app.command()
def render(
    incident: str = typer.Argument(..., metavar="INCIDENT", help="事案の ID / incident id"),
    kind: str = typer.Argument(..., metavar="KIND", help="ppc-report | controller-notice | my-number-report | public-notice | "
                                   "board-report | prevention-plan"),
    stage: str | None = typer.Option(None, "--stage",
                                     help="preliminary|final|supplement（既定: 次に出す報告）"),
    fmt: str = typer.Option(..., "--format", help="docx|pdf|json"),
    out_file: Path = OUT_OPTION,
) -> None:
    """文書を作成 / render a document of an incident (audited: document.render)."""
    setup_django()
    from rouei.core.errors import ActionError
    from rouei.documents.actions import do_render

    case = _incident(incident)
    try:
        rendered = do_render(case, kind, stage=stage, fmt=fmt, actor=None, via="cli")
    except ActionError as exc:
        _fail(exc.message, 2)
    out_file.write_bytes(rendered.content)
    out.print(f"{out_file} ({len(rendered.content):,} bytes)", markup=False)


EXPORT_OPTION = typer.Option(None, "--export", file_okay=False,
                             help="既定のテンプレートをこのフォルダーへ複写 / copy the built-in "
                                  "templates into this folder")


@documents_app.command()
def templates(
    export: Path | None = EXPORT_OPTION,
    force: bool = typer.Option(False, "--force", help="既存のファイルを上書き / overwrite"),
) -> None:
    """文書テンプレートの一覧・複写 / list the document templates, or copy the built-in ones.

    Without --export: each template (document.jinja, page.html and the parts pages include,
    a Word template document.docx where there is one, reference.docx), whether the
    administrator's copy under ROUEI_TEMPLATES_DIR is in use, and the examples. With --export
    DIR: DIR/documents/… as ROUEI_TEMPLATES_DIR expects them (and a reference.docx to add a
    letterhead to; the examples under documents/examples/, unused until copied into a kind's
    folder); existing files are kept unless --force."""
    setup_django()
    from rouei.documents.kinds import all_kinds
    from rouei.documents.renderers.docx import default_reference
    from rouei.documents.templating import (
        DOCX_TEMPLATE,
        OVERRIDE_SUBDIR,
        REFERENCE_DOCX,
        builtin_files,
        docx_template,
        example_files,
        override_dir,
        resolve,
    )

    files = builtin_files()
    if export is None:
        root = override_dir()
        out.print(f"ROUEI_TEMPLATES_DIR: {root or '（未設定 / not set）'}", markup=False)
        names = [name for name, _ in files]
        # A Word template an administrator added (no built-in one of that name) is listed too.
        names += [f"{kind.slug}/{DOCX_TEMPLATE}" for kind in all_kinds()
                  if f"{kind.slug}/{DOCX_TEMPLATE}" not in names and docx_template(kind.slug)]
        for name in names:
            path, overridden = resolve(name)
            where = f"管理者のファイル / override: {path}" if overridden else f"標準 / built-in: {path}"
            if name.endswith(DOCX_TEMPLATE):
                where += ("（Word のみ。ページと PDF は document.jinja から / the .docx only; the "
                          "page and the PDF follow document.jinja）")
            out.print(f"{OVERRIDE_SUBDIR}/{name}  {where}", markup=False, soft_wrap=True)
        for name, path in example_files():
            out.print(f"{OVERRIDE_SUBDIR}/{name}  例（--export で複写、{name.split('/')[1]}/ に"
                      f"置くと有効）/ example (copy it into {name.split('/')[1]}/ to use it): "
                      f"{path}", markup=False, soft_wrap=True)
        return
    target = export / OVERRIDE_SUBDIR
    written = kept = 0
    outputs = [(name, path.read_bytes()) for name, path in files + example_files()]
    outputs.append((REFERENCE_DOCX, default_reference()))
    for name, content in outputs:
        destination = target / name
        if destination.exists() and not force:
            kept += 1
            err.print(f"そのまま / kept: {destination}", markup=False)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
        written += 1
        out.print(str(destination), markup=False)
    out.print(f"{written} 件を書き出し、{kept} 件はそのまま / {written} written, {kept} kept. "
              f"ROUEI_TEMPLATES_DIR={export.resolve()} で有効になります / takes effect with "
              f"ROUEI_TEMPLATES_DIR={export.resolve()}", markup=False, soft_wrap=True)


SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}


@documents_app.command()
def check(
    incident: str = typer.Argument(..., metavar="INCIDENT", help="事案の ID / incident id"),
    as_json: bool = typer.Option(False, "--json", help="JSON で出力 / print JSON"),
    near_days: int | None = typer.Option(None, "--near-days", min=0,
                                         help="期限の何日前から警告するか / warn this many days "
                                              "before a deadline (default: settings, 3)"),
) -> None:
    """よくある誤りの点検 / the mistake check: warnings with their codes.

    Exit code 0 even when there are warnings (they are advice, not failures); 1 for a missing
    incident. JSON: a list of {code, severity, message, message_en, title, title_en, fix_url,
    details}."""
    setup_django()
    from rouei.documents.services import check as run_check

    case = _incident(incident)
    findings = run_check(case, near=near_days)
    if as_json:
        sys.stdout.write(json.dumps(findings, ensure_ascii=False, indent=2) + "\n")
        return
    if not findings:
        out.print("警告はありません / no warnings", markup=False)
        return
    for finding in findings:
        out.print(f"[{finding['severity']}] {finding['code']}", style=SEVERITY_STYLE[
            finding["severity"]], markup=False)
        out.print(f"  {finding['message']}", markup=False, soft_wrap=True)
        out.print(f"  {finding['message_en']}", markup=False, soft_wrap=True)


@incident_app.command()
def create(
    facts: Path = FACTS_OPTION,
    lead: str = typer.Option(..., "--lead", help="責任者のユーザー名 / the lead's user name"),
    title: str | None = typer.Option(None, "--title", help="件名 / title"),
) -> None:
    """事案を作成して ID を表示 / create an incident from a facts file and print its id."""
    setup_django()
    from rouei.domain.facts import FactsError
    from rouei.incidents.actions import do_create_incident

    mapping = _facts_file(facts)
    try:
        case = do_create_incident(title=title or facts.stem, facts=mapping, actor=_user(lead))
    except FactsError as exc:
        _fail(f"{facts}: {exc.message('ja')} / {exc.message('en')}", 2)
    out.print(case.pk, markup=False)


@incident_app.command(name="facts")
def save_facts(
    incident: str = typer.Argument(..., metavar="INCIDENT", help="事案の ID / incident id"),
    facts: Path = FACTS_ARG,
    user: str | None = typer.Option(None, "--user",
                                    help="保存する人（既定: 事案の作成者） / who saves them "
                                         "(default: the incident's creator)"),
) -> None:
    """事実の新しい版を保存 / save a new facts version (duty changes go to the timeline)."""
    setup_django()
    from django.core.exceptions import PermissionDenied

    from rouei.core.errors import ActionError
    from rouei.domain.facts import FactsError
    from rouei.incidents.actions import do_update_facts

    case = _incident(incident)
    mapping = _facts_file(facts)
    actor = _user(user) if user else case.created_by
    try:
        result = do_update_facts(case, mapping, expected_version=case.version, actor=actor)
    except FactsError as exc:
        _fail(f"{facts}: {exc.message('ja')} / {exc.message('en')}", 2)
    except PermissionDenied as exc:
        _fail(f"{actor.get_username()}: {exc}", 2)
    except ActionError as exc:
        _fail(exc.message, 2)
    if not result.saved:
        out.print(f"{case.pk}: 変更なし / nothing changed", markup=False)
        return
    out.print(f"{case.pk} v{result.version.number}", markup=False)
    for change in result.duty_changes:
        out.print(change("ja"), markup=False)
