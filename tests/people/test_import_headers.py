"""`rouei people import` of a member list (会員名簿) saved from Excel in CP932 with its headers
written as Japanese exports write them: 氏　名 spaced out, フリガナ（全角カナ） and 電話番号（携帯）
qualified. The catalogue reads each header one way (``items.fold_header``); a column that is
another person's (保護者氏名, 氏名（保護者）) is never taken as the person's own."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.domain.items import HARMLESS_HEADER_QUALIFIERS, alias_index
from rouei.people.importing import map_headers

HEADER = "氏\u3000名,フリガナ（全角カナ）,電話番号（携帯）,保護者氏名,電話番号（保護者）\n"
ROWS = ["山田 太郎,ヤマダ タロウ,090-1234-5678,山田 一郎,03-1111-2222",
        "佐藤 花子,サトウ ハナコ,080-2222-3333,佐藤 次郎,06-3333-4444"]
OTHER_PARTIES = ("保護者", "担当", "担当者", "緊急連絡先", "勤務先", "会社", "家族", "配偶者",
                 "代理人", "紹介者", "保証人", "連帯保証人", "世帯主")
OWN_ALIASES = sorted(alias for alias in alias_index() if not alias.isascii())


def _run(*args):
    return CliRunner().invoke(app, ["people", *map(str, args)])


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def member_list(people_csv):
    return people_csv(rows=ROWS, header=HEADER, encoding="cp932")


@pytest.mark.django_db
@pytest.mark.parametrize(("header", "item"), [("氏\u3000名", "person_name"),
                                              ("フリガナ（全角カナ）", "name_kana"),
                                              ("電話番号（携帯）", "phone"),
                                              ("保護者氏名", None),
                                              ("電話番号（保護者）", None)])
def test_the_dry_run_maps_each_header(incident, member_list, header, item):
    data = _json(_run("import", incident.pk, member_list, "--dry-run", "--json"))
    assert {column["header"]: column["item"] for column in data["mapping"]}[header] == item


@pytest.mark.django_db
def test_every_row_is_imported(incident, member_list):
    data = _json(_run("import", incident.pk, member_list, "--json"))
    assert data["imported"] == len(ROWS)


@pytest.mark.django_db
def test_a_person_s_items_are_their_own_columns_only(incident, member_list):
    _run("import", incident.pk, member_list)
    [match] = _json(_run("lookup", incident.pk, "--phone", "090-1234-5678", "--json"))
    assert sorted(match["items"]) == ["name_kana", "person_name", "phone"]


@pytest.mark.django_db
def test_the_guardian_s_phone_finds_nobody(incident, member_list):
    _run("import", incident.pk, member_list)
    assert _json(_run("lookup", incident.pk, "--phone", "03-1111-2222", "--json")) == []


@given(alias=st.sampled_from(OWN_ALIASES), party=st.sampled_from(OTHER_PARTIES),
       harmless=st.sampled_from(sorted(HARMLESS_HEADER_QUALIFIERS)),
       form=st.sampled_from(("{party}{alias}", "{alias}（{party}）", "（{party}）{alias}",
                             "{alias}（{party}）（{harmless}）", "{alias}（{harmless}）（{party}）",
                             "{party}\u3000{alias}（{harmless}）")))
def test_a_header_naming_another_party_is_not_the_person_s_item(alias, party, harmless, form):
    [column] = map_headers([form.format(alias=alias, party=party, harmless=harmless)])
    assert column.item != alias_index()[alias]
