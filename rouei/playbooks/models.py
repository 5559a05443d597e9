"""Playbooks (対応手順), their task templates, the tasks of each incident and calendar feeds.

Written only through ``actions.py`` (audited) and, inside the incident actions' own transaction,
``scheduling.py`` (tasks of a new incident, due dates moved by new facts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rouei.core.access import Role
from rouei.core.crypto import EncryptedTextField
from rouei.core.models import TimestampedModel
from rouei.incidents.models import Incident
from rouei.playbooks.choices import (
    OPEN_STATUSES,
    DueRule,
    PlaybookKind,
    TaskStatus,
    describe_rule,
)


def _english() -> bool:
    return not (get_language() or "ja").startswith("ja")


class Playbook(TimestampedModel):
    """The initial-response tasks for one kind of incident (data an administrator edits)."""

    kind = models.CharField(_("kind of incident"), max_length=32, choices=PlaybookKind.choices,
                            unique=True)
    name = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ("id",)
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.name_en if _english() and self.name_en else self.name

    @property
    def display_description(self) -> str:
        return self.description_en if _english() and self.description_en else self.description


class TaskTemplate(TimestampedModel):
    """One task of a playbook. ``key`` names the task across playbooks (``final_report`` is the
    same task in every playbook), so adding a second playbook's tasks adds only the missing."""

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="templates",
                                 verbose_name=_("playbook"))
    key = models.SlugField(_("key"), max_length=64)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    role = models.CharField(_("owner role"), max_length=20, choices=Role.choices)
    due_rule = models.CharField(_("due rule"), max_length=20, choices=DueRule.choices,
                                default=DueRule.NONE)
    due_offset_days = models.IntegerField(_("offset (days)"), default=0)

    class Meta:
        ordering = ("playbook", "order", "id")
        constraints = (models.UniqueConstraint(fields=["playbook", "key"],
                                               name="playbooks_template_unique_key"),)
        verbose_name = _("task template")
        verbose_name_plural = _("task templates")

    def __str__(self) -> str:
        return f"{self.playbook.kind}/{self.key}"

    @property
    def display_title(self) -> str:
        return self.title_en if _english() and self.title_en else self.title

    @property
    def rule_text(self) -> str:
        return describe_rule(self.due_rule, self.due_offset_days)


class Task(TimestampedModel):
    """A task of one incident, copied from a template (or entered by hand: no template).

    ``due_rule``/``due_offset_days`` are the template's rule as copied; the due date follows it
    when the deadlines move, unless someone set the date by hand (``due_overridden``, with the
    reason).
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks",
                                 verbose_name=_("incident"))
    template = models.ForeignKey(TaskTemplate, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="tasks",
                                 verbose_name=_("task template"))
    playbook_kind = models.CharField(_("from playbook"), max_length=32, blank=True,
                                     choices=PlaybookKind.choices)
    key = models.SlugField(_("key"), max_length=64, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    role = models.CharField(_("owner role"), max_length=20, choices=Role.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="incident_tasks",
                              verbose_name=_("owner"))
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices,
                              default=TaskStatus.TODO)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_rule = models.CharField(_("due rule"), max_length=20, choices=DueRule.choices,
                                default=DueRule.NONE)
    due_offset_days = models.IntegerField(_("offset (days)"), default=0)
    due_overridden = models.BooleanField(_("due date set by hand"), default=False)
    due_override_reason = EncryptedTextField(_("reason for the due date"), blank=True)
    # Why rouei marked it 不要 when the facts or the duties changed (cleared when reopened):
    # the reason in words, and its code (``proposals``: playbook, report, notice) so that rouei
    # reopens it when it applies again. Empty when a person marked it 不要.
    not_needed_code = models.CharField(_("set aside because"), max_length=20, blank=True)
    not_needed_reason = models.TextField(_("why it no longer applies"), blank=True)
    not_needed_reason_en = models.TextField(_("why it no longer applies (English)"),
                                            blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("completed by"))

    class Meta:
        ordering = ("incident", "order", "id")
        constraints = (
            # A playbook's task once per incident, however often the playbook is re-run.
            models.UniqueConstraint(fields=["incident", "key"], condition=~models.Q(key=""),
                                    name="playbooks_task_unique_key"),
        )
        indexes = (models.Index(fields=["incident", "status", "due_date"],
                                name="playbooks_task_open_due"),)
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.title}"

    @property
    def display_title(self) -> str:
        return self.title_en if _english() and self.title_en else self.title

    @property
    def rule_text(self) -> str:
        return describe_rule(self.due_rule, self.due_offset_days)

    @property
    def display_description(self) -> str:
        return self.description_en if _english() and self.description_en else self.description

    @property
    def display_not_needed_reason(self) -> str:
        if _english() and self.not_needed_reason_en:
            return self.not_needed_reason_en
        return self.not_needed_reason

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def follows_rule(self) -> bool:
        return self.due_rule != DueRule.NONE and not self.due_overridden


class CalendarFeed(models.Model):
    """A user's secret calendar address (ICS). Only the SHA-256 of the token is stored; a new
    token replaces the old one, whose address then answers 404."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed", verbose_name=_("user"))
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of user {self.user_id}"
