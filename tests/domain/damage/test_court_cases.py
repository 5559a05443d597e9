"""Court awards and JNSA survey averages beside the JO model (appi.md §9, §8.3)."""

from __future__ import annotations

import pytest

from rouei.domain.damage import COURT_CASES, estimate
from rouei.domain.facts import Facts


def _facts(*items: str, people: int | None = 1, **kwargs) -> Facts:
    return Facts(items=items, people_confirmed=people, **kwargs)


# --- court cases and survey averages ----------------------------------------------------------
@pytest.mark.parametrize(("case_id", "per_person"), [
    ("uji_city", 15_000),
    ("tbc_secondary_damage", 35_000),
    ("tbc_no_secondary_damage", 22_000),
    ("yahoo_bb_district", 6_000),
    ("yahoo_bb_appeal", 5_500),
    ("benesse_supreme_court_remand", 1_000),
    ("benesse_tokyo_2018_12", 3_300),
    ("benesse_tokyo_high_2020", 3_300),
])
def test_court_case_figure_matches_appi_md_and_is_multiplied_by_people(case_id, per_person):
    result = estimate(_facts("person_name", people=2_500))
    comparison = next(c for c in result.cases if c.case.id == case_id)
    assert comparison.case.per_person == per_person
    assert comparison.total_for_this_incident == per_person * 2_500
    assert comparison.case.sources and comparison.case.court.ja


def test_court_case_breakdowns_add_up_where_known():
    yahoo = next(c for c in COURT_CASES if c.id == "yahoo_bb_district")
    uji = next(c for c in COURT_CASES if c.id == "uji_city")
    assert "5,000円" in yahoo.breakdown.ja and "1,000円" in yahoo.breakdown.ja
    assert "10,000円" in uji.breakdown.ja and "5,000円" in uji.breakdown.ja


def test_survey_averages_include_latest_jnsa_figure_with_source():
    result = estimate(_facts("email"))
    latest = max(result.survey_averages, key=lambda s: s.year)
    assert (latest.year, latest.per_person, latest.source) == (2018, 29_768, "[IWATCH]")
