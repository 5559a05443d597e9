"""No developer text on a user's screen (issue 11, guard rail 6): the /assess/ result and the
incident page show no knowledge-file sections, source tags, module paths, file names or
command-line options, whatever the facts."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum

import pytest
from django.urls import reverse

from rouei.assessments.forms import FACT_KEYS
from rouei.demo import demo_facts
from rouei.domain.facts import Facts, parse_facts
from rouei.incidents import actions

pytestmark = pytest.mark.django_db

DEVELOPER_TEXT = {
    "knowledge file": re.compile(r"\b[a-z-]+\.md\b"),
    "section sign": re.compile(r"§"),
    "source tag": re.compile(r"\[[A-Z0-9][A-Za-z0-9.\-]*\]"),
    "module path": re.compile(r"\brouei\.[a-z_]+"),
    "python file": re.compile(r"\b[a-z_]+\.py\b"),
    "command-line option": re.compile(r"(?<![\w-])--[a-z][a-z-]+"),
    "fact field name": re.compile(r"\b(?:people_confirmed|people_estimated|social_responsibility"
                                  r"|response_quality)\b"),
}
# On the Japanese pages a statute is cited in Japanese (the English pages keep "APPI Art. 26").
ENGLISH_STATUTE = re.compile(r"\b(?:APPI|UCPA|Civil Code|My Number Act) Arts?\.")

# A case that reaches most notes: sensitive and My Number data, level conflicts, unknowns.
WIDE_CASE = {"items": ["person_name", "address", "medical_history", "disability", "my_number",
                       "credit_card"],
             "people_estimated": 1_500, "knew_at": "2026-11-24", "cause": "insider_theft"}


def visible_text(html: str) -> str:
    """What a reader sees: no tags, scripts, styles or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


def developer_text_in(html: str, lang: str = "ja") -> dict[str, list[str]]:
    text = visible_text(html)
    patterns = {**DEVELOPER_TEXT, **({"English statute": ENGLISH_STATUTE} if lang == "ja" else {})}
    return {name: found for name, pattern in patterns.items() if (found := pattern.findall(text))}


def form_data(facts: Facts) -> dict:
    """``facts`` as the /assess/ form posts them."""
    data = {}
    for key in FACT_KEYS:
        value = getattr(facts, key)
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, Enum):
            value = value.value
        elif isinstance(value, dt.datetime):
            value = value.strftime("%Y-%m-%d" if key == "knew_at" else "%Y-%m-%dT%H:%M")
        elif isinstance(value, tuple):
            value = list(value)
        data[key] = value
    return data


def test_developer_text_patterns_fire_on_developer_text():
    page = ("<p>JNSA JO model [JNSA05] (appi.md §8.1) rouei.domain.damage --prices "
            "APPI Art. 26(1)</p>")
    assert set(developer_text_in(page)) == {"knowledge file", "section sign", "source tag",
                                            "module path", "command-line option",
                                            "English statute"}


def test_developer_text_patterns_ignore_plain_japanese_and_markup():
    page = ('<a href="https://www.ppc.go.jp/personalinfo/legal/" data-key="report_to_ppc">'
            "個人情報保護法施行規則7条4号</a><script>var a = [1];</script>")
    assert developer_text_in(page) == {}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("case", ["demo", "wide"])
def test_assess_result_shows_no_developer_text(logged_in_client, lang, case):
    facts = demo_facts() if case == "demo" else parse_facts(WIDE_CASE)
    logged_in_client.cookies["django_language"] = lang
    response = logged_in_client.post(reverse("assessments:assess"), form_data(facts))
    page = response.content.decode()
    assert 'id="result"' in page
    assert developer_text_in(page, lang) == {}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_incident_page_shows_no_developer_text(logged_in_client, user, lang):
    incident = actions.do_create_incident(title="インサイダーによる持ち出し", summary="",
                                          organisation="", facts=WIDE_CASE, actor=user)
    logged_in_client.cookies["django_language"] = lang
    page = logged_in_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert 'id="estimate"' in page  # the exposure and damage estimate card is on the page
    assert developer_text_in(page, lang) == {}
