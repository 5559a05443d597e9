"""Money and counts as the pages show them (``{% load rouei_format %}``)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from rouei.ui.templatetags.rouei_format import yen_text


@pytest.mark.parametrize(("amount", "text"), [
    (None, "—"),
    (0, "0円"),
    (999_999, "999,999円"),
    (1_000_000, "100万円"),
    (936_000_000, "9億3,600万円"),
    (123_456_789, "1億2,345万6,789円"),
])
def test_yen_text_japanese_uses_man_and_oku_from_one_million(amount, text):
    assert yen_text(amount, "ja") == text


def test_yen_text_english_is_yen_sign_with_separators():
    assert yen_text(1_234_567, "en") == "¥1,234,567"


@given(st.integers(0, 10**13))
def test_yen_text_japanese_reads_back_to_the_same_amount(amount):
    text = yen_text(amount, "ja").removesuffix("円").replace(",", "")
    oku, _, rest = text.rpartition("億")
    man, _, yen = rest.rpartition("万")
    assert int(oku or 0) * 100_000_000 + int(man or 0) * 10_000 + int(yen or 0) == amount


def test_yen_filter_follows_the_active_language():
    template = Template("{% load rouei_format %}{{ amount|yen }}")
    with translation.override("en"):
        english = template.render(Context({"amount": 5_000}))
    with translation.override("ja"):
        japanese = template.render(Context({"amount": 5_000}))
    assert (english, japanese) == ("¥5,000", "5,000円")
