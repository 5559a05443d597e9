"""The incident list's search and filters: text in the title or organisation (case and width
folded), status, next deadline (overdue, within N days, none); only the user's own incidents."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from rouei.incidents import actions
from rouei.incidents.filters import fold, matches
from tests.filing import close_over_open_duties, file_report
from tests.incidents.conftest import FACTS_900

LIST = reverse("incidents:list")
ROW = re.compile(r'data-incident="(\d+)"')


# --- matching (pure) ---------------------------------------------------------------------------

def test_matches_full_width_latin_by_half_width_lower_case():
    assert matches("vpn", ["ＶＰＮ経由の不正アクセス"])


def test_matches_half_width_katakana_by_full_width():
    assert matches("メール", ["ｶｽﾀﾏｰｾﾝﾀｰのﾒｰﾙ誤送信"])


def test_matches_every_word_in_any_field():
    assert matches("誤送信　営業部", ["メール誤送信", "営業部"])  # 全角スペース between the words


def test_matches_a_missing_word_does_not_match():
    assert not matches("誤送信 経理部", ["メール誤送信", "営業部"])


def test_matches_empty_query_matches_everything():
    assert matches("", [None, ""])


# Letters and digits in both widths, kana and a few kanji: what titles are typed in.
LATIN = st.sampled_from("abcxyzABCXYZ019")
JAPANESE = st.sampled_from("あいうかきくアイウカキク漏洩事案顧客")


def _wide_upper(text: str) -> str:
    """ASCII letters and digits as full-width capitals (ａ→Ａ, 1→１)."""
    return "".join(chr(ord(c.upper()) + 0xFEE0) if c.isascii() and c.isalnum() else c
                   for c in text)


@given(st.text(LATIN | JAPANESE), st.text(LATIN | JAPANESE, min_size=1),
       st.text(LATIN | JAPANESE))
def test_matches_a_slice_of_the_title_typed_in_the_other_width_and_case(before, word, after):
    assert matches(_wide_upper(word), [before + word + after])


@given(st.text(JAPANESE), st.text(LATIN, min_size=1))
def test_matches_letters_never_match_a_title_without_letters(title, word):
    assert not matches(word, [title])


@given(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E)))
def test_fold_ignores_width_and_case_of_ascii(text):
    assert fold(_wide_upper(text)) == text.lower()


# --- the list page -----------------------------------------------------------------------------

def _knew(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).isoformat()


def _reportable(user, title: str, days_ago: int, **fields):
    facts = {**FACTS_900, "people_confirmed": 2000, "knew_at": _knew(days_ago)}
    return actions.do_create_incident(title=title, facts=facts, actor=user, **fields)


@pytest.fixture
def cases(user, make_user):
    """Five incidents of tanaka's with different next deadlines, and one of someone else's."""
    soon = _reportable(user, "ＶＰＮ経由の不正アクセス", 2, organisation="情報システム部")  # 速報: 2 days
    week = _reportable(user, "ﾒｰﾙ誤送信（営業）", 0, organisation="営業部")  # 速報: 4 days left
    later = _reportable(user, "委託先サーバーの設定不備", 10)
    file_report(later, "preliminary", user)  # 確報: ~19 days
    later = actions.do_change_status(later, "preliminary_reported", actor=user)
    late = _reportable(user, "紛失したノートPC", 60)  # 速報 long overdue
    none = actions.do_create_incident(title="報告不要の誤送信", facts=FACTS_900, actor=user)
    closed = _reportable(user, "完了した誤送信", 1)
    for kind in ("preliminary", "final"):  # closed with its reports filed: no deadline left
        file_report(closed, kind, user)
    closed = close_over_open_duties(closed, user)
    foreign = _reportable(make_user("suzuki"), "他部署の誤送信", 1)
    return {"soon": soon, "week": week, "later": later, "late": late, "none": none,
            "closed": closed, "foreign": foreign}


def _listed(client, cases, **params) -> set[str]:
    html = client.get(LIST, params).content.decode()
    by_pk = {str(incident.pk): name for name, incident in cases.items()}
    return {by_pk[pk] for pk in ROW.findall(html)}


@pytest.mark.django_db
def test_list_without_filters_shows_all_my_incidents(logged_in_client, cases):
    assert _listed(logged_in_client, cases) == {"soon", "week", "later", "late", "none", "closed"}


@pytest.mark.django_db
def test_list_search_finds_the_title_whatever_the_width_and_case(logged_in_client, cases):
    assert _listed(logged_in_client, cases, q="vpn") == {"soon"}


@pytest.mark.django_db
def test_list_search_finds_the_organisation(logged_in_client, cases):
    assert _listed(logged_in_client, cases, q="営業部") == {"week"}


@pytest.mark.django_db
def test_list_search_never_finds_another_users_incident(logged_in_client, cases):
    assert _listed(logged_in_client, cases, q="誤送信") == {"week", "none", "closed"}


@pytest.mark.django_db
def test_list_status_filter_keeps_that_status_only(logged_in_client, cases):
    assert _listed(logged_in_client, cases, status="preliminary_reported") == {"later"}


@pytest.mark.django_db
def test_list_open_filter_leaves_out_closed_incidents(logged_in_client, cases):
    assert "closed" not in _listed(logged_in_client, cases, status="open")


@pytest.mark.django_db
def test_list_overdue_filter_keeps_overdue_only(logged_in_client, cases):
    assert _listed(logged_in_client, cases, deadline="overdue") == {"late"}


@pytest.mark.django_db
def test_list_within_three_days_includes_overdue_but_not_four_days(logged_in_client, cases):
    assert _listed(logged_in_client, cases, deadline="3") == {"soon", "late"}


@pytest.mark.django_db
def test_list_within_seven_days_leaves_out_the_final_report_weeks_away(logged_in_client, cases):
    assert _listed(logged_in_client, cases, deadline="7") == {"soon", "week", "late"}


@pytest.mark.django_db
def test_list_within_thirty_days_includes_the_final_report(logged_in_client, cases):
    assert "later" in _listed(logged_in_client, cases, deadline="30")


@pytest.mark.django_db
def test_list_no_deadline_filter_keeps_unreportable_and_closed(logged_in_client, cases):
    assert _listed(logged_in_client, cases, deadline="none") == {"none", "closed"}


@pytest.mark.django_db
def test_list_filters_combine(logged_in_client, cases):
    assert _listed(logged_in_client, cases, q="誤送信", status="open", deadline="7") == {"week"}


@pytest.mark.django_db
def test_list_unknown_filter_value_filters_nothing_and_says_why(logged_in_client, cases):
    response = logged_in_client.get(LIST, {"deadline": "999"})
    assert len(ROW.findall(response.content.decode())) == 6
    assert 'class="errorlist' in response.content.decode()


@pytest.mark.django_db
def test_list_no_match_says_so(logged_in_client, cases):
    page = logged_in_client.get(LIST, {"q": "存在しない件名"}).content.decode()
    assert "検索条件に該当する事案はありません。" in page


@pytest.mark.django_db
def test_list_search_counts_the_matches(logged_in_client, cases):
    page = logged_in_client.get(LIST, {"q": "誤送信"}).content.decode()
    assert "3件が該当します。" in page


@pytest.mark.django_db
def test_list_without_incidents_shows_no_search_form(logged_in_client):
    assert 'role="search"' not in logged_in_client.get(LIST).content.decode()


@pytest.mark.django_db
def test_list_keeps_the_search_in_the_form(logged_in_client, cases):
    page = logged_in_client.get(LIST, {"q": "vpn", "deadline": "7"}).content.decode()
    assert 'value="vpn"' in page and '<option value="7" selected>' in page
