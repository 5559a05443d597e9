"""The registry's pages: counts for every member, the import for those who may export, the
contact window for operators."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rouei.people import actions
from rouei.people.models import ImportStatus, PeopleImport, Person
from tests.people.conftest import HEADER, ROWS

pytestmark = pytest.mark.django_db


def _csv(rows=ROWS) -> SimpleUploadedFile:
    return SimpleUploadedFile("顧客一覧.csv", (HEADER + "\n".join(rows) + "\n").encode("cp932"),
                              content_type="text/csv")


@pytest.fixture
def registry(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())


def test_a_viewer_sees_the_counts(client, incident, member, registry):
    client.force_login(member("viewer"))
    response = client.get(reverse("people:registry", args=[incident.pk]))
    assert response.context["people"]["total"] == 3


def test_a_viewer_gets_no_import_form(client, incident, member, registry):
    client.force_login(member("viewer"))
    response = client.get(reverse("people:registry", args=[incident.pk]))
    assert 'id="import"' not in response.content.decode()


def test_the_incident_page_shows_the_registry_card(logged_in_client, incident, registry):
    response = logged_in_client.get(reverse("incidents:detail", args=[incident.pk]))
    assert 'id="people"' in response.content.decode()


def test_an_upload_shows_the_mapping(logged_in_client, incident):
    response = logged_in_client.post(reverse("people:import_upload", args=[incident.pk]),
                                     {"file": _csv(), "on_error": "stop"}, follow=True)
    assert response.context["job"].mapping["mapping"][0]["item"] == "person_name"


def test_an_upload_writes_nobody_before_it_is_confirmed(logged_in_client, incident):
    logged_in_client.post(reverse("people:import_upload", args=[incident.pk]),
                          {"file": _csv(), "on_error": "stop"})
    assert Person.objects.count() == 0


def test_the_upload_is_not_kept_in_clear(logged_in_client, incident, settings):
    from pathlib import Path

    logged_in_client.post(reverse("people:import_upload", args=[incident.pk]),
                          {"file": _csv(), "on_error": "stop"})
    job = PeopleImport.objects.get()
    stored = (Path(settings.DATA_DIR) / "people-uploads" / job.upload_path).read_bytes()
    assert "山田".encode("cp932") not in stored


def test_an_upload_in_a_test_is_not_written_to_the_checkout(logged_in_client, incident):
    from rouei.config import env

    logged_in_client.post(reverse("people:import_upload", args=[incident.pk]),
                          {"file": _csv(), "on_error": "stop"})
    job = PeopleImport.objects.get()
    assert not (env.data_dir({}) / "people-uploads" / job.upload_path).exists()


def test_confirming_the_import_imports_the_people(logged_in_client, incident):
    logged_in_client.post(reverse("people:import_upload", args=[incident.pk]),
                          {"file": _csv(), "on_error": "stop"})
    job = PeopleImport.objects.get()
    logged_in_client.post(reverse("people:import_detail", args=[incident.pk, job.pk]),
                          {"action": "start", "on_error": "skip"})
    job.refresh_from_db()
    assert job.result["imported"] == 3


def test_a_finished_import_removes_its_upload(logged_in_client, incident, settings):
    from pathlib import Path

    logged_in_client.post(reverse("people:import_upload", args=[incident.pk]),
                          {"file": _csv(), "on_error": "stop"})
    job = PeopleImport.objects.get()
    name = job.upload_path
    logged_in_client.post(reverse("people:import_detail", args=[incident.pk, job.pk]),
                          {"action": "start"})
    assert not (Path(settings.DATA_DIR) / "people-uploads" / name).exists()


def test_a_stopped_import_says_which_row(logged_in_client, incident):
    bad = [*ROWS, "高橋 次郎,,,,,not-an-address,,"]
    logged_in_client.post(reverse("people:import_upload", args=[incident.pk]),
                          {"file": _csv(bad), "on_error": "stop"})
    job = PeopleImport.objects.get()
    logged_in_client.post(reverse("people:import_detail", args=[incident.pk, job.pk]),
                          {"action": "start"})
    job.refresh_from_db()
    assert job.error.startswith("5 行目")


def test_a_stopped_import_is_marked_failed(logged_in_client, incident):
    bad = [*ROWS, "高橋 次郎,,,,,not-an-address,,"]
    logged_in_client.post(reverse("people:import_upload", args=[incident.pk]),
                          {"file": _csv(bad), "on_error": "stop"})
    job = PeopleImport.objects.get()
    logged_in_client.post(reverse("people:import_detail", args=[incident.pk, job.pk]),
                          {"action": "start"})
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED


def test_a_file_of_another_type_is_refused(logged_in_client, incident):
    upload = SimpleUploadedFile("evil.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = logged_in_client.post(reverse("people:import_upload", args=[incident.pk]),
                                     {"file": upload, "on_error": "stop"})
    assert response.status_code == 400


def test_an_operator_cannot_import(client, incident, member):
    client.force_login(member("call_centre"))
    response = client.post(reverse("people:import_upload", args=[incident.pk]),
                           {"file": _csv(), "on_error": "stop"})
    assert response.status_code == 403


def test_an_operator_finds_a_caller_by_a_full_width_phone_and_name(client, incident, member,
                                                                   registry):
    client.force_login(member("call_centre"))
    response = client.post(reverse("people:window", args=[incident.pk]),
                           {"phone": "０９０－１２３４－５６７８", "name": "やまだ たろう"})
    assert "クレジットカード番号" in response.context["items"]


def test_an_operator_finds_a_caller_by_name_and_the_address_said_another_way(
        client, incident, member, registry):
    """山田 太郎 is on record at 東京都千代田区千代田1-1; the caller says it in full width with
    丁目 and no prefecture."""
    client.force_login(member("call_centre"))
    response = client.post(reverse("people:window", args=[incident.pk]),
                           {"name": "山田　太郎", "address": "千代田区千代田１丁目１番"})
    assert "クレジットカード番号" in response.context["items"]


def test_the_window_refuses_an_address_without_a_name(client, incident, member, registry):
    client.force_login(member("call_centre"))
    response = client.post(reverse("people:window", args=[incident.pk]),
                           {"address": "東京都千代田区千代田1-1"})
    assert response.status_code == 400


def test_the_window_never_shows_a_stored_contact_value(client, incident, member, registry):
    client.force_login(member("call_centre"))
    response = client.post(reverse("people:window", args=[incident.pk]),
                           {"phone": "09012345678", "name": "山田太郎"})
    assert "taro@example.jp" not in response.content.decode()


def test_a_viewer_cannot_open_the_window(client, incident, member):
    client.force_login(member("viewer"))
    response = client.get(reverse("people:window", args=[incident.pk]))
    assert response.status_code == 403


def _look_up(client, incident, **facts):
    return client.post(reverse("people:window", args=[incident.pk]), {"action": "lookup", **facts})


def test_an_operator_logs_a_verified_call_on_the_person(client, incident, member, registry):
    from rouei.people.models import Inquiry

    client.force_login(member("call_centre"))
    found = _look_up(client, incident, phone="09012345678", name="山田太郎")
    client.post(reverse("people:window", args=[incident.pk]), {
        "action": "log", "caller": found.context["caller_token"], "category": "what_leaked",
        "answer": "項目を案内した"})
    assert Inquiry.objects.get().person.record().name == "山田 太郎"


def test_an_unverified_call_is_logged_without_a_person(client, incident, member, registry):
    from rouei.people.models import Inquiry

    client.force_login(member("call_centre"))
    found = _look_up(client, incident, phone="09012345678")
    client.post(reverse("people:window", args=[incident.pk]), {
        "action": "log", "caller": found.context["caller_token"], "category": "am_i_affected"})
    assert Inquiry.objects.get().person is None


def test_a_forged_caller_is_refused(client, incident, member, registry):
    from rouei.people.models import Inquiry

    client.force_login(member("call_centre"))
    response = client.post(reverse("people:window", args=[incident.pk]), {
        "action": "log", "caller": "forged", "category": "other"})
    assert response.status_code == 400
    assert Inquiry.objects.count() == 0


def test_what_was_said_is_encrypted_at_rest(client, incident, member, registry):
    from django.db import connection

    client.force_login(member("call_centre"))
    found = _look_up(client, incident, phone="09012345678")
    client.post(reverse("people:window", args=[incident.pk]), {
        "action": "log", "caller": found.context["caller_token"], "category": "other",
        "answer": "WINDOWMARKER"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT answer FROM people_inquiry")
        assert "WINDOWMARKER" not in cursor.fetchone()[0]
