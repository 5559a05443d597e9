"""Personal data encrypted at rest (保存時の暗号化): ``EncryptedTextField``.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from the ``cryptography`` package)
under ``settings.ROUEI_DATA_KEYS`` (see ``rouei.config.env.data_keys``): the first key encrypts,
every key decrypts (``MultiFernet``), so a key is rotated by putting a new one first, running
``rotate_field`` for each encrypted column, then dropping the old key. The database column holds
only the token (``gAAAA…``); an empty value stays empty (that a field is blank is not personal
data, and ``blank=True`` forms keep working).

A token no key can open (a wrong or missing key, a damaged row) does not crash the page that
reads it: the field's value is an ``Undecryptable`` placeholder that shows a clear message,
keeps the token, and is written back unchanged if the row is saved, so nothing is lost.
Encrypted columns cannot be searched or compared in SQL (each encryption is different); a
record that must be found by a value carries a blind index of it (``blind_index`` below).

``EncryptedJSONField`` is the same for JSON values (a timeline entry's or a note's earlier
versions, a scan report): the whole value is one token. ``encrypt_existing`` is the data
migration that encrypts the rows a column held in clear (batched; reversible), and
``rotate_all`` finds every column of both kinds. Which fields are encrypted, and why the others
are not, is the one list in docs/architecture.md (core/crypto).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterator
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models


class DecryptionError(Exception):
    """No configured key opens this value (wrong ``ROUEI_DATA_KEYS`` or a damaged row)."""

    code = "undecryptable"


class Undecryptable(str):
    """What an encrypted field holds when its token cannot be decrypted: renders as a clear
    message (never the token; pages show their own translated wording when ``failed``), and
    ``EncryptedTextField`` stores the original token again."""

    failed = True
    MESSAGE = "[cannot be decrypted: check ROUEI_DATA_KEYS]"

    def __new__(cls, token: str):
        obj = super().__new__(cls, cls.MESSAGE)
        obj.token = token
        return obj


@lru_cache(maxsize=1)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("ROUEI_DATA_KEYS is empty: no key to encrypt personal data")
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, UnicodeEncodeError):
        # The key itself is never put in the message.
        raise ImproperlyConfigured("ROUEI_DATA_KEYS holds a value that is not a Fernet key "
                                   "(32 bytes, URL-safe base64)") from None


def fernet() -> MultiFernet:
    keys = settings.ROUEI_DATA_KEYS
    if isinstance(keys, str):
        keys = keys.split(",")
    return _fernet(tuple(k.strip() for k in keys if k.strip()))


def _clear_cache(*, setting, **kwargs):
    if setting == "ROUEI_DATA_KEYS":
        _fernet.cache_clear()
        _aes_keys.cache_clear()
        _aeads.cache_clear()
    if setting == "ROUEI_INDEX_KEYS":
        _index_keys.cache_clear()


setting_changed.connect(_clear_cache)


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


# Sealed records (``seal``): AES-256-GCM, for the rows written by the million (the registry of
# affected people): a Fernet token costs ~18 µs, this ~2 µs. The AES key is derived from each
# ``ROUEI_DATA_KEYS`` key (HKDF-SHA256), so the same keys, order and rotation apply; the token is
# ``SEALED_PREFIX`` + URL-safe base64 of the 12-byte random nonce and the ciphertext with its tag.
# ``decrypt`` and ``rotate`` read both kinds, so an encrypted field may hold either.
SEALED_PREFIX = "r1."
_SEAL_INFO = b"rouei sealed record v1 (AES-256-GCM)"


@lru_cache(maxsize=1)
def _aes_keys(keys: tuple[str, ...]) -> tuple[bytes, ...]:
    _fernet(keys)  # the same checks and messages for a missing or malformed key
    return tuple(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_SEAL_INFO)
                 .derive(base64.urlsafe_b64decode(key.encode("ascii"))) for key in keys)


@lru_cache(maxsize=1)
def _aeads(keys: tuple[str, ...]) -> tuple[AESGCM, ...]:
    return tuple(AESGCM(key) for key in _aes_keys(keys))


def _data_keys() -> tuple[str, ...]:
    keys = settings.ROUEI_DATA_KEYS
    if isinstance(keys, str):
        keys = keys.split(",")
    return tuple(k.strip() for k in keys if k.strip())


def aeads() -> tuple[AESGCM, ...]:
    return _aeads(_data_keys())


def data_key() -> bytes:
    """The AES key ``seal`` uses (derived from the first data key): for a worker process of an
    import, started without the settings, to seal as this process would."""
    return _aes_keys(_data_keys())[0]


def seal(text: str, cipher: AESGCM | None = None) -> str:
    """``text`` encrypted under the first data key as a sealed token (see above). ``cipher``:
    ``aeads()[0]``, passed in by a caller that seals many (or by a worker process)."""
    nonce = os.urandom(12)
    sealed = (cipher or aeads()[0]).encrypt(nonce, text.encode("utf-8"), None)
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def _unseal(token: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(token[len(SEALED_PREFIX):].encode("ascii"))
    except (ValueError, UnicodeError):
        raise DecryptionError("no key in ROUEI_DATA_KEYS decrypts this value") from None
    for cipher in aeads():
        try:
            return cipher.decrypt(raw[:12], raw[12:], None).decode("utf-8")
        except (InvalidTag, ValueError, UnicodeError):
            continue
    raise DecryptionError("no key in ROUEI_DATA_KEYS decrypts this value")


def decrypt(token: str) -> str:
    """The plaintext of ``token``; ``DecryptionError`` when no key opens it."""
    if token.startswith(SEALED_PREFIX):
        return _unseal(token)
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise DecryptionError("no key in ROUEI_DATA_KEYS decrypts this value") from None


def decrypt_all(tokens: list[str]) -> list[str]:
    """``decrypt`` of each token (``DecryptionError`` when one does not open), the sealed ones
    with the keys looked up once: a batch of the registry's rows (the print data)."""
    ciphers = aeads()
    out = []
    for token in tokens:
        if not token.startswith(SEALED_PREFIX):
            out.append(decrypt(token))
            continue
        raw = base64.urlsafe_b64decode(token[len(SEALED_PREFIX):].encode("ascii"))
        try:  # the first key, as almost every row was sealed under it
            out.append(ciphers[0].decrypt(raw[:12], raw[12:], None).decode("utf-8"))
        except (InvalidTag, ValueError, UnicodeError):
            out.append(_unseal(token))  # the other keys, or the same error
    return out


def encrypt_bytes(data: bytes) -> bytes:
    """A Fernet token of ``data`` (a chunk of an uploaded file)."""
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken:
        raise DecryptionError("no key in ROUEI_DATA_KEYS decrypts this value") from None


def rotate(token: str) -> str:
    """``token`` re-encrypted under the first key (``DecryptionError`` if no key opens it), in
    the kind it was (a sealed token stays sealed)."""
    if token.startswith(SEALED_PREFIX):
        return seal(_unseal(token))
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise DecryptionError("no key in ROUEI_DATA_KEYS decrypts this value") from None


BATCH = 500  # rows read per query by the raw passes (rotation, migrations)


def _raw_rows(conn, model, field) -> Iterator[tuple[object, str]]:
    """(pk, stored text) of every row whose column is not empty, read with a plain cursor in
    batches of ``BATCH`` (ordered by pk, so a row updated meanwhile is not read twice)."""
    batch = BATCH
    qn = conn.ops.quote_name
    table, column, pk = (qn(model._meta.db_table), qn(field.column),
                         qn(model._meta.pk.column))
    last = None
    while True:
        after = "" if last is None else f" AND {pk} > %s"
        with conn.cursor() as cursor:
            # Names from the model's metadata, quoted by the backend; values as parameters.
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL AND "  # noqa: S608
                           f"{column} <> ''{after} ORDER BY {pk} LIMIT %s",
                           ([] if last is None else [last]) + [batch])
            rows = cursor.fetchall()
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1][0]


def _write_raw(conn, model, field, pk, value: str) -> None:
    qn = conn.ops.quote_name
    with conn.cursor() as cursor:
        cursor.execute(f"UPDATE {qn(model._meta.db_table)} SET {qn(field.column)} = %s "  # noqa: S608
                       f"WHERE {qn(model._meta.pk.column)} = %s", [value, pk])


def rotate_field(model: type[models.Model], name: str) -> int:
    """Re-encrypt one encrypted column of every row under the first key; returns the count.

    A key rotation is not a change of the data: it writes the stored tokens directly (no
    ``save``, no audit event, ``updated_at`` untouched, append-only models included). Raises
    ``DecryptionError`` on the first value no key opens, before that row is written (rows
    before it stay rotated: run it again once the key is back)."""
    from django.db import connections, router

    conn = connections[router.db_for_write(model)]
    field = model._meta.get_field(name)
    count = 0
    for pk, token in _raw_rows(conn, model, field):
        try:
            rotated = rotate(token)
        except DecryptionError:
            raise DecryptionError(f"{model._meta.label}.{name} of row {pk} cannot be "
                                  "decrypted") from None
        _write_raw(conn, model, field, pk, rotated)
        count += 1
    return count


def _opens(value: str) -> bool:
    try:
        decrypt(value)
    except DecryptionError:
        return False
    return True


def encrypt_existing(app_label: str, model_name: str, *names: str):
    """The data migration that encrypts what ``names`` of ``app_label.model_name`` held in
    clear (put it after the ``AlterField`` operations that make them encrypted fields). Read
    and written with a plain cursor in batches; a value that already opens is left alone, so
    it can be run again. Reversed, it decrypts them (the keys must be there) before the fields
    turn back."""
    from django.db import migrations

    def columns(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        return schema_editor.connection, model, [model._meta.get_field(n) for n in names]

    def forwards(apps, schema_editor):
        conn, model, fields = columns(apps, schema_editor)
        for field in fields:
            for pk, value in _raw_rows(conn, model, field):
                if not _opens(value):
                    _write_raw(conn, model, field, pk, encrypt(value))

    def backwards(apps, schema_editor):
        conn, model, fields = columns(apps, schema_editor)
        for field in fields:
            for pk, token in _raw_rows(conn, model, field):
                _write_raw(conn, model, field, pk, decrypt(token))
        _fire_deferred_checks(conn)

    return migrations.RunPython(forwards, backwards)


def _fire_deferred_checks(conn) -> None:
    """PostgreSQL refuses to ALTER a table with deferred constraint checks still pending from
    rows updated in the same transaction (the reversed migration turns the columns back right
    after decrypting): run those checks now."""
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def encrypted_columns() -> list[tuple[type[models.Model], str]]:
    """Every ``EncryptedTextField`` and ``EncryptedJSONField`` of every installed model, as
    (model, field name)."""
    from django.apps import apps

    return [(model, f.name) for model in apps.get_models() for f in model._meta.concrete_fields
            if isinstance(f, (EncryptedTextField, EncryptedJSONField))]


def rotate_all() -> dict[str, int]:
    """``rotate_field`` over every encrypted column: after it, the keys after the first can be
    retired. One audit event (``data_keys.rotate``, the counts per column) when it completes."""
    from django.db import transaction

    from rouei.core.audit import record_event

    counts = {f"{model._meta.label}.{name}": rotate_field(model, name)
              for model, name in encrypted_columns()}
    with transaction.atomic():
        record_event(actor=None, action="data_keys.rotate", details={"rows": counts})
    return counts


# Blind indexes: a keyed digest (HMAC-SHA256, truncated to 128 bits) of a normalised value,
# stored beside an encrypted record so that it can be found by that value without decrypting
# every record. The key (``ROUEI_INDEX_KEYS``) is not a data key: the digests of a phone number
# cannot be recomputed, or tested against guesses, from the database and the data keys alone.
BLIND_INDEX_BYTES = 16


@lru_cache(maxsize=4)
def _index_keys(keys: tuple[str, ...]) -> tuple[bytes, ...]:
    if not keys:
        raise ImproperlyConfigured("ROUEI_INDEX_KEYS is empty: no key for the blind indexes")
    try:
        decoded = tuple(base64.urlsafe_b64decode(k.encode("ascii")) for k in keys)
    except (ValueError, UnicodeEncodeError):
        raise ImproperlyConfigured("ROUEI_INDEX_KEYS holds a value that is not URL-safe "
                                   "base64") from None
    if any(len(k) < 32 for k in decoded):
        raise ImproperlyConfigured("ROUEI_INDEX_KEYS: each key must be at least 32 bytes")
    return decoded


def index_keys() -> tuple[bytes, ...]:
    """The blind-index keys, the current one first."""
    keys = settings.ROUEI_INDEX_KEYS
    if isinstance(keys, str):
        keys = keys.split(",")
    return _index_keys(tuple(k.strip() for k in keys if k.strip()))


def blind_index(kind: str, value: str, key: bytes | None = None) -> bytes:
    """The digest of an already normalised ``value`` of one ``kind`` (phone, email, …) under
    ``key`` (the current index key by default). The kind is part of the message, so equal
    strings of different kinds never share a digest."""
    key = index_keys()[0] if key is None else key
    message = f"{kind}\x1f{value}".encode()
    return hmac.digest(key, message, "sha256")[:BLIND_INDEX_BYTES]


def blind_indexes(kind: str, value: str, keys: tuple[bytes, ...] | None = None) -> list[bytes]:
    """The digests of ``value`` under every index key (``keys``: ``index_keys()``, passed in by
    a caller that computes many): what a look-up searches for while a re-index to a new key
    has not finished."""
    message = f"{kind}\x1f{value}".encode()
    return [hmac.digest(key, message, "sha256")[:BLIND_INDEX_BYTES]
            for key in (keys or index_keys())]


@lru_cache(maxsize=4)
def blind_indexer(key: bytes) -> Callable[[str, str], bytes]:
    """``blind_index`` under ``key``, for a caller that computes many without the compiled
    kernel (``_rowkeys``, which the import uses when it is built): the standard library's
    HMAC-SHA256 keyed once and copied for each message, not keyed again for every message as
    ``hmac.digest`` is."""
    keyed = hmac.new(key, digestmod=hashlib.sha256)

    def index(kind: str, value: str) -> bytes:
        mac = keyed.copy()
        mac.update(f"{kind}\x1f{value}".encode())
        return mac.digest()[:BLIND_INDEX_BYTES]

    return index


class _Raw(str):
    """A value already encrypted: ``get_prep_value`` passes it through."""


class EncryptedTextField(models.TextField):
    """Text encrypted at rest (Fernet under ``ROUEI_DATA_KEYS``); in Python it is plain text."""

    description = "Text (encrypted at rest)"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return decrypt(value)
        except DecryptionError:
            return Undecryptable(value)

    def to_python(self, value):
        if isinstance(value, Undecryptable) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value):
        if hasattr(value, "resolve_expression"):
            return value  # an expression (bulk_update's CASE): its values are prepared one by one
        if isinstance(value, Undecryptable):
            return value.token
        if isinstance(value, _Raw):
            return str(value)
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def get_db_prep_save(self, value, connection):
        return self.get_prep_value(value)


class UndecryptableList(list):
    """What an ``EncryptedJSONField`` holding a list shows when no key opens its token: empty,
    ``failed``, and written back unchanged if the row is saved. Actions that would build a new
    value from it (appending a revision) refuse instead (``refuse_undecryptable``)."""

    failed = True

    def __init__(self, token: str):
        super().__init__()
        self.token = token


class UndecryptableDict(dict):
    """``UndecryptableList`` for a field holding an object."""

    failed = True

    def __init__(self, token: str):
        super().__init__()
        self.token = token


def refuse_undecryptable(*values) -> None:
    """An ``ActionError`` when one of ``values`` could not be decrypted, so that an edit never
    replaces text no key opens (earlier versions included) with what the page showed instead."""
    if any(getattr(v, "failed", False) for v in values):
        from django.utils.translation import gettext as _

        from rouei.core.errors import ActionError

        raise ActionError(DecryptionError.code, _(
            "This record cannot be decrypted with the configured keys (ROUEI_DATA_KEYS), so it "
            "cannot be changed. Put the key that encrypted it back."), status=409)


class EncryptedJSONField(models.TextField):
    """A JSON value (list or object) encrypted at rest as one token; in Python it is the value.
    Like ``JSONField`` it stores what ``json.dumps`` accepts; unlike it, nothing inside can be
    queried in SQL."""

    description = "JSON (encrypted at rest)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None if value is None else value
        try:
            return json.loads(decrypt(value))
        except DecryptionError:
            default = self.get_default()
            return UndecryptableDict(value) if isinstance(default, dict) or default is None \
                else UndecryptableList(value)

    def to_python(self, value):
        if isinstance(value, str) and not getattr(value, "failed", False):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def get_prep_value(self, value):
        if hasattr(value, "resolve_expression"):
            return value  # an expression (bulk_update's CASE): its values are prepared one by one
        if isinstance(value, (UndecryptableList, UndecryptableDict)):
            return value.token
        if isinstance(value, _Raw):
            return str(value)
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False))

    def get_db_prep_save(self, value, connection):
        return self.get_prep_value(value)

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)
