"""Reads of the public notice in versions: the frozen form of a content (canonical JSON and its
SHA-256), the versions of an incident with what changed from each one's predecessor, the public
page by its token, and the rows of the draft form (each section's text now, whether a person
rewrote it, and whether the facts moved since)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from rouei.documents.kinds.public_notice import context
from rouei.documents.kinds.public_notice.diff import NoticeDiff, compare
from rouei.documents.models import NoticeDraft, NoticeVersion, PublicNoticePage


def canonical(content: dict) -> str:
    """The one text form of a content: sorted keys, no spaces, UTF-8 characters as they are.
    A version's SHA-256 is of these bytes (UTF-8)."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PublishedVersion:
    version: NoticeVersion
    content: dict
    changes: NoticeDiff | None  # from the version before; None for the first

    @property
    def label(self) -> str:
        return self.content["notice"]["version_label"]


def versions(incident) -> list[PublishedVersion]:
    """The published versions, oldest first, each with what changed since the one before."""
    out: list[PublishedVersion] = []
    previous = None
    for version in NoticeVersion.objects.filter(incident=incident).order_by("number"):
        content = version.content
        out.append(PublishedVersion(version, content,
                                    compare(previous, content) if previous else None))
        previous = content
    return out


def page_for_token(token: str) -> PublicNoticePage | None:
    if not token or len(token) > 64:
        return None
    return PublicNoticePage.objects.select_related("incident").filter(token=token).first()


def page_of(incident) -> PublicNoticePage | None:
    return PublicNoticePage.objects.filter(incident=incident).first()


def draft_of(incident) -> NoticeDraft | None:
    return NoticeDraft.objects.filter(incident=incident).first()


@dataclass(frozen=True)
class DraftRow:
    key: str
    heading: str
    text: str  # what the next version will say
    drafted: str  # what rouei drafts from the incident now
    edited: bool  # a person rewrote it
    facts_moved: bool  # rewritten, and the drafted text changed since (look again)


def draft_rows(incident) -> list[DraftRow]:
    draft = draft_of(incident)
    drafted = context.drafted_sections(incident)
    edits = (draft.sections if draft else {}) or {}
    rows = []
    for key in context.EDITABLE:
        edit = edits.get(key)
        rows.append(DraftRow(
            key=key, heading=context.HEADINGS[key] or "リード文（冒頭のお詫びと概要）",
            text=edit["text"] if edit else drafted[key], drafted=drafted[key],
            edited=edit is not None,
            facts_moved=edit is not None and edit.get("based_on") != drafted[key]))
    return rows
