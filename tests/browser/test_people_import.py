"""Issue 12 in a real browser: a CP932 export is uploaded, its mapping and first rows (masked)
are shown before anything is written, and the import runs to the end."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rouei.incidents import actions as incident_actions
from rouei.people.models import Person
from tests.browser.conftest import log_in
from tests.people.conftest import FACTS, HEADER, ROWS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PREVIEW = "/tmp/people_import_preview.png"
DONE = "/tmp/people_import_done.png"


def test_an_upload_is_previewed_then_imported(page, live_server, user, tmp_path):
    incident = incident_actions.do_create_incident(title="顧客情報の漏えい", facts=FACTS,
                                                   actor=user)
    export = tmp_path / "顧客一覧.csv"
    export.write_bytes((HEADER + "\n".join(ROWS) + "\n").encode("cp932"))
    registry = reverse("people:registry", args=[incident.pk])
    log_in(page, live_server, user, registry)
    page.set_input_files("#id_file", str(export))
    page.click("#import button[type=submit]")
    assert "氏名" in page.locator("#mapping").inner_text()
    assert "山田 太郎" not in page.locator("#first-rows").inner_text()
    page.screenshot(path=PREVIEW, full_page=True)
    assert Person.objects.count() == 0
    page.click("#start-import")
    page.wait_for_selector("#import-result")
    page.screenshot(path=DONE, full_page=True)
    assert Person.objects.count() == 3
