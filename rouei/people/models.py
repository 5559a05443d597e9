"""The registry of the people a leak affected (本人), held better than the data that leaked.

- ``Person``: what is needed to reach and recognise one person — name, reading, postal address,
  e-mail, phones, birth date, former names — sealed in one encrypted record; the catalogue ids
  of *their* items that leaked (never the values: a card number or a diagnosis is recorded as
  the item, not stored), confirmed or only possible, the controller they belong to, and where
  the notice stands.
- ``PersonKey``: blind indexes (``rouei.core.crypto.blind_index``) of the normalised values the
  registry is searched and merged by: phone, e-mail, name + birth date, reading + birth date,
  name + phone, name + e-mail, and the reference number (受付番号).
- ``RegistryKeyRules``: per incident, the version of the rules its blind indexes were built with.
- ``PersonEvent``: the person's history (imported, merged, notified, bounced, inquiry, …),
  without personal values.
- ``PeopleImport``: one import run, with its counts, rejected rows (row number and reason,
  never the row's values) and progress.
- ``NoticeSettings``: per incident, what every notice says beside the person's own items
  (sender, contact window, secondary damage so far, …; ``rouei.people.notices``).
- ``NoticeRun``: one e-mail send run (``rouei.people.mailer``), with its counts only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rouei.core.crypto import EncryptedJSONField, EncryptedTextField
from rouei.core.models import TimestampedModel


class NoticeStatus(models.TextChoices):
    """Where the notice to this person stands (法26条2項), in the cascade real cases use."""

    NOT_NOTIFIED = "not_notified", _("Not yet notified")
    EMAILED = "emailed", _("Notified by e-mail")
    EMAIL_BOUNCED = "email_bounced", _("E-mail bounced (letter queue)")
    LETTER_SENT = "letter_sent", _("Notified by letter")
    LETTER_RETURNED = "letter_returned", _("Letter returned (addressee unknown)")
    UNREACHABLE = "unreachable", _("Cannot be reached (substitute measure)")


class KeyKind(models.TextChoices):
    REF = "ref", _("Reference number")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    NAME_BIRTH = "name_birth", _("Name and birth date")
    KANA_BIRTH = "kana_birth", _("Reading and birth date")
    NAME_PHONE = "name_phone", _("Name and phone")
    NAME_EMAIL = "name_email", _("Name and e-mail")
    NAME_ADDRESS = "name_address", _("Name and address")
    NAME_PLACE = "name_place", _("Name and address without the room")


class Person(TimestampedModel):
    # No foreign key in the database: PostgreSQL checks one per row at commit (a query each),
    # which cost an import of 100,000 people a third of a second of PostgreSQL's time, 8 % of
    # it (docs/benchmarks.md, session 15). Every writer names an incident it has read (an
    # import holds its row locked until it commits); Django deletes an incident's people with
    # it, as it does their keys (``PersonKey``).
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="people", db_constraint=False)
    # JSON of ``rouei.people.registry.PersonRecord`` (name, kana, postal code, address, e-mail,
    # phones, birth date, former names, reference number), encrypted as one token.
    sealed = EncryptedTextField()
    items = models.JSONField(_("leaked items"), default=list)  # catalogue ids, sorted
    confirmed = models.BooleanField(_("confirmed"), default=False)
    controller = models.CharField(_("controller"), max_length=200, blank=True)
    # Which channels exist (not the values): the notice cascade and the print data use them.
    has_email = models.BooleanField(default=False)
    has_postal = models.BooleanField(default=False)
    notice_status = models.CharField(_("notice"), max_length=20, choices=NoticeStatus.choices,
                                     default=NoticeStatus.NOT_NOTIFIED)

    class Meta:
        verbose_name = _("affected person")
        indexes = (models.Index(fields=("incident", "notice_status")),)

    def record(self):
        return Person.record_from(self.sealed)

    @staticmethod
    def record_from(sealed: str):
        """The ``PersonRecord`` of a ``sealed`` value as the field reads it (decrypted): what
        ``record`` gives, for a reader that takes only that column (the print data)."""
        from rouei.people.registry import PersonRecord

        return PersonRecord.from_json(sealed)

    def __str__(self) -> str:  # never the name: str() ends up in logs and admin lists
        return f"Person {self.pk}"


class PersonIdIndex(models.Index):
    """An index of the person a key belongs to: a BRIN on PostgreSQL, a B-tree elsewhere.

    A person's keys are written together (an import COPYs a batch's people and their keys at
    once, a re-index a run of people in id order), so the rows of neighbouring ids lie on
    neighbouring pages, and a summary of each 128 pages finds them (deleting a person's keys,
    re-indexing a run of people). A B-tree of ``person_id`` cost PostgreSQL a third of the
    keys' write (docs/benchmarks.md, "Session 12: the import's database side"); the look-up
    never uses it (the primary key serves it)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            using = " USING brin"
        return super().create_sql(model, schema_editor, using=using, **kwargs)


def digest_prefix(digest: bytes) -> int:
    """A blind index's first 8 bytes as a signed 64-bit integer (big-endian): what the key
    table's primary key holds of the digest (``PersonKey``)."""
    return int.from_bytes(bytes(digest[:8]), "big", signed=True)


class PersonKeyManager(models.Manager):
    """``bulk_create`` fills each key's ``digest_prefix`` from its digest (the re-index and
    the ORM's writers give kind, digest and person as before)."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for key in objs:
            key.digest_prefix = digest_prefix(key.digest)
        return super().bulk_create(objs, *args, **kwargs)


class PersonKey(models.Model):
    """One blind index of one person. Written in bulk (about nine rows a person, ten million
    people), so the table is kept narrow: no surrogate id (the look-up columns are the primary
    key, so one index serves both), no index of its own on ``incident`` (the key's first
    column), ``person`` summarised by a BRIN on PostgreSQL (``PersonIdIndex``), and no database
    foreign keys: PostgreSQL checks those row by row at commit, which cost an import as much as
    writing the rows. Django still deletes a person's keys with the person (and an incident's
    with the incident), and every writer writes a person and its keys in one transaction
    (docs/benchmarks.md, "Session 10: the import").

    The primary key is (incident, the digest's first 8 bytes as a bigint, person): a third
    narrower than (incident, kind, digest, person), and cheaper for PostgreSQL to keep in an
    import (docs/benchmarks.md, "Session 17: the key table's primary key on the digest's first
    8 bytes"). ``kind`` is not needed in it: the digest is an HMAC of ``kind \x1f value``, so
    keys of different kinds do not share digests. The full digest and the kind stay in the
    row: every read by a digest tests the full digest there too (``services._find_sql``,
    ``bulk.find_keys``), so two values whose digests share their first 8 bytes (a digest
    looked up in a registry of 90 million keys meets another's first 8 bytes with a chance of
    ~5·10⁻¹²) never find each other's people."""

    pk = models.CompositePrimaryKey("incident_id", "digest_prefix", "person_id")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="keys",
                               db_constraint=False, db_index=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="+", db_constraint=False, db_index=False)
    kind = models.CharField(max_length=12, choices=KeyKind.choices)
    digest = models.BinaryField(max_length=16)
    digest_prefix = models.BigIntegerField()  # ``digest_prefix(digest)``: set when saved

    objects = PersonKeyManager()

    class Meta:
        indexes = (PersonIdIndex(fields=("person",), name="people_key_person"),)
        constraints = (
            # A reference number is unique in its incident (the window finds one person by it).
            models.UniqueConstraint(fields=["incident", "digest"],
                                    condition=models.Q(kind="ref"),
                                    name="people_key_ref_unique"),
        )

    def __str__(self) -> str:
        return f"{self.kind} key of person {self.person_id}"

    def save(self, *args, **kwargs):
        self.digest_prefix = digest_prefix(self.digest)
        super().save(*args, **kwargs)


class RegistryKeyRules(models.Model):
    """The version of the look-up key rules (``registry.LOOKUP_RULES_VERSION``) an incident's
    blind indexes were built with: keys built under other rules are not found by a caller's
    look-up, so the window warns until ``rouei people reindex``. An incident without a row
    was indexed before versions were recorded (``FIRST_LOOKUP_RULES_VERSION``). The address
    normaliser (``ROUEI_ADDRESS_NORMALISER``: rules, library, off) is part of the rules: keys
    built under one are not found by the queries of another."""

    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE,
                                    related_name="+")
    version = models.PositiveSmallIntegerField()
    # ``registry.current_address_normaliser()`` when the keys were built.
    address_normaliser = models.CharField(max_length=16, default="rules")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Look-up key rules {self.version} of incident {self.incident_id}"


class EventKind(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    MERGED = "merged", _("Merged with a re-imported record")
    EMAILED = "emailed", _("Notice e-mailed")
    EMAIL_BOUNCED = "email_bounced", _("E-mail bounced")
    LETTER_PRINTED = "letter_printed", _("Letter printed (PDF)")
    LETTER_SENT = "letter_sent", _("Letter sent")
    LETTER_RETURNED = "letter_returned", _("Letter returned")
    MARKED_UNREACHABLE = "unreachable", _("No channel reached the person (substitute measure)")
    INQUIRY = "inquiry", _("Inquiry at the window")
    REQUEST = "request", _("Request from the person")
    CLAIM = "claim", _("Compensation claim")


class PersonEvent(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    details = models.JSONField(default=dict)  # ids, counts, channel: never a personal value

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.kind} of person {self.person_id}"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Waiting for confirmation")
    CANCELLED = "cancelled", _("Cancelled")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Stopped (nothing imported)")


class PeopleImport(TimestampedModel):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="people_imports")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("source"), max_length=20)  # "file" or "scan"
    # With source "scan": the scan whose report names the table, and the table's position in
    # the report's files (``rouei.people.from_scan``).
    scan = models.ForeignKey("scans.EvidenceScan", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    scan_table = models.PositiveIntegerField(null=True, blank=True)
    on_error = models.CharField(max_length=4, default="stop")  # "stop" or "skip"
    status = models.CharField(max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.PREVIEWED)
    # The uploaded file while it waits for the worker: encrypted chunks in the data directory,
    # removed when the import ends (``rouei.people.uploads``).
    upload_path = models.CharField(max_length=500, blank=True)
    bytes_total = models.BigIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    rows_done = models.BigIntegerField(default=0)
    result = models.JSONField(default=dict)  # rows, imported, merged, rejected, people
    error = models.CharField(max_length=500, blank=True)  # a reason, never a value
    # The preview: header → item, and the first rows masked (a masked value is still a piece of
    # someone's data: encrypted like the rest).
    mapping = EncryptedJSONField(default=dict)

    class Meta:
        ordering = ("-created_at", "-id")

    @property
    def percent(self) -> int:
        if not self.bytes_total:
            return 0
        return min(100, int(self.bytes_done * 100 / self.bytes_total))

    def __str__(self) -> str:
        return f"People import {self.pk}"


class InquiryCategory(models.TextChoices):
    """What callers ask (notices-and-victims.md §4)."""

    AM_I_AFFECTED = "am_i_affected", _("Am I affected?")
    WHAT_LEAKED = "what_leaked", _("What of mine leaked?")
    NO_LETTER = "no_letter", _("No letter received")
    CARD = "card", _("Card: cancel or reissue")
    SUSPICIOUS_CONTACT = "suspicious_contact", _("Suspicious call, mail or SMS")
    COMPENSATION = "compensation", _("Compensation")
    REQUEST = "request", _("Disclosure, deletion or other request")
    COMPLAINT = "complaint", _("Complaint")
    OTHER = "other", _("Other")


class Inquiry(models.Model):
    """One call or message at the contact window (問い合わせ記録). ``person`` only when the caller
    was verified; what was said is free text about people, encrypted."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="inquiries")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="inquiries")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    category = models.CharField(_("category"), max_length=20, choices=InquiryCategory.choices)
    answer = EncryptedTextField(_("what was answered"), blank=True)
    escalated = models.BooleanField(_("escalated"), default=False)
    callback_due = models.DateField(_("call back by"), null=True, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=("incident", "category")),)

    def __str__(self) -> str:
        return f"Inquiry {self.pk}"


class SecondaryDamage(models.TextChoices):
    """二次被害 (規則8条1項5号, 10条): "none confirmed so far" is a finding, "unknown" is not."""

    UNKNOWN = "unknown", _("Not known yet (under investigation)")
    NONE_CONFIRMED = "none_confirmed", _("None confirmed so far")
    OCCURRED = "occurred", _("Secondary damage has occurred")


class NoticeSettings(TimestampedModel):
    """What the notice to each person says beside their own items (法26条2項, 規則10条): the
    sender, the contact window, and the incident's words for what happened, the cause, the
    secondary damage so far and the measures. Empty texts fall back to the incident's title,
    summary and facts (``rouei.people.notices``)."""

    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE,
                                    related_name="notice_settings")
    sender_name = models.CharField(_("sender (company name)"), max_length=200, blank=True)
    from_address = models.EmailField(_("sender e-mail address"), blank=True)
    subject = models.CharField(_("e-mail subject"), max_length=200, blank=True)
    window_name = models.CharField(_("contact window name"), max_length=200, blank=True)
    window_phone = models.CharField(_("contact window phone"), max_length=40, blank=True)
    window_hours = models.CharField(_("contact window hours"), max_length=200, blank=True)
    what_happened = models.TextField(_("what happened"), blank=True)
    cause = models.TextField(_("cause (summary)"), blank=True)
    secondary_damage = models.CharField(_("secondary damage so far"), max_length=20,
                                        choices=SecondaryDamage.choices,
                                        default=SecondaryDamage.UNKNOWN)
    secondary_damage_text = models.TextField(_("secondary damage (details)"), blank=True)
    measures = models.TextField(_("what we did and will do"), blank=True)
    compensation = models.TextField(_("compensation (if any)"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("notice settings")

    def __str__(self) -> str:
        return f"Notice settings of incident {self.incident_id}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Sending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Stopped")


class NoticeRun(TimestampedModel):
    """One run of e-mail notices: who started it and the counts (never an address)."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="notice_runs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=10, default="email")
    limit = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    sent = models.PositiveIntegerField(default=0)
    bounced = models.PositiveIntegerField(default=0)
    deferred = models.PositiveIntegerField(default=0)  # temporary failures left for a re-run
    error = models.CharField(max_length=500, blank=True)  # a reason, never a value
    # The run is split into this many tasks (``ROUEI_NOTICE_SEND_TASKS``), each sending to its
    # share of the people at its share of the rate, on whichever workers take them.
    parts = models.PositiveSmallIntegerField(default=1)
    parts_done = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Notice run {self.pk}"


class CompensationMode(models.TextChoices):
    """How the incident compensates (notices-and-victims.md §5): no compensation is a normal,
    explainable choice; otherwise automatically with the letter or on a claim."""

    NONE = "none", _("No compensation")
    AUTOMATIC = "automatic", _("Sent with the notice to everyone eligible")
    CLAIM = "claim", _("On a claim with the letter's reference number, by a deadline")


class CompensationForm(models.TextChoices):
    VOUCHER = "voucher", _("Gift voucher")
    EMONEY = "emoney", _("E-money or points code")
    DONATION = "donation", _("Donation in the person's name")
    CASH = "cash", _("Bank transfer")


class CompensationPolicy(TimestampedModel):
    """The incident's compensation policy (お詫び・見舞金). The APPI has none: claims are civil
    damages (民法709条), and a voucher counts as part payment, so every payout is recorded."""

    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE,
                                    related_name="compensation_policy")
    mode = models.CharField(_("compensation"), max_length=10, choices=CompensationMode.choices,
                            default=CompensationMode.NONE)
    amount_confirmed = models.PositiveIntegerField(_("amount for a confirmed person (yen)"),
                                                   default=0)
    amount_possible = models.PositiveIntegerField(
        _("amount for a possibly affected person (yen)"), default=0,
        help_text=_("0: only people whose data is confirmed to have leaked are eligible."))
    # item id → amount in yen for a person whose items include it (e.g. card data): the person
    # gets the largest amount that applies to them.
    item_amounts = models.JSONField(_("amounts by class of data"), default=dict, blank=True)
    form = models.CharField(_("form"), max_length=10, choices=CompensationForm.choices,
                            default=CompensationForm.VOUCHER)
    non_monetary = models.TextField(_("non-monetary measures"), blank=True)
    claim_deadline = models.DateField(_("claims accepted until"), null=True, blank=True)
    # The public claim form's address: random, so that it says nothing about the incident.
    public_token = models.CharField(max_length=32, unique=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("compensation policy")

    def __str__(self) -> str:
        return f"Compensation policy of incident {self.incident_id}"


class ClaimChannel(models.TextChoices):
    FORM = "form", _("Public claim form")
    WINDOW = "window", _("Contact window or bulk file")
    AUTOMATIC = "automatic", _("Automatic with the notice")


class Claim(models.Model):
    """One claim decided (補償の申請), accepted or refused; an accepted one is a payout of
    ``amount`` yen in ``form``. A refused claim from someone not in the registry has no person
    (and nothing personal)."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="claims")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="claims")
    at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=10, choices=ClaimChannel.choices)
    accepted = models.BooleanField()
    code = models.CharField(max_length=30)
    amount = models.PositiveIntegerField(default=0)
    form = models.CharField(max_length=10, choices=CompensationForm.choices, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=("incident", "accepted")),)
        constraints = (
            # A person is paid once, whatever the channel (the database refuses a second one).
            models.UniqueConstraint(fields=("person",), condition=models.Q(accepted=True),
                                    name="people_one_payout_per_person"),
        )

    def __str__(self) -> str:
        return f"Claim {self.pk}"


class RequestKind(models.TextChoices):
    """Requests a person may make about their retained personal data (保有個人データ)."""

    DISCLOSURE = "disclosure", _("Disclosure (APPI Art. 33)")
    CORRECTION = "correction", _("Correction, addition or deletion of wrong data (Art. 34)")
    STOP_USE = "stop_use", _("Stop of use or erasure (Art. 35(1), (5))")
    STOP_PROVISION = "stop_provision", _("Stop of provision to third parties (Art. 35(3), (5))")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFIED = "verified", _("Identity verified")
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused (reason given)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PersonRequest(TimestampedModel):
    """A request from an individual (開示等の請求, 法33–35条): received through the window or in
    writing, the identity verification, the due date, the outcome and the reply. The law says
    "without delay" (遅滞なく) and fixes no number of days: the due date is rouei's target
    (``ROUEI_REQUEST_DUE_DAYS``), and the page says so."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="person_requests")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="requests")
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    channel = models.CharField(_("received by"), max_length=20,
                               choices=[("window", _("Contact window")),
                                        ("letter", _("Letter")), ("form", _("Form")),
                                        ("email", _("E-mail"))])
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due by"))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.RECEIVED)
    identity_method = models.CharField(_("how the identity was verified"), max_length=200,
                                       blank=True)
    details = EncryptedTextField(_("what is asked"), blank=True)
    outcome = EncryptedTextField(_("outcome and reply"), blank=True)
    replied_on = models.DateField(_("reply sent on"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("due_on", "id")
        indexes = (models.Index(fields=("incident", "status")),)

    def __str__(self) -> str:
        return f"Request {self.pk}"


class ScriptVersion(models.Model):
    """One saved version of the contact window's talk script and FAQ (``rouei.people.window``):
    the questions and answers as the publishers adapted them, frozen (a new edit is a new
    version), with its SHA-256 in the audit event. Encrypted: the answers are free text."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="script_versions")
    number = models.PositiveIntegerField()
    entries = EncryptedJSONField()  # [{"q": …, "a": …}]
    note = EncryptedTextField(_("what changed"), blank=True)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("-number",)
        constraints = (models.UniqueConstraint(fields=("incident", "number"),
                                               name="one_script_version_number"),)

    def __str__(self) -> str:
        return f"Script version {self.number} of incident {self.incident_id}"
