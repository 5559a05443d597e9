"""Every write of the signals app: ``do_<verb>_<noun>(…, *, actor)``.

Each action checks the actor's permission, runs in one transaction and records exactly one
``signal.*`` audit event. Opening an incident also goes through the incident app's own actions
(``do_create_incident`` and ``do_add_timeline_event``, each with its own audit event), so the
incident's trail tells the same story as for any other incident. Audit states leave out the
encrypted fields (an audit row is never erased; a digest of a name can be guessed back), and
details hold ids and codes only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rouei.core.access import Need, require_role
from rouei.core.audit import record_event, state
from rouei.core.dates import FUTURE_DATE, future_date_message, in_future
from rouei.core.errors import ActionError
from rouei.domain.items import ITEMS
from rouei.incidents import actions as incident_actions
from rouei.incidents.choices import TimelineKind
from rouei.intake import permissions
from rouei.intake.choices import MANUAL_STATUSES, Channel, SignalKind, SignalStatus
from rouei.intake.models import Signal, SignalGroup

# What the audit digests cover: everything but the encrypted personal data.
AUDITED_FIELDS = ("kind", "received_at", "channel", "subject", "reference", "sender_name",
                  "sender_contact", "items", "status", "dismissed_reason", "group", "incident")
ENCRYPTED_FIELDS = ("suspicion_reason", "origin_reason", "complainant_name",
                    "complainant_contact", "notes")
EDITABLE_FIELDS = ("kind", "received_at", "channel", "subject", "reference", "sender_name",
                   "sender_contact", "items", *ENCRYPTED_FIELDS)


def _require(actor, perm: str) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(perm):
        raise PermissionDenied(f"needs the {perm} permission")


def _clean(values: dict) -> dict:
    out = {}
    for name, value in values.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"not an editable field of a signal: {name}")
        if name == "items":
            value = list(dict.fromkeys(value or ()))
            unknown = [item for item in value if item not in ITEMS]
            if unknown:
                raise ActionError("unknown_item", _("Unknown data item."))
        elif name == "received_at":
            if value is None or timezone.is_naive(value):
                raise ActionError("naive_datetime", "received_at must be timezone-aware")
            if in_future(value):
                raise ActionError(FUTURE_DATE, future_date_message(_("Received at")))
        elif name in ("kind", "channel"):
            value = (SignalKind if name == "kind" else Channel)(value).value
        else:
            value = (value or "").strip()
        out[name] = value
    if "subject" in out and not out["subject"]:
        raise ActionError("empty_subject", _("Give the signal a subject."))
    return out


def do_record_signal(*, subject: str, received_at: dt.datetime | None = None,
                     kind: str = SignalKind.COMPLAINT, channel: str = Channel.PHONE,
                     actor, **hearing) -> Signal:
    """Record a complaint, alert or report with the hearing items of response-practice.md §9."""
    _require(actor, permissions.ADD)
    values = _clean({"subject": subject, "kind": kind, "channel": channel,
                     "received_at": received_at or timezone.now(), **hearing})
    with transaction.atomic():
        signal = Signal.objects.create(**values, created_by=actor)
        record_event(actor=actor, action="signal.create", obj=signal,
                     after=state(signal, AUDITED_FIELDS),
                     details={"signal_id": signal.pk, "kind": signal.kind,
                              "channel": signal.channel})
    return signal


def do_update_signal(signal: Signal, changes: dict, *, actor) -> Signal:
    """Correct the record; returns it unchanged (and records nothing) when nothing changed."""
    _require(actor, permissions.CHANGE)
    values = _clean(changes)
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        changed = [name for name, value in values.items() if getattr(signal, name) != value]
        if not changed:
            return signal
        before = state(signal, AUDITED_FIELDS)
        for name in changed:
            setattr(signal, name, values[name])
        signal.save()
        record_event(actor=actor, action="signal.update", obj=signal,
                     incident_id=signal.incident_id, before=before,
                     after=state(signal, AUDITED_FIELDS),
                     details={"signal_id": signal.pk, "changed": changed})
    return signal


def do_change_signal_status(signal: Signal, status: str, *, reason: str = "",
                            actor) -> Signal:
    """受付 ⇄ 調査中, or 対応不要 with a reason. インシデント化 comes only from opening or joining
    an incident; a signal tied to an incident keeps that status."""
    _require(actor, permissions.CHANGE)
    status = SignalStatus(status)
    if status not in MANUAL_STATUSES:
        raise ActionError("system_status", _("This status is set by opening or joining an "
                                             "incident."))
    reason = (reason or "").strip()
    if status == SignalStatus.DISMISSED and not reason:
        raise ActionError("reason_required", _("Give the reason no action is needed."))
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        if signal.incident_id is not None:
            raise ActionError("has_incident", _("This signal is already part of an incident."))
        if signal.status == status:
            raise ActionError("same_status", _("The signal already has this status."))
        before = state(signal, AUDITED_FIELDS)
        old = signal.status
        signal.status = status
        signal.dismissed_reason = reason if status == SignalStatus.DISMISSED else ""
        signal.save(update_fields=["status", "dismissed_reason", "updated_at"])
        record_event(actor=actor, action="signal.status", obj=signal, before=before,
                     after=state(signal, AUDITED_FIELDS),
                     details={"signal_id": signal.pk, "from": old, "to": status.value})
    return signal


def _merge_groups(signals: Sequence[Signal], actor) -> SignalGroup:
    """One group for ``signals``: the oldest group among them (others merged into it) or new."""
    group_ids = sorted({s.group_id for s in signals if s.group_id is not None})
    if group_ids:
        group = SignalGroup.objects.get(pk=group_ids[0])
        Signal.objects.filter(group_id__in=group_ids[1:]).update(group=group,
                                                                 updated_at=timezone.now())
    else:
        group = SignalGroup.objects.create(created_by=actor)
    Signal.objects.filter(pk__in=[s.pk for s in signals]).update(group=group,
                                                                 updated_at=timezone.now())
    return group


def do_link_signals(signal: Signal, others: Iterable[Signal], *, actor) -> SignalGroup:
    """Link ``signal`` with ``others`` as being about the same thing (their groups merge)."""
    _require(actor, permissions.CHANGE)
    with transaction.atomic():
        ids = {signal.pk, *(o.pk for o in others)}
        rows = list(Signal.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        if len(rows) < 2:
            raise ActionError("nothing_to_link", _("Choose another signal to link."))
        before_groups = sorted({r.group_id for r in rows if r.group_id is not None})
        group = _merge_groups(rows, actor)
        record_event(actor=actor, action="signal.link", obj=group,
                     details={"signal_ids": [r.pk for r in rows], "group_id": group.pk,
                              "merged_groups": before_groups})
    return group


def do_view_signal(signal: Signal, *, reveal: bool = False, actor) -> None:
    """Record that ``actor`` opened the signal's page (``signal.view``), or asked to see its
    personal data unmasked (``signal.reveal``): showing a value is an audited action."""
    _require(actor, permissions.VIEW)
    with transaction.atomic():
        record_event(actor=actor, action="signal.reveal" if reveal else "signal.view",
                     obj=signal, incident_id=signal.incident_id,
                     details={"signal_id": signal.pk})


def _timeline_text(signal: Signal) -> str:
    """The incident's timeline line for a signal, in Japanese (the record's language) and
    without the complainant's personal data."""
    with translation.override("ja"):
        items = "、".join(ITEMS[i].label_ja for i in signal.items if i in ITEMS)
        text = _("%(kind)s received (%(channel)s): %(subject)s") % {
            "kind": signal.get_kind_display(), "channel": signal.get_channel_display(),
            "subject": signal.subject}
        if signal.sender_name:
            text += " " + _("Sender: %(sender)s.") % {"sender": signal.sender_name}
        if items:
            text += " " + _("Data items: %(items)s.") % {"items": items}
        text += " " + _("(signal #%(id)s)") % {"id": signal.pk}
    return text


def _attach(incident, signals: Sequence[Signal], actor) -> None:
    for signal in signals:
        incident_actions.do_add_timeline_event(
            incident, kind=TimelineKind.DETECTED, at=signal.received_at,
            text=_timeline_text(signal), actor=actor)
        signal.incident = incident
        signal.status = SignalStatus.INCIDENT
        signal.dismissed_reason = ""
        signal.save(update_fields=["incident", "status", "dismissed_reason", "updated_at"])


def _gather(signals: Iterable[Signal]) -> list[Signal]:
    """The signals given plus the other members of their groups, locked, oldest first; those
    already tied to an incident are left out."""
    ids = {s.pk for s in signals}
    groups = set(Signal.objects.filter(pk__in=ids, group__isnull=False)
                 .values_list("group_id", flat=True))
    rows = (Signal.objects.select_for_update()
            .filter(Q(pk__in=ids) | Q(group_id__in=groups)).order_by("received_at", "pk"))
    return [s for s in rows if s.incident_id is None]


def _title(signals: Sequence[Signal]) -> str:
    first = signals[0]
    if len(signals) == 1:
        return first.subject[:200]
    with translation.override("ja"):
        suffix = _("(from %(count)s similar signals)") % {"count": len(signals)}
    return f"{first.subject[:200 - len(suffix) - 1]} {suffix}"


def _summary(signals: Sequence[Signal]) -> str:
    with translation.override("ja"):
        lines = [_("Opened from these signals (complaints, alerts, reports):")]
    lines += [f"- {timezone.localtime(s.received_at):%Y-%m-%d %H:%M} {_timeline_text(s)}"
              for s in signals]
    return "\n".join(lines)


def _claim(signals: Iterable[Signal], actor) -> tuple[list[Signal], SignalGroup | None]:
    """The signals to tie to an incident (with the rest of their groups; none already in one),
    linked into one group; refused if there are none."""
    rows = _gather(signals)
    if not rows:
        raise ActionError("has_incident", _("These signals are already part of an incident."))
    return rows, (_merge_groups(rows, actor) if len(rows) > 1 else None)


def _tie(incident, rows: Sequence[Signal], group: SignalGroup | None, action: str,
         actor) -> None:
    """Link ``rows`` to ``incident`` with their timeline entries, and the one audit event."""
    _attach(incident, rows, actor)
    record_event(actor=actor, action=action, obj=incident, incident_id=incident.pk,
                 details={"signal_ids": [s.pk for s in rows],
                          "group_id": group.pk if group else None})


def do_open_incident(signals: Sequence[Signal], *, actor):
    """Open an incident from ``signals`` in one step: the actor becomes its lead, the title and
    summary come from the signals, the facts start with the data items they name, every signal
    given (and every other one of their groups) is linked into one group and to the incident,
    and each gets a 検知 timeline entry. Signals already in an incident are left as they are."""
    _require(actor, permissions.CHANGE)
    with transaction.atomic():
        rows, group = _claim(signals, actor)
        items = list(dict.fromkeys(i for s in rows for i in s.items if i in ITEMS))
        incident = incident_actions.do_create_incident(
            title=_title(rows), summary=_summary(rows),
            facts={"items": items} if items else None, actor=actor)
        _tie(incident, rows, group, "signal.open_incident", actor)
    return incident


def do_join_incident(signals: Sequence[Signal], incident, *, actor):
    """Tie ``signals`` (and the rest of their groups) to an existing incident the actor may
    edit, with a 検知 timeline entry for each."""
    _require(actor, permissions.CHANGE)
    with transaction.atomic():
        require_role(actor, incident, Need.EDIT)
        rows, group = _claim(signals, actor)
        _tie(incident, rows, group, "signal.join_incident", actor)
    return incident


def do_set_intake_member(user, member: bool, *, actor) -> bool:
    """Put ``user`` in the 受付窓口 / intake group (sees and records signals) or take them out;
    an access change, so audited (``signal.intake_add`` / ``signal.intake_remove``). Returns
    whether anything changed. ``actor`` None: an administrator at the command line."""
    group = permissions.ensure_intake_group()
    with transaction.atomic():
        if group.user_set.filter(pk=user.pk).exists() == member:
            return False
        (group.user_set.add if member else group.user_set.remove)(user)
        record_event(actor=actor, action="signal.intake_add" if member else "signal.intake_remove",
                     obj=user, details={"user_id": user.pk})
    return True
