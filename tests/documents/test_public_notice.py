"""The public notice (公表) of the demo incident: the skeleton of real notices
(notices-and-victims.md §3) drafted from the facts, in JSON, Word (python-docx) and the PDF's
text layer (pdftotext), with Japanese glyphs that render."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess

import pytest
from docx import Document

from rouei.documents import services
from rouei.documents.kinds import PLANNED, get_kind
from rouei.documents.kinds.public_notice import context
from rouei.domain.items import ITEMS
from rouei.incidents import actions

KIND = get_kind("public-notice")
HEADINGS = ("経緯・概要", "漏えい（の可能性がある）情報", "原因", "対応状況", "お客様へのお願い",
            "再発防止策", "お問い合わせ窓口")


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed; ./run test installs it")
    source = tmp_path / "notice.pdf"
    source.write_bytes(content)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True,
                          capture_output=True, text=True).stdout


class _GlyphLog(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def drafted(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo incident built once for this module (it takes seconds), its notice drafted and
    rendered, then rolled back: the tests read plain data."""
    from django.db import transaction
    from django.test import override_settings

    from rouei.cli.web_commands import prepare_demo
    from rouei.incidents.models import Incident
    from rouei.people.services import registry_counts

    tmp = tmp_path_factory.mktemp("notice")
    glyphs = _GlyphLog()
    logging.getLogger("fpdf").addHandler(glyphs)
    try:
        with django_db_blocker.unblock(), override_settings(
                ROUEI_AUDIT_CHECKPOINT_FILE=tmp / "audit.jsonl", ROUEI_AUDIT_SYSLOG=""), \
                transaction.atomic():
            demo = Incident.objects.get(pk=prepare_demo()["incident_id"])
            out = {"content": KIND.build(demo),
                   "items": [ITEMS[i].label_ja for i in demo.latest_facts().as_facts().items],
                   "registry_total": registry_counts(demo)["total"],
                   "docx": services.render(KIND, demo, stage=None, fmt="docx").content,
                   "pdf": services.render(KIND, demo, stage=None, fmt="pdf").content}
            transaction.set_rollback(True)
    finally:
        logging.getLogger("fpdf").removeHandler(glyphs)
    out["glyph_warnings"] = [m for m in glyphs.messages if "missing" in m]
    out["tmp"] = tmp
    return out


@pytest.fixture(scope="module")
def files(drafted):
    flat = {"docx": docx_text(drafted["docx"]), "pdf": pdf_text(drafted["pdf"], drafted["tmp"])}
    return {fmt: text.replace("\n", "").replace(" ", "") for fmt, text in flat.items()}


def section(content: dict, key: str) -> str:
    return next(s["text"] for s in content["sections"] if s["key"] == key)


def test_the_kind_is_no_longer_planned():
    assert "public-notice" not in PLANNED


def test_sections_follow_the_skeleton_in_order(drafted):
    keys = [s["key"] for s in drafted["content"]["sections"]]
    assert keys == ["lead", "history", "information", "cause", "response", "requests",
                    "prevention", "contact"]


def test_the_title_names_the_cause_and_apologises(drafted):
    assert drafted["content"]["notice"]["title"] == \
        "不正アクセスによる個人情報漏えいに関するお詫びとお知らせ"


def test_the_first_version_is_the_first_report(drafted):
    assert drafted["content"]["notice"]["version_label"] == "第一報"


def test_the_lead_gives_the_confirmed_and_the_possible_count(drafted):
    assert "3,100名のお客様の情報について漏えいを確認しており、その可能性がある方を含めると" \
        "最大12,000名" in section(drafted["content"], "lead")


def test_confirmed_and_possible_are_kept_apart(drafted):
    text = section(drafted["content"], "information")
    assert ("（1）漏えいを確認した情報\n　対象：3,100名" in text,
            "（2）漏えいの可能性がある情報\n　対象：上記のほか最大8,900名" in text) == (True, True)


@pytest.mark.django_db
def test_a_possible_leak_is_never_called_confirmed(user):
    incident = actions.do_create_incident(
        title="件名", facts={"items": ["email"], "people_estimated": 500,
                            "possibility_only": True, "knew_at": "2026-11-24"}, actor=user)
    text = section(KIND.build(incident), "information")
    assert ("漏えいを確認した" in text, "漏えいの可能性がある情報" in text) == (False, True)


def test_the_information_names_every_item_of_the_facts(drafted):
    text = section(drafted["content"], "information")
    assert [label for label in drafted["items"] if label not in text] == []


def test_the_history_is_dated_from_the_timeline(drafted):
    assert section(drafted["content"], "history").startswith("2026年8月3日（月）　決済画面に")


def test_the_history_names_the_report_to_the_ppc(drafted):
    assert "2026年11月20日（金）　個人情報保護委員会へ報告（速報）" in \
        section(drafted["content"], "history")


def test_the_response_lists_containment_done_with_its_date(drafted):
    assert "・影響を受けたシステムの隔離（2026年11月18日（水））" in \
        section(drafted["content"], "response")


def test_the_response_keeps_counsel_internal(drafted):
    assert "弁護士" not in section(drafted["content"], "response")


def test_a_card_leak_asks_to_check_statements(drafted):
    assert "ご利用明細" in section(drafted["content"], "requests")


def test_the_requests_say_what_we_never_ask_for(drafted):
    assert "暗証番号、パスワード等をお尋ねすることは一切ございません" in \
        section(drafted["content"], "requests")


def test_the_registry_counts_are_given_where_there_is_one(drafted):
    total = drafted["registry_total"]
    assert f"弊社で特定できたお客様は{total:,}名" in section(drafted["content"], "information")


@pytest.mark.django_db
def test_without_a_registry_no_registry_sentence(incident):
    assert "特定できたお客様" not in section(KIND.build(incident), "information")


def test_an_unset_window_is_listed_as_missing(drafted):
    assert "窓口の電話番号（本人通知の設定）" in {m["label"] for m in drafted["content"]["missing"]}


@pytest.mark.django_db
def test_the_window_comes_from_the_notice_settings(incident):
    from rouei.people.models import NoticeSettings

    NoticeSettings.objects.create(incident=incident, window_phone="0120-000-000",
                                  window_hours="9:00～18:00（土日祝日を含む）")
    assert section(KIND.build(incident), "contact").splitlines()[1:] == [
        "電話番号：0120-000-000", "受付時間：9:00～18:00（土日祝日を含む）"]


def test_the_delay_reason_is_absent_until_entered(drafted):
    assert "delay_reason" not in [s["key"] for s in drafted["content"]["sections"]]


@pytest.mark.parametrize(("n", "label"), [(1, "第一報"), (2, "第二報"), (10, "第十報"),
                                          (13, "第十三報"), (22, "第二十二報"), (100, "第100報")])
def test_versions_are_numbered_as_notices_number_them(n, label):
    assert context.version_label(n) == label


def test_the_final_version_says_so():
    assert context.version_label(3, is_final=True) == "第三報（最終報）"


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_every_heading_is_in_the_file(files, fmt):
    assert [h for h in HEADINGS if h not in files[fmt]] == []


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_files_give_both_counts(files, fmt):
    assert ("3,100名" in files[fmt], "最大12,000名" in files[fmt]) == (True, True)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_files_name_every_item(drafted, files, fmt):
    assert [label for label in drafted["items"] if label not in files[fmt]] == []


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_files_carry_the_version_label(files, fmt):
    assert "第一報" in files[fmt]


def test_the_pdf_font_has_every_glyph(drafted):
    # fpdf2 logs the characters its embedded font has no glyph for (they would print as tofu).
    assert drafted["glyph_warnings"] == []


def test_the_pdf_renders_as_a_page_of_text(drafted, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed; ./run test installs it")
    from PIL import Image

    source = tmp_path / "notice.pdf"
    source.write_bytes(drafted["pdf"])
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(source),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = image.point(lambda value: 255 if value < 128 else 0).histogram()[255]
    assert dark / (image.width * image.height) > 0.01  # ink of text, not a blank page
