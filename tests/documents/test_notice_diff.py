"""What changed between two versions of the notice: figures before and after, and per section
the text with the removed and added runs (a changed count is one number for another)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rouei.documents.kinds.public_notice.diff import Span, compare, pieces, text_spans

TEXT = st.text(alphabet=st.sampled_from("漏えいお客様名、。0123456789,abc \n"), max_size=60)


def content(text: str, people: str, *, extra: bool = False) -> dict:
    sections = [{"key": "lead", "heading": "", "text": text}]
    if extra:
        sections.append({"key": "delay_reason", "heading": "公表までに時間を要した理由",
                         "text": "調査のため"})
    return {"sections": sections,
            "figures": [{"key": "people_confirmed", "label": "影響人数", "value": people}]}


def test_a_number_with_separators_is_one_piece():
    assert pieces("対象1,200名") == ["対", "象", "1,200", "名"]


def test_a_changed_count_is_one_number_replaced():
    spans = text_spans("対象は1,200名です。", "対象は3,400名です。")
    assert spans == (Span("same", "対象は"), Span("removed", "1,200"), Span("added", "3,400"),
                     Span("same", "名です。"))


def test_the_changed_figure_has_before_and_after():
    changes = compare(content("a", "1,200名"), content("a", "3,400名"))
    figure = changes.figures[0]
    assert (figure.label, figure.before, figure.after) == ("影響人数", "1,200名", "3,400名")


def test_an_unchanged_notice_has_no_changes():
    assert compare(content("同じ", "1名"), content("同じ", "1名")).empty is True


def test_a_new_section_is_added():
    changes = compare(content("a", "1名"), content("a", "1名", extra=True))
    assert [(s.key, s.status) for s in changes.sections] == [("delay_reason", "added")]


def test_a_dropped_section_is_removed():
    changes = compare(content("a", "1名", extra=True), content("a", "1名"))
    assert [(s.key, s.status) for s in changes.sections] == [("delay_reason", "removed")]


@given(TEXT, TEXT)
def test_the_spans_rebuild_the_old_text(before, after):
    spans = text_spans(before, after)
    assert "".join(s.text for s in spans if s.op != "added") == before


@given(TEXT, TEXT)
def test_the_spans_rebuild_the_new_text(before, after):
    spans = text_spans(before, after)
    assert "".join(s.text for s in spans if s.op != "removed") == after


@given(TEXT)
def test_the_pieces_rebuild_the_text(text):
    assert "".join(pieces(text)) == text
