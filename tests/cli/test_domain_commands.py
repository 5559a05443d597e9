"""`rouei assess`, `rouei estimate`, `rouei items` as a user runs them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rouei.cli.main import app

# Wide enough that rich never wraps a path (xdist makes temporary paths longer).
runner = CliRunner(env={"COLUMNS": "400"})

FACTS = """\
items: [person_name, address, credit_card, card_expiry]
people_confirmed: 3100
people_estimated: 12000
cause: unauthorized_access
knew_at: 2026-11-24
"""


@pytest.fixture
def facts_file(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS, encoding="utf-8")
    return path


def test_assess_json_has_the_contract_keys(facts_file):
    result = runner.invoke(app, ["assess", str(facts_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("report_required", "notify_required", "triggers", "exceptions",
                "preliminary_report_window", "final_report_due", "my_number_act", "reasons",
                "unknowns"):
        assert key in data
    assert data["report_required"] is True
    assert data["triggers"] == ["financial", "malicious", "over_1000"]
    assert data["final_report_due"] == "2027-01-22"
    assert data["preliminary_report_window"] == ["2026-11-26", "2026-11-28"]
    assert all({"text", "citation"} <= set(r) for r in data["reasons"])


def test_assess_table_is_japanese_with_wareki(facts_file):
    result = runner.invoke(app, ["assess", str(facts_file)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "個人情報保護委員会への報告" in result.stdout
    assert "2027年1月22日（金）" in result.stdout and "令和9年1月22日" in result.stdout


def test_assess_lang_en_prints_english(facts_file):
    result = runner.invoke(app, ["assess", str(facts_file), "--lang", "en"],
                           env={"COLUMNS": "160"})
    assert result.exit_code == 0
    assert "Report to the PPC" in result.stdout and "Fri 22 Jan 2027" in result.stdout


@pytest.mark.parametrize("content,needle", [
    ("items: [person_name, shoe_size]\n", "items"),
    ("people_confirmed: -5\n", "people_confirmed"),
    ("knew_at: 2026-02-30\n", "knew_at"),
    ("items: [person_name\n", "形式"),
    ("colour: red\n", "colour"),
])
def test_assess_bad_input_names_the_field_and_exits_non_zero(tmp_path, content, needle):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["assess", str(path)])
    assert result.exit_code == 2
    assert needle in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_assess_missing_file_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["assess", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "missing.yaml" in result.output


def test_items_json_lists_the_catalogue():
    result = runner.invoke(app, ["items", "--json"])
    assert result.exit_code == 0
    items = {i["id"]: i for i in json.loads(result.stdout)}
    assert items["health"]["flags"]["sensitive"] is True
    assert items["credit_card"]["levels"]["economic"] == 2
    assert "氏名" in items["person_name"]["aliases"]


def test_estimate_json_reproduces_the_jo_worked_example(facts_file):
    result = runner.invoke(app, ["estimate", str(facts_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["per_person"] == 78_000  # appi.md §8.1: name + address + card + expiry
    assert data["people"] == 12_000 and data["total"] == 78_000 * 12_000


def test_estimate_table_shows_formula_and_cases(facts_file):
    result = runner.invoke(app, ["estimate", str(facts_file)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "500 × 26 × 6 × 1 × 1 = 78,000円" in result.stdout
    assert "Yahoo!BB" in result.stdout and "見舞金" in result.stdout


def test_estimate_prices_file_changes_the_costs(facts_file, tmp_path):
    prices = tmp_path / "prices.yaml"
    prices.write_text("forensic_investigation: 5000000\ngoodwill_options: [500]\n",
                      encoding="utf-8")
    data = json.loads(runner.invoke(app, ["estimate", str(facts_file), "--prices", str(prices),
                                          "--json"]).stdout)
    lines = {line["key"]: line for line in data["response_costs"]["lines"]}
    assert lines["forensic_investigation"]["amount"] == 5_000_000
    assert [o["per_person"] for o in data["response_costs"]["goodwill_options"]] == [500]


def test_estimate_bad_prices_file_names_the_field(facts_file, tmp_path):
    prices = tmp_path / "prices.yaml"
    prices.write_text("letter_postage: -3\n", encoding="utf-8")
    result = runner.invoke(app, ["estimate", str(facts_file), "--prices", str(prices)])
    assert result.exit_code == 2 and "letter_postage" in result.output


# --- dates in the future (issue 11, guard rail 2) ------------------------------------------------

SCENARIO = "items: [person_name]\npeople_confirmed: 10\nknew_at: 2099-04-01\n"


@pytest.fixture
def scenario_file(tmp_path):
    """An exercise set in 2099: its 知った日 lies in the future of today's clock."""
    path = tmp_path / "exercise.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def test_assess_knew_at_in_the_future_is_refused_naming_the_field(scenario_file):
    result = runner.invoke(app, ["assess", str(scenario_file)], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "知った日は未来の日時にできません" in result.output


def test_assess_knew_at_in_the_past_is_accepted(facts_file):
    assert runner.invoke(app, ["assess", str(facts_file), "--json"]).exit_code == 0


def test_assess_as_of_the_scenarios_day_accepts_it(scenario_file):
    result = runner.invoke(app, ["assess", str(scenario_file), "--json", "--as-of",
                                 "2099-04-01"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["preliminary_report_window"] == ["2099-04-03",
                                                                      "2099-04-05"]


def test_assess_as_of_the_day_before_the_scenario_refuses_it(scenario_file):
    result = runner.invoke(app, ["assess", str(scenario_file), "--as-of", "2099-03-31"])
    assert result.exit_code == 2 and "knew_at" in result.output


def test_assess_as_of_a_time_is_read_in_japan_time(tmp_path):
    path = tmp_path / "detected.yaml"
    path.write_text("detected_at: 2099-04-01T10:00\n", encoding="utf-8")
    early = runner.invoke(app, ["assess", str(path), "--as-of", "2099-04-01T09:00"])
    late = runner.invoke(app, ["assess", str(path), "--as-of", "2099-04-01T10:00"])
    assert (early.exit_code, late.exit_code) == (2, 0)


def test_assess_as_of_unreadable_is_a_clear_error(facts_file):
    result = runner.invoke(app, ["assess", str(facts_file), "--as-of", "someday"])
    assert result.exit_code == 2 and "--as-of" in result.output


def test_estimate_knew_at_in_the_future_is_refused(scenario_file):
    result = runner.invoke(app, ["estimate", str(scenario_file)], env={"COLUMNS": "200"})
    assert result.exit_code == 2 and "knew_at" in result.output
