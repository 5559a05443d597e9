"""The incident workspace's records. Written only through ``actions.py`` (audited)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from rouei.core.access import Role
from rouei.core.crypto import EncryptedJSONField, EncryptedTextField
from rouei.core.models import TimestampedModel
from rouei.domain.assessment import Assessment
from rouei.domain.facts import Facts, parse_facts
from rouei.incidents.choices import ReportChannel, ReportKind, Status, TimelineKind


class Incident(TimestampedModel):
    """A case (事案). ``version`` counts saved changes to its facts: a form carries the version it
    was loaded at, and a save from an out-of-date form is refused (optimistic concurrency)."""

    title = models.CharField(_("title"), max_length=200)
    summary = EncryptedTextField(_("summary"), blank=True)
    organisation = models.CharField(_("responsible organisation"), max_length=200, blank=True)
    # Kept equal to the latest facts' ``vendor_involved`` (None: unknown).
    vendor_involved = models.BooleanField(_("vendor (委託先) involved"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices,
                              default=Status.DETECTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.title

    def latest_facts(self) -> FactsVersion | None:
        if "_read_latest" in self.__dict__:
            return self._read_latest[0]
        return self.facts_versions.order_by("-number").first()

    def latest_snapshot(self) -> AssessmentSnapshot | None:
        if "_read_latest" in self.__dict__:
            return self._read_latest[1]
        return self.snapshots.order_by("-id").first()

    def hold_latest(self, facts: FactsVersion | None, snapshot: AssessmentSnapshot | None):
        """For a page that only reads: the latest facts and assessment it has fetched, which
        ``latest_facts`` and ``latest_snapshot`` then answer for this object (the incident
        page's cards asked for them six times per view). Never on an object that is written
        through afterwards."""
        self._read_latest = (facts, snapshot)

    def filed_kinds(self) -> frozenset[str]:
        """The kinds of report recorded as filed (a deadline is closed by these alone)."""
        return frozenset(self.filed_reports.values_list("kind", flat=True))


class Membership(TimestampedModel):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="incident_memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (models.UniqueConstraint(fields=["user", "incident"],
                                               name="incidents_membership_unique_user"),)
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class FactsVersion(models.Model):
    """One saved state of the facts (``Facts.to_dict()``): who, when, what changed."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE,
                                 related_name="facts_versions")
    number = models.PositiveIntegerField(_("version"))
    facts = models.JSONField(_("facts"), default=dict)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    # [{"key": …, "before": …, "after": …}] against the previous version
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        ordering = ("incident", "number")
        constraints = (models.UniqueConstraint(fields=["incident", "number"],
                                               name="incidents_factsversion_unique_number"),)

    def __str__(self) -> str:
        return f"{self.incident_id} v{self.number}"

    def as_facts(self) -> Facts:
        return parse_facts(dict(self.facts))


class AssessmentSnapshot(models.Model):
    """The domain's assessment of one facts version, stored as computed, so the record shows
    what the rules said then: one language-neutral ``Assessment.to_record()``, read back as the
    domain's own ``Assessment`` (``snapshot.assessment``) and put in words when shown."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="snapshots")
    facts_version = models.ForeignKey(FactsVersion, on_delete=models.CASCADE,
                                      related_name="snapshots")
    record = models.JSONField(_("assessment"))  # assess(...).to_record()
    report_required = models.BooleanField(null=True)
    notify_required = models.BooleanField(null=True)
    preliminary_report_due = models.DateField(null=True, blank=True)  # end of the 3–5 day guide
    final_report_due = models.DateField(null=True, blank=True)
    triggers = models.JSONField(default=list)
    rules_version = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("incident", "id")

    def __str__(self) -> str:
        return f"{self.incident_id} assessment of v{self.facts_version_id}"

    @cached_property
    def assessment(self) -> Assessment:
        return Assessment.from_record(self.record)


class TimelineEvent(TimestampedModel):
    """An entry of the case's chronology; ``at`` is when it happened (aware, stored UTC)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("kind"), max_length=20, choices=TimelineKind.choices)
    at = models.DateTimeField(_("when"))
    text = EncryptedTextField(_("what happened"))
    # For entries the system writes (duty changes): {"messages": [{"ja": …, "en": …}, …]};
    # a status change's messages hold the note and the reason typed with it: encrypted.
    data = EncryptedJSONField(default=dict, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    edited_reason = EncryptedTextField(_("reason for the last edit"), blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", null=True, blank=True)
    # Earlier states, oldest first: [{"kind", "at", "text", "replaced_at", "replaced_by",
    # "reason"}]: an edit never loses what the entry said before.
    revisions = EncryptedJSONField(default=list, blank=True)

    class Meta:
        ordering = ("at", "id")
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    @property
    def good_news(self) -> bool:
        """A duty change entry that only says a duty went away (shown as relief)."""
        from rouei.incidents.duty_changes import all_good_news

        messages = self.data.get("messages") if self.data else None
        return self.kind == TimelineKind.DUTY_CHANGE and bool(messages) and all_good_news(
            [m.get("code", "") for m in messages])

    def text_in(self, lang: str) -> str:
        messages = self.data.get("messages") if self.data else None
        if lang != "ja" and messages:
            return "\n".join(m.get(lang) or m["ja"] for m in messages)
        return self.text


class FiledReport(TimestampedModel):
    """A report recorded as filed (提出記録): one row per filing, so a 追完 is a row of its own.
    Append-only like evidence: written by ``do_record_filed_report``, never edited; a wrong
    record is corrected by a note on a new one. The documents app builds the reports' text and
    keeps this record as the proof of filing."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE,
                                 related_name="filed_reports")
    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    filed_at = models.DateTimeField(_("filed at"))
    channel = models.CharField(_("channel"), max_length=20, choices=ReportChannel.choices)
    receipt_number = models.CharField(_("receipt number (受付番号)"), max_length=100,
                                      blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("filed by"))
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ("incident", "filed_at", "id")
        verbose_name = _("filed report")
        verbose_name_plural = _("filed reports")

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.filed_at:%Y-%m-%d %H:%M}"
