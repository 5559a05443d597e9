"""`rouei people import | lookup | print-data | claims` (issue 12's interfaces)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.people.models import Person
from tests.people.conftest import ROWS

pytestmark = pytest.mark.django_db


def _run(*args):
    return CliRunner().invoke(app, ["people", *map(str, args)])


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_import_json_has_the_contract_keys(incident, people_csv):
    data = _json(_run("import", incident.pk, people_csv(), "--json"))
    assert {"rows", "imported", "merged", "rejected", "people"} <= set(data)


def test_import_counts_the_people(incident, people_csv):
    data = _json(_run("import", incident.pk, people_csv(), "--json"))
    assert data["people"] == 3


def test_dry_run_writes_nothing(incident, people_csv):
    _json(_run("import", incident.pk, people_csv(), "--dry-run", "--json"))
    assert Person.objects.count() == 0


def test_dry_run_shows_the_mapping(incident, people_csv):
    data = _json(_run("import", incident.pk, people_csv(), "--dry-run", "--json"))
    assert data["mapping"][0] == {"header": "氏名", "item": "person_name", "part": None,
                                  "role": None, "label": "氏名"}


def test_skip_lists_the_bad_rows(incident, people_csv):
    rows = [*ROWS, "高橋 次郎,,,,,not-an-address,,"]
    data = _json(_run("import", incident.pk, people_csv(rows=rows), "--on-error", "skip",
                      "--json"))
    assert data["rejected"] == [{"row": 5, "reason": "メールアドレスの形式ではありません"}]


def test_stop_exits_non_zero_and_imports_nothing(incident, people_csv):
    rows = [*ROWS, "高橋 次郎,,,,,not-an-address,,"]
    result = _run("import", incident.pk, people_csv(rows=rows))
    assert result.exit_code == 1
    assert Person.objects.count() == 0


def test_lookup_json_gives_ref_items_confirmed_and_masked_contact(incident, people_csv):
    _run("import", incident.pk, people_csv())
    [match] = _json(_run("lookup", incident.pk, "--phone", "090-1234-5678", "--json"))
    assert {"ref", "items", "confirmed", "phones"} <= set(match)


def test_lookup_of_nobody_is_an_empty_list(incident, people_csv):
    _run("import", incident.pk, people_csv())
    assert _json(_run("lookup", incident.pk, "--email", "nobody@example.jp", "--json")) == []


def test_print_data_writes_cp932_with_the_contract_columns(incident, people_csv, tmp_path):
    _run("import", incident.pk, people_csv())
    out = tmp_path / "print.csv"
    result = _run("print-data", incident.pk, "--out", out)
    assert result.exit_code == 0, result.output
    header = out.read_bytes().decode("cp932").splitlines()[0].split(",")
    assert header[:5] == ["受付番号", "郵便番号", "住所", "氏名", "漏えいした項目"]


def test_print_data_file_is_private(incident, people_csv, tmp_path):
    _run("import", incident.pk, people_csv())
    out = tmp_path / "print.csv"
    _run("print-data", incident.pk, "--out", out)
    assert out.stat().st_mode & 0o077 == 0


def test_only_unreached_leaves_out_people_already_notified(incident, people_csv, tmp_path):
    _run("import", incident.pk, people_csv())
    Person.objects.filter(has_email=True).update(notice_status="emailed")
    out = tmp_path / "print.csv"
    _run("print-data", incident.pk, "--out", out, "--only-unreached")
    assert len(out.read_bytes().decode("cp932").splitlines()) == 1  # the header only


def test_claims_accept_and_refuse_with_reasons(incident, people_csv, tmp_path):
    _run("import", incident.pk, people_csv())
    ref = next(p.record().ref for p in Person.objects.all() if p.record().name == "佐藤 花子")
    claims = tmp_path / "claims.csv"
    claims.write_text(f"ref,birth_date,name\n{ref},1990-12-24,佐藤花子\nAAAA-AAAA-AAAA,"
                      "1990-12-24,誰か\n", encoding="utf-8")
    data = _json(_run("claims", incident.pk, claims, "--json"))
    assert [c["result"] for c in data] == ["accepted", "refused"]


def test_an_unknown_incident_exits_2(people_csv):
    assert _run("import", 999, people_csv()).exit_code == 2


def _undecodable_claims(incident, tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_bytes(b"ref,birth_date,name\r\nABCD-EFGH-JKLM,1990-12-24,\x82\xff\r\n")
    return _run("claims", incident.pk, claims)


def test_claims_in_an_undecodable_file_exit_2(incident, tmp_path):
    assert _undecodable_claims(incident, tmp_path).exit_code == 2


def test_claims_in_an_undecodable_file_name_the_line(incident, tmp_path):
    assert "2 行目" in _undecodable_claims(incident, tmp_path).output
