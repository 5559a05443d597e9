"""Django settings for rouei, read from the environment (see env.py and README.md).

- ``ROUEI_SECRET_KEY``: if unset, a key is generated once and kept in the data directory (0600).
- ``ROUEI_DEBUG``: off unless set to 1/true/yes/on. Never on in production.
- ``ROUEI_ALLOWED_HOSTS``: comma-separated; default localhost only.
- ``ROUEI_DATA_DIR``: default ``var/`` in the checkout (or the cwd); holds db.sqlite3 and the key.
  Kept at 0700, the database file (and its -wal/-shm) and the key files at 0600.
- ``ROUEI_DB_BUSY_TIMEOUT``: seconds a SQLite write waits for another's lock (default 30).
- ``ROUEI_HTTPS``: set behind TLS to mark cookies Secure and send HSTS.
- ``DATABASE_URL``: PostgreSQL (``postgres://…``) when set; a SQLite file otherwise.
- ``ROUEI_DB_PREPARED``: ``0`` turns off prepared statements on PostgreSQL (``rouei.core.prepared``;
  for a pooler in transaction mode that cannot keep them); on by default.
- ``ROUEI_EVIDENCE_DIR``: the evidence store; default ``evidence/`` in the data directory.
- ``ROUEI_EVIDENCE_MAX_BYTES``: the largest evidence upload in bytes; default 2 GiB.
- ``ROUEI_SCAN_MAX_SECONDS`` / ``ROUEI_SCAN_MAX_MEMORY_MB``: the budget of one evidence scan
  (default 3600 s and 4096 MB of the worker's memory; 0: none); past it the scan stops with
  what it found, marked partial.
- ``ROUEI_REQUIRE_MFA``: two-factor sign-in required for every page; on unless ``ROUEI_DEBUG``.
- ``ROUEI_TRUSTED_PROXIES``: comma-separated addresses/networks of the reverse proxies in front
  (e.g. ``127.0.0.1``); only from them is ``X-Forwarded-For`` believed (accounts/client.py).
- ``ROUEI_DATA_KEYS``: comma-separated Fernet keys for personal data at rest (first encrypts, all
  decrypt: put a new key first to rotate); if unset, one is generated and kept in the data dir.
- ``ROUEI_AUDIT_KEYS``: comma-separated keys that sign the audit trail (HMAC-SHA256; the first
  signs, all verify); if unset, one is generated and kept in the data dir (``audit_keys``).
- ``ROUEI_AUDIT_CHECKPOINTS``: the file the audit trail's signed checkpoints are appended to;
  default ``audit-checkpoints.jsonl`` in the data dir.
- ``ROUEI_AUDIT_SYSLOG``: also send every checkpoint to syslog: ``local`` (or 1/true: the local
  syslog socket) or ``HOST:PORT`` (UDP).
- ``ROUEI_AUDIT_S3_BUCKET``: also put every checkpoint into this S3 bucket (AWS S3, MinIO, any
  S3-compatible store; extra ``rouei[s3]``), one object each, never overwritten;
  ``ROUEI_AUDIT_S3_PREFIX``, ``_ENDPOINT_URL``, ``_REGION``, ``_LOCK_MODE``/``_LOCK_DAYS`` (S3
  Object Lock retention); credentials from boto3's chain (``AWS_ACCESS_KEY_ID``…, a role).
- ``ROUEI_TASKS_REDIS_URL``: background tasks on Redis (RQ workers, extra ``rouei[redis]``)
  instead of the database table; ``ROUEI_TASKS_BACKEND`` names any other tasks backend class.
- ``ROUEI_EMAIL_HOST``/``_PORT``/``_USER``/``_PASSWORD``/``_TLS`` (STARTTLS) /``_SSL``: the SMTP
  server the notices to affected people go through (default localhost:25, no TLS).
- ``ROUEI_NOTICE_EMAILS_PER_MINUTE``: the send-rate limit of notices (default 60).
- ``ROUEI_NOTICE_SEND_TASKS``: how many tasks one send run is split into (default 1), so that
  several workers (on several machines) share a run and its rate.
- ``ROUEI_NOTICE_TEMPLATES_DIR``: a folder of notice templates that override the shipped ones
  (``rouei/people/notice_templates/``), file by file.
- ``ROUEI_TEMPLATES_DIR``: a folder of document templates that override the built-in ones file
  by file (``documents/<kind>/document.jinja``, ``reference.docx``; see env.templates_dir and
  docs/document-templates.md).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from rouei.config import env

PACKAGE_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = env.private_dir(env.data_dir(os.environ))  # 0700

SECRET_KEY = env.secret_key(os.environ, DATA_DIR)
ROUEI_DATA_KEYS = env.data_keys(os.environ, DATA_DIR)  # rouei.core.crypto
ROUEI_INDEX_KEYS = env.index_keys(os.environ, DATA_DIR)  # rouei.core.crypto.blind_index
ROUEI_AUDIT_KEYS = env.audit_keys(os.environ, DATA_DIR)  # rouei.core.audit_keys
# The file the audit keys were read from (rotate_audit_key adds to it); None: ROUEI_AUDIT_KEYS.
ROUEI_AUDIT_KEY_FILE = (None if env.listing(os.environ, "ROUEI_AUDIT_KEYS", [])
                        else DATA_DIR / env.AUDIT_KEYS_FILE)
ROUEI_AUDIT_CHECKPOINT_FILE = env.audit_checkpoints(os.environ, DATA_DIR)  # core.checkpoints
ROUEI_AUDIT_SYSLOG = (os.environ.get("ROUEI_AUDIT_SYSLOG") or "").strip()
ROUEI_AUDIT_S3 = env.audit_s3(os.environ)  # rouei.core.checkpoint_s3; None: no object storage
DEBUG = env.flag(os.environ, "ROUEI_DEBUG")
ALLOWED_HOSTS = env.listing(os.environ, "ROUEI_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    # Before django.contrib.auth: its `createsuperuser` (which validates the password in the
    # --noinput form too) replaces Django's.
    "rouei.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "rouei.core",
    "rouei.ui",
    "rouei.assessments",
    "rouei.incidents",
    "rouei.playbooks",
    "rouei.evidence",
    "rouei.api",
    "rouei.scans",
    "rouei.intake",
    "rouei.estimates",
    "rouei.people",
    "rouei.prevention",
    "rouei.documents",
    "rouei.workers",
    "ninja",  # its bundled Swagger UI for /api/v1/docs (otherwise ninja loads it from a CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rouei.config.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rouei.config.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rouei.accounts.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The incident membership (user, incident, role) that rouei.core.access reads: core names it
# here instead of importing the incident app, as AUTH_USER_MODEL names the user model.
ROUEI_MEMBERSHIP_MODEL = "incidents.Membership"

ROOT_URLCONF = "rouei.config.urls"
WSGI_APPLICATION = "rouei.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = env.databases(os.environ, DATA_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first: new and upgraded passwords use it; the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Spaces only, one piece repeated, abcdef…/123456…/keyboard rows, the user name twice.
    {"NAME": "rouei.accounts.passwords.WeakPatternValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assessments:assess"
LOGOUT_REDIRECT_URL = "login"

# Two-factor sign-in (rouei/accounts): with ROUEI_REQUIRE_MFA on (the default unless
# ROUEI_DEBUG), no page past the sign-in opens without a verified TOTP code. Failed codes count
# towards rouei's own lockout (accounts/throttle.py), so django-otp's per-device back-off is off.
ROUEI_REQUIRE_MFA = env.flag(os.environ, "ROUEI_REQUIRE_MFA", default=not DEBUG)
OTP_TOTP_ISSUER = "rouei"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The reverse proxies whose X-Forwarded-For names the client (lockout, audit trail); empty: the
# header is ignored and the direct peer is the client (rouei.accounts.client.client_address).
ROUEI_TRUSTED_PROXIES = env.listing(os.environ, "ROUEI_TRUSTED_PROXIES", [])

# Japanese first; English when the user switches (the choice lives in a cookie, see middleware).
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- security --------------------------------------------------------------------------------
HTTPS = env.flag(os.environ, "ROUEI_HTTPS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

# --- evidence (rouei/evidence): content-addressed blobs, written once, read-only -------------
# Evidence uploads stream straight into the store's tmp/ folder while being hashed (the
# evidence upload handler), never into memory; other uploads keep Django's defaults (files
# over FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file on disk).
ROUEI_EVIDENCE_DIR = Path(os.environ.get("ROUEI_EVIDENCE_DIR", "").strip()
                          or DATA_DIR / "evidence").expanduser()
ROUEI_EVIDENCE_MAX_BYTES = int(os.environ.get("ROUEI_EVIDENCE_MAX_BYTES", "").strip()
                               or 2 * 1024**3)  # 2 GiB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, stated: larger files go to disk
# One scan's budget (rouei/scans/jobs.py): a scan past it stops, keeping what it found; with
# at most one running scan per incident, no upload holds the workers for long (issue 15).
ROUEI_SCAN_MAX_SECONDS = float(os.environ.get("ROUEI_SCAN_MAX_SECONDS", "").strip() or 3600)
ROUEI_SCAN_MAX_MEMORY_MB = float(os.environ.get("ROUEI_SCAN_MAX_MEMORY_MB", "").strip() or 4096)

# Complaints and alerts before an incident (rouei/intake): this many similar ones not yet in an
# incident raise the warning; "similar" only within this many days of each other.
ROUEI_SIGNAL_WARNING_THRESHOLD = int(os.environ.get("ROUEI_SIGNAL_WARNING_THRESHOLD", "").strip()
                                     or 3)
ROUEI_SIGNAL_SIMILARITY_DAYS = int(os.environ.get("ROUEI_SIGNAL_SIMILARITY_DAYS", "").strip()
                                   or 90)

# --- logging: one line per event; never request bodies, headers or form data -----------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Replaces Django's defaults (which include mailing request details to ADMINS).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"handlers": ["console"], "level": "WARNING",
                               "propagate": False},  # SQL parameters can hold personal data
        "rouei": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Background work (scans, document rendering, mass mailing) runs on Django's tasks API. By
# default the queue is a table in this database and `rouei worker` (started by `rouei serve`)
# runs it, so no extra server is needed; a deployment that outgrows one machine sets
# ROUEI_TASKS_REDIS_URL and runs `rouei worker` (an RQ worker then) on as many machines as needed.
TASKS, _task_apps, RQ_QUEUES = env.tasks(os.environ)
CACHES = env.caches(os.environ, DATA_DIR)
# rouei's target for answering a request from an individual (the law: "without delay").
ROUEI_REQUEST_DUE_DAYS = int((os.environ.get("ROUEI_REQUEST_DUE_DAYS") or "14").strip())
# Notice letters as one PDF are for small batches; above this many people, the print vendor's
# data (`rouei people print-data`).
ROUEI_LETTER_PDF_MAX = int((os.environ.get("ROUEI_LETTER_PDF_MAX") or "1000").strip())
# Look-ups and claim checks per API token (rouei.api.people), e.g. "120/min".
# The print vendor's data: decrypted by one process per core (at most ROUEI_PRINT_PROCESSES,
# 0: as many as there are cores) from this many people on.
ROUEI_PRINT_PARALLEL_FROM = int((os.environ.get("ROUEI_PRINT_PARALLEL_FROM") or "20000").strip())
ROUEI_PRINT_PROCESSES = int((os.environ.get("ROUEI_PRINT_PROCESSES") or "0").strip())
ROUEI_PEOPLE_API_RATE = (os.environ.get("ROUEI_PEOPLE_API_RATE") or "").strip() or "120/min"
INSTALLED_APPS += _task_apps

# --- notices to affected people (rouei/people/mailer.py, notices.py) ------------------------
# The notices go out through SMTP; the SMTP backend is built from these settings directly, so
# EMAIL_BACKEND (Django's own mail) stays free for anything else.
EMAIL_HOST = os.environ.get("ROUEI_EMAIL_HOST", "").strip() or "localhost"
EMAIL_PORT = int(os.environ.get("ROUEI_EMAIL_PORT", "").strip() or 25)
EMAIL_HOST_USER = os.environ.get("ROUEI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ROUEI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env.flag(os.environ, "ROUEI_EMAIL_TLS")
EMAIL_USE_SSL = env.flag(os.environ, "ROUEI_EMAIL_SSL")
EMAIL_TIMEOUT = 30
ROUEI_NOTICE_EMAILS_PER_MINUTE = int(os.environ.get("ROUEI_NOTICE_EMAILS_PER_MINUTE", "")
                                     .strip() or 60)
ROUEI_NOTICE_SEND_TASKS = max(1, int(os.environ.get("ROUEI_NOTICE_SEND_TASKS", "").strip() or 1))
ROUEI_NOTICE_TEMPLATES_DIR = (os.environ.get("ROUEI_NOTICE_TEMPLATES_DIR", "").strip() or None)
ROUEI_TEMPLATES_DIR = env.templates_dir(os.environ)  # rouei.documents.templating
