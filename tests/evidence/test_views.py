"""The evidence pages and the notes, as a member of each role (and an outsider) meets them."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from rouei.core.models import AuditEvent
from rouei.evidence import actions, store
from rouei.evidence.models import Blob, CustodyEvent, EvidenceItem, Note
from rouei.evidence.urls import incident_urlpatterns
from tests.evidence.conftest import LOG

pytestmark = pytest.mark.django_db

URL_NAMES = [p.name for p in incident_urlpatterns]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
FIELDS = {"description": "決済画面に埋め込まれた不正スクリプト", "collected_from": "web01 /var/www/checkout",
          "collected_at": "2026-11-19T09:30", "collected_by_name": "デモフォレンジック社 佐藤",
          "purpose": "原因調査のための保全"}


def _url(name: str, incident, item=None, note=None) -> str:
    kwargs = {"incident_id": incident.pk}
    if "item_pk" in name or name in ("item", "download", "custody", "verify"):
        kwargs["item_pk"] = item.pk
    if name == "note_edit":
        kwargs["note_pk"] = note.pk
    return reverse(f"evidence:{name}", kwargs=kwargs)


def _upload(client, incident, content: bytes = LOG, name: str = "skimmer.js", **fields):
    data = {**FIELDS, **fields, "file": SimpleUploadedFile(name, content)}
    return client.post(_url("upload", incident), data)


def _stored_files(evidence_dir) -> list:
    return sorted(p for p in evidence_dir.rglob("*") if p.is_file())


@pytest.fixture
def item(add_item):
    return add_item(LOG, name="access.log")


@pytest.fixture
def note(incident, user):
    return actions.do_add_note(incident, body="初動メモ", actor=user)


def test_evidence_urls_cover_every_page():
    assert set(URL_NAMES) == {"list", "upload", "item", "download", "custody", "verify", "notes",
                              "note_edit"}


# --- access -------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", URL_NAMES)
def test_evidence_url_non_member_gets_404(client, outsider, incident, item, note, name, method):
    client.force_login(outsider)
    response = getattr(client, method)(_url(name, incident, item, note),
                                       {**FIELDS, "purpose": "x", "body": "x"})
    assert response.status_code == 404
    assert CustodyEvent.objects.count() == 1 and Note.objects.count() == 1  # nothing added


@pytest.mark.parametrize("name", URL_NAMES)
def test_evidence_url_non_member_and_missing_incident_look_the_same(client, outsider, incident,
                                                                    item, note, name):
    client.force_login(outsider)
    url = _url(name, incident, item, note)
    missing_url = url.replace(f"/incidents/{incident.pk}/", "/incidents/999999/", 1)
    forbidden, missing = client.get(url), client.get(missing_url)
    assert forbidden.status_code == missing.status_code == 404
    same = missing.content.decode().replace(missing_url, url)
    assert CSRF.sub("", forbidden.content.decode()) == CSRF.sub("", same)


@pytest.mark.parametrize("name", URL_NAMES)
def test_evidence_url_anonymous_is_sent_to_log_in(client, incident, item, note, name):
    response = client.get(_url(name, incident, item, note))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_item_of_another_incident_is_404(logged_in_client, user, item, add_item):
    from rouei.incidents import actions as incident_actions

    other = incident_actions.do_create_incident(title="別の事案", actor=user)
    foreign = add_item(b"other", on=other)
    assert logged_in_client.get(_url("item", other, foreign)).status_code == 200
    assert logged_in_client.get(reverse("evidence:item", args=[other.pk, item.pk])
                                ).status_code == 404


# A viewer sees the register and each chain of custody; opening content, registering and
# recording are refused with 403 (the page names the role).
@pytest.mark.parametrize("name, method, status", [
    ("list", "get", 200), ("item", "get", 200), ("notes", "get", 200),
    ("upload", "get", 403), ("upload", "post", 403), ("download", "post", 403),
    ("custody", "post", 403), ("verify", "post", 403), ("notes", "post", 403),
    ("note_edit", "get", 403), ("note_edit", "post", 403),
])
def test_evidence_url_viewer_reads_but_cannot_act(client, incident, item, note, member, name,
                                                  method, status, evidence_dir):
    client.force_login(member("viewer"))
    data = {**FIELDS, "kind": "accessed", "at": "2026-11-20T10:00", "purpose": "x", "body": "x",
            "expected_version": 1}
    if name == "upload":
        data["file"] = SimpleUploadedFile("x.txt", b"viewer content")
    response = getattr(client, method)(_url(name, incident, item, note), data)
    assert response.status_code == status
    if status == 403:
        assert "閲覧者" in response.content.decode()
    assert CustodyEvent.objects.count() == 1 and EvidenceItem.objects.count() == 1
    assert Note.objects.get().version == 1 and Note.objects.count() == 1
    assert len(_stored_files(evidence_dir)) == 1


def test_item_page_viewer_sees_metadata_and_custody_but_no_download(client, incident, item,
                                                                    member):
    client.force_login(member("viewer"))
    page = client.get(_url("item", incident, item)).content.decode()
    assert item.sha256 in page and "web01 /var/log/nginx" in page and "収集" in page
    assert _url("download", incident, item) not in page
    assert "内容を開けるのは対応責任者・法務・IT／フォレンジックだけです" in page


@pytest.mark.parametrize("role", ["pr", "call_centre"])
def test_upload_pr_and_call_centre_register_but_cannot_download(client, incident, member, role):
    client.force_login(member(role))
    response = _upload(client, incident, b"complaint letter scan", name="letter.pdf")
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert client.post(_url("download", incident, item), {"purpose": "x"}).status_code == 403
    assert client.post(_url("verify", incident, item)).status_code == 302


# --- upload -------------------------------------------------------------------------------------

def test_upload_shows_the_sha256_of_the_content(logged_in_client, incident, evidence_dir):
    content = b"<script src='https://evil.example/skim.js'></script>\n"
    response = _upload(logged_in_client, incident, content)
    sha256 = hashlib.sha256(content).hexdigest()
    item = EvidenceItem.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("item", incident, item)
    page = logged_in_client.get(response["Location"]).content.decode()
    assert f'<code class="sha256" id="sha256">{sha256}</code>' in page
    assert f"証拠を登録しました。SHA-256は {sha256} です。" in page
    assert "デモフォレンジック社 佐藤" in page and "web01 /var/www/checkout" in page
    assert "2026-11-19 09:30" in page  # collected at, in JST
    listing = logged_in_client.get(_url("list", incident)).content.decode()
    assert sha256 in listing and "skimmer.js" in listing and "未検証" in listing
    assert _stored_files(evidence_dir) == [store.blob_path(sha256)]
    assert store.blob_path(sha256).read_bytes() == content


def test_upload_same_content_twice_is_one_blob_with_two_items(logged_in_client, incident,
                                                              evidence_dir):
    _upload(logged_in_client, incident, LOG, name="first.log")
    _upload(logged_in_client, incident, LOG, name="second copy.log")
    assert EvidenceItem.objects.count() == 2 and Blob.objects.count() == 1
    assert len(_stored_files(evidence_dir)) == 1
    listing = logged_in_client.get(_url("list", incident)).content.decode()
    assert listing.count(f'<code class="sha256">{hashlib.sha256(LOG).hexdigest()}</code>') == 2


def test_upload_japanese_name_is_kept_and_shown(logged_in_client, incident, evidence_dir):
    name = "顧客リスト（流出分）2026年11月.csv"
    _upload(logged_in_client, incident, "氏名,電話\n山田,090\n".encode("cp932"), name=name)
    item = EvidenceItem.objects.get()
    assert item.original_name == name and item.detected_type == "csv"
    assert name in logged_in_client.get(_url("item", incident, item)).content.decode()
    assert _stored_files(evidence_dir) == [store.blob_path(item.sha256)]


def test_upload_name_with_markup_is_shown_escaped(logged_in_client, incident):
    _upload(logged_in_client, incident, b"x", name='<img src=x onerror="alert(1)">.txt')
    page = logged_in_client.get(_url("list", incident)).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.txt" in page
    assert "<img src=x" not in page


def _raw_multipart(filename: str, content: bytes, token: str) -> tuple[bytes, str]:
    boundary = "----rouei-test-boundary"
    parts = [("csrfmiddlewaretoken", token), *FIELDS.items()]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in parts)
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
             f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
             ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("filename", ["../../etc/passwd", "..\\..\\Windows\\win.ini",
                                      "/tmp/rouei-evidence-escape"])
def test_upload_path_in_the_name_is_never_used_as_a_path(logged_in_client, incident, tmp_path,
                                                         evidence_dir, filename):
    body, content_type = _raw_multipart(filename, b"root:x:0:0", "")
    response = logged_in_client.generic("POST", _url("upload", incident), body,
                                        content_type=content_type)
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert "/" not in item.original_name and "\\" not in item.original_name  # as Django gave it
    assert _stored_files(evidence_dir) == [store.blob_path(item.sha256)]
    assert not (evidence_dir.parent / "etc").exists()
    assert not (evidence_dir / "tmp" / "rouei-evidence-escape").exists()


def test_upload_over_the_limit_is_refused_with_the_message(settings, logged_in_client, incident,
                                                           evidence_dir):
    settings.ROUEI_EVIDENCE_MAX_BYTES = 100
    response = _upload(logged_in_client, incident, b"x" * 101)
    assert response.status_code == 413
    page = response.content.decode()
    assert "ファイルが上限の100\xa0バイト（100バイト）を超えています" in page
    assert 'value="デモフォレンジック社 佐藤"' in page  # what was entered is kept
    assert not EvidenceItem.objects.exists() and _stored_files(evidence_dir) == []
    assert _upload(logged_in_client, incident, b"x" * 100).status_code == 302


def test_upload_far_over_the_limit_is_refused_before_it_is_written(settings, logged_in_client,
                                                                   incident, evidence_dir,
                                                                   monkeypatch):
    settings.ROUEI_EVIDENCE_MAX_BYTES = 1000
    written = []
    monkeypatch.setattr(store.BlobWriter, "write", lambda self, chunk: written.append(chunk))
    response = _upload(logged_in_client, incident, b"x" * (1024 * 1024 + 2000))
    assert response.status_code == 413 and "上限" in response.content.decode()
    assert written == [] and _stored_files(evidence_dir) == []


def test_upload_page_states_the_limit(settings, logged_in_client, incident):
    settings.ROUEI_EVIDENCE_MAX_BYTES = 2 * 1024**3
    page = logged_in_client.get(_url("upload", incident)).content.decode()
    assert "2.0\xa0GB" in page and 'data-max-bytes="2147483648"' in page
    assert 'enctype="multipart/form-data"' in page


def test_upload_without_csrf_token_is_refused_and_nothing_kept(user, incident, evidence_dir):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = _upload(client, incident)
    assert response.status_code == 403
    assert not EvidenceItem.objects.exists() and _stored_files(evidence_dir) == []


def test_upload_missing_fields_keep_nothing(logged_in_client, incident, evidence_dir):
    response = _upload(logged_in_client, incident, description="", collected_by_name="")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="field-description"' in page and "収集者を、メンバーの選択か氏名の入力" in page
    assert _stored_files(evidence_dir) == []


# --- download -----------------------------------------------------------------------------------

def test_download_is_an_attachment_not_sniffed_and_recorded(logged_in_client, incident, user,
                                                            add_item):
    name = "顧客リスト 2026年11月.csv"
    item = add_item(b"name,mail\n", name=name)
    response = logged_in_client.post(_url("download", incident, item), {"purpose": "解析"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"name,mail\n"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"_ 2026_11_.csv\"; filename*=UTF-8''" + quote(name, safe=""))
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    access = item.custody_events.get(kind="accessed")
    assert (access.purpose, access.actor, access.to_person) == ("解析", user, "tanaka")
    [audit] = AuditEvent.objects.filter(action="evidence.download")
    assert audit.details["item_id"] == item.pk and audit.actor == user
    page = logged_in_client.get(_url("item", incident, item)).content.decode()
    assert "アクセス" in page and "解析" in page


def test_download_name_with_a_path_cannot_escape_the_header(logged_in_client, incident,
                                                            add_item):
    item = add_item(b"x", name='../../etc/pa"ss\\wd')
    response = logged_in_client.post(_url("download", incident, item), {"purpose": "確認"})
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="_.._etc_pa_ss_wd"; ')
    assert header.endswith("filename*=UTF-8''..%2F..%2Fetc%2Fpa%22ss%5Cwd")


def test_download_needs_a_purpose_and_a_post(logged_in_client, incident, item):
    assert logged_in_client.get(_url("download", incident, item)).status_code == 405
    response = logged_in_client.post(_url("download", incident, item), {"purpose": ""})
    assert response.status_code == 400 and 'id="download"' in response.content.decode()
    assert not item.custody_events.filter(kind="accessed").exists()


@pytest.mark.parametrize("role", ["legal", "forensics"])
def test_download_legal_and_forensics_may(client, incident, item, member, role):
    client.force_login(member(role))
    response = client.post(_url("download", incident, item), {"purpose": "確認"})
    assert response.status_code == 200 and b"".join(response.streaming_content) == LOG


# --- verification -------------------------------------------------------------------------------

def _tamper(item) -> None:
    path = store.blob_path(item.sha256)
    path.chmod(0o640)
    path.write_bytes(b"altered afterwards")


def test_verify_intact_item_says_so(logged_in_client, incident, item):
    response = logged_in_client.post(_url("verify", incident, item), follow=True)
    page = response.content.decode()
    assert "検証しました：保存ファイルのSHA-256は登録時と一致しています" in page
    assert 'class="verify verify-ok"' in page


def test_verify_tampered_blob_is_shown_in_red_and_audited(logged_in_client, incident, item):
    _tamper(item)
    page = logged_in_client.post(_url("verify", incident, item), follow=True).content.decode()
    assert "検証に失敗しました：改ざん：ハッシュ値が不一致" in page
    assert 'class="verify-alert"' in page and "改ざんの疑い" in page
    assert hashlib.sha256(b"altered afterwards").hexdigest() in page
    [audit] = AuditEvent.objects.filter(action="evidence.verify")
    assert audit.details["result"] == "mismatch"
    listing = logged_in_client.get(_url("list", incident)).content.decode()
    assert 'class="verify-failed"' in listing and "改ざんの疑い" in listing
    detail = logged_in_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "1件の証拠が直近のハッシュ検証で不一致でした" in detail


def test_verify_missing_blob_is_shown(logged_in_client, incident, item):
    store.blob_path(item.sha256).unlink()
    page = logged_in_client.post(_url("verify", incident, item), follow=True).content.decode()
    assert "欠落：保存ファイルがありません" in page
    response = logged_in_client.post(_url("download", incident, item), {"purpose": "確認"},
                                     follow=True)
    assert "この証拠の保存ファイルが見つかりません" in response.content.decode()


# --- chain of custody ---------------------------------------------------------------------------

def test_custody_add_hand_over_appears_in_the_chain(logged_in_client, incident, item):
    response = logged_in_client.post(_url("custody", incident, item), {
        "kind": "transferred", "at": "2026-11-20T14:00", "from_person": "田中",
        "to_person": "デモフォレンジック社 佐藤", "purpose": "解析の依頼", "note": "封印番号 A-001"})
    assert response.status_code == 302
    page = logged_in_client.get(_url("item", incident, item)).content.decode()
    assert "引渡し" in page and "田中 → デモフォレンジック社 佐藤" in page and "封印番号 A-001" in page
    assert AuditEvent.objects.filter(action="evidence.custody").count() == 1


def test_custody_add_without_purpose_shows_the_error(logged_in_client, incident, item):
    response = logged_in_client.post(_url("custody", incident, item), {
        "kind": "accessed", "at": "2026-11-20T14:00"})
    assert response.status_code == 400 and 'id="field-purpose"' in response.content.decode()
    assert item.custody_events.count() == 1


# --- notes --------------------------------------------------------------------------------------

def test_notes_add_renders_markdown_safely(logged_in_client, incident):
    body = ("## 弁護士相談\n\n- **速報**は11/20提出\n\n<script>alert(1)</script> "
            "[x](javascript:alert(1)) <img src=x onerror=alert(1)>")
    response = logged_in_client.post(_url("notes", incident), {"body": body})
    note = Note.objects.get()
    assert response["Location"].endswith(f"#note-{note.pk}")
    page = logged_in_client.get(_url("notes", incident)).content.decode()
    assert "<h2>弁護士相談</h2>" in page and "<strong>速報</strong>" in page
    assert "<script>alert" not in page and 'href="javascript' not in page
    assert "<img src=x" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    detail = logged_in_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "<h2>弁護士相談</h2>" in detail and "<script>alert" not in detail


def test_note_edit_keeps_the_earlier_version(logged_in_client, incident, note):
    response = logged_in_client.post(_url("note_edit", incident, note=note),
                                     {"body": "初動メモ（修正）", "expected_version": 1})
    assert response.status_code == 302
    page = logged_in_client.get(_url("notes", incident)).content.decode()
    assert "初動メモ（修正）" in page and "以前の版 (1)" in page and "初動メモ" in page


def test_note_edit_second_save_from_the_same_version_is_told(client, incident, note, user,
                                                             member):
    client.force_login(user)
    client.post(_url("note_edit", incident, note=note), {"body": "先の修正", "expected_version": 1})
    response = client.post(_url("note_edit", incident, note=note),
                           {"body": "後の修正", "expected_version": 1})
    page = response.content.decode()
    assert response.status_code == 409 and "他の人が先にこのメモを保存しました" in page
    assert "後の修正" in page and "先の修正" in page
    assert Note.objects.get().body == "先の修正"


def test_note_edit_by_another_editor_is_refused(client, incident, note, member):
    client.force_login(member("legal"))
    assert client.get(_url("note_edit", incident, note=note)).status_code == 403


def test_nav_links_to_evidence_and_notes(logged_in_client, incident):
    page = logged_in_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert _url("list", incident) in page and _url("notes", incident) in page


def test_pages_in_english(logged_in_client, incident, item):
    logged_in_client.cookies["django_language"] = "en"
    with translation.override("ja"):  # the request activates English in this thread: undo it
        page = logged_in_client.get(_url("item", incident, item)).content.decode()
    assert "Chain of custody" in page and "Re-verify the hash" in page


# --- dates in the future (issue 11, guard rail 2) ------------------------------------------------

def _local_in(**delta) -> str:
    return f"{timezone.localtime() + dt.timedelta(**delta):%Y-%m-%dT%H:%M}"


def test_upload_collected_in_the_future_names_the_field(logged_in_client, incident):
    page = _upload(logged_in_client, incident, collected_at=_local_in(days=2)).content.decode()
    assert '<div class="error field-error" role="alert">収集日時は未来の日時にできません</div>' in page


def test_upload_collected_in_the_future_keeps_nothing(logged_in_client, incident, evidence_dir):
    _upload(logged_in_client, incident, collected_at=_local_in(days=2))
    assert (EvidenceItem.objects.count(), _stored_files(evidence_dir)) == (0, [])


def test_upload_collected_a_minute_ago_is_registered(logged_in_client, incident):
    response = _upload(logged_in_client, incident, collected_at=_local_in(minutes=-1))
    assert response.status_code == 302 and EvidenceItem.objects.count() == 1
