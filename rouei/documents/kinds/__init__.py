"""Document kinds, found by folder: every package under ``rouei/documents/kinds/`` declares
``KIND = DocumentKind(...)`` in its ``__init__``; adding a kind is adding a folder (the
meta-test ``tests/documents/test_kinds.py`` renders every kind in every format it declares)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FORMATS = ("json", "docx", "pdf")
# The kinds of issue 13 not built yet: ``rouei documents render`` names them and says so.
PLANNED: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentKind:
    slug: str  # as the CLI and the URLs write it: "ppc-report"
    label: str  # Japanese, as the document is titled
    label_en: str
    formats: tuple[str, ...]  # a subset of FORMATS
    stages: tuple[str, ...]  # () for a kind without stages
    # (incident, stage, now) → the JSON-ready content: the structured export
    build: Callable[..., dict[str, Any]]
    # (incident) → the stage to show first
    default_stage: Callable[[Any], str | None]
    page_template: Path  # the built-in page.html in its folder (ROUEI_TEMPLATES_DIR overrides it)
    # (incident) → whether the kind is offered for it and why (``.offered``, ``.why``,
    # ``.why_en``, ``.details``); None: always offered. A kind offered only where a duty applies
    # (the My Number Act report) says why not instead of a document nobody owes.
    availability: Callable[[Any], Any] | None = None

    def offered_for(self, incident):
        """None when offered; else the ``availability`` answer that says why not."""
        if self.availability is None:
            return None
        answer = self.availability(incident)
        return None if answer.offered else answer

    def label_in(self, lang: str) -> str:
        return self.label if lang == "ja" else self.label_en

    def layout(self, content: dict[str, Any], *, overrides: bool = True):
        """The Layout the page, Word and PDF are drawn from: the kind's template
        (``document.jinja`` in its folder, or the administrator's copy unless ``overrides`` is
        False) rendered for ``content``. ``TemplateFailed`` names the file and line when it
        cannot be used."""
        from rouei.documents.templating import render_layout

        return render_layout(self.slug, content, overrides=overrides)


class UnknownKind(LookupError):
    def __init__(self, slug: str):
        self.slug = slug
        self.planned = slug in PLANNED
        super().__init__(slug)


@cache
def kind_modules() -> tuple:
    package = importlib.import_module(__name__)
    modules = [importlib.import_module(f"{__name__}.{info.name}")
               for info in pkgutil.iter_modules(package.__path__) if info.ispkg]
    return tuple(sorted(modules, key=lambda m: m.__name__))


def all_kinds() -> tuple[DocumentKind, ...]:
    return tuple(m.KIND for m in kind_modules())


def get_kind(slug: str) -> DocumentKind:
    for kind in all_kinds():
        if kind.slug == slug:
            return kind
    raise UnknownKind(slug)
