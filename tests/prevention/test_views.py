"""The plan's pages: members read, editors write, a viewer cannot edit, a non-member gets 404;
a stale edit is refused with the colleague's version shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rouei.prevention.models import Measure

pytestmark = pytest.mark.django_db


def url(name, incident, *args):
    return reverse(f"prevention:{name}", args=[incident.pk, *args])


def form_data(measure, **changes):
    data = {"group": measure.group, "title": measure.title, "description": "",
            "owner": str(measure.owner_id or ""), "due_date": "2027-01-31", "kpi": measure.kpi,
            "status": measure.status, "done_on": "", "drop_reason": "",
            "expected_version": str(measure.version)}
    data.update(changes)
    return data


def test_the_plan_page_shows_the_measure(logged_in_client, measure):
    page = logged_in_client.get(url("index", measure.incident))
    assert "管理者アカウントへのMFA導入" in page.content.decode()


def test_the_plan_page_marks_an_overdue_measure(logged_in_client, measure, user):
    import datetime as dt

    from rouei.prevention.actions import do_update_measure

    do_update_measure(measure, expected_version=measure.version,
                      due_date=dt.date(2026, 1, 5), actor=user)
    page = logged_in_client.get(url("index", measure.incident)).content.decode()
    assert f'id="measure-{measure.pk}" class="measure overdue"' in page


def test_adding_through_the_form(logged_in_client, incident, user):
    logged_in_client.post(url("add", incident), {
        "group": "vendors", "title": "委託先契約の見直し", "owner": str(user.pk),
        "due_date": "2027-02-01", "kpi": "全契約で監査条項", "status": "planned",
        "expected_version": "0"})
    assert Measure.objects.filter(incident=incident, title="委託先契約の見直し").exists()


def test_editing_through_the_form(logged_in_client, measure):
    logged_in_client.post(url("edit", measure.incident, measure.pk),
                          form_data(measure, title="MFA（全管理者）"))
    assert Measure.objects.get(pk=measure.pk).title == "MFA（全管理者）"


def test_a_stale_edit_is_refused_with_409(logged_in_client, measure):
    stale = form_data(measure, title="二人目の変更")
    logged_in_client.post(url("edit", measure.incident, measure.pk),
                          form_data(measure, title="一人目の変更"))
    response = logged_in_client.post(url("edit", measure.incident, measure.pk), stale)
    assert response.status_code == 409


def test_a_stale_edit_keeps_the_colleagues_version(logged_in_client, measure):
    stale = form_data(measure, title="二人目の変更")
    logged_in_client.post(url("edit", measure.incident, measure.pk),
                          form_data(measure, title="一人目の変更"))
    logged_in_client.post(url("edit", measure.incident, measure.pk), stale)
    assert Measure.objects.get(pk=measure.pk).title == "一人目の変更"


def test_dropping_without_a_reason_shows_the_error_on_the_field(logged_in_client, measure):
    response = logged_in_client.post(url("edit", measure.incident, measure.pk),
                                     form_data(measure, status="dropped"))
    assert "drop_reason" in response.context["form"].errors


def test_recording_progress_on_the_measure_page(logged_in_client, measure):
    logged_in_client.post(url("measure", measure.incident, measure.pk), {
        "on": "2026-12-01", "note": "12件中8件で設定", "status": "in_progress",
        "expected_version": str(measure.version)})
    assert measure.progress.get().note == "12件中8件で設定"


def test_the_summary_page_gives_the_text_to_publish(logged_in_client, measure):
    page = logged_in_client.get(url("summary", measure.incident)).content.decode()
    assert "再発防止策の進捗状況" in page


def test_a_viewer_reads_the_plan(client, measure, member):
    client.force_login(member("viewer"))
    assert client.get(url("index", measure.incident)).status_code == 200


def test_a_viewer_sees_no_add_button(client, measure, member):
    client.force_login(member("viewer"))
    assert 'id="add-measure"' not in client.get(url("index", measure.incident)).content.decode()


def test_a_viewer_cannot_open_the_edit_form(client, measure, member):
    client.force_login(member("viewer"))
    assert client.get(url("edit", measure.incident, measure.pk)).status_code == 403


def test_a_viewer_cannot_record_progress(client, measure, member):
    client.force_login(member("viewer"))
    response = client.post(url("measure", measure.incident, measure.pk), {
        "on": "2026-12-01", "note": "x", "status": "done",
        "expected_version": str(measure.version)})
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["index", "summary", "add"])
def test_a_non_member_gets_404(client, incident, outsider, name):
    client.force_login(outsider)
    assert client.get(url(name, incident)).status_code == 404


def test_a_non_member_gets_404_for_a_measure(client, measure, outsider):
    client.force_login(outsider)
    assert client.get(url("measure", measure.incident, measure.pk)).status_code == 404


def test_another_incidents_measure_is_not_found(logged_in_client, measure, user):
    from rouei.incidents import actions

    other = actions.do_create_incident(title="別件", facts={"knew_at": "2026-11-24"},
                                       actor=user)
    assert logged_in_client.get(url("measure", other, measure.pk)).status_code == 404
