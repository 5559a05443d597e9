"""Account events in the audit trail (sign-ins, failures, with the address) and the staff page
/accounts/audit/ that lists them; each person's recent sign-ins on the security page."""

from __future__ import annotations

import pytest

from rouei.accounts import actions
from rouei.accounts.views import AUDIT_PAGE_SIZE
from rouei.core.audit import verify_chain
from rouei.core.models import AuditEvent
from tests.accounts.conftest import VERIFY, code_for, log_in, wrong_code

pytestmark = pytest.mark.django_db

AUDIT = "/accounts/audit/"
SECURITY = "/accounts/security/"


@pytest.fixture
def staff(make_user):
    admin = make_user("kanri")
    admin.is_staff = True
    admin.save()
    return admin


def test_sign_in_with_password_is_audited_with_the_address(client, user):
    log_in(client, "tanaka")
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == user and event.details == {"method": "password", "ip": "127.0.0.1"}
    assert verify_chain() is None


def test_sign_out_is_audited_with_the_address(client, user):
    log_in(client, "tanaka")
    client.post("/accounts/logout/")
    event = AuditEvent.objects.get(action="auth.logout")
    assert event.actor == user and event.details == {"ip": "127.0.0.1"}
    client.post("/accounts/logout/")  # nobody signed in: nothing to record
    assert AuditEvent.objects.filter(action="auth.logout").count() == 1


def test_failed_sign_in_is_audited_without_the_typed_name(client, user):
    log_in(client, "tanaka", password="wrong-password-1")
    log_in(client, "someone-else", password="wrong-password-2")
    known, unknown = AuditEvent.objects.filter(action="auth.login_failed").order_by("sequence")
    assert known.actor is None and known.object_id == str(user.pk)
    assert known.details == {"step": "password", "known_user": True, "ip": "127.0.0.1"}
    assert unknown.object_id == "" and unknown.details["known_user"] is False
    assert "someone-else" not in str(unknown.details)


def test_second_step_success_and_failure_are_audited(client, user, enrol):
    device, _codes = enrol(user)
    log_in(client, "tanaka")
    client.post(VERIFY, {"code": wrong_code(device)})
    client.post(VERIFY, {"code": code_for(device)})
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.details["step"] == "code" and failed.object_id == str(user.pk)
    signed_in = AuditEvent.objects.get(action="auth.login")
    assert signed_in.details == {"method": "totp", "ip": "127.0.0.1"}


def test_account_audit_page_is_404_for_non_staff(logged_in_client):
    assert logged_in_client.get(AUDIT).status_code == 404


def test_account_audit_page_lists_account_events_for_staff(client, user, staff):
    log_in(client, "tanaka", password="wrong-password-1")
    log_in(client, "tanaka")
    actions.do_change_password(user, "another-long-password-1", actor=user, address="192.0.2.4")
    client.force_login(staff)
    response = client.get(AUDIT)
    page = response.content.decode()
    assert response.status_code == 200 and "アカウントのイベント" in page
    assert "ログイン失敗" in page and "パスワード誤り" in page and "192.0.2.4" in page
    rows = page.split("<tr data-sequence=")[1:]
    assert "パスワードの変更" in rows[0] and "tanaka" in rows[0]  # newest first
    assert "127.0.0.1" in page and "（未ログイン・システム）" in page


def test_account_audit_page_filters(client, user, staff, make_user):
    sato = make_user("sato")
    actions.do_record_sign_in(user, method="password", address="192.0.2.1")
    actions.do_record_sign_in(sato, method="password", address="192.0.2.2")
    actions.do_record_failed_sign_in(sato, step="password", address="192.0.2.3")
    client.force_login(staff)

    def shown(**query):
        page = client.get(AUDIT, query).content.decode()
        return page.count("<tr data-sequence=")

    assert shown(username="sato") == 2
    assert shown(username="sato", action="auth.login_failed") == 1
    assert shown(address="192.0.2.1") == 1
    assert shown(username="nobody") == 0
    assert shown(since="2000-01-01", until="2000-01-02") == 0
    bad = client.get(AUDIT, {"address": "not-an-ip"})
    assert bad.status_code == 200 and "<tr data-sequence=" in bad.content.decode()


def test_account_audit_page_is_paginated_and_keeps_the_filter(client, user, staff):
    for _ in range(AUDIT_PAGE_SIZE + 1):
        actions.do_record_sign_in(user, method="password", address="192.0.2.1")
    client.force_login(staff)
    first = client.get(AUDIT, {"username": "tanaka"}).content.decode()
    assert first.count("<tr data-sequence=") == AUDIT_PAGE_SIZE
    assert "username=tanaka&amp;page=2" in first
    second = client.get(AUDIT, {"username": "tanaka", "page": 2}).content.decode()
    assert second.count("<tr data-sequence=") == 1


def test_security_page_shows_my_recent_sign_ins_only(client, user, make_user):
    sato = make_user("sato")
    log_in(client, "tanaka", password="wrong-password-1")
    actions.do_record_sign_in(sato, method="password", address="192.0.2.99")
    log_in(client, "tanaka")
    page = client.get(SECURITY).content.decode()
    section = page.split('id="sign-ins"')[1].split("</section>")[0]
    assert section.count("<tr data-action=") == 2
    assert "ログイン失敗" in section and "127.0.0.1" in section
    assert "192.0.2.99" not in section
