"""Scanning an incident's evidence and taking the result into the facts, as a lead would."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from rouei.core.audit import verify_chain
from rouei.evidence.actions import add_evidence_from_stream
from rouei.evidence.models import CustodyEvent
from rouei.incidents import actions as incident_actions
from rouei.scans import actions
from rouei.scans.models import EvidenceScan, ScanStatus

pytestmark = pytest.mark.django_db


SEI = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")
MEI = ("太郎", "花子", "翔太", "陽菜", "大輔", "美咲", "健", "優子")


def _customers_csv(n: int) -> bytes:
    lines = ["氏名,電話番号,メールアドレス,病名"]
    lines += [f"{SEI[i % 10]} {MEI[i % 8]},090-{i // 10000:04d}-{i % 10000:04d},"
              f"user{i}@example.jp,糖尿病" for i in range(n)]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def _add(incident, user, data: bytes, name: str = "顧客一覧.csv"):
    return add_evidence_from_stream(
        incident, io.BytesIO(data), original_name=name, description="流出したファイル",
        collected_from="攻撃者のサーバ", collected_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        collected_by_user=user, actor=user)


def _start(client, incident):
    return client.post(reverse("scans:start", args=[incident.pk]))


def test_scan_of_evidence_proposes_items_and_people(client, user, incident):
    _add(incident, user, _customers_csv(1001))
    client.force_login(user)
    response = _start(client, incident)
    scan = EvidenceScan.objects.get(incident=incident)
    assert response.status_code == 302 and response.url == reverse(
        "scans:detail", args=[incident.pk, scan.pk])
    assert scan.status == ScanStatus.DONE  # tests run tasks at once
    assert scan.proposed == {"items": ["email", "health", "person_name", "phone"],
                             "people_confirmed": 1001}
    page = client.get(response.url).content.decode()
    assert "1,001" in page and "病状・診療情報" in page
    # each column with its item's name, as the catalogue writes it
    assert "電話番号 → 電話番号 (1,001)" in page and "病名 → 病状・診療情報（カルテ等） (1,001)" in page
    # reading the evidence is a link of its chain of custody
    assert CustodyEvent.objects.filter(item__incident=incident, kind="accessed").count() == 1


def test_accepting_the_scan_reassesses_and_announces_the_duty_change(client, user, incident):
    incident_actions.do_update_facts(
        incident, {"items": ["person_name"], "people_confirmed": 900, "cause": "misdelivery",
                   "knew_at": "2026-11-24"}, expected_version=incident.version, actor=user)
    incident.refresh_from_db()
    _add(incident, user, _customers_csv(1001))
    client.force_login(user)
    scan_url = _start(client, incident).url
    scan = EvidenceScan.objects.get(incident=incident)
    response = client.post(reverse("scans:accept", args=[scan.incident_id, scan.pk]),
                           {"expected_version": incident.version}, follow=True)
    page = response.content.decode()
    incident.refresh_from_db()
    facts = incident.latest_facts().facts
    assert facts["people_confirmed"] == 1001
    assert set(facts["items"]) == {"person_name", "phone", "email", "health"}
    assert incident.latest_snapshot().report_required is True
    # the duty change is announced at the top of the incident page
    assert "本人の数が1,000人超（規則7条4号）」に該当し報告が必要になりました" in page
    assert "スキャン結果を事実に取り込みました" in page
    assert client.post(reverse("scans:accept", args=[scan.incident_id, scan.pk]),
                       {"expected_version": incident.version}).status_code == 302
    assert "accept" not in client.get(scan_url).content.decode().split("proposal")[-1]
    assert verify_chain() is None


def test_accept_with_a_stale_version_asks_to_reload(client, user, incident):
    _add(incident, user, _customers_csv(5))
    client.force_login(user)
    _start(client, incident)
    scan = EvidenceScan.objects.get(incident=incident)
    stale = incident.version - 1
    response = client.post(reverse("scans:accept", args=[scan.incident_id, scan.pk]),
                           {"expected_version": stale})
    assert response.status_code == 302
    scan.refresh_from_db()
    assert scan.accepted_at is None


def test_scan_without_evidence_says_so(client, user, incident):
    client.force_login(user)
    response = _start(client, incident)
    assert response.status_code == 302 and not EvidenceScan.objects.exists()


def test_viewer_cannot_start_or_accept_a_scan(client, user, incident, member):
    _add(incident, user, _customers_csv(3))
    scan = actions.do_start_scan(incident, actor=user)
    viewer = member("viewer")
    client.force_login(viewer)
    _start(client, incident)
    assert EvidenceScan.objects.count() == 1
    assert client.post(reverse("scans:accept", args=[scan.incident_id, scan.pk]),
                       {"expected_version": incident.version}).status_code == 403


def test_non_member_gets_404_on_every_scan_url(client, user, incident, make_user):
    _add(incident, user, _customers_csv(3))
    scan = actions.do_start_scan(incident, actor=user)
    client.force_login(make_user("outsider"))
    assert _start(client, incident).status_code == 404
    assert client.get(reverse("scans:detail", args=[scan.incident_id, scan.pk])).status_code == 404
    assert client.post(reverse("scans:accept", args=[scan.incident_id, scan.pk]),
                       {"expected_version": 1}).status_code == 404


def test_scan_report_carries_no_raw_values(client, user, incident):
    _add(incident, user, _customers_csv(3))
    client.force_login(user)
    _start(client, incident)
    scan = EvidenceScan.objects.get(incident=incident)
    assert "user1@example.jp" not in str(scan.report) and "090-0000-0001" not in str(scan.report)


def test_viewing_a_finished_scan_is_audited_and_named_on_the_audit_page(client, user, incident):
    from rouei.core.models import AuditEvent

    _add(incident, user, _customers_csv(3))
    client.force_login(user)
    detail = _start(client, incident).url
    client.get(detail)
    event = AuditEvent.objects.filter(incident_id=incident.pk).latest("sequence")
    assert event.action == "scan.view" and event.actor == user
    audit = client.get(reverse("incidents:audit", args=[incident.pk])).content.decode()
    assert "スキャン結果を閲覧" in audit and "証拠を登録" in audit


def test_scan_page_says_how_many_cells_were_restored_from_a_spreadsheet(client, user, incident):
    # Phones saved by Excel as numbers lost their leading 0; the header says they are phones.
    lines = ["氏名,電話番号"] + [f"{SEI[i % 10]} {MEI[i % 8]},90{i:08d}" for i in range(30)]
    _add(incident, user, ("\r\n".join(lines) + "\r\n").encode("cp932"), name="会員.csv")
    client.force_login(user)
    response = _start(client, incident)
    scan = EvidenceScan.objects.get(incident=incident)
    assert "phone" in scan.proposed["items"]
    page = client.get(response.url).content.decode()
    assert "表計算ソフトの変換を補正 30 件" in page


# -- password-protected ZIPs (PPAP): the password is used for the scan and then forgotten

PASSWORD = "Ppap#2026秋"


def _ppap(n: int = 5) -> bytes:
    from tests.scanning.readers.builders import zipcrypto_zip

    return zipcrypto_zip({"顧客一覧.csv": _customers_csv(n)}, PASSWORD.encode("utf-8"))


def _stored_zip_passwords(scan_id: int) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT zip_passwords FROM scans_evidencescan WHERE id = %s", [scan_id])
        return cursor.fetchone()[0]


def test_a_ppap_zip_is_scanned_with_the_password_given_on_the_incident_page(
        client, user, incident):
    from rouei.core.models import AuditEvent

    _add(incident, user, _ppap(), name="顧客一覧.zip")
    client.force_login(user)
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert 'type="password" name="zip_password"' in page and "パスワード付き ZIP（PPAP）" in page
    response = client.post(reverse("scans:start", args=[incident.pk]),
                           {"zip_password": ["", "wrong", PASSWORD]})
    scan = EvidenceScan.objects.get(incident=incident)
    assert scan.status == ScanStatus.DONE
    assert scan.proposed == {"items": ["email", "health", "person_name", "phone"],
                             "people_confirmed": 5}
    assert scan.report["unreadable"] == []
    # used once, then gone; the audit trail knows only how many were given
    assert scan.zip_passwords == "" and _stored_zip_passwords(scan.pk) == ""
    start = AuditEvent.objects.get(action="scan.start")
    assert start.details["zip_passwords"] == 2
    events = str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert PASSWORD not in events and "wrong" not in events
    assert PASSWORD not in client.get(response.url).content.decode()


def test_a_ppap_zip_without_its_password_is_reported_unreadable_with_what_to_do(
        client, user, incident):
    _add(incident, user, _ppap(), name="顧客一覧.zip")
    client.force_login(user)
    page = client.get(_start(client, incident).url).content.decode()
    scan = EvidenceScan.objects.get(incident=incident)
    assert scan.proposed["people_confirmed"] == 0
    assert [u["code"] for u in scan.report["unreadable"]] == ["encrypted"]
    assert "「ZIP のパスワード」欄" in page


def test_zip_passwords_are_encrypted_while_the_scan_waits_in_the_queue(user, incident):
    from rouei.scans.jobs import run_scan

    _add(incident, user, _ppap(), name="顧客一覧.zip")
    scan = actions.do_start_scan(incident, actor=user, zip_passwords=[PASSWORD])
    stored = _stored_zip_passwords(scan.pk)
    assert stored.startswith("gAAAA") and PASSWORD not in stored
    run_scan.call(scan.pk)
    scan.refresh_from_db()
    assert scan.proposed["people_confirmed"] == 5 and _stored_zip_passwords(scan.pk) == ""


@pytest.mark.parametrize("passwords", [["x" * 257], ["a\nb"], [f"p{i}" for i in range(6)]])
def test_unreasonable_zip_passwords_are_refused_before_anything_is_queued(
        client, user, incident, passwords):
    _add(incident, user, _customers_csv(3))
    client.force_login(user)
    response = client.post(reverse("scans:start", args=[incident.pk]),
                           {"zip_password": passwords}, follow=True)
    assert not EvidenceScan.objects.exists()
    assert "ZIP のパスワードは 5 個まで" in response.content.decode()


def test_scan_page_names_the_parts_of_a_split_name(client, user, incident):
    lines = ["姓,名,電話番号"] + [f"{SEI[i % 10]},{MEI[i % 8]},090-0000-{i:04d}" for i in range(4)]
    _add(incident, user, ("\r\n".join(lines) + "\r\n").encode("utf-8"), name="会員.csv")
    client.force_login(user)
    page = client.get(_start(client, incident).url).content.decode()
    assert "姓 → 氏名（姓） (4)" in page and "名 → 氏名（名） (4)" in page
    scan = EvidenceScan.objects.get(incident=incident)
    assert scan.report["totals"]["person_name"] == 4


def test_the_columns_found_download_as_csv_for_excel_and_the_download_is_audited(
        client, user, incident):
    from rouei.core.models import AuditEvent

    _add(incident, user, _customers_csv(3))
    client.force_login(user)
    detail = _start(client, incident).url
    scan = EvidenceScan.objects.get(incident=incident)
    url = reverse("scans:columns_csv", args=[scan.incident_id, scan.pk])
    assert url in client.get(detail).content.decode()
    response = client.get(url)
    assert response["Content-Type"] == "text/csv; charset=Shift_JIS"
    text = response.content.decode("cp932")
    assert text.startswith("ファイル,行数,列,項目,部分,検出数,表計算ソフトの変換を補正,判定\r\n")
    assert "顧客一覧.csv,3,電話番号,電話番号,,3,0,見出し\r\n" in text
    assert "user1@example.jp" not in text  # columns and counts, never values
    assert AuditEvent.objects.filter(action="scan.download", actor=user).count() == 1
    audit = client.get(reverse("incidents:audit", args=[incident.pk])).content.decode()
    assert "スキャン結果をダウンロード" in audit


def test_the_csv_download_is_for_members_only(client, user, incident, make_user):
    _add(incident, user, _customers_csv(3))
    scan = actions.do_start_scan(incident, actor=user)
    client.force_login(make_user("outsider"))
    assert client.get(reverse("scans:columns_csv", args=[scan.incident_id, scan.pk])).status_code == 404


def test_scan_page_says_why_a_product_code_column_is_not_counted_and_lists_mixed_items(
        client, user, incident):
    lines = ["氏名,連絡先,商品コード"] + [
        f"{SEI[i % 10]} {MEI[i % 8]},{f'user{i}@example.jp' if i % 3 == 0 else f'090-0000-{i:04d}'},"
        f"{1000000 + 7919 * i}" for i in range(30)]
    _add(incident, user, ("\r\n".join(lines) + "\r\n").encode("utf-8"), name="注文.csv")
    client.force_login(user)
    page = client.get(_start(client, incident).url).content.decode()
    assert "商品コード → 対象外：見出しが別のもの（商品・注文・店舗など）を示す（値は郵便番号の形） (0)" in page
    assert "連絡先 → 電話番号 ＋ メールアドレス 10 (20)" in page


def test_scan_page_gives_tables_and_prose_apart_and_the_staff_left_out(client, user, incident):
    _add(incident, user, _customers_csv(3))
    _add(incident, user, "お客様：木村 拓也 様\n電話：090-7777-8888\n担当：中村\n".encode(),
         name="対応メモ.txt")
    client.force_login(user)
    page = client.get(_start(client, incident).url).content.decode()
    assert "それぞれの数：表 3 人、メール・メモなどの文章 1 人" in page
    assert "メール・メモの中の 1 名は会社側の担当者と判断し" in page


def test_scan_page_says_a_clerk_column_is_the_company_staff(client, user, incident):
    lines = ["氏名,電話番号,担当者名"] + [
        f"{SEI[i % 10]} {MEI[i % 8]},090-0000-{i:04d},{SEI[(i + 3) % 10]} {MEI[(i + 5) % 8]}"
        for i in range(6)]
    _add(incident, user, ("\r\n".join(lines) + "\r\n").encode("utf-8"), name="受付.csv")
    client.force_login(user)
    page = client.get(_start(client, incident).url).content.decode()
    assert "担当者名 → 氏名（会社側の担当者・人数に含めず） (6)" in page
