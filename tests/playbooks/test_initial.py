"""The playbooks a fresh database starts with (data/initial_playbooks.yaml, migration 0002)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from rouei.core.access import Role
from rouei.playbooks import initial
from rouei.playbooks.choices import DueRule, PlaybookKind
from rouei.playbooks.due import MAX_OFFSET_DAYS
from rouei.playbooks.models import Playbook, TaskTemplate

# The initial-response tasks the issue and response-practice.md §2–§7 name.
COMMON = {"isolate_systems", "preserve_evidence", "start_forensics", "consult_counsel",
          "preliminary_report", "notify_individuals", "contact_window", "public_notice",
          "final_report", "recurrence_prevention"}
# What each kind needs beyond them.
SPECIFIC = {
    "misdelivery": {"recipient_delete"},
    "device": {"remote_wipe", "police_report"},
    "vendor": {"contact_vendor", "vendor_report"},
    "unauthorized_access": {"block_intrusion", "police_report"},
    "ransomware": {"restore_backups", "exfiltration_check"},
    "insider": {"suspend_insider_access", "criminal_complaint"},
    "general": set(),
}
SPECS = {spec["kind"]: spec for spec in initial.load()}


def test_initial_playbooks_one_per_kind():
    assert set(SPECS) == set(PlaybookKind.values)


@pytest.mark.parametrize("kind", sorted(SPECIFIC))
def test_initial_playbook_has_the_initial_response_tasks_and_its_own(kind):
    keys = [t["key"] for t in SPECS[kind]["tasks"]]
    assert len(keys) == len(set(keys))
    assert COMMON | SPECIFIC[kind] <= set(keys)


@pytest.mark.parametrize("kind", sorted(SPECIFIC))
def test_initial_playbook_tasks_are_complete_and_valid(kind):
    for task in SPECS[kind]["tasks"]:
        rule, offset = task["due"]
        assert rule in DueRule.values and abs(offset) <= MAX_OFFSET_DAYS
        assert task["role"] in Role.values and task["role"] != Role.VIEWER
        assert task["title"] and task["title_en"] and task["description"]
        assert task["description_en"]


CARD_STEPS = {"card_acquirer_contact", "pfi_investigation", "card_reissue", "card_publication"}


def test_initial_card_playbook_has_only_the_card_steps():
    # A module added to the cause's playbook: the common tasks come from that one.
    assert {t["key"] for t in SPECS["card"]["tasks"]} == CARD_STEPS


def test_initial_card_steps_are_complete_and_valid():
    for task in SPECS["card"]["tasks"]:
        rule, offset = task["due"]
        assert rule in DueRule.values and abs(offset) <= MAX_OFFSET_DAYS
        assert task["role"] in Role.values and task["role"] != Role.VIEWER
        assert task["title"] and task["title_en"] and task["description_en"]


def test_initial_card_steps_name_the_acquirer_pfi_and_reissue():
    titles = " ".join(t["title"] for t in SPECS["card"]["tasks"])
    assert "アクワイアラ" in titles and "PFI" in titles and "再発行" in titles


def test_initial_playbook_deadline_tasks_follow_the_reports():
    tasks = {t["key"]: t for t in SPECS["general"]["tasks"]}
    assert tasks["preliminary_report"]["due"] == ["preliminary_last", 0]
    assert tasks["final_report"]["due"] == ["final_report_due", 0]
    assert tasks["isolate_systems"]["due"] == ["knew", 0]


@pytest.mark.django_db
def test_install_keeps_what_an_administrator_edited():
    Playbook.objects.filter(kind="general").update(name="社内向けに編集")
    assert initial.install(Playbook, TaskTemplate) == 0
    assert Playbook.objects.get(kind="general").name == "社内向けに編集"


@pytest.mark.django_db(transaction=True)
def test_migration_gives_a_fresh_database_the_playbooks():
    call_command("migrate", "playbooks", "zero", verbosity=0)
    call_command("migrate", "playbooks", verbosity=0)
    assert set(Playbook.objects.values_list("kind", flat=True)) == set(PlaybookKind.values)
    access = Playbook.objects.get(kind="unauthorized_access")
    assert access.name == "不正アクセス" and access.name_en == "Unauthorised access"
    final = access.templates.get(key="final_report")
    assert final.title == "個人情報保護委員会への確報"
    assert (final.due_rule, final.due_offset_days, final.role) == ("final_report_due", 0,
                                                                   "legal")


@pytest.mark.django_db
def test_emptied_playbooks_come_back_with_the_next_incident(user):
    from rouei.incidents import actions as incident_actions

    Playbook.objects.all().delete()
    incident = incident_actions.do_create_incident(title="x", facts={"cause": "theft"},
                                                   actor=user)
    assert Playbook.objects.count() == len(PlaybookKind.values)
    assert incident.tasks.filter(key="remote_wipe").exists()
