"""How a people list is laid out: a title (顧客一覧 2026年11月30日現在), a date or blank rows
above the header row, in a CSV as in a workbook; and a sheet asked of a file that has none."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.core.errors import ActionError
from rouei.people import actions
from rouei.people.models import ImportStatus, PeopleImport, Person
from tests.people.conftest import HEADER, ROWS

pytestmark = pytest.mark.django_db

TITLE = "顧客一覧 2026年11月30日現在\n\n"


def _cli(*args):
    return CliRunner().invoke(app, ["people", *map(str, args)])


# -- a title above the header (CSV) -------------------------------------------------------------

def test_a_title_above_the_header_is_not_the_header(incident, user, people_csv):
    result = actions.do_import_people(user, incident, people_csv(header=TITLE + HEADER))
    assert result.imported == 3


def test_a_title_in_cp932_is_passed_over(incident, user, people_csv):
    path = people_csv(header=TITLE + HEADER, encoding="cp932")
    assert actions.do_import_people(user, incident, path).imported == 3


@pytest.mark.parametrize("above", ["", "顧客一覧\n", "顧客一覧\n2026年11月30日現在\n\n",
                                   "顧客一覧,,,\n作成,営業部,,\n,,,\n"])
def test_the_preview_shows_the_header_s_row_number(incident, user, people_csv, above):
    preview = actions.do_preview_import(user, incident, people_csv(header=above + HEADER))
    assert preview["header_row"] == above.count("\n") + 1


# The scanner's header_row (rouei/scanning/readers/_tabular.py) takes a title that names a
# catalogue item (会員名簿（氏名・住所）, 住所録) for the header, and calls a table headerless when
# a preamble line has several cells or more than ten lines stand above the header: the import
# keeps its own search (the row naming the most columns among the first 20).
@pytest.mark.parametrize("above", ["会員名簿（氏名・住所）\n\n", "住所録\n",
                                   "出力日,2026/11/30,出力者,営業部\n",
                                   "個人情報につき取扱注意\n" * 12])
def test_a_title_or_preamble_the_scanner_would_misread_is_passed_over(incident, user,
                                                                       people_csv, above):
    path = people_csv(header=above + HEADER, encoding="cp932")
    preview = actions.do_preview_import(user, incident, path)
    assert preview["header_row"] == above.count("\n") + 1


# The scanner's header_category finds any item of personal data a column holds (an alias
# contained in the header); the import needs the data subject's own: a clerk's, a guardian's or
# a shop's column must not become the person's name or phone.
@pytest.mark.parametrize("header", ["担当者氏名", "保護者氏名", "紹介者氏名", "店舗電話番号",
                                    "緊急連絡先電話番号"])
def test_a_column_of_someone_else_s_name_or_phone_is_not_the_person_s(incident, user,
                                                                     people_csv, header):
    path = people_csv([row + ",佐々木 一郎" for row in ROWS], header=HEADER.strip() + f",{header}\n")
    mapping = actions.do_preview_import(user, incident, path)["mapping"]
    assert [m["item"] for m in mapping if m["header"] == header] == [None]


def test_the_first_rows_below_a_title_keep_the_file_s_numbers(incident, user, people_csv):
    preview = actions.do_preview_import(user, incident, people_csv(header=TITLE + HEADER))
    assert [r["row"] for r in preview["first_rows"]] == [4, 5, 6]


def test_a_bad_row_below_a_title_is_named_by_the_file_s_row(incident, user, people_csv):
    path = people_csv([*ROWS, "高橋 次郎,,,,,not-an-address,,"], header=TITLE + HEADER)
    result = actions.do_import_people(user, incident, path, on_error="skip")
    assert result.rejected == [{"row": 7, "reason": "メールアドレスの形式ではありません"}]


def test_a_tab_separated_list_below_a_title_is_read(incident, user, people_csv):
    tabbed = [row.replace(",", "\t") for row in ROWS]
    path = people_csv(tabbed, header="顧客一覧\n" + HEADER.replace(",", "\t"))
    assert actions.do_import_people(user, incident, path).imported == 3


def test_a_title_with_a_comma_in_a_tab_separated_list_is_passed_over(incident, user,
                                                                     people_csv):
    tabbed = [row.replace(",", "\t") for row in ROWS]
    path = people_csv(tabbed, header="顧客一覧,2026年11月30日現在\n" + HEADER.replace(",", "\t"))
    assert actions.do_import_people(user, incident, path).imported == 3


def test_a_quoted_cell_over_two_lines_below_a_title_is_one_row(incident, user, people_csv):
    two_lines = ROWS[0].replace("東京都千代田区千代田1-1", '"東京都千代田区千代田1-1\nサンプルビル"')
    path = people_csv([two_lines, *ROWS[1:]], header=TITLE + HEADER)
    assert actions.do_import_people(user, incident, path).imported == 3


def test_the_cli_dry_run_names_the_header_row(incident, people_csv):
    result = _cli("import", incident.pk, people_csv(header=TITLE + HEADER), "--dry-run")
    assert "見出し行: 3 行目" in result.stdout


def _csv_upload(client, incident, header=TITLE + HEADER):
    data = (header + "\n".join(ROWS) + "\n").encode("cp932")
    return client.post(reverse("people:import_upload", args=[incident.pk]),
                       {"file": SimpleUploadedFile("顧客一覧.csv", data), "on_error": "stop"},
                       follow=True)


def test_the_page_shows_the_header_row(logged_in_client, incident):
    response = _csv_upload(logged_in_client, incident)
    assert "見出し行: 3 行目" in response.content.decode()


# -- a sheet asked of a CSV ---------------------------------------------------------------------

def test_a_sheet_asked_of_a_csv_is_refused(incident, user, people_csv):
    with pytest.raises(ActionError) as caught:
        actions.do_preview_import(user, incident, people_csv(), sheet="顧客")
    assert caught.value.code == "sheet_not_xlsx"


def test_the_refusal_of_a_sheet_for_a_csv_is_in_japanese(incident, user, people_csv):
    with pytest.raises(ActionError) as caught:
        actions.do_import_people(user, incident, people_csv(), sheet="顧客")
    assert "シートを指定できるのは" in caught.value.message


def test_the_cli_refuses_sheet_with_a_csv_as_a_usage_error(incident, people_csv):
    result = _cli("import", incident.pk, people_csv(), "--sheet", "顧客")
    assert result.exit_code == 2


def test_the_cli_dry_run_refuses_sheet_with_a_csv(incident, people_csv):
    result = _cli("import", incident.pk, people_csv(), "--sheet", "顧客", "--dry-run")
    assert result.exit_code == 2


def test_the_cli_refusal_says_why_in_json(incident, people_csv):
    result = _cli("import", incident.pk, people_csv(), "--sheet", "顧客", "--json")
    assert json.loads(result.stdout)["error"] == "sheet_not_xlsx"


def test_the_cli_refusal_imports_nobody(incident, people_csv):
    _cli("import", incident.pk, people_csv(), "--sheet", "顧客")
    assert Person.objects.count() == 0


def test_the_page_refuses_a_sheet_for_a_csv_with_the_reason(logged_in_client, incident):
    job = _csv_upload(logged_in_client, incident).context["job"]
    response = logged_in_client.post(
        reverse("people:import_detail", args=[incident.pk, job.pk]),
        {"action": "sheet", "sheet": "顧客"}, follow=True)
    assert "シートを指定できるのは" in response.content.decode()


def test_the_page_keeps_the_csv_preview_after_the_refusal(logged_in_client, incident):
    job = _csv_upload(logged_in_client, incident).context["job"]
    logged_in_client.post(reverse("people:import_detail", args=[incident.pk, job.pk]),
                          {"action": "sheet", "sheet": "顧客"})
    job = PeopleImport.objects.get(pk=job.pk)
    assert (job.status, job.mapping["format"]) == (ImportStatus.PREVIEWED, "csv")
