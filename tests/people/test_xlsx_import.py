"""A people list saved as XLSX: read as it streams, typed cells read as the CSV reads their
text, the sheet named and chosen, and bad workbooks refused with a Japanese reason and nothing
left behind."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rouei.core.errors import ActionError
from rouei.people import actions
from rouei.people.importing import ImportFileError, RowError, open_source, parse_row
from rouei.people.models import Person
from tests.scanning.readers.builders import xlsx

HEADER = ["氏名", "フリガナ", "郵便番号", "住所", "電話番号", "メールアドレス", "生年月日"]
PEOPLE = [["山田 太郎", "ヤマダ タロウ", 1000001, "東京都千代田区千代田1-1", 9012345678,
           "taro@example.jp", ("date", 31138)],
          ["佐藤 花子", "サトウ ハナコ", "530-0001", "大阪府大阪市北区梅田1-2-3", "080-2222-3333",
           "hanako@example.jp", "1990-12-24"]]
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _write(tmp_path, data: bytes, name: str = "people.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _book(tmp_path, sheets=None, name="people.xlsx", hidden=None):
    return _write(tmp_path, xlsx(sheets or {"顧客": [HEADER, *PEOPLE]}, hidden=hidden), name)


# -- reading ------------------------------------------------------------------------------------

def test_an_xlsx_import_creates_one_person_per_row(incident, user, tmp_path):
    result = actions.do_import_people(user, incident, _book(tmp_path))
    assert result.imported == 2


def test_a_phone_typed_as_a_number_finds_its_person(incident, user, tmp_path):
    actions.do_import_people(user, incident, _book(tmp_path))
    assert actions.do_lookup(user, incident, phone="090-1234-5678")


def test_xlsx_rows_keep_the_sheet_s_row_numbers(tmp_path):
    path = _write(tmp_path, xlsx({"S": [HEADER, PEOPLE[0]]}, first_row=3))
    assert [n for n, _, _ in open_source(path).rows()] == [4]


def _shared(book: bytes, phonetic: str = "") -> bytes:
    """``book`` as Excel saves it: every inline string moved to the shared-strings part (the
    first with a phonetic reading ``phonetic`` beside it, as Japanese Excel keeps one)."""
    strings: list[str] = []

    def share(match) -> str:
        strings.append(match.group(2))
        return f'<c r="{match.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as inner, zipfile.ZipFile(out, "w") as archive:
        for info in inner.infolist():
            data = inner.read(info).decode()
            if "worksheets/" in info.filename:
                data = re.sub(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t xml:space="preserve">'
                              r"(.*?)</t></is></c>", share, data)
            elif info.filename.endswith("workbook.xml.rels"):
                data = data.replace("</Relationships>", '<Relationship Id="rIdS" Type="http://'
                                    "schemas.openxmlformats.org/officeDocument/2006/"
                                    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    "</Relationships>")
            archive.writestr(info.filename, data)
        reading = f"<rPh sb=\"0\" eb=\"1\"><t>{phonetic}</t></rPh>" if phonetic else ""
        items = "".join(f"<si><t>{text}</t>{reading if i == 0 else ''}</si>"
                        for i, text in enumerate(strings))
        archive.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/'
                         f'spreadsheetml/2006/main">{items}</sst>')
    return out.getvalue()


def test_shared_strings_are_read(tmp_path):
    path = _write(tmp_path, _shared(xlsx({"顧客": [HEADER, *PEOPLE]})))
    assert [cells[0] for _, cells, _ in open_source(path).rows()] == ["山田 太郎", "佐藤 花子"]


def test_a_phonetic_reading_is_not_part_of_the_text(tmp_path):
    path = _write(tmp_path, _shared(xlsx({"顧客": [["氏名", "電話番号"], ["山田", "03-1234-5678"]]}),
                                    phonetic="ヤマダ"))
    assert open_source(path).headers[0] == "氏名"


def test_reading_a_sheet_does_not_hold_its_strings_in_memory(tmp_path):
    """10,000 rows of distinct 200-character notes: the Python heap's peak while every row is
    read stays under a quarter of what the notes take as Python strings."""
    import sys
    import tracemalloc

    rows = [["氏名", "備考"]] + [[f"利用者{n}", f"{n:06d}" + "備考" * 97] for n in range(10_000)]
    path = _write(tmp_path, _shared(xlsx({"S": rows})))
    tracemalloc.start()
    try:
        for _ in open_source(path).rows():
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < sum(sys.getsizeof(row[1]) for row in rows) / 4


# Cells as Excel types them when a person opens the CSV and saves it as a workbook: digits as
# numbers (the leading 0 lost), dates as serials with a date format or, format lost, bare.
# Japanese numbers: a landline (0 + 9 digits, not 0X0) or a mobile / IP phone (0[5789]0 + 8).
phones = st.one_of(
    st.integers(min_value=10**8, max_value=10**9 - 1).filter(lambda n: str(n)[1] != "0")
    .map(lambda n: f"0{n}"),
    st.tuples(st.sampled_from("5789"), st.integers(0, 10**8 - 1)).map(
        lambda p: f"0{p[0]}0{p[1]:08d}"))
postal_codes = st.integers(min_value=1_000_000, max_value=9_999_999).map(str)
birth_dates = st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2010, 12, 31))


def _records(path):
    source = open_source(path)
    out = []
    for number, cells, _ in source.rows():
        try:
            record = parse_row(source, number, cells).record
        except RowError as exc:
            out.append(exc.code)
            continue
        out.append(json.loads(record.to_json()) | {"ref": ""})
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(phone=phones, postal=postal_codes, birth=birth_dates, date_format=st.booleans())
def test_typed_cells_read_as_the_csv_reads_their_text(tmp_path, phone, postal, birth,
                                                      date_format):
    serial = (birth - EXCEL_EPOCH).days
    text = [f"山田 太郎,{postal},{phone},{birth:%Y/%m/%d}"]
    csv_path = _write(tmp_path, ("氏名,郵便番号,電話番号,生年月日\n" + text[0] + "\n").encode(),
                      "people.csv")
    typed = ["山田 太郎", int(postal), int(phone), ("date", serial) if date_format else serial]
    book = _write(tmp_path, xlsx({"S": [["氏名", "郵便番号", "電話番号", "生年月日"], typed]}))
    assert _records(book) == _records(csv_path)


# -- sheets -------------------------------------------------------------------------------------

def _two_sheets(tmp_path):
    return _book(tmp_path, {"メモ": [["注意事項"], ["社外秘"]], "顧客": [HEADER, *PEOPLE]})


def test_the_preview_names_the_sheet_it_reads(incident, user, tmp_path):
    preview = actions.do_preview_import(user, incident, _book(tmp_path))
    assert preview["sheet"] == "顧客"


def test_without_a_sheet_the_first_that_lists_people_is_read(incident, user, tmp_path):
    preview = actions.do_preview_import(user, incident, _two_sheets(tmp_path))
    assert preview["sheet"] == "顧客"


def test_the_preview_lists_the_workbook_s_sheets(incident, user, tmp_path):
    preview = actions.do_preview_import(user, incident, _two_sheets(tmp_path), sheet="顧客")
    assert preview["sheets"] == ["メモ", "顧客"]


def test_a_sheet_can_be_chosen(incident, user, tmp_path):
    result = actions.do_import_people(user, incident, _two_sheets(tmp_path), sheet="顧客")
    assert result.imported == 2


def test_an_unknown_sheet_is_refused_with_the_sheets_there_are(incident, user, tmp_path):
    with pytest.raises(ActionError) as caught:
        actions.do_preview_import(user, incident, _two_sheets(tmp_path), sheet="Sheet9")
    assert "顧客" in caught.value.message


def _cli(*args):
    from typer.testing import CliRunner

    from rouei.cli.main import app

    return CliRunner().invoke(app, ["people", *map(str, args)])


def test_the_cli_reads_the_sheet_given_with_sheet(incident, tmp_path):
    result = _cli("import", incident.pk, _two_sheets(tmp_path), "--sheet", "顧客", "--json")
    assert json.loads(result.stdout)["imported"] == 2


def test_the_cli_dry_run_names_the_sheet(incident, tmp_path):
    result = _cli("import", incident.pk, _two_sheets(tmp_path), "--sheet", "顧客",
                  "--dry-run", "--json")
    assert json.loads(result.stdout)["sheet"] == "顧客"


# -- bad workbooks ------------------------------------------------------------------------------

def _zip_bomb() -> bytes:
    """A package whose sheet inflates a thousandfold: 64 MiB of spaces."""
    buffer = io.BytesIO()
    book = xlsx({"S": [HEADER, PEOPLE[0]]})
    with zipfile.ZipFile(io.BytesIO(book)) as inner, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in inner.infolist():
            data = inner.read(info)
            if info.filename.endswith("sheet1.xml"):
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (64 << 20))
            out.writestr(info.filename, data)
    return buffer.getvalue()


def _encrypted() -> bytes:
    """What Excel writes for a workbook with a password: a compound file (OLE) whose
    directory names an EncryptedPackage stream."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return head + "EncryptionInfo".encode("utf-16-le") + bytes(50) + \
        "EncryptedPackage".encode("utf-16-le") + bytes(4096)


BAD = {
    "renamed_csv": ("氏名,電話番号\n山田 太郎,090-1234-5678\n".encode, "not_xlsx"),
    "zip_bomb": (_zip_bomb, "zip_bomb"),
    "encrypted": (_encrypted, "encrypted"),
    "empty_sheet": (lambda: xlsx({"S": []}), "empty_sheet"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_workbook_is_refused_with_its_reason(incident, user, tmp_path, kind):
    make, code = BAD[kind]
    with pytest.raises(ActionError) as caught:
        actions.do_preview_import(user, incident, _write(tmp_path, make()))
    assert caught.value.code == code


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_workbook_is_refused_in_japanese(incident, user, tmp_path, kind):
    make, _code = BAD[kind]
    with pytest.raises(ActionError) as caught:
        actions.do_preview_import(user, incident, _write(tmp_path, make()))
    assert any("\u3040" <= ch <= "\u30ff" for ch in caught.value.message)


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_workbook_s_upload_leaves_no_trace(logged_in_client, incident, settings, kind):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    make, _code = BAD[kind]
    logged_in_client.post(reverse("people:import_upload", args=[incident.pk]),
                          {"file": SimpleUploadedFile("顧客.xlsx", make()), "on_error": "stop"})
    assert list((Path(settings.DATA_DIR) / "people-uploads").iterdir()) == []


def test_a_bad_workbook_imports_nobody(incident, user, tmp_path):
    with pytest.raises(ActionError):
        actions.do_import_people(user, incident, _write(tmp_path, _zip_bomb()))
    assert Person.objects.count() == 0


VALID = xlsx({"顧客": [HEADER, *PEOPLE], "メモ": [["注意"], ["社外秘"]]})


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)),
                     min_size=1, max_size=8), keep=st.integers(100, len(VALID)))
def test_a_damaged_workbook_is_refused_or_read_and_leaves_no_file(tmp_path, cuts, keep):
    """Bytes changed or the file cut short: the reader refuses it (``ImportFileError``) or
    reads rows (each a person or a ``RowError``), never anything else, and leaves no file."""
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    data = bytearray(VALID[:keep])
    for at, byte in cuts:
        if at < len(data):
            data[at] = byte
    path = _write(folder, bytes(data))
    try:
        source = open_source(path)
        for number, cells, _ in source.rows():
            try:
                parse_row(source, number, cells)
            except RowError:
                pass
    except ImportFileError as exc:
        assert str(exc)
    assert [p.name for p in folder.iterdir()] == ["people.xlsx"]


# -- the page -----------------------------------------------------------------------------------

def _upload_two_sheets(client, incident):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    book = xlsx({"メモ": [["注意事項"], ["社外秘"]], "顧客": [HEADER, *PEOPLE],
                 "追加分": [HEADER, PEOPLE[1]]})
    return client.post(reverse("people:import_upload", args=[incident.pk]),
                       {"file": SimpleUploadedFile("顧客.xlsx", book), "on_error": "stop"},
                       follow=True)


def test_the_page_reads_the_first_sheet_that_lists_people(logged_in_client, incident):
    response = _upload_two_sheets(logged_in_client, incident)
    assert response.context["job"].mapping["sheet"] == "顧客"


def test_the_page_offers_a_select_of_the_sheets(logged_in_client, incident):
    response = _upload_two_sheets(logged_in_client, incident)
    assert 'id="sheet-select"' in response.content.decode()


def test_choosing_a_sheet_on_the_page_previews_it(logged_in_client, incident):
    from django.urls import reverse

    job = _upload_two_sheets(logged_in_client, incident).context["job"]
    logged_in_client.post(reverse("people:import_detail", args=[incident.pk, job.pk]),
                          {"action": "sheet", "sheet": "追加分"})
    job.refresh_from_db()
    assert job.mapping["sheet"] == "追加分"


def test_the_chosen_sheet_is_the_one_imported(logged_in_client, incident):
    from django.urls import reverse

    job = _upload_two_sheets(logged_in_client, incident).context["job"]
    url = reverse("people:import_detail", args=[incident.pk, job.pk])
    logged_in_client.post(url, {"action": "sheet", "sheet": "追加分"})
    logged_in_client.post(url, {"action": "start", "on_error": "stop"})
    job.refresh_from_db()
    assert job.result["imported"] == 1


# -- hidden sheets ------------------------------------------------------------------------------
# A sheet hidden in Excel (an old list, a lookup table, a macro's data) is not what a person who
# opened the workbook saw: it is never read unless named, and the preview says so when it is.

def _hidden_first(tmp_path, state="hidden"):
    return _book(tmp_path, {"旧名簿": [HEADER, PEOPLE[0]], "顧客": [HEADER, *PEOPLE]},
                 hidden={"旧名簿": state})


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_not_read_by_default(incident, user, tmp_path, state):
    preview = actions.do_preview_import(user, incident, _hidden_first(tmp_path, state))
    assert preview["sheet"] == "顧客"


def test_an_import_without_a_sheet_reads_the_visible_one(incident, user, tmp_path):
    result = actions.do_import_people(user, incident, _hidden_first(tmp_path))
    assert result.imported == 2


def test_the_preview_offers_the_visible_sheets_first(incident, user, tmp_path):
    preview = actions.do_preview_import(user, incident, _hidden_first(tmp_path))
    assert preview["sheets"] == ["顧客", "旧名簿"]


def test_the_preview_names_the_hidden_sheets(incident, user, tmp_path):
    preview = actions.do_preview_import(user, incident, _hidden_first(tmp_path))
    assert preview["hidden_sheets"] == ["旧名簿"]


def test_a_visible_sheet_has_no_note(incident, user, tmp_path):
    preview = actions.do_preview_import(user, incident, _hidden_first(tmp_path))
    assert preview["notes"] == []


def test_a_hidden_sheet_named_is_read(incident, user, tmp_path):
    result = actions.do_import_people(user, incident, _hidden_first(tmp_path), sheet="旧名簿")
    assert result.imported == 1


def test_a_hidden_sheet_named_is_noted_in_the_preview(incident, user, tmp_path):
    preview = actions.do_preview_import(user, incident, _hidden_first(tmp_path), sheet="旧名簿")
    assert "非表示" in " ".join(preview["notes"])


def test_a_workbook_whose_only_list_is_hidden_is_refused(incident, user, tmp_path):
    path = _book(tmp_path, {"メモ": [["注意事項"], ["社外秘"]], "旧名簿": [HEADER, *PEOPLE]},
                 hidden={"旧名簿": "hidden"})
    with pytest.raises(ActionError) as caught:
        actions.do_preview_import(user, incident, path)
    assert caught.value.code == "no_visible_people_sheet"


def test_the_refusal_names_the_hidden_sheet(incident, user, tmp_path):
    path = _book(tmp_path, {"メモ": [["注意事項"], ["社外秘"]], "旧名簿": [HEADER, *PEOPLE]},
                 hidden={"旧名簿": "veryHidden"})
    with pytest.raises(ActionError) as caught:
        actions.do_preview_import(user, incident, path)
    assert "旧名簿" in caught.value.message


def test_the_cli_dry_run_notes_a_hidden_sheet(incident, tmp_path):
    result = _cli("import", incident.pk, _hidden_first(tmp_path), "--sheet", "旧名簿",
                  "--dry-run")
    assert "非表示" in result.stdout


def _upload(client, incident, book: bytes, name="顧客.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(reverse("people:import_upload", args=[incident.pk]),
                       {"file": SimpleUploadedFile(name, book), "on_error": "stop"},
                       follow=True)


def test_the_page_marks_a_hidden_sheet_in_its_choice(logged_in_client, incident):
    book = xlsx({"旧名簿": [HEADER, PEOPLE[0]], "顧客": [HEADER, *PEOPLE]},
                hidden={"旧名簿": "hidden"})
    response = _upload(logged_in_client, incident, book)
    assert "旧名簿 （非表示）" in response.content.decode()


def test_the_page_shows_the_note_of_a_hidden_sheet_chosen(logged_in_client, incident):
    from django.urls import reverse

    book = xlsx({"旧名簿": [HEADER, PEOPLE[0]], "顧客": [HEADER, *PEOPLE]},
                hidden={"旧名簿": "hidden"})
    job = _upload(logged_in_client, incident, book).context["job"]
    response = logged_in_client.post(
        reverse("people:import_detail", args=[incident.pk, job.pk]),
        {"action": "sheet", "sheet": "旧名簿"}, follow=True)
    assert 'id="import-note"' in response.content.decode()


# -- a title above the header -------------------------------------------------------------------

TITLED = [["顧客一覧 2026年11月30日現在"], [], [None, "作成: 営業部"], HEADER, *PEOPLE]


def test_a_title_above_the_header_is_not_the_header(incident, user, tmp_path):
    result = actions.do_import_people(user, incident, _book(tmp_path, {"顧客": TITLED}))
    assert result.imported == 2


def test_the_preview_shows_the_header_row_below_a_title(incident, user, tmp_path):
    preview = actions.do_preview_import(user, incident, _book(tmp_path, {"顧客": TITLED}))
    assert preview["header_row"] == 4


def test_rows_below_a_title_keep_the_sheet_s_numbers(incident, user, tmp_path):
    preview = actions.do_preview_import(user, incident, _book(tmp_path, {"顧客": TITLED}))
    assert [r["row"] for r in preview["first_rows"]] == [5, 6]


def test_a_title_sheet_before_the_list_is_passed_over(incident, user, tmp_path):
    path = _book(tmp_path, {"表紙": [["顧客一覧"], ["2026年11月30日現在"]], "顧客": TITLED})
    preview = actions.do_preview_import(user, incident, path)
    assert preview["sheet"] == "顧客"


# -- the column letters -------------------------------------------------------------------------

@given(st.integers(0, 16_383))  # Excel's last column is XFD
def test_column_letters_and_column_index_are_inverse(index):
    from rouei.people.workbook import column_index, column_letters

    assert column_index(column_letters(index)) == index


def test_column_letters_of_excel_s_columns():
    from rouei.people.workbook import column_letters

    assert [column_letters(i) for i in (0, 25, 26, 701, 702, 16_383)] == \
        ["A", "Z", "AA", "ZZ", "AAA", "XFD"]
