"""Audit checkpoints in object storage (S3 API: AWS S3, MinIO, S3-compatible stores).

Each checkpoint becomes one object, ``<prefix><sequence, 20 digits>-<UTC time>-<reason>.json``,
so a listing comes back in sequence order and the object of one checkpoint is never the object
of another. An object is never overwritten: it is put with ``If-None-Match: *`` (the store
refuses if the key exists); a store that does not know conditional writes (HTTP 501) gets a
``HEAD`` first instead, which is not atomic but still refuses a key already taken. Where the
bucket has S3 Object Lock, each object carries a retention (``ROUEI_AUDIT_S3_LOCK_MODE``
GOVERNANCE or COMPLIANCE, for ``ROUEI_AUDIT_S3_LOCK_DAYS``), so that nobody (COMPLIANCE), or
only who holds the bypass permission (GOVERNANCE), can delete or replace it before then.

Configured by ``settings.ROUEI_AUDIT_S3`` (``rouei.config.env.audit_s3``); credentials come
from boto3's own chain. boto3 is the optional extra ``rouei[s3]``; configured without it, the
sink says so (``S3NotInstalled``) and ``rouei.core.checkpoints`` records the sink as failing.
``rouei audit verify --checkpoints-from s3`` reads the objects back (``S3Sink.entries``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from rouei.core import checkpoints

READ_THREADS = 8


class S3NotInstalled(ImproperlyConfigured):
    pass


class S3ObjectExists(Exception):
    """The key of a new checkpoint is taken: the store refused to overwrite it."""


def configuration() -> dict:
    config = getattr(settings, "ROUEI_AUDIT_S3", None)
    if not config:
        raise ImproperlyConfigured("object storage for audit checkpoints is not configured "
                                   "(ROUEI_AUDIT_S3_BUCKET)")
    return config


def location(config: dict) -> str:
    where = f"s3://{config['bucket']}/{config['prefix']}"
    return f"{where} at {config['endpoint_url']}" if config.get("endpoint_url") else where


def object_key(prefix: str, checkpoint: checkpoints.Checkpoint) -> str:
    stamp = checkpoint.at_time.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{prefix}{checkpoint.sequence:020d}-{stamp}-{checkpoint.reason}.json"


def _client(config: dict):
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise S3NotInstalled("ROUEI_AUDIT_S3_BUCKET is set but boto3 is not installed: "
                             "install the extra rouei[s3] (uv sync --extra s3, or "
                             "pip install 'rouei[s3]')") from None
    # Short timeouts: a checkpoint is written after a request's commit, which waits for it.
    # Checksums only where the API requires them: several S3-compatible stores reject the
    # CRC32 headers newer boto3 adds to every upload (we send Content-MD5 ourselves).
    return boto3.client("s3", endpoint_url=config.get("endpoint_url"),
                        region_name=config.get("region"),
                        config=Config(connect_timeout=5, read_timeout=10,
                                      retries={"max_attempts": 3, "mode": "standard"},
                                      request_checksum_calculation="when_required",
                                      response_checksum_validation="when_required"))


def _error_code(exc: Exception) -> tuple[str, int]:
    response = getattr(exc, "response", None) or {}
    return (str(response.get("Error", {}).get("Code", "")),
            int(response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0))


class S3Sink:
    """A checkpoint sink (``name``, ``write(line)``) and source (``entries``) on a bucket."""

    def __init__(self, config: dict | None = None):
        self.config = dict(config or configuration())
        self.bucket = self.config["bucket"]
        self.prefix = self.config["prefix"]
        self.name = location(self.config)
        self.label = self.name  # as a source of checkpoints for rouei audit verify
        self.client = _client(self.config)
        self._locked: bool | None = None  # whether the bucket has Object Lock (asked once)
        self._conditional = True  # whether the store honours If-None-Match

    # --- writing --------------------------------------------------------------------------
    def object_lock(self) -> bool:
        if self._locked is None:
            try:
                answer = self.client.get_object_lock_configuration(Bucket=self.bucket)
                enabled = answer.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled")
                self._locked = enabled == "Enabled"
            except Exception as exc:
                code, status = _error_code(exc)
                if not code and not status:
                    raise  # not an answer from the store (network): ask again next time
                # No configuration, no permission to read it, or a store without the API.
                self._locked = False
        return self._locked

    def write(self, line: str) -> str:
        """Put the checkpoint ``line`` as a new object; its key. ``S3ObjectExists`` if taken."""
        checkpoint = checkpoints.parse(line)
        key = object_key(self.prefix, checkpoint)
        body = (line.rstrip("\n") + "\n").encode("utf-8")
        put = {"Bucket": self.bucket, "Key": key, "Body": body,
               "ContentType": "application/json",
               "ContentMD5": base64.b64encode(hashlib.md5(body).digest()).decode("ascii")}  # noqa: S324 — an integrity check the S3 API asks for
        if self.object_lock():
            put["ObjectLockMode"] = self.config["lock_mode"]
            put["ObjectLockRetainUntilDate"] = (dt.datetime.now(dt.UTC)
                                                + dt.timedelta(days=self.config["lock_days"]))
        if self._conditional:
            try:
                self.client.put_object(IfNoneMatch="*", **put)
                return key
            except Exception as exc:
                code, status = _error_code(exc)
                if status == 412 or code in {"PreconditionFailed", "ConditionalRequestConflict"}:
                    raise S3ObjectExists(key) from None
                if status != 501 and code != "NotImplemented":
                    raise
                self._conditional = False  # an older store: check first, then put
        if self._exists(key):
            raise S3ObjectExists(key)
        self.client.put_object(**put)
        return key

    def _exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except Exception as exc:
            code, status = _error_code(exc)
            if status == 404 or code in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True

    # --- reading (rouei audit verify --checkpoints-from s3) -------------------------------
    def keys(self) -> list[str]:
        out = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                          Prefix=self.prefix):
            out += [item["Key"] for item in page.get("Contents", ())]
        return sorted(out)

    def exists(self) -> bool:
        answer = self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1)
        return bool(answer.get("KeyCount") or answer.get("Contents"))

    def _read(self, key: str) -> tuple[str, checkpoints.Checkpoint | None]:
        place = f"s3://{self.bucket}/{key}"
        body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        lines = [text for text in body.decode("utf-8", errors="replace").splitlines()
                 if text.strip()]
        if len(lines) != 1:
            return place, None
        try:
            checkpoint = checkpoints.parse(lines[0])
        except checkpoints.NotACheckpoint:
            return place, None
        if key != object_key(self.prefix, checkpoint):
            return place, None  # an object renamed or put under another checkpoint's key
        return place, checkpoint

    def entries(self) -> list[tuple[str, checkpoints.Checkpoint | None]]:
        """(where, checkpoint or ``None`` for an object that is not one) in key order."""
        keys = self.keys()
        with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
            return list(pool.map(self._read, keys))
