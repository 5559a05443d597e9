"""Citations on the pages: plain Japanese and links to the official texts, no provenance."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings

from rouei.domain.assessment import assess
from rouei.domain.penalties import exposure
from rouei.ui.citations import APPI_QA, APPI_TEXT, PPC_GUIDELINES, plain_citation
from tests.domain.test_assessment_properties import facts

# What a maintainer writes beside a citation and a reader must never see.
PROVENANCE = re.compile(r"\.md\b|§|\[[A-Z0-9][A-Za-z0-9.\-]*\]|\brouei\.[a-z_]+|response-practice")


@pytest.mark.parametrize(("raw", "shown"), [
    ("APPI Art. 26(1); PPC Rules Arts. 7, 8", "個人情報保護法26条1項、個人情報保護法施行規則7条・8条"),
    ("APPI Arts. 178, 184(1)(i)", "個人情報保護法178条・184条1項1号"),
    ("APPI Arts. 146–148; [STAT23] (appi.md §7.1)", "個人情報保護法146条〜148条"),
    ("My Number Act Art. 29-4; PPC Rules (My Number) Art. 2 (appi.md §6)",
     "番号法29条の4、特定個人情報漏えい等報告規則2条"),
    ("Civil Code Arts. 709, 710 (appi.md §7.3; response-practice.md §1)", "民法709条・710条"),
    ("UCPA Arts. 21, 22 [UCPA][ITLAW-B2] (appi.md §7.2)", "不正競争防止法21条・22条"),
    ("規則8条2項; GL 3-5-3-4", "個人情報保護法施行規則8条2項、ガイドライン（通則編）3-5-3-4"),
    ("JNSA JO model [JNSA05][THINKIT] (appi.md §8.1)", "JNSA「JO モデル」"),
])
def test_plain_citation_japanese_spells_out_the_statute(raw, shown):
    assert plain_citation(raw, "ja").text == shown


@pytest.mark.parametrize("raw", [
    "[JNSA05][IPSJ19] (appi.md §8)", "rouei.domain.items", "response-practice.md §1",
    "rouei.domain.damage; appi.md §8, §9"])
def test_plain_citation_only_provenance_shows_nothing(raw):
    assert plain_citation(raw, "ja").text == ""


def test_plain_citation_english_keeps_the_english_statute_names():
    assert plain_citation("APPI Art. 26(2); PPC Rules Art. 10", "en").text == (
        "APPI Art. 26(2); PPC Rules Art. 10")


def test_plain_citation_links_the_act_the_guidelines_and_each_qa():
    cited = plain_citation("個人情報保護法施行規則7条2号; GL 3-5-3-1(2); Q&A 6-11, 6-12", "ja")
    urls = [url for _label, url in cited.links]
    assert PPC_GUIDELINES in urls
    assert APPI_QA["6-11"] in urls and APPI_QA["6-12"] in urls


def test_plain_citation_civil_code_has_no_ppc_link():
    assert plain_citation("Civil Code Art. 415", "ja").links == ()


def test_plain_citation_appi_links_the_official_text():
    assert ("個人情報保護法", APPI_TEXT) in plain_citation("APPI Art. 26(1)", "ja").links


@settings(max_examples=150)
@given(facts())
def test_plain_citation_of_any_assessment_or_exposure_has_no_provenance(case):
    assessment = assess(case, today=dt.date(2026, 12, 1))
    data = assessment.to_dict("ja")
    cited = [f["citation"] for f in data["trigger_details"] + data["exception_details"]
             + data["reasons"]]
    cited += [e.citation for e in exposure(case, assessment).entries]
    for raw in cited:
        for lang in ("ja", "en"):
            assert not PROVENANCE.search(plain_citation(raw, lang).text), raw


@settings(max_examples=150)
@given(facts())
def test_plain_citation_japanese_of_any_exposure_has_no_english_statute(case):
    for entry in exposure(case, assess(case, today=dt.date(2026, 12, 1))).entries:
        assert not re.search(r"\bArts?\.", plain_citation(entry.citation, "ja").text)
