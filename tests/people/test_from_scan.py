"""The registry from the scan of the incident's evidence (issue 12: "Import … from the scanner's
findings of this incident's evidence"): a leaked table with headers no alias knows, decoy
columns and a ZIP around it imports as the scan classified it."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.core.errors import ActionError
from rouei.evidence.actions import add_evidence_from_stream
from rouei.people import actions
from rouei.people.from_scan import people_tables
from rouei.people.models import PeopleImport, Person
from rouei.scans import actions as scan_actions
from tests.evidence.conftest import evidence_dir  # noqa: F401 (an evidence store per test)

pytestmark = pytest.mark.django_db

# A leaked export as attackers post it: headers no catalogue alias knows (顧客名, 連絡先TEL,
# 連絡用アドレス), an order number and a product code as decoys, the shop's own phone.
LEAKED = (
    "顧客名,連絡先TEL,連絡用アドレス,受注番号,商品コード,店舗TEL\r\n"
    "山田 太郎,090-1234-5678,taro@example.jp,20261101-0001,4901234,03-5555-0000\r\n"
    "佐藤 花子,080-2222-3333,hanako@example.jp,20261101-0002,4901235,03-5555-0000\r\n"
    "鈴木 一郎,070-4444-5555,ichiro@example.jp,20261101-0003,4901236,03-5555-0000\r\n"
)


def _add(incident, user, data: bytes, name: str):
    return add_evidence_from_stream(
        incident, io.BytesIO(data), original_name=name, description="流出したファイル",
        collected_from="攻撃者のサーバ", collected_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        collected_by_user=user, actor=user)


def _zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _scanned(incident, user):
    from rouei.scans.jobs import run_scan

    scan = scan_actions.do_start_scan(incident, actor=user)
    run_scan.call(scan.pk)
    scan.refresh_from_db()
    return scan


@pytest.fixture
def scan(incident, user):
    _add(incident, user, LEAKED.encode("cp932"), "leak.csv")
    return _scanned(incident, user)


def _table(scan):
    return people_tables(scan.report)[0]


def test_the_scan_names_the_table_with_people(scan):
    assert _table(scan).file == "leak.csv"


def test_the_preview_reads_the_columns_as_the_scan_classified_them(user, incident, scan):
    preview = actions.do_preview_scan_import(user, incident, scan, _table(scan).index)
    read_as = {m["header"]: m.get("item") for m in preview["mapping"]}
    assert read_as["連絡用アドレス"] == "email"


def test_the_preview_masks_the_first_rows(user, incident, scan):
    preview = actions.do_preview_scan_import(user, incident, scan, _table(scan).index)
    assert "taro@example.jp" not in json.dumps(preview, ensure_ascii=False)


def test_the_preview_writes_nobody(user, incident, scan):
    actions.do_preview_scan_import(user, incident, scan, _table(scan).index)
    assert not Person.objects.filter(incident=incident).exists()


def test_every_row_becomes_a_person(user, incident, scan):
    result = actions.do_import_from_scan(user, incident, scan, _table(scan).index)
    assert result.imported == 3


def test_a_person_is_found_by_the_phone_in_the_leaked_file(user, incident, scan):
    actions.do_import_from_scan(user, incident, scan, _table(scan).index)
    matches = actions.do_lookup(user, incident, phone="０８０２２２２３３３３")
    assert [m["confirmed"] for m in matches] == [True]


def test_the_decoy_columns_are_not_items(user, incident, scan):
    actions.do_import_from_scan(user, incident, scan, _table(scan).index)
    items = set().union(*(set(p.items) for p in Person.objects.filter(incident=incident)))
    assert items == {"person_name", "phone", "email"}


def test_the_shops_phone_is_not_a_persons_phone(user, incident, scan):
    actions.do_import_from_scan(user, incident, scan, _table(scan).index)
    assert actions.do_lookup(user, incident, phone="03-5555-0000") == []


def test_importing_the_scan_again_merges(user, incident, scan):
    actions.do_import_from_scan(user, incident, scan, _table(scan).index)
    result = actions.do_import_from_scan(user, incident, scan, _table(scan).index)
    assert result.merged == 3


def test_a_table_inside_a_zip_imports(user, incident):
    _add(incident, user, _zip("export/customers.csv", LEAKED.encode("utf-8")), "leak.zip")
    scan = _scanned(incident, user)
    result = actions.do_import_from_scan(user, incident, scan, _table(scan).index)
    assert result.imported == 3


def test_forensics_may_not_import_people(incident, scan, member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_import_from_scan(member("forensics"), incident, scan, _table(scan).index)


def test_pr_may_not_read_the_evidence_for_an_import(incident, scan, member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_preview_scan_import(member("pr"), incident, scan, _table(scan).index)


def test_an_unknown_table_is_refused(user, incident, scan):
    with pytest.raises(ActionError):
        actions.do_preview_scan_import(user, incident, scan, 99)


def test_another_incidents_scan_is_refused(user, incident, scan):
    from rouei.incidents import actions as incident_actions

    other = incident_actions.do_create_incident(title="別の事案", actor=user)
    with pytest.raises(ActionError):
        actions.do_preview_scan_import(user, other, scan, _table(scan).index)


def test_the_registry_page_offers_the_scan_tables(logged_in_client, incident, scan):
    response = logged_in_client.get(reverse("people:registry", args=[incident.pk]))
    assert "leak.csv" in response.content.decode()


def test_the_page_imports_the_table_in_the_background(logged_in_client, incident, scan):
    logged_in_client.post(reverse("people:import_scan", args=[incident.pk]),
                          {"scan": scan.pk, "table": _table(scan).index})
    job = PeopleImport.objects.get(incident=incident)
    logged_in_client.post(reverse("people:import_detail", args=[incident.pk, job.pk]),
                          {"action": "start", "on_error": "stop"})  # tests run tasks at once
    job.refresh_from_db()
    assert job.result["imported"] == 3


def test_the_command_lists_the_tables(incident, scan):
    result = CliRunner().invoke(app, ["people", "import-scan", str(incident.pk), str(scan.pk),
                                      "--json"])
    assert json.loads(result.stdout)[0]["file"] == "leak.csv"


def test_the_command_imports_a_table(incident, scan):
    result = CliRunner().invoke(app, ["people", "import-scan", str(incident.pk), str(scan.pk),
                                      "--table", str(_table(scan).index), "--json"])
    assert json.loads(result.stdout)["imported"] == 3
