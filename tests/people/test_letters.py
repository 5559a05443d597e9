"""Notice letters as one PDF (issue 12, channel b: "letters as PDF for small batches (Japanese
fonts embedded)"): each person's own items and reference number, a page break between people,
the hash of each letter in the person's history, the command, the page and the limits."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.people import actions, notices
from rouei.people.models import EventKind, Person, PersonEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(notice_registry):
    return notice_registry


def _letters(user, incident, **options) -> bytes:
    buffer = io.BytesIO()
    actions.do_render_letters(user, incident, buffer, **options)
    return buffer.getvalue()


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _person(incident, name) -> Person:
    return next(p for p in Person.objects.filter(incident=incident) if p.record().name == name)


def _letter_of(pages: list[str], ref: str) -> str:
    return "\n".join(page for page in pages if ref in page)


def test_a_letter_is_made_for_each_person_with_a_postal_address(user, registry):
    data = _letters(user, registry)
    first_pages = [p for p in _pages(data) if "拝啓" in p]
    assert len(first_pages) == 2  # 鈴木 has no address


def test_the_letter_names_the_persons_own_items(user, registry):
    ref = _person(registry, "佐藤 花子").record().ref
    letter = _letter_of(_pages(_letters(user, registry)), ref)
    assert not re.search(r"^・クレジットカード", letter, re.MULTILINE)  # only 山田 gave one


def test_the_letter_of_a_card_holder_names_the_card(user, registry):
    ref = _person(registry, "山田 太郎").record().ref
    letter = _letter_of(_pages(_letters(user, registry)), ref)
    assert re.search(r"^・クレジットカード", letter, re.MULTILINE)


def test_the_letter_carries_the_address_block(user, registry):
    ref = _person(registry, "佐藤 花子").record().ref
    letter = _letter_of(_pages(_letters(user, registry)), ref)
    assert "530-0001" in letter


def test_every_page_carries_the_reference_number_of_its_own_letter(user, registry):
    refs = [_person(registry, n).record().ref for n in ("山田 太郎", "佐藤 花子")]
    pages = _pages(_letters(user, registry))
    owners = []
    for page in pages:
        if "拝啓" in page:
            owners.append(next(ref for ref in refs if ref in page))
        assert f"受付番号 {owners[-1]}" in page


def test_each_person_starts_on_a_new_page(user, registry):
    pages = _pages(_letters(user, registry))
    assert all(page.count("拝啓") <= 1 for page in pages)


def test_the_history_records_the_hash_of_each_letter(user, registry):
    _letters(user, registry)
    person = _person(registry, "佐藤 花子")
    body = notices.render(notices.LETTER_TEMPLATE, notices.IncidentTexts.build(registry),
                          notices.Addressee.of(person))
    event = PersonEvent.objects.get(person=person, kind=EventKind.LETTER_PRINTED)
    assert event.details["sha256"] == hashlib.sha256(body.encode()).hexdigest()


def test_one_audit_event_counts_the_letters(user, registry):
    _letters(user, registry)
    event = AuditEvent.objects.get(action="people.letters_pdf")
    assert event.details["letters"] == 2


def test_only_unreached_leaves_out_people_already_notified(user, registry):
    Person.objects.filter(incident=registry, notice_status="not_notified").exclude(
        pk=_person(registry, "佐藤 花子").pk).update(notice_status="emailed")
    pages = _pages(_letters(user, registry, only_unreached=True))
    assert len([p for p in pages if "拝啓" in p]) == 1


def test_an_empty_letter_queue_is_said_not_printed(user, registry):
    Person.objects.filter(incident=registry).update(notice_status="emailed")
    with pytest.raises(ActionError) as caught:
        _letters(user, registry, only_unreached=True)
    assert caught.value.code == "no_letters"


def test_no_letter_goes_out_with_the_window_unset(user, incident, people_csv):
    actions.do_import_people(user, incident, people_csv())
    with pytest.raises(ActionError) as caught:
        _letters(user, incident)
    assert caught.value.code == "letter_settings_missing"


def test_more_people_than_the_limit_go_to_the_print_vendor(user, registry, settings):
    settings.ROUEI_LETTER_PDF_MAX = 1
    with pytest.raises(ActionError) as caught:
        _letters(user, registry)
    assert caught.value.code == "too_many_letters"


def test_pr_may_not_print_letters(registry, member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _letters(member("pr"), registry)


def test_the_letters_render_japanese_glyphs(user, registry, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed; ./run test installs it")
    source = tmp_path / "letters.pdf"
    source.write_bytes(_letters(user, registry))
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(source),
                    str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    assert image.stat().st_size > 20_000  # a page of text, not a blank one


def test_the_command_writes_a_private_pdf(registry, tmp_path):
    out = tmp_path / "letters.pdf"
    result = CliRunner().invoke(app, ["people", "letters", str(registry.pk), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o077 == 0


def test_the_command_says_why_it_refuses(incident, user, people_csv, tmp_path):
    actions.do_import_people(user, incident, people_csv())
    out = tmp_path / "letters.pdf"
    result = CliRunner().invoke(app, ["people", "letters", str(incident.pk), "--out", str(out)])
    assert "窓口の電話番号" in result.output


def test_the_page_downloads_the_pdf(logged_in_client, registry):
    response = logged_in_client.post(reverse("people:notices", args=[registry.pk]),
                                     {"action": "letters", "only_unreached": "1"})
    assert response["Content-Type"] == "application/pdf"


def test_the_download_name_holds_no_personal_value(logged_in_client, registry):
    response = logged_in_client.post(reverse("people:notices", args=[registry.pk]),
                                     {"action": "letters"})
    assert response["Content-Disposition"].startswith(f'attachment; filename="letters-{registry.pk}-')


def test_pr_sees_no_letters_button(client, registry, member):
    client.force_login(member("pr"))
    response = client.get(reverse("people:notices", args=[registry.pk]))
    assert 'id="letters-pdf"' not in response.content.decode()
