"""Personal data encrypted at rest: no plaintext in the column, key rotation, and a wrong key
that shows a clear message instead of crashing the page."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from rouei.config import env
from rouei.core import crypto
from rouei.intake import actions
from rouei.intake.models import Signal
from rouei.intake.permissions import ensure_intake_group

NAME = "佐藤 花子"
CONTACT = "090-1111-2222"
KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def keys(settings):
    settings.ROUEI_DATA_KEYS = [KEY_A]
    return settings


@pytest.fixture
def signal(keys, user):
    ensure_intake_group().user_set.add(user)
    return actions.do_record_signal(subject="DM", complainant_name=NAME,
                                    complainant_contact=CONTACT, notes="旧姓「佐籐」で登録",
                                    actor=user)


def _raw(pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM signals_signal WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_encrypt_roundtrip_keeps_japanese_text(keys):
    token = crypto.encrypt(NAME)
    assert token.startswith("gAAAAA") and NAME not in token
    assert crypto.decrypt(token) == NAME
    assert crypto.encrypt(NAME) != token  # a fresh IV every time


@pytest.mark.django_db
def test_encrypted_field_column_holds_no_plaintext(signal):
    for column, value in (("complainant_name", NAME), ("complainant_contact", CONTACT),
                          ("notes", "旧姓「佐籐」で登録")):
        stored = _raw(signal.pk, column)
        assert value not in stored and "佐" not in stored and "1111" not in stored
        assert crypto.decrypt(stored) == value
    assert Signal.objects.get(pk=signal.pk).complainant_name == NAME


@pytest.mark.django_db
def test_encrypted_field_empty_value_stays_empty(keys, user):
    ensure_intake_group().user_set.add(user)
    signal = actions.do_record_signal(subject="SIEM alert", actor=user)
    assert _raw(signal.pk, "complainant_name") == ""


@pytest.mark.django_db
def test_rotation_new_key_first_reads_old_rows_and_rotate_field_reencrypts(signal, settings):
    old = _raw(signal.pk, "complainant_name")
    settings.ROUEI_DATA_KEYS = [KEY_B, KEY_A]  # the new key first, the old one still decrypts
    assert Signal.objects.get(pk=signal.pk).complainant_name == NAME
    assert crypto.rotate_field(Signal, "complainant_name") == 1
    rotated = _raw(signal.pk, "complainant_name")
    assert rotated != old
    settings.ROUEI_DATA_KEYS = [KEY_B]  # the old key retired
    assert Signal.objects.get(pk=signal.pk).complainant_name == NAME
    with pytest.raises(crypto.DecryptionError):  # the other columns were not rotated yet
        crypto.decrypt(_raw(signal.pk, "complainant_contact"))


@pytest.mark.django_db
def test_wrong_key_gives_a_clear_placeholder_and_saving_keeps_the_data(signal, settings):
    stored = _raw(signal.pk, "complainant_name")
    settings.ROUEI_DATA_KEYS = [KEY_B]
    loaded = Signal.objects.get(pk=signal.pk)
    assert isinstance(loaded.complainant_name, crypto.Undecryptable)
    assert "ROUEI_DATA_KEYS" in str(loaded.complainant_name)
    assert stored not in str(loaded.complainant_name)
    loaded.save()  # e.g. a status change: the unreadable value is written back unchanged
    assert _raw(signal.pk, "complainant_name") == stored
    settings.ROUEI_DATA_KEYS = [KEY_A]
    assert Signal.objects.get(pk=signal.pk).complainant_name == NAME


@pytest.mark.django_db
def test_wrong_key_signal_page_shows_a_message_not_a_server_error(signal, settings, client,
                                                                   user):
    client.force_login(user)
    settings.ROUEI_DATA_KEYS = [KEY_B]
    response = client.get(f"/signals/{signal.pk}/")
    assert response.status_code == 200
    assert "ROUEI_DATA_KEYS" in response.content.decode()
    response = client.post(f"/signals/{signal.pk}/reveal/")
    assert response.status_code == 200 and NAME not in response.content.decode()


def test_decrypt_wrong_key_raises_decryption_error(keys, settings):
    token = crypto.encrypt(NAME)
    settings.ROUEI_DATA_KEYS = [KEY_B]
    with pytest.raises(crypto.DecryptionError) as caught:
        crypto.decrypt(token)
    assert NAME not in str(caught.value) and token not in str(caught.value)


def test_bad_key_setting_is_a_configuration_error_without_the_key(settings):
    settings.ROUEI_DATA_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured) as caught:
        crypto.encrypt(NAME)
    assert "not-a-fernet-key" not in str(caught.value)


def test_data_keys_from_environment_first_key_encrypts(tmp_path):
    assert env.data_keys({"ROUEI_DATA_KEYS": f" {KEY_B} , {KEY_A} "}, tmp_path) == [KEY_B, KEY_A]
    assert not (tmp_path / env.DATA_KEYS_FILE).exists()


def test_data_keys_generated_once_with_mode_0600(tmp_path):
    first = env.data_keys({}, tmp_path)
    path = tmp_path / env.DATA_KEYS_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert env.data_keys({}, tmp_path) == first and len(first) == 1
    Fernet(first[0].encode())  # a valid Fernet key


@pytest.mark.django_db
def test_rotate_data_keys_command_reencrypts_every_column_and_is_audited(signal, settings):
    import io

    from django.core.management import call_command

    from rouei.core.models import AuditEvent

    settings.ROUEI_DATA_KEYS = [KEY_B, KEY_A]
    out = io.StringIO()
    call_command("rotate_data_keys", stdout=out)
    assert "signals.Signal.complainant_name: 1" in out.getvalue()
    assert "OK: 3 values re-encrypted" in out.getvalue()  # name, contact, notes
    event = AuditEvent.objects.get(action="data_keys.rotate")
    assert event.details["rows"]["signals.Signal.notes"] == 1
    settings.ROUEI_DATA_KEYS = [KEY_B]  # the old key retired: everything still opens
    reloaded = Signal.objects.get(pk=signal.pk)
    assert (reloaded.complainant_name, reloaded.complainant_contact) == (NAME, CONTACT)


@pytest.mark.django_db
def test_rotate_data_keys_command_without_the_old_key_fails_clearly(signal, settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.ROUEI_DATA_KEYS = [KEY_B]  # the key that encrypted the rows is missing
    with pytest.raises(CommandError, match="put the key that encrypted it back"):
        call_command("rotate_data_keys")


# --- the columns of issue 15: JSON values and append-only evidence rows ----------------------

@pytest.fixture
def written(keys, user, tmp_path, settings):
    """A corrected timeline entry (text, reason, earlier wording) and a custody hand-over."""
    import datetime as dt
    import io

    from rouei.evidence import actions as evidence_actions
    from rouei.incidents import actions as incident_actions

    settings.ROUEI_EVIDENCE_DIR = tmp_path
    at = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    incident = incident_actions.do_create_incident(title="誤送信", summary="山田様へ誤送信",
                                                   actor=user)
    entry = incident_actions.do_add_timeline_event(incident, kind="action", at=at,
                                                   text="山田様に電話", actor=user)
    incident_actions.do_edit_timeline_event(entry, kind="action", at=at, text="山田様に謝罪",
                                            reason="誤記", actor=user)
    item = evidence_actions.add_evidence_from_stream(
        incident, io.BytesIO(b"x"), original_name="山田.csv", description="申告書",
        collected_from="受付", collected_at=at, collected_by_user=user, purpose="保全",
        actor=user)
    return incident, entry, item


@pytest.mark.django_db
def test_rotate_all_reencrypts_json_and_append_only_evidence_columns(written, settings):
    _, entry, item = written
    settings.ROUEI_DATA_KEYS = [KEY_B, KEY_A]
    counts = crypto.rotate_all()
    assert counts["incidents.TimelineEvent.revisions"] >= 1
    assert counts["evidence.CustodyEvent.purpose"] >= 1
    settings.ROUEI_DATA_KEYS = [KEY_B]  # the old key retired
    from rouei.incidents.models import TimelineEvent

    assert [r["text"] for r in TimelineEvent.objects.get(pk=entry.pk).revisions] == ["山田様に電話"]
    assert item.custody_events.get().purpose == "保全"


@pytest.mark.django_db
def test_json_value_no_key_opens_is_empty_and_saved_back_unchanged(written, settings):
    from rouei.incidents.models import TimelineEvent

    _, entry, _ = written
    with connection.cursor() as cursor:
        cursor.execute("SELECT revisions FROM incidents_timelineevent WHERE id = %s", [entry.pk])
        stored = cursor.fetchone()[0]
    settings.ROUEI_DATA_KEYS = [KEY_B]
    loaded = TimelineEvent.objects.get(pk=entry.pk)
    assert list(loaded.revisions) == []
    loaded.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT revisions FROM incidents_timelineevent WHERE id = %s", [entry.pk])
        assert cursor.fetchone()[0] == stored


@pytest.mark.django_db
def test_correcting_a_timeline_entry_no_key_opens_is_refused(written, settings, user):
    import datetime as dt

    from rouei.core.errors import ActionError
    from rouei.incidents import actions as incident_actions
    from rouei.incidents.models import TimelineEvent

    _, entry, _ = written
    settings.ROUEI_DATA_KEYS = [KEY_B]
    with pytest.raises(ActionError) as refused:
        incident_actions.do_edit_timeline_event(
            TimelineEvent.objects.get(pk=entry.pk), kind="action",
            at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), text="上書き", reason="x",
            actor=user)
    assert refused.value.code == "undecryptable"



def test_an_expression_is_left_for_the_database_to_evaluate():
    """bulk_update hands the field a CASE expression: encrypting its text would store the SQL
    instead of each row's value (each value inside is prepared on its own)."""
    from django.db.models import Value

    expression = Value("x")
    assert crypto.EncryptedTextField().get_prep_value(expression) is expression


def test_a_sealed_token_reads_back_and_holds_no_plaintext(keys):
    token = crypto.seal(NAME)
    assert NAME not in token and crypto.decrypt(token) == NAME


def test_a_sealed_token_under_the_old_key_reads_after_a_new_key_goes_first(keys, settings):
    token = crypto.seal(NAME)
    settings.ROUEI_DATA_KEYS = [KEY_B, KEY_A]
    assert crypto.decrypt(token) == NAME


def test_rotating_a_sealed_token_keeps_it_sealed_and_drops_the_old_key(keys, settings):
    token = crypto.seal(NAME)
    settings.ROUEI_DATA_KEYS = [KEY_B, KEY_A]
    rotated = crypto.rotate(token)
    settings.ROUEI_DATA_KEYS = [KEY_B]
    assert rotated.startswith(crypto.SEALED_PREFIX) and crypto.decrypt(rotated) == NAME


def test_a_sealed_token_no_key_opens_is_a_decryption_error(keys, settings):
    token = crypto.seal(NAME)
    settings.ROUEI_DATA_KEYS = [KEY_B]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_decrypt_all_reads_sealed_and_fernet_tokens_under_any_key_in_order(keys, settings):
    old_sealed, old_fernet = crypto.seal("甲"), crypto.encrypt("乙")
    settings.ROUEI_DATA_KEYS = [KEY_B, KEY_A]
    assert crypto.decrypt_all([crypto.seal("丙"), old_sealed, old_fernet]) == ["丙", "甲", "乙"]


def test_decrypt_all_with_a_token_no_key_opens_is_a_decryption_error(keys, settings):
    tokens = [crypto.seal(NAME)]
    settings.ROUEI_DATA_KEYS = [KEY_B]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_all(tokens)


@given(key=st.binary(min_size=32, max_size=200), kind=st.sampled_from(["phone", "name_birth"]),
       value=st.text(max_size=80))
def test_the_import_s_blind_indexer_gives_the_blind_index(key, kind, value):
    # Keys longer than SHA-256's block (64 bytes) are hashed first, as HMAC does.
    assert crypto.blind_indexer(key)(kind, value) == crypto.blind_index(kind, value, key)
