"""The public notice page without sign-in: rate-limited per address (a reader, and far less
someone guessing tokens), and its own words in English when the browser asks for English while
the notice stays as published."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from rouei.documents import actions
from rouei.documents.models import PublicNoticePage
from rouei.people.models import NoticeSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(incident, user):
    NoticeSettings.objects.create(incident=incident, window_phone="0120-000-000",
                                  window_hours="9:00～18:00")
    actions.do_publish_notice(incident, actor=user)
    return reverse("documents:public",
                   args=[PublicNoticePage.objects.get(incident=incident).token])


# --- the rate limit -------------------------------------------------------------------------------

def test_a_reader_over_the_limit_gets_429(client, published, settings):
    settings.ROUEI_NOTICE_RATE_PER_ADDRESS = 3
    for _ in range(3):
        client.get(published)
    assert client.get(published).status_code == 429


def test_the_limited_answer_says_when_to_come_back(client, published, settings):
    settings.ROUEI_NOTICE_RATE_PER_ADDRESS = 0
    assert client.get(published)["Retry-After"] == "3600"


def test_a_reader_within_the_limit_reads_the_page(client, published, settings):
    settings.ROUEI_NOTICE_RATE_PER_ADDRESS = 3
    for _ in range(2):
        client.get(published)
    assert client.get(published).status_code == 200


def test_another_address_is_not_limited(client, published, settings):
    settings.ROUEI_NOTICE_RATE_PER_ADDRESS = 1
    client.get(published, REMOTE_ADDR="192.0.2.1")
    client.get(published, REMOTE_ADDR="192.0.2.1")
    assert client.get(published, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_guessing_tokens_is_stopped_sooner(client, published, settings):
    settings.ROUEI_NOTICE_MISSES_PER_ADDRESS = 2
    for n in range(3):
        client.get(reverse("documents:public", args=[f"guess-{n}"]))
    assert client.get(published).status_code == 429


def test_the_json_of_a_version_is_limited_too(client, published, settings):
    settings.ROUEI_NOTICE_RATE_PER_ADDRESS = 0
    assert client.get(published + "1.json").status_code == 429


def test_the_shared_limiter_refuses_past_the_limit():
    from rouei.core.ratelimit import over_rate

    assert [over_rate("t-key", 1), over_rate("t-key", 1)] == [False, True]


# --- the reader's language -------------------------------------------------------------------------

def test_english_headings_when_the_browser_asks_for_english(client, published):
    page = client.get(published, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Update history" in page


def test_english_history_labels(client, published):
    page = client.get(published, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "(current version)" in page


def test_the_notice_text_stays_japanese_in_english(client, published):
    page = client.get(published, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "お詫び申し上げます" in page


def test_the_english_page_says_the_notice_is_in_japanese(client, published):
    page = client.get(published, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="language-note"' in page


def test_japanese_headings_by_default(client, published):
    page = client.get(published).content.decode()
    assert "更新履歴" in page


def test_japanese_for_a_japanese_browser(client, published):
    page = client.get(published, HTTP_ACCEPT_LANGUAGE="ja,en;q=0.5").content.decode()
    assert "Update history" not in page


def test_the_page_varies_by_language(client, published):
    assert "Accept-Language" in client.get(published)["Vary"]
