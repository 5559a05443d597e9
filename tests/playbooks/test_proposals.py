"""Which tasks are proposed and which no longer apply when the facts change (pure, no DB)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rouei.playbooks.proposals import (
    NOTICE,
    PLAYBOOK,
    REPORT,
    Duties,
    Proposed,
    SetAsideRef,
    TaskRef,
    TemplateRef,
    apply_again,
    no_longer_apply,
    proposals,
)

REQUIRED = Duties(report=True, notice=True)
NOT_REQUIRED = Duties(report=False, notice=False)
UNKNOWN = Duties(report=None, notice=None)

MISDELIVERY = [TemplateRef("misdelivery", "recipient_delete", "誤送付先への削除依頼と削除の確認",
                           "Ask the recipient to delete it and confirm"),
               TemplateRef("misdelivery", "isolate_systems", "影響を受けたシステムの隔離"),
               TemplateRef("misdelivery", "final_report", "個人情報保護委員会への確報")]


def _task(task_id, key, kind="general", title="タスク"):
    return TaskRef(task_id, key, kind, title, "Task")


# --- proposals ------------------------------------------------------------------------------

def test_proposals_cause_now_misdelivery_proposes_the_recipient_deletion():
    found = proposals(MISDELIVERY, {"isolate_systems", "final_report"}, REQUIRED)
    assert [t.key for t in found] == ["recipient_delete"]


def test_proposals_incident_has_every_task_proposes_nothing():
    assert proposals(MISDELIVERY, {"recipient_delete", "isolate_systems", "final_report"},
                     REQUIRED) == []


def test_proposals_report_not_required_does_not_propose_the_report_task():
    found = proposals(MISDELIVERY, {"recipient_delete", "isolate_systems"}, NOT_REQUIRED)
    assert found == []


def test_proposals_report_not_known_yet_proposes_the_report_task():
    found = proposals(MISDELIVERY, {"recipient_delete", "isolate_systems"}, UNKNOWN)
    assert [t.key for t in found] == ["final_report"]


def test_proposals_key_in_two_playbooks_is_proposed_once():
    twice = [*MISDELIVERY, TemplateRef("card", "recipient_delete", "x")]
    found = proposals(twice, set(), REQUIRED)
    assert [t.key for t in found].count("recipient_delete") == 1


keys = st.sampled_from(["a", "b", "c", "final_report", "notify_individuals",
                        "preliminary_report"])
templates = st.lists(st.builds(TemplateRef, st.sampled_from(["general", "card"]), keys,
                               st.just("t")))
duties = st.builds(Duties, st.sampled_from([True, False, None]),
                   st.sampled_from([True, False, None]))


@given(templates, st.sets(keys), duties)
def test_proposals_never_propose_a_key_the_incident_has_or_twice(wanted, have, now):
    found = [t.key for t in proposals(wanted, have, now)]
    assert not set(found) & have
    assert len(found) == len(set(found))


@given(templates, st.sets(keys), duties)
def test_proposals_propose_every_missing_task_not_tied_to_a_duty(wanted, have, now):
    found = {t.key for t in proposals(wanted, have, now)}
    plain = {t.key for t in wanted if t.key in {"a", "b", "c"}} - have
    assert plain <= found


# --- tasks that no longer apply --------------------------------------------------------------

def test_no_longer_apply_cause_changed_sets_aside_the_old_playbooks_own_task():
    tasks = [_task(1, "recipient_delete", "misdelivery"), _task(2, "isolate_systems",
                                                                 "misdelivery")]
    found = no_longer_apply(tasks, old_kinds=("misdelivery",),
                            new_kinds=("unauthorized_access",),
                            new_keys={"isolate_systems", "block_intrusion"},
                            duties_before=REQUIRED, duties_after=REQUIRED)
    assert [(f.task.task_id, f.reason) for f in found] == [(1, PLAYBOOK)]


def test_no_longer_apply_same_playbooks_sets_aside_nothing():
    tasks = [_task(1, "recipient_delete", "misdelivery")]
    found = no_longer_apply(tasks, old_kinds=("misdelivery",), new_kinds=("misdelivery",),
                            new_keys={"isolate_systems"}, duties_before=REQUIRED,
                            duties_after=REQUIRED)
    assert found == []


def test_no_longer_apply_task_added_from_another_playbook_on_purpose_stays():
    tasks = [_task(1, "contact_vendor", "vendor")]
    found = no_longer_apply(tasks, old_kinds=("ransomware",), new_kinds=("unauthorized_access",),
                            new_keys=set(), duties_before=REQUIRED, duties_after=REQUIRED)
    assert found == []


def test_no_longer_apply_task_entered_by_hand_stays():
    found = no_longer_apply([_task(1, "", "misdelivery")], old_kinds=("misdelivery",),
                            new_kinds=("general",), new_keys=set(), duties_before=REQUIRED,
                            duties_after=NOT_REQUIRED)
    assert found == []


def test_no_longer_apply_card_items_removed_sets_aside_the_card_steps():
    found = no_longer_apply([_task(7, "pfi_investigation", "card")],
                            old_kinds=("unauthorized_access", "card"),
                            new_kinds=("unauthorized_access",), new_keys={"block_intrusion"},
                            duties_before=REQUIRED, duties_after=REQUIRED)
    assert [f.task.task_id for f in found] == [7]


def test_no_longer_apply_report_no_longer_required_sets_aside_the_report_tasks():
    tasks = [_task(1, "preliminary_report"), _task(2, "final_report"),
             _task(3, "public_notice")]
    found = no_longer_apply(tasks, old_kinds=("general",), new_kinds=("general",),
                            new_keys={"preliminary_report", "final_report", "public_notice"},
                            duties_before=REQUIRED, duties_after=Duties(False, True))
    assert [(f.task.task_id, f.reason) for f in found] == [(1, REPORT), (2, REPORT)]


def test_no_longer_apply_notice_no_longer_required_sets_aside_the_notice_task():
    found = no_longer_apply([_task(1, "notify_individuals")], old_kinds=("general",),
                            new_kinds=("general",), new_keys={"notify_individuals"},
                            duties_before=UNKNOWN, duties_after=Duties(None, False))
    assert [f.reason for f in found] == [NOTICE]


def test_no_longer_apply_duty_already_not_required_before_sets_aside_nothing():
    # A member reopened it after the duty ended: a later save must not close it again.
    found = no_longer_apply([_task(1, "final_report")], old_kinds=("general",),
                            new_kinds=("general",), new_keys={"final_report"},
                            duties_before=NOT_REQUIRED, duties_after=NOT_REQUIRED)
    assert found == []


def test_no_longer_apply_no_previous_assessment_sets_aside_nothing():
    found = no_longer_apply([_task(1, "final_report")], old_kinds=(), new_kinds=("general",),
                            new_keys={"final_report"}, duties_before=None,
                            duties_after=NOT_REQUIRED)
    assert found == []


def test_no_longer_apply_line_says_the_task_and_the_article_in_japanese():
    [found] = no_longer_apply([_task(1, "final_report", title="個人情報保護委員会への確報")],
                              old_kinds=("general",), new_kinds=("general",),
                              new_keys={"final_report"}, duties_before=REQUIRED,
                              duties_after=NOT_REQUIRED)
    line = found.to_dict()
    assert line["ja"] == ("タスク「個人情報保護委員会への確報」を不要にしました: "
                          "個人情報保護委員会への報告が不要と判定されたため（法26条1項）")
    assert line["en"] == ("Task “Task” marked not needed: the report to the PPC is no longer "
                          "required (APPI Art. 26(1))")


def test_no_longer_apply_playbook_reason_names_the_new_playbook():
    [found] = no_longer_apply([_task(1, "recipient_delete", "misdelivery")],
                              old_kinds=("misdelivery",), new_kinds=("unauthorized_access",),
                              new_keys=set(), duties_before=REQUIRED, duties_after=REQUIRED,
                              playbooks=("不正アクセス", "Unauthorised access"))
    assert "不正アクセス" in found.reason_text("ja")
    assert "Unauthorised access" in found.reason_text("en")


open_tasks = st.lists(st.builds(TaskRef, st.integers(1, 50), keys,
                                st.sampled_from(["general", "misdelivery", "card"]),
                                st.just("t")), unique_by=lambda t: t.task_id)
kinds = st.lists(st.sampled_from(["general", "misdelivery", "card"]), max_size=2, unique=True)


@given(open_tasks, kinds, kinds, st.sets(keys), duties, duties)
def test_no_longer_apply_never_sets_aside_a_shared_task_without_a_duty_reason(
        tasks, old, new, new_keys, before, after):
    for found in no_longer_apply(tasks, old_kinds=old, new_kinds=new, new_keys=new_keys,
                                 duties_before=before, duties_after=after):
        assert found.task.key not in new_keys or found.reason in (REPORT, NOTICE)


@given(open_tasks, kinds, st.sets(keys), duties)
def test_no_longer_apply_nothing_changed_sets_aside_nothing(tasks, same, new_keys, now):
    assert no_longer_apply(tasks, old_kinds=same, new_kinds=same, new_keys=new_keys,
                           duties_before=now, duties_after=now) == []


def test_proposed_line_lists_the_titles_in_both_languages():
    line = Proposed((MISDELIVERY[0],)).to_dict()
    assert "「誤送付先への削除依頼と削除の確認」" in line["ja"]
    assert "“Ask the recipient to delete it and confirm”" in line["en"]
    assert line["keys"] == ["recipient_delete"]


# --- tasks set aside that apply again ----------------------------------------------------------

def test_apply_again_cause_back_to_misdelivery_reopens_its_task():
    found = apply_again([SetAsideRef(1, "recipient_delete", PLAYBOOK, "t")],
                        new_keys={"recipient_delete"}, duties_after=REQUIRED)
    assert [f.task.task_id for f in found] == [1]


def test_apply_again_playbook_still_without_the_task_keeps_it_set_aside():
    assert apply_again([SetAsideRef(1, "recipient_delete", PLAYBOOK, "t")],
                       new_keys={"block_intrusion"}, duties_after=REQUIRED) == []


def test_apply_again_report_required_again_reopens_the_report_task():
    found = apply_again([SetAsideRef(2, "final_report", REPORT, "t")], new_keys=set(),
                        duties_after=Duties(report=True, notice=False))
    assert [f.task.task_id for f in found] == [2]


def test_apply_again_report_still_not_required_keeps_it_set_aside():
    assert apply_again([SetAsideRef(2, "final_report", REPORT, "t")], new_keys=set(),
                       duties_after=NOT_REQUIRED) == []


def test_apply_again_line_says_the_task_was_reopened():
    [found] = apply_again([SetAsideRef(3, "notify_individuals", NOTICE, "本人への通知")],
                          new_keys=set(), duties_after=UNKNOWN)
    assert found.to_dict()["ja"] == "タスク「本人への通知」を再開しました: 事実の変更により再び該当するため"


def test_duties_resumed_since_names_the_duty_that_returns():
    assert Duties(True, False).resumed_since(NOT_REQUIRED) == {"report"}


def test_duties_resumed_since_nothing_returned_is_empty():
    assert REQUIRED.resumed_since(REQUIRED) == set()
