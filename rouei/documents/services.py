"""Rendering a document kind for an incident in one of its formats (the page, the downloads
and ``rouei documents render`` all come here; the audited door is ``actions.do_render``)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from rouei.documents.kinds import DocumentKind

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str  # ASCII: the incident id, the kind, the stage


def export_json(report: dict) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")


def render(kind: DocumentKind, incident, *, stage: str | None, fmt: str, now=None) -> Rendered:
    if fmt not in kind.formats:
        raise ValueError(f"{kind.slug} has no format {fmt!r}")
    if kind.stages and stage is None:
        stage = kind.default_stage(incident)
    report = kind.build(incident, stage, now)
    if fmt == "json":
        content = export_json(report)
    elif fmt == "docx":
        from rouei.documents.renderers.docx import render_docx

        content = render_docx(kind.layout(report))
    else:
        from rouei.documents.renderers.pdf import render_pdf

        content = render_pdf(kind.layout(report))
    name = f"incident-{incident.pk}-{kind.slug}" + (f"-{stage}" if stage else "") + f".{fmt}"
    return Rendered(content, CONTENT_TYPES[fmt], name)
