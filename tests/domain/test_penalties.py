"""The exposure summary: administrative, civil, criminal and social liabilities (appi.md §6–7)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from rouei.domain.facts import Cause, Facts, ResponseQuality
from rouei.domain.penalties import Emphasis, exposure


def _assessment(report=True, triggers=("over_1000",), my_number=None):
    return SimpleNamespace(report_required=report, triggers=triggers, my_number_act=my_number)


FACTS = Facts(items=("person_name", "address"), people_confirmed=1_500,
              cause=Cause.UNAUTHORIZED_ACCESS)


def test_order_breach_shows_178_and_corporate_184_amounts():
    entry = exposure(FACTS, _assessment()).entry("order_breach")
    assert "178" in entry.citation and "184" in entry.citation
    assert (entry.penalty.imprisonment_years, entry.penalty.fine_yen,
            entry.penalty.corporate_fine_yen) == (1, 1_000_000, 100_000_000)
    assert "1年以下の拘禁刑又は100万円以下の罰金" in entry.text.ja
    assert "1億円以下" in entry.text.ja


def test_false_report_shows_182_fine_of_500_000_yen():
    entry = exposure(FACTS, _assessment()).entry("false_report")
    assert "182" in entry.citation
    assert entry.penalty.fine_yen == 500_000 and entry.penalty.imprisonment_years is None
    assert "50万円以下の罰金" in entry.text.ja


@pytest.mark.parametrize(("report", "emphasis"), [
    (True, Emphasis.HIGHLIGHT), (None, Emphasis.RELEVANT), (False, Emphasis.BACKGROUND)])
def test_order_risk_emphasis_follows_report_decision(report, emphasis):
    result = exposure(FACTS, _assessment(report=report))
    assert result.entry("order_breach").applies is emphasis
    assert result.entry("ppc_supervision").applies is emphasis


def test_report_entry_names_the_triggers_that_apply():
    result = exposure(FACTS, _assessment(triggers=("sensitive", "over_1000")))
    text = result.entry("report_to_ppc").text
    assert "要配慮個人情報" in text.ja and "1,000人超" in text.ja
    assert "30日以内" in text.ja


def test_supervision_says_not_reporting_is_not_itself_a_crime():
    entry = exposure(FACTS, _assessment()).entry("ppc_supervision")
    assert "146" in entry.citation and "148" in entry.citation
    assert "犯罪ではない" in entry.text.ja


def test_exposure_without_assessment_treats_report_as_undecided():
    result = exposure(FACTS, None)
    assert result.entry("report_to_ppc").applies is Emphasis.RELEVANT


def test_insider_theft_highlights_database_provision_179_and_ucpa():
    result = exposure(Facts(items=("person_name",), cause=Cause.INSIDER_THEFT), _assessment())
    database = result.entry("database_provision")
    trade_secret = result.entry("trade_secret")
    assert database.applies is Emphasis.HIGHLIGHT and trade_secret.applies is Emphasis.HIGHLIGHT
    assert "179" in database.citation
    assert (database.penalty.imprisonment_years, database.penalty.fine_yen,
            database.penalty.corporate_fine_yen) == (1, 500_000, 100_000_000)
    p = trade_secret.penalty
    assert (p.imprisonment_years, p.fine_yen, p.fine_yen_abroad) == (10, 20_000_000, 30_000_000)
    assert (p.corporate_fine_yen, p.corporate_fine_yen_abroad) == (500_000_000, 1_000_000_000)
    assert "2,000万円" in trade_secret.text.ja and "5億円" in trade_secret.text.ja
    assert {"database_provision", "trade_secret"} <= {e.key for e in result.highlighted}


def test_outside_attack_does_not_highlight_insider_offences():
    result = exposure(FACTS, _assessment())
    assert result.entry("database_provision").applies is Emphasis.BACKGROUND
    assert result.entry("trade_secret").applies is Emphasis.BACKGROUND


def test_unknown_cause_keeps_insider_offences_relevant():
    result = exposure(Facts(items=("person_name",)), _assessment())
    assert result.entry("database_provision").applies is Emphasis.RELEVANT


def test_my_number_penalties_absent_when_my_number_not_leaked():
    result = exposure(FACTS, _assessment())
    assert not any(e.key.startswith("mn_") for e in result.criminal)
    assert result.entry("my_number_report") is None


def test_my_number_leaked_lists_articles_48_49_51_53_54_with_57_corporate_fines():
    facts = Facts(items=("person_name", "my_number"), people_confirmed=150,
                  cause=Cause.INSIDER_THEFT)
    result = exposure(facts, _assessment(my_number=SimpleNamespace(report_required=True)))
    mn = {e.key: e for e in result.criminal if e.key.startswith("mn_")}
    cited = " ".join(e.citation for e in mn.values())
    for article in ("Arts. 48", "Arts. 49", "Arts. 51", "Arts. 53", "Arts. 54", "57"):
        assert article in cited
    assert (mn["mn_file_provision"].penalty.imprisonment_years,
            mn["mn_file_provision"].penalty.fine_yen,
            mn["mn_file_provision"].penalty.corporate_fine_yen) == (4, 2_000_000, 100_000_000)
    assert mn["mn_file_provision"].penalty.both_possible
    assert mn["mn_unlawful_acquisition"].penalty.corporate_fine_yen == 1_500_000
    assert mn["mn_file_provision"].applies is Emphasis.HIGHLIGHT
    assert mn["mn_order_breach"].applies is Emphasis.HIGHLIGHT
    assert result.entry("my_number_report").applies is Emphasis.HIGHLIGHT


def test_civil_section_cites_709_710_715_415_and_supreme_court_2017():
    result = exposure(FACTS, _assessment())
    citations = " ".join(e.citation for e in result.civil)
    for article in ("709", "710", "715", "415"):
        assert article in citations
    assert "最判平成29年10月23日" in result.entry("supreme_court_2017").citation
    assert result.entry("damage_estimate") is not None


def test_group_suit_highlighted_above_1000_people_only():
    many = exposure(FACTS, _assessment())
    few = exposure(Facts(items=("person_name",), people_confirmed=20), _assessment())
    assert many.entry("group_suit").applies is Emphasis.HIGHLIGHT
    assert few.entry("group_suit").applies is Emphasis.RELEVANT


def test_vendor_involvement_highlights_employer_liability():
    facts = Facts(items=("person_name",), vendor_involved=True)
    assert exposure(facts, _assessment()).entry("employer_liability").applies is Emphasis.HIGHLIGHT


def test_social_section_lists_costs_and_highlights_trust_after_poor_response():
    facts = Facts(items=("person_name",), response_quality=ResponseQuality.INAPPROPRIATE)
    result = exposure(facts, _assessment())
    assert result.entry("loss_of_trust").applies is Emphasis.HIGHLIGHT
    assert "フォレンジック" in result.entry("costs_beyond_damages").text.ja


def test_penalty_texts_use_kokinkei_and_note_the_2025_change():
    result = exposure(Facts(items=("my_number",), cause=Cause.INSIDER_THEFT), _assessment())
    texts = " ".join(e.text.ja for e in result.entries)
    assert "拘禁刑" in texts and "懲役" not in texts
    assert any("2025年6月1日" in n.ja and "懲役" in n.ja for n in result.notes)


def test_exposure_to_dict_has_four_sections_and_is_json_ready():
    data = exposure(FACTS, _assessment()).to_dict("en")
    assert {"administrative", "civil", "criminal", "social", "highlighted", "notes"} <= set(data)
    entry = data["administrative"]["entries"][0]
    assert {"title", "text", "citation", "applies", "why"} <= set(entry)
    assert data["administrative"]["title"] == "Administrative"
    json.dumps(data)
