"""The public notice laid out as real notices are: the title, the version and date with the
company's name, the lead, then the numbered sections as prose. Pure Python: the content
(``context.build``) in, a ``Layout`` out; a field without a label is a paragraph."""

from __future__ import annotations

from rouei.documents.layout import Field, Layout, Section


def layout(content: dict) -> Layout:
    notice = content["notice"]
    subtitle = "　".join(part for part in (notice["version_label"], notice["date_text"],
                                          notice["organisation"] or "") if part)
    sections = tuple(
        Section(s["number"], s["heading"], (Field(f"sections.{s['key']}", "", s["text"]),))
        for s in content["sections"])
    notes = tuple(f"未確認の事項: {m['label']}" for m in content["missing"])
    title = f"【{notice['version_label']}】{notice['title']}" if notice["version"] > 1 \
        else notice["title"]
    return Layout(title=title, subtitle=subtitle, head=(), sections=sections, notes=notes)
