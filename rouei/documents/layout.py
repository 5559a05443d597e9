"""A document laid out for people: a title, heading lines and numbered sections of labelled
fields in the order the official form asks for them. The page, the Word file and the PDF are
all drawn from one ``Layout``, so they cannot disagree. Pure Python (no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    key: str  # stable: "overview.knew_at" (the JSON path; copy buttons and tests use it)
    label: str
    value: str  # what a clerk copies into the form; "" when missing
    missing: bool = False


@dataclass(frozen=True)
class Section:
    number: str  # "1" … "9", or "" for the heading block
    heading: str
    fields: tuple[Field, ...]
    citation: str = ""


@dataclass(frozen=True)
class Layout:
    title: str
    subtitle: str
    head: tuple[Field, ...]
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def fields(self) -> dict[str, Field]:
        """Every field by key (head first, then the sections in order)."""
        out = {f.key: f for f in self.head}
        for section in self.sections:
            out.update((f.key, f) for f in section.fields)
        return out

    def text(self) -> str:
        """The whole document as plain text (what a reader of any format sees)."""
        lines = [self.title, self.subtitle]
        lines += [f"{f.label}: {f.value}" for f in self.head]
        for section in self.sections:
            if section.number or section.heading:
                lines.append(f"{section.number} {section.heading}".strip())
            lines += [f"{f.label}: {f.value}" if f.label else f.value for f in section.fields]
        lines += list(self.notes)
        return "\n".join(lines)
