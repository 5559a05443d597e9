"""Apps plug into the incident here. An incident-scoped app (evidence, tasks, scans, and the
registry, documents and readiness to come) registers one ``IncidentApp`` in its
``AppConfig.ready``; the incident page, the incident menu, the URLs, the audit page and the
incident's own actions loop over the registrations and name no app.

- ``slug`` and ``urls``: the module's ``incident_urlpatterns`` are served under
  ``/incidents/<incident_id>/<slug>/`` and its ``urlpatterns`` (if any) under ``/<prefix>/``
  (``prefix`` defaults to ``slug``), both in the namespace ``namespace``
  (``rouei.config.urls``).
- ``menu``: entries of the incident menu, ``(label, url name, need)``; ``nav``: entries of the
  top bar ``(label, url name, permission or None)``.
- ``cards``: sections of the incident page, ``Card(template, context, order)``; ``context``
  gets ``(request, incident)`` and returns the template's context, or ``None`` to show nothing.
  A card with a ``key`` is kept as HTML until its key changes (``Card.key``, ``Card.reads``).
- ``audit_actions``: the audit page's names for the app's action codes.
- ``on_incident_created``, ``on_facts_changed``, ``on_member_removed`` (and
  ``preview_member_removal`` for the confirmation page): what the app does when
  the incident app announces these (inside the announcing action's transaction; see
  ``announce``). A reaction returns a ``Reaction``: lines for the timeline entry of the change
  and ids for its audit event, so that one change stays one audit event.

``core`` imports no app: registrations arrive from the apps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Card:
    template: str
    context: Callable[..., dict | None]
    order: int = 50
    # Where on the incident page: "top" under the status, "assessment" after the assessment,
    # "body" after the timeline.
    slot: str = "body"
    # Optional: a kept card. ``key(request, incident)`` → a hashable value that changes
    # whenever what the card shows changes (``None``: build it this time); the card's HTML is
    # kept per incident, language and abilities until it does, and neither ``context`` nor the
    # template runs. The CSRF token of its forms is put in per view. Only for a card whose
    # ``context`` has no effect of its own (no audited read).
    key: Callable[..., Any] | None = None
    # The incident's relations the key reads with ``rouei.core.fingerprints.fingerprint``: the
    # page reads those of every card in one query before the first card.
    reads: tuple[str, ...] = ()
    # The users whose names the card shows, as ``"relation.field"`` (``fingerprints.
    # user_names``): read with the page's in one query.
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class MenuEntry:
    label: Any  # a lazy translation
    url_name: str  # reversed with the incident's id
    need: str = "view"
    here: str = ""  # the ``here`` value of the pages that entry stands for


@dataclass(frozen=True)
class NavEntry:
    label: Any
    url_name: str
    permission: str | None = None
    order: int = 50


@dataclass
class Reaction:
    """What an app did in reply to an announcement: lines for the timeline entry that records
    the change (``{"ja", "en"}``), details (ids, counts) for the audit event of the announcing
    action, and notices for the person who acted (shown once on the next page)."""

    timeline_lines: list[dict] = field(default_factory=list)
    audit_details: dict[str, Any] = field(default_factory=dict)
    notices: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class IncidentApp:
    label: str  # the Django app label
    slug: str = ""  # "" for the incident app itself: /incidents/<incident_id>/
    urls: str | None = None
    namespace: str | None = None
    prefix: str | None = None
    menu: tuple[MenuEntry, ...] = ()
    nav: tuple[NavEntry, ...] = ()
    cards: tuple[Card, ...] = ()
    audit_actions: Mapping[str, Any] = field(default_factory=dict)
    on_incident_created: Callable[..., Reaction | None] | None = None
    on_facts_changed: Callable[..., Reaction | None] | None = None
    on_member_removed: Callable[..., Reaction | None] | None = None
    # What removing a member will do, for the confirmation page: ``(incident, user)`` → lines.
    preview_member_removal: Callable[..., list] | None = None
    # What this app knows of a case's open duties before it is closed (issue 11, guard rail 1):
    # ``(incident)`` → keyword arguments of ``rouei.domain.duties.open_duties``.
    duty_inputs: Callable[..., dict] | None = None


_APPS: dict[str, IncidentApp] = {}


def register(app: IncidentApp) -> None:
    """From an ``AppConfig.ready``: once per app (a second registration replaces the first,
    as Django may call ``ready`` again in tests)."""
    _APPS[app.label] = app


def registered() -> list[IncidentApp]:
    return list(_APPS.values())


def cards(slot: str) -> list[Card]:
    return sorted((c for app in _APPS.values() for c in app.cards if c.slot == slot),
                  key=lambda c: c.order)


def card_reads() -> tuple[str, ...]:
    """Every relation a card's key reads (``Card.reads``), once each."""
    return tuple(sorted({name for app in _APPS.values() for c in app.cards for name in c.reads}))


def card_names() -> tuple[str, ...]:
    """Every user pointer a card's key reads (``Card.names``), once each."""
    return tuple(sorted({name for app in _APPS.values() for c in app.cards for name in c.names}))


def menu() -> list[MenuEntry]:
    return [entry for app in _APPS.values() for entry in app.menu]


def nav() -> list[NavEntry]:
    return sorted((n for app in _APPS.values() for n in app.nav), key=lambda n: n.order)


def audit_actions() -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for app in _APPS.values():
        labels.update(app.audit_actions)
    return labels


def announce(event: str, **kwargs) -> Reaction:
    """Call every app's ``on_<event>`` with ``kwargs`` and merge their reactions (in the order
    the apps were registered: INSTALLED_APPS)."""
    merged = Reaction()
    for app in _APPS.values():
        hook = getattr(app, f"on_{event}")
        if hook is None:
            continue
        reaction = hook(**kwargs)
        if reaction is not None:
            merged.timeline_lines.extend(reaction.timeline_lines)
            merged.audit_details.update(reaction.audit_details)
            merged.notices.extend(reaction.notices)
    return merged


def preview_member_removal(incident, user) -> list:
    return [line for app in _APPS.values() if app.preview_member_removal
            for line in app.preview_member_removal(incident=incident, user=user)]


def duty_inputs(incident) -> dict:
    """Every app's part of the inputs of ``rouei.domain.duties.open_duties`` for ``incident``."""
    merged: dict = {}
    for app in _APPS.values():
        if app.duty_inputs:
            merged.update(app.duty_inputs(incident=incident))
    return merged
