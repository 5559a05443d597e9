"""The task pages of an incident, the deadline dashboard, the calendar feed and the playbooks.

An incident's pages go through the one door, ``rouei.core.views.incident_view``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from rouei.core.access import Need, role_allows
from rouei.core.errors import ActionError
from rouei.core.views import READ, READ_WRITE, incident_view, render_incident
from rouei.playbooks import actions, feed, scheduling, services
from rouei.playbooks.forms import (
    PlaybookForm,
    PlaybookTasksForm,
    TaskForm,
    TaskTemplateFormSet,
)
from rouei.playbooks.models import Playbook, Task
from rouei.ui.lang import current_lang

TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _tasks_url(incident, anchor: str = "") -> str:
    url = reverse("playbooks:tasks", args=[incident.pk])
    return f"{url}#{anchor}" if anchor else url


def _task(incident, task_pk) -> Task:
    return get_object_or_404(Task.objects.select_related("incident"), pk=task_pk,
                             incident=incident)


# --- an incident's tasks ------------------------------------------------------------------

@incident_view()
def task_list(request, incident):
    lang = current_lang()
    suggested = scheduling.suggested_playbook(incident)
    playbooks = list(Playbook.objects.all())
    manage = role_allows(incident.member_role, Need.MANAGE)
    return render_incident(
        request, "playbooks/tasks.html", incident,
        groups=services.grouped(incident, lang),
        suggested=suggested, proposals=scheduling.proposed_templates(incident),
        playbook_form=PlaybookTasksForm(
            playbooks=playbooks, initial={"playbook": suggested.kind if suggested else None})
        if manage and playbooks else None,
    )


@incident_view(write=Need.MANAGE, methods=("POST",))
def task_add_from_playbook(request, incident):
    form = PlaybookTasksForm(request.POST, playbooks=Playbook.objects.all())
    if not form.is_valid():
        messages.error(request, _("Choose a playbook."))
        return redirect(_tasks_url(incident))
    playbook = Playbook.objects.get(kind=form.cleaned_data["playbook"])
    created = actions.do_create_tasks_from_playbook(incident, playbook, actor=request.user)
    if created:
        messages.success(request, ngettext(
            "%(count)s task added from the playbook “%(name)s”.",
            "%(count)s tasks added from the playbook “%(name)s”.", len(created))
            % {"count": len(created), "name": playbook.display_name})
    else:
        messages.info(request, _("The incident already has every task of “%(name)s”.")
                      % {"name": playbook.display_name})
    return redirect(_tasks_url(incident))


@incident_view(write=Need.MANAGE, methods=("POST",))
def task_add_proposed(request, incident):
    """One proposed task (``key``) or all of them (no key)."""
    key = request.POST.get("key", "").strip()
    created = actions.do_add_proposed_tasks(incident, [key] if key else None,
                                            actor=request.user)
    if created:
        messages.success(request, ngettext("%(count)s proposed task added.",
                                           "%(count)s proposed tasks added.", len(created))
                         % {"count": len(created)})
    else:
        messages.info(request, _("That task is no longer proposed: someone added it already."))
    back = request.POST.get("back")
    if back == "detail":
        return redirect(reverse("incidents:detail", args=[incident.pk]) + "#tasks")
    return redirect(_tasks_url(incident, f"task-{created[0].pk}" if created else ""))


@incident_view(methods=READ_WRITE)
def task_edit(request, incident, task_pk):
    task = _task(incident, task_pk)
    can_edit = role_allows(incident.member_role, Need.EDIT)
    members = list(incident.memberships.select_related("user").order_by("created_at", "id"))
    form = None
    if can_edit:
        form = TaskForm(request.POST or None, members=members, task=task, initial={
            "status": task.status, "owner": task.owner_id, "due_date": task.due_date,
            "due_reason": task.due_override_reason})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            users = {m.user_id: m.user for m in members}
            try:
                actions.do_update_task(
                    task, status=data["status"], owner=users.get(data["owner"]),
                    due_date=data["due_date"], due_reason=data["due_reason"],
                    follow_rule=data.get("follow_rule", False), actor=request.user)
            except ActionError as exc:
                field = {"reason_required": "due_reason", "owner_not_member": "owner"}.get(
                    exc.code)
                form.add_error(field, exc.message)
            else:
                messages.success(request, _("Task saved."))
                return redirect(_tasks_url(incident, f"task-{task.pk}"))
    [task] = services.decorate([task], current_lang())
    return render_incident(request, "playbooks/task_edit.html", incident, task=task, form=form,
                 rule_date=scheduling.rule_due_date(task), note_max=actions.NOTE_MAX)


@incident_view(methods=("POST",))
def task_complete(request, incident, task_pk):
    task = _task(incident, task_pk)
    note = request.POST.get("note", "")[:actions.NOTE_MAX]
    try:
        actions.do_complete_task(task, note=note, actor=request.user)
    except ActionError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, _("Task “%(title)s” completed.")
                         % {"title": task.display_title})
    if request.POST.get("back") == "detail":
        return redirect(reverse("incidents:detail", args=[incident.pk]) + "#tasks")
    return redirect(_tasks_url(incident, f"task-{task.pk}"))


# --- the dashboard and the calendar ---------------------------------------------------------

def _feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("playbooks:calendar", args=[token]))


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dashboard(request):
    """GET: the deadlines. POST ``feed=issue|revoke``: a new calendar address (shown once, on
    this answer only) or none."""
    new_feed_url = None
    if request.method == "POST":
        if request.POST.get("feed") == "issue":
            token = actions.do_issue_calendar_feed(request.user, actor=request.user)
            new_feed_url = _feed_url(request, token)
        elif request.POST.get("feed") == "revoke":
            if actions.do_revoke_calendar_feed(request.user, actor=request.user):
                messages.success(request, _("The calendar address was stopped."))
            return redirect("playbooks:dashboard")
        else:
            return redirect("playbooks:dashboard")
    rows = services.dashboard(request.user, current_lang())
    return render(request, "playbooks/dashboard.html", {
        "rows": rows,
        "has_feed": hasattr(request.user, "calendar_feed"),
        "new_feed_url": new_feed_url,
    })


@never_cache
@require_http_methods(["GET", "HEAD"])
def calendar_feed(request, token):
    """The ICS of the token's user; anything but a current token is 404 (no sign-in: calendar
    applications cannot sign in, the secret address is the key)."""
    if not 20 <= len(token) <= 100 or not set(token) <= TOKEN_CHARS:
        raise Http404
    user = actions.feed_user(token)
    if user is None:
        raise Http404
    body = feed.build(user, base_url=f"{request.scheme}://{request.get_host()}",
                          host=request.get_host().rsplit(":", 1)[0] or "rouei")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rouei.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


# --- the playbooks themselves -----------------------------------------------------------------

@login_required
@require_http_methods(READ)
def playbook_list(request):
    return render(request, "playbooks/playbook_list.html", {
        "playbooks": Playbook.objects.prefetch_related("templates"),
        "can_edit": actions.can_edit_playbooks(request.user),
    })


@login_required
@require_http_methods([*READ, "POST"])
def playbook_edit(request, kind):
    if not actions.can_edit_playbooks(request.user):
        raise PermissionDenied(_("Only an administrator can edit playbooks."))
    playbook = get_object_or_404(Playbook, kind=kind)
    templates = playbook.templates.order_by("order", "id")
    if request.method == "POST":
        form = PlaybookForm(request.POST)
        formset = TaskTemplateFormSet(request.POST, prefix="t")
        if form.is_valid() and formset.is_valid():
            rows = [f.row() for f in formset.forms
                    if f.has_changed() or f.cleaned_data.get("id")]
            try:
                actions.do_save_playbook(playbook, fields=form.cleaned_data, templates=rows,
                                         actor=request.user)
            except ActionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Playbook saved. Incidents opened from now on get "
                                            "its tasks; existing tasks keep their copy."))
                return redirect(reverse("playbooks:list") + f"#playbook-{playbook.kind}")
    else:
        form = PlaybookForm(initial={k: getattr(playbook, k) for k in
                                     ("name", "name_en", "description", "description_en")})
        formset = TaskTemplateFormSet(prefix="t", initial=[{
            "id": t.pk, "key": t.key, "order": t.order, "title": t.title,
            "title_en": t.title_en, "description": t.description,
            "description_en": t.description_en, "role": t.role, "due_rule": t.due_rule,
            "due_offset_days": t.due_offset_days} for t in templates])
    return render(request, "playbooks/playbook_edit.html",
                  {"playbook": playbook, "form": form, "formset": formset})
