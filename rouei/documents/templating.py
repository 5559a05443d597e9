"""Document templates an administrator can edit without Python: one Jinja file per kind
(``kinds/<folder>/document.jinja``), rendered in a sandbox and read as a small line markup into
the ``Layout`` that the page, Word and the PDF are all drawn from (so they show the same text).

The markup (one block per line; docs/document-templates.md explains it with examples)::

    title: 個人データの漏えい等の事案に関する報告
    subtitle: （速報）
    field: overview.knew_at | 漏えい等を知った日時 | {{ overview.knew_at | jdatetime }}
    field!: deadlines.missed | 守られなかった期限 | …       (always marked for attention)
    section: 1 | 概要 | 規則8条1項1号                        (number | heading | citation)
    text: sections.lead | {{ s.text }}                       (a paragraph: prose, no label)
    note: 未確認の事項: …
    placeholder: （未設定）                                   (shown for an empty field after it)
    | another line of the block above

A field with an empty value shows the placeholder (default （未確認）) and is marked missing.
Fields before the first ``section:`` form the heading block. What ``{{ … }}`` prints from the
content is data: its line breaks stay inside the value and its ``|`` never splits a line, so
text typed by a user cannot add or break a block (what the template writes itself — its text,
a macro's output, ``super()`` — is markup).

Overrides: a file of the same name under ``ROUEI_TEMPLATES_DIR/documents/<kind slug>/`` (or
``ROUEI_TEMPLATES_DIR/documents/`` for the shared ``common.jinja``) wins over the built-in one;
``reference.docx`` there (per kind, or ``documents/reference.docx`` for all) is the Word file
the .docx starts from (letterhead, styles). ``rouei documents templates --export DIR`` copies the built-in files.

A Word template instead: ``document.docx`` in the kind's folder (or its override) is a docxtpl
template whose Jinja tags get the same variables as ``document.jinja``, in a sandbox of the
same kind; when present it makes the kind's .docx (``render_docx_template``). The page and the
PDF still follow ``document.jinja``. The page shows the Layout through the kind's ``page.html``
(Django, autoescaped: ``render_page``), which can be overridden too, with the parts it
includes (``documents/_report_layout.html``, ``documents/_field.html``).

The sandbox (jinja2's ``ImmutableSandboxedEnvironment``) sees only the kind's JSON content and
the filters below: no models, no settings, no ``_private`` attributes, no mutating methods.
A template that fails (syntax, an unknown name, a refused attribute, a bad markup line) raises
``TemplateFailed`` naming the file and line; pages and commands show that, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import markupsafe
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from rouei.documents.layout import Field, Layout, Section
from rouei.domain.jdates import format_date, wareki

KINDS_DIR = Path(__file__).with_name("kinds")
OVERRIDE_SUBDIR = "documents"
DOCUMENT_TEMPLATE = "document.jinja"
DOCX_TEMPLATE = "document.docx"  # a docxtpl (Word) template: the kind's .docx when present
PAGE_TEMPLATE = "page.html"  # the kind on its page (a Django template)
# The Django templates the pages include, also overridable (documents/<name>).
PAGE_PARTS_DIR = Path(__file__).parent / "templates" / OVERRIDE_SUBDIR
PAGE_PARTS = ("_report_layout.html", "_field.html")
EXAMPLES_SUBDIR = "examples"  # kinds/<folder>/examples/: exported, never used in place
COMMON_TEMPLATE = "common.jinja"
REFERENCE_DOCX = "reference.docx"
DEFAULT_PLACEHOLDER = "（未確認）"
JST = ZoneInfo("Asia/Tokyo")

# What ``{{ … }}`` prints is data: its line breaks and bars are carried as these control
# characters through the line parser and turned back afterwards.
_DATA_NEWLINE, _DATA_BAR = "\x1e", "\x1f"


class TemplateFailed(Exception):
    """A document template could not be used. ``name`` is as an administrator finds the file
    (``documents/ppc-report/document.jinja``), ``path`` where it is on the server, ``line`` the
    line in it (None when unknown), ``overridden`` whether it is the administrator's copy."""

    code = "document_template"

    def __init__(self, *, name: str, path: Path | None, line: int | None, reason: str,
                 overridden: bool):
        self.name, self.path, self.line, self.reason = name, path, line, reason
        self.overridden = overridden
        super().__init__(self.message("en"))

    def where(self) -> str:
        return f"{self.name}" + (f":{self.line}" if self.line else "")

    def message(self, lang: str = "ja") -> str:
        if lang == "ja":
            origin = "管理者が置いた" if self.overridden else "標準の"
            return (f"文書テンプレート（{origin} {self.where()}）を使えません: {self.reason}")
        origin = "the administrator's" if self.overridden else "the built-in"
        return f"The document template ({origin} {self.where()}) failed: {self.reason}"


# --- where the files are ----------------------------------------------------------------------

def override_dir() -> Path | None:
    """``ROUEI_TEMPLATES_DIR`` (settings), or None: the built-in templates only."""
    from django.conf import settings

    configured = getattr(settings, "ROUEI_TEMPLATES_DIR", None)
    return Path(configured) if configured else None


def _folder_of(slug: str) -> Path:
    return KINDS_DIR / slug.replace("-", "_")


def builtin_path(name: str) -> Path:
    """``ppc-report/document.jinja`` → the kind's folder; ``common.jinja`` → kinds/;
    ``_field.html`` → the app's templates/documents/."""
    slug, _, file = name.rpartition("/")
    if slug:
        return _folder_of(slug) / file
    return (PAGE_PARTS_DIR if file in PAGE_PARTS else KINDS_DIR) / file


def resolve(name: str, *, overrides: bool = True) -> tuple[Path, bool]:
    """(the file to use, whether it is an administrator's override)."""
    root = override_dir() if overrides else None
    if root is not None:
        candidate = root / OVERRIDE_SUBDIR / name
        if candidate.is_file():
            return candidate, True
    return builtin_path(name), False


def display_name(name: str) -> str:
    return f"{OVERRIDE_SUBDIR}/{name}"


def reference_docx(slug: str) -> Path | None:
    """The Word file a kind's .docx starts from (letterhead, styles), if there is one: the
    kind's own ``reference.docx``, else one for every kind (``documents/reference.docx``)."""
    for name in (f"{slug}/{REFERENCE_DOCX}", REFERENCE_DOCX):
        path, _ = resolve(name)
        if path.is_file():
            return path
    return None


def reference_failed(path: Path, reason: str) -> TemplateFailed:
    """A ``reference.docx`` python-docx cannot start from, as a template failure."""
    root = override_dir()
    name = REFERENCE_DOCX
    if root is not None and path.is_relative_to(root / OVERRIDE_SUBDIR):
        name = str(path.relative_to(root / OVERRIDE_SUBDIR))
    return TemplateFailed(name=display_name(name), path=path, line=None, reason=reason,
                          overridden=root is not None and path.is_relative_to(root))


def builtin_files() -> list[tuple[str, Path]]:
    """Every built-in template file as (name under ROUEI_TEMPLATES_DIR/documents, path)."""
    files = [(COMMON_TEMPLATE, KINDS_DIR / COMMON_TEMPLATE)]
    for folder in sorted(p for p in KINDS_DIR.iterdir() if (p / DOCUMENT_TEMPLATE).is_file()):
        slug = folder.name.replace("_", "-")
        files += [(f"{slug}/{f.name}", f) for f in sorted(folder.iterdir())
                  if f.name in (DOCUMENT_TEMPLATE, DOCX_TEMPLATE, PAGE_TEMPLATE, REFERENCE_DOCX)]
    return files + [(name, PAGE_PARTS_DIR / name) for name in PAGE_PARTS]


def example_files() -> list[tuple[str, Path]]:
    """The example templates shipped to start from (``kinds/<folder>/examples/<file>``) as
    (name under ROUEI_TEMPLATES_DIR/documents: ``examples/<kind>/<file>``, path). Under
    ``examples/`` they are not used; copied to ``<kind>/`` they are."""
    return [(f"{EXAMPLES_SUBDIR}/{folder.name.replace('_', '-')}/{f.name}", f)
            for folder in sorted(KINDS_DIR.iterdir()) if (folder / EXAMPLES_SUBDIR).is_dir()
            for f in sorted((folder / EXAMPLES_SUBDIR).iterdir()) if f.is_file()]


def docx_template(slug: str) -> tuple[Path, bool] | None:
    """The kind's Word template (``document.docx``) and whether it is the administrator's, or
    None: the .docx is drawn from ``document.jinja``."""
    path, overridden = resolve(f"{slug}/{DOCX_TEMPLATE}")
    return (path, overridden) if path.is_file() else None


class _Loader(jinja2.BaseLoader):
    def __init__(self, overrides: bool):
        self.overrides = overrides

    def get_source(self, environment, template):
        # No "..", no absolute names: a template reads only the templates (jinja2's own rule).
        template = "/".join(jinja2.loaders.split_template_path(template))
        path, _ = resolve(template, overrides=self.overrides)
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        mtime = path.stat().st_mtime
        # Up to date while the same file is chosen (an override added or removed) unchanged.
        return (path.read_text(encoding="utf-8"), str(path),
                lambda: resolve(template, overrides=self.overrides)[0] == path and path.is_file()
                and path.stat().st_mtime == mtime)


# --- the filters: Japanese dates, times in JST, yen, people -------------------------------------

def _as_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(JST).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if "T" in text:
        return _as_datetime(text).date()
    return dt.date.fromisoformat(text)


def _as_datetime(value) -> dt.datetime | None:
    if value in (None, ""):
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.astimezone(JST) if moment.tzinfo else moment


def wareki_filter(value) -> str:
    """令和8年12月6日 (和暦, as official forms write a date); "" for none."""
    day = _as_date(value)
    return wareki(day) if day else ""


def jdate_filter(value) -> str:
    """2026年12月6日（日） (西暦 with the weekday)."""
    day = _as_date(value)
    return format_date(day) if day else ""


def seireki_filter(value) -> str:
    """2026年12月6日 (西暦, no weekday)."""
    day = _as_date(value)
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def jtime_filter(value) -> str:
    """10時20分, in Japan time (JST)."""
    moment = _as_datetime(value)
    return f"{moment.hour}時{moment.minute:02d}分" if moment else ""


def jdatetime_filter(value) -> str:
    """2026年11月18日（水）10時20分, in Japan time (JST)."""
    moment = _as_datetime(value)
    return f"{format_date(moment.date())}{jtime_filter(moment)}" if moment else ""


def number_filter(value) -> str:
    """1,234 (thousands separated)."""
    return "" if value in (None, "") else f"{int(value):,}"


def yen_filter(value) -> str:
    """1,234,000円."""
    return "" if value in (None, "") else f"{int(value):,}円"


def people_filter(value) -> str:
    """1,234人."""
    return "" if value in (None, "") else f"{int(value):,}人"


def bullets_filter(lines) -> str:
    """One line per entry, each after ・ ("" for none)."""
    return "\n".join(f"・{line}" for line in (lines or ()))


FILTERS = {"wareki": wareki_filter, "jdate": jdate_filter, "seireki": seireki_filter,
           "jtime": jtime_filter, "jdatetime": jdatetime_filter, "number": number_filter,
           "yen": yen_filter, "people": people_filter, "bullets": bullets_filter}


def _as_data(value):
    """``finalize``: what ``{{ … }}`` prints cannot start, end or split a block. What the
    template itself wrote (a macro's output, ``super()``, a block) comes as ``Markup`` from the
    autoescaping environment and is markup; anything else is data (escaped by the environment
    too, so ``parse`` reads every piece back with ``html.unescape``)."""
    if value is None:
        return ""
    if isinstance(value, markupsafe.Markup):
        return value
    return str(value).replace("\n", _DATA_NEWLINE).replace("|", _DATA_BAR)


class _Environment(ImmutableSandboxedEnvironment):
    def getattr(self, obj, attribute):
        # ``report.items.items`` means the key, not dict.items (the content is JSON).
        if isinstance(obj, Mapping) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


@cache
def environment(overrides: bool = True) -> _Environment:
    # Not trim_blocks: a line ending in {% endif %} keeps its line break; the lines a
    # block tag leaves empty are skipped by ``parse``.
    env = _Environment(loader=_Loader(overrides), undefined=jinja2.StrictUndefined, lstrip_blocks=True,
                       autoescape=True, finalize=_as_data, auto_reload=True)
    env.filters.update(FILTERS)
    return env


@cache
def docx_environment() -> _Environment:
    """The sandbox for Word templates: the same filters and the same refusals as
    ``environment``; what ``{{ … }}`` prints is XML-escaped (docxtpl turns its line breaks into
    Word line breaks), so text typed by a user cannot change the document's structure."""
    env = _Environment(undefined=jinja2.StrictUndefined, autoescape=True,
                       finalize=lambda value: "" if value is None else value)  # None: nothing
    env.filters.update(FILTERS)
    return env


# --- from the rendered markup to a Layout -------------------------------------------------------

class _MarkupError(ValueError):
    def __init__(self, line: str, reason: str):
        self.line, self.reason = line, reason
        super().__init__(reason)


_DIRECTIVES = ("title", "subtitle", "section", "field", "field!", "text", "note", "placeholder")


def _restore(text: str) -> str:
    if _DATA_NEWLINE in text or _DATA_BAR in text:
        text = text.replace(_DATA_NEWLINE, "\n").replace(_DATA_BAR, "|")
    return html.unescape(text) if "&" in text else text


def _parts(rest: str, count: int, line: str) -> list[str]:
    parts = rest.split("|", count - 1)
    if len(parts) < count:
        raise _MarkupError(line, f"{count} parts separated by | expected")
    return parts


def parse(markup: str) -> Layout:
    """The rendered markup as a ``Layout`` (see the module's docstring)."""
    title = subtitle = ""
    head: list[Field] = []
    sections: list[tuple[str, str, str, list[Field]]] = []
    notes: list[str] = []
    placeholder = DEFAULT_PLACEHOLDER
    blocks: list[dict] = []  # each field/text/note as it is read, continuation lines added

    for raw in markup.split("\n"):
        line = raw.rstrip(" \t\r")
        if not line.strip():
            continue
        if line.startswith("|"):
            if not blocks:
                raise _MarkupError(line, "a continuation line (|) before any block")
            blocks[-1]["lines"].append(_restore(line[1:].removeprefix(" ")))
            continue
        directive, sep, rest = line.partition(":")
        directive = directive.strip()
        if not sep or directive not in _DIRECTIVES:
            raise _MarkupError(line, "a line must start with one of "
                                     + ", ".join(f"{d}:" for d in _DIRECTIVES) + " or |")
        rest = rest.removeprefix(" ")
        if directive in ("title", "subtitle"):
            block = {"kind": directive, "lines": [_restore(rest.strip(" "))]}
        elif directive == "placeholder":
            placeholder = _restore(rest.strip(" "))
            continue
        elif directive == "section":
            parts = [p.strip(" ") for p in rest.split("|", 2)]
            number, heading, citation = [*parts, "", ""][:3]
            sections.append((_restore(number), _restore(heading), _restore(citation), []))
            continue
        elif directive in ("field", "field!"):
            key, label, value = _parts(rest, 3, line)
            block = {"kind": "field", "key": _restore(key.strip(" ")),
                     "label": _restore(label.strip(" ")), "flag": directive == "field!",
                     "placeholder": placeholder, "lines": [_restore(value.strip(" "))]}
        elif directive == "text":
            key, value = _parts(rest, 2, line)
            block = {"kind": "text", "key": _restore(key.strip(" ")),
                     "lines": [_restore(value.strip(" "))]}
        else:
            block = {"kind": "note", "lines": [_restore(rest.strip(" "))]}
        block["section"] = len(sections) - 1
        blocks.append(block)

    for block in blocks:
        lines = block["lines"]
        while lines and not lines[0]:  # a value that starts on the next line
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        value = "\n".join(lines)
        kind = block["kind"]
        if kind == "title":
            title = value
        elif kind == "subtitle":
            subtitle = value
        elif kind == "note":
            notes.append(value)
        else:
            if kind == "text":
                item = Field(block["key"], "", value)
            else:
                item = Field(block["key"], block["label"], value or block["placeholder"],
                             missing=block["flag"] or not value)
            (sections[block["section"]][3] if block["section"] >= 0 else head).append(item)
    return Layout(title=title, subtitle=subtitle, head=tuple(head),
                  sections=tuple(Section(n, h, tuple(f), c) for n, h, c, f in sections),
                  notes=tuple(notes))


# --- rendering, with errors that name the file and line ------------------------------------------

@dataclass(frozen=True)
class _Where:
    name: str
    path: Path | None
    line: int | None
    overridden: bool


def _name_of(path_text: str | None, fallback: str) -> str:
    """The template name (as under ROUEI_TEMPLATES_DIR/documents) of a file path."""
    if path_text:
        path = Path(path_text)
        for name in (fallback, COMMON_TEMPLATE):
            for candidate in (builtin_path(name), *(
                    [override_dir() / OVERRIDE_SUBDIR / name] if override_dir() else [])):
                if candidate == path:
                    return name
    return fallback


def _where_in_traceback(exc: BaseException, name: str) -> _Where:
    """The innermost template frame of a runtime error (jinja2 rewrites its frames so that
    they carry the template's file name and line)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".jinja"):
            found = _name_of(frame.filename, name)
            path, overridden = resolve(found)
            return _Where(found, path, frame.lineno, overridden)
    path, overridden = resolve(name)
    return _Where(name, path, None, overridden)


def _markup_line(source: str, line: str) -> int | None:
    """The template line a wrong output line came from: the only one that starts with the
    longest possible start of it (the literal text, before any data)."""
    lines = [text.strip() for text in source.split("\n")]
    text = line.strip()
    for length in range(len(text), 2, -1):
        hits = [number for number, source_line in enumerate(lines, start=1)
                if source_line.startswith(text[:length])]
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None  # several lines start alike
    return None


def _variables(content: dict) -> dict:
    return {"document": content, **{k: v for k, v in content.items() if k.isidentifier()}}


def render_layout(slug: str, content: dict, *, overrides: bool = True) -> Layout:
    """The kind's template rendered for ``content`` (its JSON export) as a ``Layout``;
    ``overrides`` False: the built-in template whatever the administrator put in place (the
    public page of a notice, which must not go down with an administrator's mistake)."""
    name = f"{slug}/{DOCUMENT_TEMPLATE}"
    env = environment(overrides)
    try:
        template = env.get_template(name)
        markup = template.render(_variables(content))
    except jinja2.TemplateSyntaxError as exc:
        found = _name_of(exc.filename, name)
        path, overridden = resolve(found)
        raise TemplateFailed(name=display_name(found), path=path, line=exc.lineno,
                             reason=f"syntax: {exc.message}", overridden=overridden) from None
    except jinja2.TemplateNotFound as exc:
        path, overridden = resolve(name)
        raise TemplateFailed(name=display_name(name), path=path, line=None,
                             reason=f"not found: {exc.name}", overridden=overridden) from None
    except SecurityError as exc:
        where = _where_in_traceback(exc, name)
        raise TemplateFailed(name=display_name(where.name), path=where.path, line=where.line,
                             reason=f"refused by the sandbox: {exc}",
                             overridden=where.overridden) from None
    except Exception as exc:  # an unknown name, a filter given a wrong value …
        where = _where_in_traceback(exc, name)
        raise TemplateFailed(name=display_name(where.name), path=where.path, line=where.line,
                             reason=f"{type(exc).__name__}: {exc}",
                             overridden=where.overridden) from None
    try:
        return parse(markup)
    except _MarkupError as exc:
        path, overridden = resolve(name)
        source = path.read_text(encoding="utf-8") if path.is_file() else ""
        shown = _restore(exc.line)[:80]
        raise TemplateFailed(name=display_name(name), path=path,
                             line=_markup_line(source, exc.line),
                             reason=f"{exc.reason}: “{shown}”",
                             overridden=overridden) from None


def render_docx_template(slug: str, content: dict) -> bytes | None:
    """The kind's .docx from its Word template (docxtpl) for ``content``, or None when the kind
    has no ``document.docx``. Failures raise ``TemplateFailed`` (no line: docxtpl's lines are
    the Word file's XML; the reason quotes the text near a syntax error instead)."""
    found = docx_template(slug)
    if found is None:
        return None
    from docxtpl import DocxTemplate

    path, overridden = found
    name = display_name(f"{slug}/{DOCX_TEMPLATE}")
    try:
        template = DocxTemplate(str(path))
        template.init_docx()
    except Exception as exc:  # not a Word file (python-docx raises several kinds)
        raise TemplateFailed(name=name, path=path, line=None, overridden=overridden,
                             reason=f"not a Word (.docx) file ({type(exc).__name__})") from None
    try:
        template.render(_variables(content), jinja_env=docx_environment())
        out = io.BytesIO()
        template.save(out)
    except jinja2.TemplateSyntaxError as exc:
        near = " ".join(t.strip() for t in getattr(exc, "docx_context", ()) if t.strip())
        raise TemplateFailed(name=name, path=path, line=None, overridden=overridden,
                             reason=f"syntax: {exc.message}"
                                    + (f" (near “{near[:80]}”)" if near else "")) from None
    except SecurityError as exc:
        raise TemplateFailed(name=name, path=path, line=None, overridden=overridden,
                             reason=f"refused by the sandbox: {exc}") from None
    except Exception as exc:  # an unknown name, a filter given a wrong value …
        raise TemplateFailed(name=name, path=path, line=None, overridden=overridden,
                             reason=f"{type(exc).__name__}: {exc}") from None
    return out.getvalue()


# --- the kind's page (a Django template, autoescaped) ---------------------------------------------

@cache
def _page_engine(root: str | None):
    """Django templates for the kinds' pages: ``documents/_report_layout.html`` and the other
    files a page includes are looked up under ROUEI_TEMPLATES_DIR first, then in the apps.
    ``debug``: errors carry the file and line (``template_debug``)."""
    from django.template import Engine
    from django.template.backends.django import get_installed_libraries

    loaders = [("django.template.loaders.filesystem.Loader", [root])] if root else []
    return Engine(loaders=[*loaders, "django.template.loaders.app_directories.Loader"],
                  libraries=get_installed_libraries(), debug=True, autoescape=True)


def render_page(slug: str, context: dict) -> str:
    """The kind's ``page.html`` (the administrator's ``documents/<kind>/page.html`` when there
    is one) rendered for ``context``; what it prints is HTML-escaped unless the template says
    otherwise. A template that cannot be used raises ``TemplateFailed`` with its file and
    line."""
    from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError

    name = f"{slug}/{PAGE_TEMPLATE}"
    path, overridden = resolve(name)
    root = override_dir()
    try:
        template = _page_engine(str(root) if root else None).from_string(
            path.read_text(encoding="utf-8"))
        return template.render(Context(context))
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        debug = getattr(exc, "template_debug", None) or {}
        found = Path(debug.get("name") or "")
        if found.name in PAGE_PARTS:  # the error is in an included part
            name, path = found.name, found
            overridden = root is not None and found.is_relative_to(root)
        reason = (f"not found: {exc}" if isinstance(exc, TemplateDoesNotExist)
                  else f"syntax: {exc}")
        raise TemplateFailed(name=display_name(name), path=path, line=debug.get("line"),
                             reason=reason, overridden=overridden) from None
