"""The published versions of the public notice over the API: listed oldest first, one version
with its frozen text whose SHA-256 matches, 404 for a non-member and an unknown number."""

from __future__ import annotations

import hashlib

import pytest

from rouei.documents import actions
from rouei.people.models import NoticeSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(incident, user):
    NoticeSettings.objects.create(incident=incident, window_phone="0120-000-000",
                                  window_hours="9:00～18:00")
    actions.do_publish_notice(incident, actor=user)
    actions.do_publish_notice(incident, actor=user)
    return incident


def test_the_list_gives_the_versions_oldest_first(api, published):
    body = api.get(f"/incidents/{published.pk}/documents/notices").json()
    assert [v["label"] for v in body] == ["第一報", "第二報"]


def test_the_list_is_empty_before_the_first_publication(api, incident):
    assert api.get(f"/incidents/{incident.pk}/documents/notices").json() == []


def test_one_version_carries_its_frozen_text_and_sha256(api, published):
    body = api.get(f"/incidents/{published.pk}/documents/notices/1").json()
    assert hashlib.sha256(body["content_json"].encode("utf-8")).hexdigest() == body["sha256"]


def test_one_version_carries_its_sections(api, published):
    body = api.get(f"/incidents/{published.pk}/documents/notices/2").json()
    assert body["content"]["sections"][0]["key"] == "lead"


def test_an_unknown_number_is_404(api, published):
    assert api.get(f"/incidents/{published.pk}/documents/notices/9").status_code == 404


def test_a_non_member_gets_404(api, published, outsider, token_for):
    outside = api.as_(token_for(outsider))
    assert outside.get(f"/incidents/{published.pk}/documents/notices").status_code == 404
