"""The public notice in versions: the draft (rewritten sections kept, the others following the
facts), publishing (audited, numbered, frozen with its SHA-256, never changed afterwards), the
public page without sign-in and the incident's notice page."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from rouei.core.errors import ActionError, Conflict
from rouei.core.models import AuditEvent
from rouei.documents import actions, notices
from rouei.documents.models import NoticeVersion, NoticeVersionImmutable, PublicNoticePage
from rouei.incidents import actions as incident_actions
from rouei.people.models import NoticeSettings

pytestmark = pytest.mark.django_db
WINDOW = {"window_phone": "0120-000-000", "window_hours": "9:00～18:00"}


@pytest.fixture
def ready(incident):
    """The test incident with its contact window set (a notice without one is refused)."""
    NoticeSettings.objects.create(incident=incident, **WINDOW)
    return incident


def grow(incident, user, people: int) -> None:
    facts = incident.latest_facts().facts | {"people_confirmed": people}
    incident.refresh_from_db()
    incident_actions.do_update_facts(incident, facts, expected_version=incident.version,
                                     actor=user)


def section(content: dict, key: str) -> str:
    return next(s["text"] for s in content["sections"] if s["key"] == key)


# --- publishing ---------------------------------------------------------------------------------

def test_publishing_numbers_the_versions(ready, user):
    actions.do_publish_notice(ready, actor=user)
    second = actions.do_publish_notice(ready, actor=user)
    assert (second.number, second.content["notice"]["version_label"]) == (2, "第二報")


def test_the_sha256_is_of_the_frozen_text(ready, user):
    version = actions.do_publish_notice(ready, actor=user)
    assert version.sha256 == hashlib.sha256(version.content_json.encode("utf-8")).hexdigest()


def test_the_frozen_text_is_canonical_json_of_the_content(ready, user):
    version = actions.do_publish_notice(ready, actor=user)
    assert notices.canonical(version.content) == version.content_json


def test_a_published_version_cannot_be_saved_again(ready, user):
    version = actions.do_publish_notice(ready, actor=user)
    version.content_json = "{}"
    with pytest.raises(NoticeVersionImmutable):
        version.save()


def test_a_published_version_cannot_be_updated_in_bulk(ready, user):
    actions.do_publish_notice(ready, actor=user)
    with pytest.raises(NoticeVersionImmutable):
        NoticeVersion.objects.filter(incident=ready).update(content_json="{}")


def test_a_published_version_cannot_be_deleted(ready, user):
    version = actions.do_publish_notice(ready, actor=user)
    with pytest.raises(NoticeVersionImmutable):
        version.delete()


def test_a_version_is_not_created_outside_the_action(ready, user):
    with pytest.raises(NoticeVersionImmutable):
        NoticeVersion(incident=ready, number=1, published_at=ready.created_at,
                      content_json="{}", sha256="0" * 64, published_by=user).save()


def test_a_published_version_keeps_its_text_when_the_facts_change(ready, user):
    version = actions.do_publish_notice(ready, actor=user)
    grow(ready, user, 3400)
    assert "900名" in section(NoticeVersion.objects.get(pk=version.pk).content, "lead")


def test_publishing_is_audited_with_the_sha256(ready, user):
    version = actions.do_publish_notice(ready, actor=user)
    event = AuditEvent.objects.filter(action="notice.publish").get()
    assert event.details["sha256"] == version.sha256


def test_the_first_publication_creates_the_public_page(ready, user):
    actions.do_publish_notice(ready, actor=user)
    assert len(PublicNoticePage.objects.get(incident=ready).token) >= 32


def test_the_public_page_keeps_its_address_across_versions(ready, user):
    actions.do_publish_notice(ready, actor=user)
    token = PublicNoticePage.objects.get(incident=ready).token
    actions.do_publish_notice(ready, actor=user)
    assert PublicNoticePage.objects.get(incident=ready).token == token


def test_publishing_twice_from_one_page_is_a_conflict(ready, user):
    actions.do_publish_notice(ready, expected_number=1, actor=user)
    with pytest.raises(Conflict):
        actions.do_publish_notice(ready, expected_number=1, actor=user)


def test_an_unset_contact_window_is_refused(incident, user):
    with pytest.raises(ActionError, match="未設定"):
        actions.do_publish_notice(incident, actor=user)


def test_a_viewer_cannot_publish(ready, member):
    from rouei.core.access import RoleForbidden

    with pytest.raises(RoleForbidden):
        actions.do_publish_notice(ready, actor=member("viewer"))


def test_pr_may_publish(ready, member):
    assert actions.do_publish_notice(ready, actor=member("pr")).number == 1


# --- the draft ----------------------------------------------------------------------------------

def test_a_rewritten_section_is_published_as_written(ready, user):
    rows = {r.key: r.text for r in notices.draft_rows(ready)}
    actions.do_save_notice_draft(ready, sections=rows | {"cause": "設定の誤りによるものです。"},
                                 actor=user)
    version = actions.do_publish_notice(ready, actor=user)
    assert section(version.content, "cause") == "設定の誤りによるものです。"


def test_an_untouched_section_follows_the_facts(ready, user):
    rows = {r.key: r.text for r in notices.draft_rows(ready)}
    actions.do_save_notice_draft(ready, sections=rows, actor=user)
    grow(ready, user, 3400)
    assert "3,400名" in section(actions.do_publish_notice(ready, actor=user).content, "lead")


def test_a_rewritten_section_says_when_the_facts_moved(ready, user):
    rows = {r.key: r.text for r in notices.draft_rows(ready)}
    actions.do_save_notice_draft(ready, sections=rows | {"lead": rows["lead"] + "追記。"},
                                 actor=user)
    grow(ready, user, 3400)
    lead = next(r for r in notices.draft_rows(ready) if r.key == "lead")
    assert lead.facts_moved is True


def test_reset_puts_a_section_back_to_the_draft(ready, user):
    rows = {r.key: r.text for r in notices.draft_rows(ready)}
    actions.do_save_notice_draft(ready, sections=rows | {"cause": "手書き"}, actor=user)
    actions.do_save_notice_draft(ready, sections=rows | {"cause": "手書き"}, reset=("cause",),
                                 actor=user)
    assert next(r for r in notices.draft_rows(ready) if r.key == "cause").edited is False


def test_a_stale_draft_form_is_a_conflict(ready, user):
    rows = {r.key: r.text for r in notices.draft_rows(ready)}
    draft = actions.do_save_notice_draft(ready, sections=rows, actor=user)
    actions.do_save_notice_draft(ready, sections=rows, expected_version=draft.version,
                                 actor=user)
    with pytest.raises(Conflict):
        actions.do_save_notice_draft(ready, sections=rows, expected_version=draft.version,
                                     actor=user)


def test_the_final_flag_makes_the_final_notice(ready, user):
    rows = {r.key: r.text for r in notices.draft_rows(ready)}
    actions.do_save_notice_draft(ready, sections=rows, is_final=True, actor=user)
    assert actions.do_publish_notice(ready, actor=user).is_final is True


def test_a_card_leak_gets_the_delay_reason_entered(user):
    card = incident_actions.do_create_incident(
        title="カード情報の漏えい", facts={"items": ["person_name", "credit_card"],
                                           "people_confirmed": 100, "knew_at": "2026-11-24"},
        actor=user)
    NoticeSettings.objects.create(incident=card, **WINDOW)
    actions.do_save_notice_draft(card, sections={}, delay_reason="調査結果を待ったためです。",
                                 actor=user)
    content = actions.do_publish_notice(card, actor=user).content
    assert section(content, "delay_reason") == "調査結果を待ったためです。"


def test_a_leak_without_cards_gets_no_delay_paragraph(ready, user):
    actions.do_save_notice_draft(ready, sections={}, delay_reason="理由", actor=user)
    content = actions.do_publish_notice(ready, actor=user).content
    assert "delay_reason" not in [s["key"] for s in content["sections"]]


def test_saving_the_draft_is_audited(ready, user):
    actions.do_save_notice_draft(ready, sections={"cause": "手書き"}, actor=user)
    assert AuditEvent.objects.get(action="notice.draft_save").details["edited"] == ["cause"]


# --- what changed between versions --------------------------------------------------------------

def test_the_changes_show_the_count_that_grew(ready, user):
    actions.do_publish_notice(ready, actor=user)
    grow(ready, user, 3400)
    actions.do_publish_notice(ready, actor=user)
    figure = next(f for f in notices.versions(ready)[-1].changes.figures
                  if f.key == "people_confirmed")
    assert (figure.before, figure.after) == ("900名", "3,400名")


def test_the_first_version_has_no_changes(ready, user):
    actions.do_publish_notice(ready, actor=user)
    assert notices.versions(ready)[0].changes is None


# --- the pages ----------------------------------------------------------------------------------

def public_url(incident) -> str:
    return reverse("documents:public", args=[PublicNoticePage.objects.get(
        incident=incident).token])


def test_the_public_page_needs_no_sign_in(client, ready, user):
    actions.do_publish_notice(ready, actor=user)
    assert client.get(public_url(ready)).status_code == 200


def test_an_unknown_token_is_404(client, ready, user):
    actions.do_publish_notice(ready, actor=user)
    assert client.get(reverse("documents:public", args=["no-such-token"])).status_code == 404


def test_the_public_address_names_no_incident(ready, user):
    actions.do_publish_notice(ready, actor=user)
    assert f"/{ready.pk}/" not in public_url(ready)


def test_the_public_page_shows_the_current_version(client, ready, user):
    actions.do_publish_notice(ready, actor=user)
    grow(ready, user, 3400)
    actions.do_publish_notice(ready, actor=user)
    page = client.get(public_url(ready)).content.decode()
    assert 'id="current" data-number="2"' in page


def test_the_public_page_lists_every_version_with_its_sha256(client, ready, user):
    first = actions.do_publish_notice(ready, actor=user)
    second = actions.do_publish_notice(ready, actor=user)
    page = client.get(public_url(ready)).content.decode()
    assert (first.sha256 in page, second.sha256 in page) == (True, True)


def test_the_public_page_highlights_the_changed_count(client, ready, user):
    actions.do_publish_notice(ready, actor=user)
    grow(ready, user, 3400)
    actions.do_publish_notice(ready, actor=user)
    page = client.get(public_url(ready)).content.decode()
    assert "<ins>3,400名</ins>" in page


def test_the_public_page_escapes_the_text(client, ready, user):
    actions.do_save_notice_draft(ready, sections={"cause": "<script>alert(1)</script>"},
                                 actor=user)
    actions.do_publish_notice(ready, actor=user)
    page = client.get(public_url(ready)).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_the_public_json_is_the_frozen_text(client, ready, user):
    version = actions.do_publish_notice(ready, actor=user)
    token = PublicNoticePage.objects.get(incident=ready).token
    body = client.get(reverse("documents:public-json", args=[token, 1])).content
    assert hashlib.sha256(body).hexdigest() == version.sha256


def test_the_public_page_takes_no_post(client, ready, user):
    actions.do_publish_notice(ready, actor=user)
    assert client.post(public_url(ready)).status_code in (403, 405)


def test_the_notice_page_publishes(logged_in_client, ready):
    logged_in_client.post(reverse("documents:notice-publish", args=[ready.pk]), {"number": "1"})
    assert NoticeVersion.objects.filter(incident=ready).count() == 1


def test_the_notice_page_saves_a_rewritten_section(logged_in_client, ready):
    rows = {f"section-{r.key}": r.text for r in notices.draft_rows(ready)}
    logged_in_client.post(reverse("documents:notices", args=[ready.pk]),
                          rows | {"section-cause": "手書きの原因"})
    assert next(r for r in notices.draft_rows(ready) if r.key == "cause").text == "手書きの原因"


def test_the_notice_page_links_the_public_page(logged_in_client, ready, user):
    actions.do_publish_notice(ready, actor=user)
    page = logged_in_client.get(reverse("documents:notices", args=[ready.pk])).content.decode()
    assert public_url(ready) in page


def test_a_viewer_reads_the_notice_page_without_the_publish_button(client, ready, member):
    client.force_login(member("viewer"))
    page = client.get(reverse("documents:notices", args=[ready.pk])).content.decode()
    assert 'id="publish"' not in page


def test_a_non_member_gets_404_on_the_notice_page(client, ready, outsider):
    client.force_login(outsider)
    assert client.get(reverse("documents:notices", args=[ready.pk])).status_code == 404


def test_a_viewer_reads_the_drafted_notice_on_the_documents_page(client, ready, member):
    client.force_login(member("viewer"))
    page = client.get(reverse("documents:public-notice", args=[ready.pk])).content.decode()
    assert "900名" in page


def test_the_incident_page_card_names_the_last_version(logged_in_client, ready, user):
    actions.do_publish_notice(ready, actor=user)
    page = logged_in_client.get(reverse("incidents:detail", args=[ready.pk])).content.decode()
    assert "第一報" in page


def test_the_ppc_report_counts_the_notice_as_published(ready, user):
    from rouei.documents.kinds import get_kind

    actions.do_publish_notice(ready, actor=user)
    publication = get_kind("ppc-report").build(ready, "preliminary")["publication"]
    assert (publication["status"], publication["notices"][0]["label"]) == ("done", "第一報")
