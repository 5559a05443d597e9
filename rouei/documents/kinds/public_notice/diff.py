"""What changed between two published versions of the notice, for readers: the figures that
changed (影響人数 1,200名 → 3,400名) and, per section, the text with what was removed and what
was added marked. Each version must agree with the last unless it says what changed
(notices-and-victims.md §3): this is the reader's way to see it. Pure Python.

Japanese has no spaces, so the text is compared in small pieces: a number with its separators
(「12,000」) is one piece, so that a changed count shows as one number replaced by another and
not as digits shuffled; a run of Latin letters is one piece; any other character is its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_PIECE = re.compile(r"[0-9０-９][0-9０-９,，.]*|[A-Za-z]+|\s|.", re.DOTALL)


def pieces(text: str) -> list[str]:
    return _PIECE.findall(text)


@dataclass(frozen=True)
class Span:
    op: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class SectionChange:
    key: str
    heading: str
    status: str  # "changed", "added" or "removed"
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class FigureChange:
    key: str
    label: str
    before: str  # "" when the figure is new
    after: str  # "" when the figure is gone


@dataclass(frozen=True)
class NoticeDiff:
    figures: tuple[FigureChange, ...]
    sections: tuple[SectionChange, ...]

    @property
    def empty(self) -> bool:
        return not self.figures and not self.sections


def text_spans(before: str, after: str) -> tuple[Span, ...]:
    """``before`` → ``after`` as spans: equal runs, removed runs before the added runs that
    replace them; adjacent spans of one kind merged."""
    old, new = pieces(before), pieces(after)
    out: list[Span] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1].op == op:
            out[-1] = Span(op, out[-1].text + text)
        else:
            out.append(Span(op, text))

    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", "".join(old[i1:i2]))
        else:
            add("removed", "".join(old[i1:i2]))
            add("added", "".join(new[j1:j2]))
    return tuple(out)


def compare(before: dict, after: dict) -> NoticeDiff:
    """Two notice contents (``context.build`` as published) compared."""
    old_figures = {f["key"]: f for f in before.get("figures", ())}
    new_figures = {f["key"]: f for f in after.get("figures", ())}
    figures = []
    for key, new in new_figures.items():
        old = old_figures.get(key)
        if old is None or old["value"] != new["value"]:
            figures.append(FigureChange(key, new["label"], old["value"] if old else "",
                                        new["value"]))
    figures += [FigureChange(key, old["label"], old["value"], "")
                for key, old in old_figures.items() if key not in new_figures]

    old_sections = {s["key"]: s for s in before.get("sections", ())}
    new_sections = {s["key"]: s for s in after.get("sections", ())}
    sections = []
    for key, new in new_sections.items():
        old = old_sections.get(key)
        if old is None:
            sections.append(SectionChange(key, new["heading"], "added",
                                          (Span("added", new["text"]),)))
        elif old["text"] != new["text"]:
            sections.append(SectionChange(key, new["heading"], "changed",
                                          text_spans(old["text"], new["text"])))
    sections += [SectionChange(key, old["heading"], "removed", (Span("removed", old["text"]),))
                 for key, old in old_sections.items() if key not in new_sections]
    return NoticeDiff(tuple(figures), tuple(sections))
