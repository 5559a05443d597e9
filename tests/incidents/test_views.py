"""The incident pages: access (404 for non-members everywhere, 403 for a role that may not),
facts editing with versions and conflicts, the duty-change announcement, timeline, audit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from rouei.core.models import AuditEvent
from rouei.incidents import actions
from rouei.incidents.models import Incident, TimelineEvent
from rouei.incidents.services import open_duties_of
from rouei.incidents.urls import incident_urlpatterns
from tests.incidents.conftest import FACTS_900

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
# Every incident URL: the ones that take an incident id (list and create do not).
INCIDENT_URLS = [p.name for p in incident_urlpatterns]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _url(name: str, incident, entry=None) -> str:
    kwargs = {"incident_id": incident.pk}
    if name == "timeline_edit":
        kwargs["entry_pk"] = entry.pk
    if name in ("member_role", "member_remove"):
        kwargs["member_pk"] = incident.memberships.order_by("id").first().pk
    return reverse(f"incidents:{name}", kwargs=kwargs)


def _form(facts: dict, version: int) -> dict:
    """The facts as the browser posts them."""
    data = {k: ("true" if v else "false") if isinstance(v, bool) else v for k, v in facts.items()}
    return {**data, "expected_version": version}


@pytest.fixture
def entry(incident, user):
    return actions.do_add_timeline_event(incident, kind="action", at=AT, text="隔離", actor=user)


def test_incident_urls_cover_every_page():
    assert set(INCIDENT_URLS) == {"detail", "edit", "facts", "knew_date_accept", "timeline_add",
                                  "timeline_edit", "status", "report_add", "member_add",
                                  "member_role", "member_remove", "audit"}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", INCIDENT_URLS)
def test_incident_url_non_member_gets_404(client, outsider, incident, entry, name, method):
    client.force_login(outsider)
    response = getattr(client, method)(_url(name, incident, entry))
    assert response.status_code == 404
    assert Incident.objects.get(pk=incident.pk).version == 1  # nothing was changed


@pytest.mark.parametrize("name", INCIDENT_URLS)
def test_incident_url_non_member_and_missing_incident_look_the_same(client, outsider, incident,
                                                                    entry, name):
    client.force_login(outsider)
    forbidden = client.get(_url(name, incident, entry))
    missing_url = _url(name, incident, entry).replace(f"/{incident.pk}/", "/999999/", 1)
    missing = client.get(missing_url)
    assert forbidden.status_code == missing.status_code == 404
    # The same page, but for the CSRF token and the language switch's return address.
    same_url = missing.content.decode().replace(missing_url, _url(name, incident, entry))
    assert CSRF.sub("", forbidden.content.decode()) == CSRF.sub("", same_url)


@pytest.mark.parametrize("name", INCIDENT_URLS)
def test_incident_url_anonymous_is_sent_to_log_in(client, incident, entry, name):
    response = client.get(_url(name, incident, entry))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# A viewer may read; every write answers 403 ("your role does not allow this"): the viewer
# already knows the incident, so hiding it behind a 404 would only confuse.
@pytest.mark.parametrize("name, method, status", [
    ("detail", "get", 200), ("audit", "get", 200),
    ("facts", "get", 403), ("facts", "post", 403), ("knew_date_accept", "post", 403),
    ("timeline_add", "get", 403),
    ("timeline_add", "post", 403), ("timeline_edit", "post", 403), ("status", "post", 403),
    ("member_add", "post", 403), ("edit", "get", 403), ("edit", "post", 403),
    ("member_role", "post", 403), ("member_remove", "post", 403),
])
def test_incident_url_viewer_reads_but_cannot_edit(client, incident, entry, member, name, method,
                                                   status):
    client.force_login(member("viewer"))
    data = {"status": "investigating", "username": "x", "role": "viewer", "kind": "action",
            "at": "2026-11-24T10:00", "text": "x", "reason": "x",
            **_form({**FACTS_900, "people_confirmed": 5}, 1)}
    response = getattr(client, method)(_url(name, incident, entry), data)
    assert response.status_code == status
    if status == 403:
        assert "閲覧者" in response.content.decode()  # the page says which role it is
    assert Incident.objects.get(pk=incident.pk).version == 1
    changes = AuditEvent.objects.filter(incident_id=incident.pk).exclude(
        action__endswith=".view")
    assert changes.count() == 3  # set-up only


def test_detail_viewer_sees_no_edit_links(client, incident, member):
    client.force_login(member("viewer"))
    page = client.get(_url("detail", incident)).content.decode()
    assert reverse("incidents:facts", args=[incident.pk]) not in page
    assert 'name="status"' not in page


def test_status_only_the_lead_can_close(client, incident, user, member):
    legal = member("legal")
    client.force_login(legal)
    assert client.post(_url("status", incident), {"status": "investigating"}).status_code == 302
    response = client.post(_url("status", incident), {"status": "closed"})
    assert response.status_code == 403
    assert Incident.objects.get(pk=incident.pk).status == "investigating"
    client.force_login(user)
    codes = [d.code for d in open_duties_of(incident)]
    assert client.post(_url("status", incident), {
        "status": "closed", "close_reason": "別案件で管理", "acknowledged_duties": codes,
    }).status_code == 302
    assert Incident.objects.get(pk=incident.pk).status == "closed"


def test_list_shows_only_my_incidents_with_status_and_deadline(logged_in_client, user,
                                                               make_user):
    mine = actions.do_create_incident(title="自分の事案", facts={**FACTS_900,
                                                             "people_confirmed": 2000},
                                      actor=user)
    actions.do_create_incident(title="他人の事案", actor=make_user("other"))
    page = logged_in_client.get(reverse("incidents:list")).content.decode()
    assert "自分の事案" in page and "他人の事案" not in page
    assert f'data-incident="{mine.pk}"' in page
    assert "検知" in page  # the status
    assert "速報（目安）" in page and "2026年11月28日（土）" in page  # end of the 3–5 day guide


def test_list_overdue_deadline_is_marked(logged_in_client, user):
    actions.do_create_incident(title="期限切れ", actor=user, facts={
        **FACTS_900, "people_confirmed": 2000, "knew_at": "2025-01-06"})
    page = logged_in_client.get(reverse("incidents:list")).content.decode()
    assert 'class="overdue"' in page and "超過" in page


def test_create_makes_me_lead_and_asks_for_the_facts(logged_in_client, user):
    response = logged_in_client.post(reverse("incidents:create"), {
        "title": "メール誤送信", "summary": "顧客リストを誤って社外に送信", "organisation": "営業部",
        "vendor_involved": "false"})
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:facts", args=[incident.pk])
    assert incident.memberships.get(user=user).role == "lead"
    assert incident.vendor_involved is False
    assert incident.latest_facts().facts == {"vendor_involved": False}


def test_create_without_title_shows_the_error(logged_in_client):
    response = logged_in_client.post(reverse("incidents:create"), {"title": ""})
    assert response.status_code == 200 and 'id="field-title"' in response.content.decode()
    assert not Incident.objects.exists()


def test_detail_shows_assessment_facts_timeline_and_members(logged_in_client, incident, user,
                                                            member):
    member("forensics", "suzuki")
    actions.do_add_timeline_event(incident, kind="knew", at=AT, text="顧客からの連絡で判明",
                                  actor=user)
    actions.do_add_timeline_event(incident, kind="occurred", at=AT - dt.timedelta(days=3),
                                  text="設定変更", actor=user)
    page = logged_in_client.get(_url("detail", incident)).content.decode()
    assert "個人情報保護委員会への報告" in page and "duty-no" in page  # the /assess/ partials
    assert 'data-id="over_1000"' in page
    assert 'data-key="people_confirmed"' in page and "900" in page
    assert page.index("設定変更") < page.index("顧客からの連絡で判明")  # in time order
    assert "suzuki" in page and "IT・フォレンジック" in page
    assert reverse("incidents:facts", args=[incident.pk]) in page


def test_facts_edit_is_prefilled_with_the_latest_version(logged_in_client, incident):
    page = logged_in_client.get(_url("facts", incident)).content.decode()
    assert 'name="expected_version" value="1"' in page
    assert 'name="people_confirmed" value="900"' in page
    assert 'value="2026-11-24"' in page


def test_facts_edit_past_1000_people_announces_the_duty_change(logged_in_client, incident):
    response = logged_in_client.post(_url("facts", incident),
                                     _form({**FACTS_900, "people_confirmed": 1001}, 1),
                                     follow=True)
    page = response.content.decode()
    announcement = re.search(r'<li class="message message-warning duty-change"[^>]*>([^<]*)<',
                             page)
    assert announcement.group(1) == "本人の数が1,000人を超えたため、規則7条4号に該当し報告が必要になりました"
    assert "事実を版2として保存しました" in page
    assert TimelineEvent.objects.filter(incident=incident, kind="duty_change").count() == 1
    assert 'data-kind="duty_change"' in page  # and it is on the timeline
    assert "2026年12月23日（水）" in page  # the 確報 deadline now shown


def test_facts_edit_duty_change_in_english(logged_in_client, incident):
    logged_in_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = logged_in_client.post(_url("facts", incident),
                                 _form({**FACTS_900, "people_confirmed": 1001}, 1),
                                 follow=True).content.decode()
    assert "The number of people passed 1,000, so PPC Rules Art. 7(iv) applies" in page


def test_facts_edit_two_saves_from_the_same_version_second_is_told_to_reload(client, incident,
                                                                             user, member):
    legal = member("legal", "sato")
    client.force_login(user)
    first = client.post(_url("facts", incident), _form({**FACTS_900, "people_confirmed": 950}, 1))
    assert first.status_code == 302
    client.force_login(legal)
    second = client.post(_url("facts", incident),
                         _form({**FACTS_900, "people_estimated": 3000}, 1))
    page = second.content.decode()
    assert second.status_code == 200
    assert 'id="conflict"' in page and "再読み込み" in page
    assert "tanaka" in page  # who saved first
    assert 'name="people_estimated" value="3000"' in page  # what sato entered is kept
    assert 'name="expected_version" value="2"' in page
    latest = incident.latest_facts()
    assert latest.number == 2 and latest.facts["people_confirmed"] == 950
    assert "people_estimated" not in latest.facts  # the first save is intact
    # Having seen the differences, sato saves again on purpose: a third version.
    again = client.post(_url("facts", incident), _form({**FACTS_900, "people_estimated": 3000},
                                                        2))
    assert again.status_code == 302 and incident.latest_facts().number == 3


def test_facts_edit_invalid_facts_show_the_field_error(logged_in_client, incident):
    response = logged_in_client.post(_url("facts", incident), _form(
        {**FACTS_900, "occurred_at": "2026-12-01T10:00"}, 1))
    assert response.status_code == 200
    assert 'id="field-occurred_at"' in response.content.decode()
    assert incident.facts_versions.count() == 1


def test_facts_edit_nothing_changed_says_so(logged_in_client, incident):
    page = logged_in_client.post(_url("facts", incident), _form(FACTS_900, 1),
                                 follow=True).content.decode()
    assert "変更がないため" in page and incident.facts_versions.count() == 1


def test_timeline_add_and_correct_with_a_reason(logged_in_client, incident):
    response = logged_in_client.post(_url("timeline_add", incident), {
        "kind": "detected", "at": "2026-11-24T09:15", "text": "監視アラートで検知"})
    assert response.status_code == 302
    entry = TimelineEvent.objects.get(incident=incident)
    assert entry.at == dt.datetime(2026, 11, 24, 0, 15, tzinfo=dt.UTC)  # entered in JST
    url = _url("timeline_edit", incident, entry)
    no_reason = logged_in_client.post(url, {"kind": "detected", "at": "2026-11-24T09:45",
                                            "text": "監視アラートで検知", "reason": ""})
    assert no_reason.status_code == 200 and 'id="field-reason"' in no_reason.content.decode()
    logged_in_client.post(url, {"kind": "detected", "at": "2026-11-24T09:45",
                                "text": "監視アラートで検知", "reason": "時刻の誤記"})
    entry.refresh_from_db()
    assert entry.edited_reason == "時刻の誤記" and entry.revisions[0]["at"].startswith(
        "2026-11-24T00:15")
    page = logged_in_client.get(_url("detail", incident)).content.decode()
    assert "時刻の誤記" in page


def test_timeline_entries_written_by_rouei_cannot_be_edited(logged_in_client, incident, user):
    actions.do_change_status(incident, "investigating", actor=user)
    entry = TimelineEvent.objects.get(incident=incident, kind="status_change")
    assert logged_in_client.get(_url("timeline_edit", incident, entry)).status_code == 404


def test_member_add_by_the_lead(logged_in_client, incident, make_user):
    make_user("kato")
    response = logged_in_client.post(_url("member_add", incident),
                                     {"username": "kato", "role": "pr"}, follow=True)
    assert "メンバーを追加しました" in response.content.decode()
    assert incident.memberships.get(user__username="kato").role == "pr"
    response = logged_in_client.post(_url("member_add", incident),
                                     {"username": "nobody", "role": "pr"}, follow=True)
    assert "このユーザー名の有効なユーザーはいません" in response.content.decode()


def test_audit_page_lists_the_incidents_events_newest_first(logged_in_client, incident, user):
    actions.do_update_facts(incident, {**FACTS_900, "people_confirmed": 1001},
                            expected_version=1, actor=user)
    actions.do_change_status(incident, "investigating", actor=user)
    other = actions.do_create_incident(title="別件", actor=user)
    page = logged_in_client.get(_url("audit", incident)).content.decode()
    actions_shown = re.findall(r'data-action="([^"]+)"', page)
    # The trail's own reading is recorded first (a view of sensitive data).
    assert actions_shown == ["audit.view", "status.change", "facts.update", "incident.create"]
    assert "監査ログの閲覧" in page
    assert "事実 版2: 本人の数（確認済み） — 義務・期限の変化あり" in page
    assert "検知 → 調査中" in page
    assert f'data-incident="{other.pk}"' not in page


# --- dates in the future (issue 11, guard rail 2) ------------------------------------------------

def _in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_facts_edit_knew_at_in_the_future_shows_the_field_error(logged_in_client, incident):
    page = logged_in_client.post(_url("facts", incident), _form(
        {**FACTS_900, "knew_at": _in_days(2)}, 1)).content.decode()
    assert '<div class="error field-error" role="alert">知った日は未来の日時にできません</div>' in page


def test_facts_edit_occurred_at_in_the_future_saves_no_version(logged_in_client, incident):
    logged_in_client.post(_url("facts", incident), _form(
        {**FACTS_900, "occurred_at": f"{_in_days(2)}T10:00"}, 1))
    assert incident.facts_versions.count() == 1


def test_facts_edit_detected_at_a_minute_ago_is_saved(logged_in_client, incident):
    minute_ago = timezone.localtime() - dt.timedelta(minutes=1)
    response = logged_in_client.post(_url("facts", incident), _form(
        {**FACTS_900, "knew_at": _in_days(0),
         "detected_at": f"{minute_ago:%Y-%m-%dT%H:%M}"}, 1))
    assert response.status_code == 302 and incident.facts_versions.count() == 2


def _local_in(**delta) -> str:
    return f"{timezone.localtime() + dt.timedelta(**delta):%Y-%m-%dT%H:%M}"


def test_timeline_add_in_the_future_names_the_field(logged_in_client, incident):
    page = logged_in_client.post(_url("timeline_add", incident), {
        "kind": "knew", "at": _local_in(days=2), "text": "判明"}).content.decode()
    assert ('<div class="error field-error" role="alert">タイムラインの日時は未来の日時にできません</div>'
            in page)


def test_timeline_add_in_the_future_adds_nothing(logged_in_client, incident):
    logged_in_client.post(_url("timeline_add", incident), {
        "kind": "knew", "at": _local_in(days=2), "text": "判明"})
    assert not TimelineEvent.objects.filter(incident=incident).exists()


def test_timeline_add_a_minute_ago_is_added(logged_in_client, incident):
    response = logged_in_client.post(_url("timeline_add", incident), {
        "kind": "action", "at": _local_in(minutes=-1), "text": "隔離"})
    assert response.status_code == 302


def test_timeline_edit_into_the_future_keeps_the_entry(logged_in_client, incident, entry):
    logged_in_client.post(_url("timeline_edit", incident, entry), {
        "kind": "action", "at": _local_in(days=2), "text": "隔離", "reason": "誤記"})
    entry.refresh_from_db()
    assert entry.at == AT


# --- the day the company knew as one fact (issue 11, guard rail 2) -------------------------------

FACTS_1200 = {**FACTS_900, "people_confirmed": 1200}  # reportable: a 確報 deadline to move
KNEW_20 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)  # 19:00 JST on 20 Nov
CONTRADICTION = "事実の知った日（2026年11月24日（火））とタイムラインの判明日（2026年11月20日（金））が食い違っています。"
ACCEPT = "タイムラインの判明日（2026年11月20日（金））を知った日として事実に反映"


@pytest.fixture
def knew_entry(incident, user):
    """A 判明 entry four days before the facts' 知った日 (24 Nov)."""
    return actions.do_add_timeline_event(incident, kind="knew", at=KNEW_20, text="委託先から報告",
                                         actor=user)


def _accept(client, incident, day: str = "2026-11-20", version: int = 1):
    return client.post(_url("knew_date_accept", incident),
                       {"day": day, "expected_version": version}, follow=True)


def test_detail_knew_entry_on_another_day_shows_the_contradiction(logged_in_client, incident,
                                                                  knew_entry):
    assert CONTRADICTION in logged_in_client.get(_url("detail", incident)).content.decode()


def test_detail_knew_entry_on_another_day_offers_to_accept_it(logged_in_client, incident,
                                                              knew_entry):
    assert ACCEPT in logged_in_client.get(_url("detail", incident)).content.decode()


def test_detail_knew_entry_on_the_facts_day_shows_no_proposal(logged_in_client, incident, user):
    actions.do_add_timeline_event(incident, kind="knew", at=AT, text="判明", actor=user)
    assert 'id="knew-date"' not in logged_in_client.get(_url("detail", incident)).content.decode()


def test_detail_knew_entry_added_after_a_view_shows_the_contradiction(logged_in_client,
                                                                      incident, user):
    logged_in_client.get(_url("detail", incident))  # the 判明 entries kept: none
    actions.do_add_timeline_event(incident, kind="knew", at=KNEW_20, text="委託先から報告",
                                  actor=user)
    assert CONTRADICTION in logged_in_client.get(_url("detail", incident)).content.decode()


def test_detail_knew_entry_moved_to_the_facts_day_after_a_view_shows_no_proposal(
        logged_in_client, user, knew_entry):
    logged_in_client.get(_url("detail", knew_entry.incident))  # kept: the 20th
    actions.do_edit_timeline_event(knew_entry, kind="knew", at=AT, text="委託先から報告",
                                   reason="日付の誤り", actor=user)
    page = logged_in_client.get(_url("detail", knew_entry.incident)).content.decode()
    assert 'id="knew-date"' not in page


def test_detail_knew_entry_without_a_facts_day_proposes_it(logged_in_client, user):
    incident = actions.do_create_incident(title="知った日が未入力", facts={"items": ["email"]},
                                          actor=user)
    actions.do_add_timeline_event(incident, kind="knew", at=KNEW_20, text="判明", actor=user)
    page = logged_in_client.get(_url("detail", incident)).content.decode()
    assert "タイムラインの判明日は2026年11月20日（金）ですが、事実の知った日はまだ入力されていません。" in page


def test_detail_viewer_sees_the_contradiction_without_the_button(client, incident, knew_entry,
                                                                 member):
    client.force_login(member("viewer"))
    page = client.get(_url("detail", incident)).content.decode()
    assert (CONTRADICTION in page, ACCEPT in page) == (True, False)


def test_facts_page_shows_the_contradiction(logged_in_client, incident, knew_entry):
    assert CONTRADICTION in logged_in_client.get(_url("facts", incident)).content.decode()


def test_timeline_add_knew_entry_leaves_the_facts_alone(logged_in_client, incident):
    logged_in_client.post(_url("timeline_add", incident), {
        "kind": "knew", "at": "2026-11-20T19:00", "text": "委託先から報告"})
    assert incident.latest_facts().facts["knew_at"] == "2026-11-24T00:00:00+09:00"


def test_timeline_add_knew_entry_on_another_day_leads_to_the_proposal(logged_in_client,
                                                                      incident):
    response = logged_in_client.post(_url("timeline_add", incident), {
        "kind": "knew", "at": "2026-11-20T19:00", "text": "委託先から報告"})
    assert response.url == _url("detail", incident) + "#knew-date"


def test_timeline_edit_knew_entry_onto_the_facts_day_ends_the_contradiction(
        logged_in_client, incident, knew_entry):
    logged_in_client.post(_url("timeline_edit", incident, knew_entry), {
        "kind": "knew", "at": "2026-11-24T09:00", "text": "委託先から報告", "reason": "日付の誤記"})
    assert 'id="knew-date"' not in logged_in_client.get(_url("detail", incident)).content.decode()


def test_facts_edit_knew_at_leaves_the_timeline_alone(logged_in_client, incident, knew_entry):
    logged_in_client.post(_url("facts", incident), _form({**FACTS_900, "knew_at": "2026-11-23"},
                                                         1))
    knew_entry.refresh_from_db()
    assert knew_entry.at == KNEW_20


def test_knew_date_accept_saves_the_entrys_day_as_the_fact(logged_in_client, incident,
                                                           knew_entry):
    _accept(logged_in_client, incident)
    assert incident.latest_facts().facts["knew_at"] == "2026-11-20T00:00:00+09:00"


def test_knew_date_accept_keeps_the_other_facts(logged_in_client, incident, knew_entry):
    _accept(logged_in_client, incident)
    facts = incident.latest_facts().facts
    assert {k: v for k, v in facts.items() if k != "knew_at"} == {
        k: v for k, v in FACTS_900.items() if k != "knew_at"}


def test_knew_date_accept_ends_the_contradiction(logged_in_client, incident, knew_entry):
    page = _accept(logged_in_client, incident).content.decode()
    assert 'id="knew-date"' not in page and "知った日を2026年11月20日（金）としました（事実の版2）。" in page


def test_knew_date_accept_announces_the_duty_change(logged_in_client, user, member):
    incident = actions.do_create_incident(title="1,200人", facts=FACTS_1200, actor=user)
    actions.do_add_timeline_event(incident, kind="knew", at=KNEW_20, text="判明", actor=user)
    page = _accept(logged_in_client, incident).content.decode()
    announcement = re.search(r'<li class="message message-warning duty-change"[^>]*>([^<]*)<',
                             page)
    assert announcement.group(1).startswith(
        "確報の期限が2026年12月23日（水）から2026年12月21日（月）に変わりました")


def test_knew_date_accept_is_one_facts_update_in_the_audit_trail(logged_in_client, incident,
                                                                 knew_entry):
    _accept(logged_in_client, incident)
    assert list(AuditEvent.objects.filter(incident_id=incident.pk).exclude(
        action__endswith=".view").order_by("sequence").values_list("action", flat=True)) == [
        "incident.create", "timeline.add", "facts.update"]


def test_knew_date_accept_a_day_no_entry_proposes_saves_nothing(logged_in_client, incident,
                                                                knew_entry):
    page = _accept(logged_in_client, incident, day="2026-11-21").content.decode()
    assert "この日を判明日とするタイムラインの記録はもうありません" in page
    assert incident.facts_versions.count() == 1


def test_knew_date_accept_from_a_stale_page_saves_nothing(logged_in_client, incident, knew_entry,
                                                          user):
    actions.do_update_facts(incident, {**FACTS_900, "people_confirmed": 950},
                            expected_version=1, actor=user)
    page = _accept(logged_in_client, incident, version=1).content.decode()
    assert "その間に他の人が事実を保存しました" in page
    assert incident.latest_facts().facts["knew_at"] == "2026-11-24T00:00:00+09:00"


def test_knew_date_accept_before_the_occurrence_is_refused_with_the_reason(logged_in_client,
                                                                           incident, knew_entry,
                                                                           user):
    actions.do_update_facts(incident, {**FACTS_900, "occurred_at": "2026-11-22T10:00"},
                            expected_version=1, actor=user)
    page = _accept(logged_in_client, incident, version=2).content.decode()
    assert "発生日時が「知った」日時より後になっています" in page


def _announcement(page: str) -> re.Match | None:
    return re.search(r'<li class="(message [^"]*duty-change[^"]*)"[^>]*>([^<]*)<', page)


@pytest.fixture
def new_incident(user):
    """Just opened: no facts yet, so the report is 要確認."""
    return actions.do_create_incident(title="新しい事案", actor=user)


def test_facts_first_save_not_reportable_does_not_say_no_longer(logged_in_client, new_incident):
    page = logged_in_client.post(_url("facts", new_incident), _form(FACTS_900, 1),
                                 follow=True).content.decode()
    assert _announcement(page).group(2) == "報告の対象ではないと判定されました（報告・本人通知は不要）"


def test_facts_first_save_not_reportable_is_shown_as_good_news(logged_in_client, new_incident):
    page = logged_in_client.post(_url("facts", new_incident), _form(FACTS_900, 1),
                                 follow=True).content.decode()
    assert _announcement(page).group(1) == "message message-success duty-change good-news"


def test_facts_edit_duty_gone_says_no_longer_reportable(logged_in_client, user):
    incident = actions.do_create_incident(title="x", facts={**FACTS_900, "people_confirmed": 1500},
                                          actor=user)
    page = logged_in_client.post(_url("facts", incident), _form(FACTS_900, 1),
                                 follow=True).content.decode()
    assert _announcement(page).group(2) == "報告の対象ではなくなりました（報告・本人通知は不要）"


def test_facts_edit_duty_gone_is_good_news_on_the_timeline(logged_in_client, user):
    incident = actions.do_create_incident(title="x", facts={**FACTS_900, "people_confirmed": 1500},
                                          actor=user)
    page = logged_in_client.post(_url("facts", incident), _form(FACTS_900, 1),
                                 follow=True).content.decode()
    assert 'class="tl tl-duty_change tl-good-news"' in page


def test_facts_edit_duty_arising_is_a_warning_not_good_news(logged_in_client, incident):
    page = logged_in_client.post(_url("facts", incident),
                                 _form({**FACTS_900, "people_confirmed": 1001}, 1),
                                 follow=True).content.decode()
    assert _announcement(page).group(1) == "message message-warning duty-change"


def test_facts_edit_duty_arising_is_not_good_news_on_the_timeline(logged_in_client, incident):
    page = logged_in_client.post(_url("facts", incident),
                                 _form({**FACTS_900, "people_confirmed": 1001}, 1),
                                 follow=True).content.decode()
    assert 'class="tl tl-duty_change"' in page


def test_facts_estimate_500_upper_bound_unknown_is_to_be_confirmed(logged_in_client, incident):
    facts = {k: v for k, v in FACTS_900.items() if k != "people_confirmed"}
    page = logged_in_client.post(_url("facts", incident),
                                 _form({**facts, "people_estimated": 500}, 1),
                                 follow=True).content.decode()
    assert "本人の数が1,000人超（規則7条4号） — 要確認" in page


def test_detail_new_trigger_rule_label_is_shown_as_applying(logged_in_client, user,
                                                           new_trigger_rule):
    incident = actions.do_create_incident(
        title="x", facts={**FACTS_900, "publicly_viewable": True}, actor=user)
    page = logged_in_client.get(_url("detail", incident)).content.decode()
    assert '<span class="badge badge-yes">掲示板への掲載（試験用）</span>' in page


def test_detail_new_trigger_rule_not_applying_is_not_a_trigger(logged_in_client, user,
                                                              new_trigger_rule):
    incident = actions.do_create_incident(
        title="x", facts={**FACTS_900, "publicly_viewable": False}, actor=user)
    page = logged_in_client.get(_url("detail", incident)).content.decode()
    assert '<span class="badge badge-yes">掲示板への掲載（試験用）</span>' not in page
