"""Bounce files, letters sent and returned, the people no channel reached, the print
vendor's template, and the notices page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rouei.people import actions
from rouei.people.bounces import read_bounces, read_refs
from rouei.people.models import NoticeSettings, NoticeStatus, Person

pytestmark = pytest.mark.django_db

DSN = b"""From: Mail Delivery System <MAILER-DAEMON@mx.example.jp>
To: notice@sample.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

The mail could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.jp

Final-Recipient: rfc822; hanako@example.jp
Original-Recipient: rfc822;hanako@example.jp
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

Final-Recipient: rfc822; taro@example.jp
Action: delayed
Status: 4.4.1

--B--
"""


@pytest.fixture
def registry(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    return incident


def _by_email(incident, address):
    return next(p for p in Person.objects.filter(incident=incident)
                if p.record().email == address)


def _by_name(incident, name):
    return next(p for p in Person.objects.filter(incident=incident)
                if p.record().name == name)


def test_a_dsn_gives_the_failed_final_recipient(tmp_path):
    path = tmp_path / "bounce.eml"
    path.write_bytes(DSN)
    found, _bad = read_bounces(path)
    assert [(b.address, b.status) for b in found] == [("hanako@example.jp", "5.1.1")]


def test_a_plain_list_gives_its_addresses_and_bad_lines(tmp_path):
    path = tmp_path / "bounces.txt"
    path.write_text("# bounced\ntaro@example.jp\n\nnot an address\n", encoding="utf-8")
    found, bad = read_bounces(path)
    assert ([b.address for b in found], [b.line for b in bad]) == (["taro@example.jp"], [4])


def test_a_dsn_file_moves_the_person_to_the_letter_queue(registry, user, tmp_path):
    path = tmp_path / "bounce.eml"
    path.write_bytes(DSN)
    actions.do_record_bounces(user, registry, path)
    assert _by_email(registry, "hanako@example.jp").notice_status == NoticeStatus.EMAIL_BOUNCED


def test_a_delayed_dsn_moves_nobody(registry, user, tmp_path):
    path = tmp_path / "bounce.eml"
    path.write_bytes(DSN)
    actions.do_record_bounces(user, registry, path)
    assert _by_email(registry, "taro@example.jp").notice_status == NoticeStatus.NOT_NOTIFIED


def test_a_bounce_never_undoes_a_letter(registry, user, tmp_path):
    person = _by_email(registry, "hanako@example.jp")
    Person.objects.filter(pk=person.pk).update(notice_status=NoticeStatus.LETTER_SENT)
    path = tmp_path / "bounces.txt"
    path.write_text("hanako@example.jp\n", encoding="utf-8")
    actions.do_record_bounces(user, registry, path)
    person.refresh_from_db()
    assert person.notice_status == NoticeStatus.LETTER_SENT


def test_refs_are_read_from_the_print_data(registry, user, tmp_path):
    out = tmp_path / "print.csv"
    with out.open("wb") as handle:
        actions.do_export_print_data(user, registry, handle)
    refs, _bad = read_refs(out)
    assert len(refs) == 2


def test_letters_sent_from_the_print_data(registry, user, tmp_path):
    out = tmp_path / "print.csv"
    with out.open("wb") as handle:
        actions.do_export_print_data(user, registry, handle)
    result = actions.do_record_letters_sent(user, registry, out)
    assert result["moved"] == 2


def test_a_returned_letter_moves_the_person_to_letter_returned(registry, user, tmp_path):
    person = _by_name(registry, "佐藤 花子")
    path = tmp_path / "returned.txt"
    path.write_text(person.record().ref.lower().replace("-", "") + "\n", encoding="utf-8")
    actions.do_record_returned_letters(user, registry, path)
    person.refresh_from_db()
    assert person.notice_status == NoticeStatus.LETTER_RETURNED


def test_a_wrong_reference_number_is_a_bad_line(registry, user, tmp_path):
    path = tmp_path / "returned.txt"
    path.write_text("AAAA-AAAA-AAAC\n", encoding="utf-8")
    result = actions.do_record_returned_letters(user, registry, path)
    assert result["bad_lines"] == [{"line": 1, "reason": "受付番号の形式ではありません"}]


def test_unreachable_lists_returned_letters_and_people_without_a_channel(registry, user,
                                                                          tmp_path):
    person = _by_name(registry, "佐藤 花子")
    path = tmp_path / "returned.txt"
    path.write_text(person.record().ref + "\n", encoding="utf-8")
    actions.do_record_returned_letters(user, registry, path)
    nobody = _by_name(registry, "鈴木 一郎")  # a phone only: no e-mail, no address
    result = actions.do_list_unreachable(user, registry)
    assert sorted(result["refs"]) == sorted([person.record().ref, nobody.record().ref])


def test_mark_unreachable_records_the_substitute_measure(registry, user):
    actions.do_list_unreachable(user, registry, mark=True)
    assert _by_name(registry, "鈴木 一郎").notice_status == NoticeStatus.UNREACHABLE


def test_the_print_template_has_the_print_data_columns_as_placeholders(registry):
    text = actions.print_template(registry)
    assert all(f"《{c}》" in text for c in ("受付番号", "郵便番号", "住所", "氏名",
                                            "漏えいした項目", "対象情報の状況", "個別のお願い"))


def test_the_print_data_gives_each_persons_sentence_of_the_letter(registry, user, tmp_path):
    out = tmp_path / "print.csv"
    with out.open("wb") as handle:
        actions.do_export_print_data(user, registry, handle)
    lines = out.read_bytes().decode("cp932").splitlines()
    assert "ご利用明細" in next(line for line in lines if "山田" in line)


def test_the_notices_page_opens_for_the_lead(logged_in_client, registry):
    response = logged_in_client.get(reverse("people:notices", args=[registry.pk]))
    assert response.status_code == 200


def test_the_notices_page_preview_is_masked(logged_in_client, registry):
    response = logged_in_client.get(reverse("people:notices", args=[registry.pk]))
    assert "山田 太郎" not in response.content.decode()


def test_an_operator_cannot_open_the_notices_page(client, registry, member):
    client.force_login(member("call_centre"))
    response = client.get(reverse("people:notices", args=[registry.pk]))
    assert response.status_code == 403


def test_the_notices_page_saves_the_settings(logged_in_client, registry):
    logged_in_client.post(reverse("people:notices", args=[registry.pk]), {
        "action": "save", "sender_name": "株式会社サンプル商事",
        "from_address": "notice@sample.example", "window_phone": "0120-000-000",
        "window_hours": "毎日 9:00〜18:00", "secondary_damage": "unknown",
        "expected_version": 1})
    assert NoticeSettings.objects.get(incident=registry).window_phone == "0120-000-000"


def test_a_stale_settings_form_is_refused(user, registry):
    actions.do_update_notice_settings(user, registry, {"sender_name": "A"})
    with pytest.raises(actions.Conflict):
        actions.do_update_notice_settings(user, registry, {"sender_name": "B"},
                                          expected_version=1)


def _cli(*args):
    from typer.testing import CliRunner

    from rouei.cli.main import app

    return CliRunner().invoke(app, ["people", *map(str, args)])


def test_cli_bounces_reports_the_people_moved(registry, tmp_path):
    path = tmp_path / "bounce.eml"
    path.write_bytes(DSN)
    result = _cli("bounces", registry.pk, path, "--json")
    assert result.exit_code == 0, result.output
    assert '"moved": 1' in result.stdout


def test_cli_unreachable_json_gives_the_count(registry):
    import json

    result = _cli("unreachable", registry.pk, "--json")
    assert json.loads(result.stdout)["count"] == 1


def test_cli_print_data_writes_the_template(registry, tmp_path):
    template = tmp_path / "letter.txt"
    result = _cli("print-data", registry.pk, "--out", tmp_path / "p.csv",
                  "--template-out", template)
    assert result.exit_code == 0, result.output
    assert "《受付番号》" in template.read_bytes().decode("cp932")
