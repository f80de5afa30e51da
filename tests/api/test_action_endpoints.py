"""Every action endpoint: the state after, the one audit event written (with the API's origin), and a
403 in the error shape, nothing changed, for a role that may not act."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.lifecycle import Action, OrderState, Status
from complaints.models import Complaint, Event
from routing.models import WorkOrder
from tests.api.conftest import assert_error, complaint_url, order_url

S, OS = Status, OrderState


def teams(story):
    return {code: team.pk for code, team in story.teams.items()}


# verb -> (action, body builder, status code, the complaint status or order state expected after)
COMPLAINT_VERBS = {
    "confirm-read-back": (Action.CONFIRM_READ_BACK, lambda s: {}, 200, S.RECEIVED),
    "resolve-on-the-spot": (Action.RESOLVE_ON_THE_SPOT,
                            lambda s: {"resolution": "解释了计费规则。", "resolution_code": "explained"}, 200, S.REPLIED),
    "dispatch": (Action.DISPATCH, lambda s: {"team": teams(s)["billing"], "initial_judgement": "疑似重复扣费。"},
                 201, S.DISPATCHED),
    "notes": (Action.ADD_NOTE, lambda s: {"body": "客户来电询问进度。"}, 201, S.IN_PROGRESS),
    "contact-attempts": (Action.LOG_CONTACT_ATTEMPT, lambda s: {"outcome": "not_reached"}, 201, S.RECEIVED),
    "reply": (Action.REPLY, lambda s: {"summary": "已退还 30 元。"}, 200, S.REPLIED),
    "change-promised-date": (Action.CHANGE_PROMISED_DATE, lambda s: {
        "promised_reply_at": (s.now + dt.timedelta(days=5)).isoformat(), "reason": "等待厂家结论。"}, 200, S.RECEIVED),
    "return-visit": (Action.RETURN_VISIT, lambda s: {"reached": True, "problem_solved": True,
                                                     "satisfaction": "satisfied"}, 200, S.REPLIED),
    "close": (Action.CLOSE, lambda s: {"resolution_code": "refunded", "root_cause": "计费规则配置错误",
                                       "responsible_team": teams(s)["billing"]}, 200, S.CLOSED),
    "reopen": (Action.REOPEN, lambda s: {"reason": "客户反映问题复现。"}, 200, S.RECEIVED),
    "void": (Action.VOID, lambda s: {"reason": "重复登记。"}, 200, S.VOIDED),
    "check": (Action.CHECK, lambda s: {"remark": "已查看。"}, 200, S.RECEIVED),
    "escalate": (Action.ESCALATE, lambda s: {"reason": "客户要求升级处理。"}, 200, S.RECEIVED),
}

ORDER_VERBS = {
    "claim": (Action.CLAIM, lambda s: {}, OS.CLAIMED),
    "release": (Action.RELEASE, lambda s: {}, OS.QUEUED),
    "reassign": (Action.REASSIGN, lambda s: {"to": s.people.billing2.pk}, OS.CLAIMED),
    "request-information": (Action.REQUEST_INFORMATION, lambda s: {"question": "客户何时办理的套餐？"}, OS.WAITING_INFO),
    "answer-information": (Action.ANSWER_INFORMATION, lambda s: {"answer": "5 月 3 日。"}, OS.CLAIMED),
    "transfer": (Action.TRANSFER, lambda s: {"team": teams(s)["network"], "reason": "实为网络问题。"}, OS.TRANSFERRED),
    "send-back": (Action.SEND_BACK, lambda s: {"reason": "不属于本团队。"}, OS.SENT_BACK),
    "suspend": (Action.REQUEST_SUSPENSION, lambda s: {"reason": "等待厂家排查。"}, OS.SUSPENSION_REQUESTED),
    "approve-suspension": (Action.APPROVE_SUSPENSION, lambda s: {}, OS.SUSPENDED),
    "refuse-suspension": (Action.REFUSE_SUSPENSION, lambda s: {"reason": "可先行处理。"}, OS.CLAIMED),
    "resume": (Action.RESUME, lambda s: {}, OS.CLAIMED),
    "return-result": (Action.RETURN_RESULT, lambda s: {
        "findings": "重复扣费属实。", "substantiated": True, "actions_taken": "已退费。", "proposed_answer": "退还 30 元。",
        "root_cause": "计费规则配置错误"}, OS.RETURNED),
    "urge": (Action.URGE, lambda s: {"remark": "客户再次来电。"}, OS.CLAIMED),
    "approve-result": (Action.APPROVE_RESULT, lambda s: {}, OS.ACCEPTED),
    "reject-result": (Action.REJECT_RESULT, lambda s: {"reason": "未说明退费到账时间。"}, OS.CLAIMED),
}


def last_event(complaint_pk: int) -> Event:
    return Event.objects.filter(complaint_id=complaint_pk).order_by("-pk").first()


@pytest.mark.parametrize("verb", COMPLAINT_VERBS)
def test_complaint_verb_changes_the_state_and_writes_one_event(story, api, verb):
    action, body, status, after = COMPLAINT_VERBS[verb]
    case = story.legal_start(action)
    actor = story.default_actor(action, case)
    events = Event.objects.count()

    response = api.as_(actor).post(complaint_url(case.complaint.pk, verb), body(story), format="json")

    assert response.status_code == status, response.json()
    complaint = Complaint.objects.get(pk=case.complaint.pk)
    assert complaint.status == after
    assert Event.objects.count() == events + 1
    event = last_event(complaint.pk)
    assert (event.kind, event.actor, event.origin) == (action.value, actor, f"api:{actor.username}")
    if "version" in response.json() and action != Action.DISPATCH:
        assert response.json()["version"] == complaint.version
        assert response["ETag"] == f'"{complaint.version}"'


@pytest.mark.parametrize("verb", ORDER_VERBS)
def test_order_verb_changes_the_state_and_writes_one_event(story, api, verb):
    action, body, after = ORDER_VERBS[verb]
    case = story.legal_start(action)
    actor = story.default_actor(action, case)
    events = Event.objects.count()

    response = api.as_(actor).post(order_url(case.order.pk, verb), body(story), format="json")

    assert response.status_code == 200, response.json()
    order = WorkOrder.objects.get(pk=case.order.pk)
    assert order.state == after
    assert Event.objects.count() == events + 1
    event = last_event(order.complaint_id)
    assert (event.kind, event.work_order_id, event.actor) == (action.value, order.pk, actor)
    assert response.json()["id"] == order.pk and response.json()["state"] == after
    assert response["ETag"] == f'"{order.version}"'


def test_progress_note_is_written_by_the_handler_on_the_order(story, api):
    case = story.order_in(OS.CLAIMED)
    response = api.billing.post(order_url(case.order.pk, "progress-note"), {"body": "正在核查。"}, format="json")
    assert response.status_code == 200, response.json()
    event = last_event(case.complaint.pk)
    assert (event.kind, event.work_order_id) == (Action.ADD_NOTE.value, case.order.pk)
    assert case.complaint.notes.get().body == "正在核查。"
    assert api.network.post(order_url(case.order.pk, "progress-note"), {"body": "x"}, format="json").status_code == 404


def test_transfer_answers_with_the_new_order(story, api):
    case = story.order_in(OS.CLAIMED)
    body = api.billing.post(order_url(case.order.pk, "transfer"), {"team": story.teams["network"].pk,
                                                                    "reason": "实为网络问题。"}, format="json").json()
    successor = WorkOrder.objects.get(transferred_from=case.order)
    assert body["transferred_to"] == successor.pk and successor.team.code == "network"


# A role the table refuses, among people who can see the resource (others get 404).
WRONG_ROLE = {
    Action.CONFIRM_READ_BACK: "billing", Action.RESOLVE_ON_THE_SPOT: "billing", Action.DISPATCH: "billing",
    Action.ADD_NOTE: "billing", Action.LOG_CONTACT_ATTEMPT: "billing", Action.REPLY: "billing",
    Action.CHANGE_PROMISED_DATE: "billing", Action.RETURN_VISIT: "billing", Action.CLOSE: "billing",
    Action.REOPEN: "billing", Action.VOID: "agent", Action.CHECK: "billing", Action.ESCALATE: "agent",
    Action.CLAIM: "agent", Action.RELEASE: "agent", Action.REASSIGN: "agent", Action.REQUEST_INFORMATION: "agent",
    Action.ANSWER_INFORMATION: "billing", Action.TRANSFER: "agent", Action.SEND_BACK: "agent",
    Action.REQUEST_SUSPENSION: "agent", Action.APPROVE_SUSPENSION: "billing", Action.REFUSE_SUSPENSION: "billing",
    Action.RESUME: "agent", Action.RETURN_RESULT: "agent", Action.APPROVE_RESULT: "billing",
    Action.REJECT_RESULT: "billing",
}


@pytest.mark.parametrize("verb", [v for v in COMPLAINT_VERBS if COMPLAINT_VERBS[v][0] in WRONG_ROLE])
def test_complaint_verb_is_refused_to_a_role_that_may_not_act(story, api, unchanged, verb):
    action, body, _status, _after = COMPLAINT_VERBS[verb]
    wrong = WRONG_ROLE[action]
    # Back-office staff see only complaints with an order of their team's.
    case = story.order_in(OS.CLAIMED) if wrong == "billing" else story.legal_start(action)
    check = unchanged(case)
    response = getattr(api, wrong).post(complaint_url(case.complaint.pk, verb), body(story), format="json")
    assert_error(response, 403, "not_permitted")
    check()


@pytest.mark.parametrize("verb", [v for v in ORDER_VERBS if ORDER_VERBS[v][0] in WRONG_ROLE])
def test_order_verb_is_refused_to_a_role_that_may_not_act(story, api, unchanged, verb):
    action, body, _after = ORDER_VERBS[verb]
    case = story.legal_start(action)
    check = unchanged(case)
    response = getattr(api, WRONG_ROLE[action]).post(order_url(case.order.pk, verb), body(story), format="json")
    assert_error(response, 403, "not_permitted")
    check()


def test_back_office_of_another_team_gets_404_on_an_order_it_cannot_see(story, api, unchanged):
    case = story.order_in(OS.QUEUED)  # a billing order
    check = unchanged(case)
    assert_error(api.network.post(order_url(case.order.pk, "claim"), {}, format="json"), 404, "not_found")
    assert_error(api.network.get(order_url(case.order.pk)), 404, "not_found")
    assert_error(api.network.get(complaint_url(case.complaint.pk)), 404, "not_found")
    check()


def test_a_handler_only_verb_by_another_team_member_is_403(story, api, unchanged):
    case = story.order_in(OS.CLAIMED)  # claimed by billing1
    check = unchanged(case)
    body = api.billing2.post(order_url(case.order.pk, "release"), {}, format="json")
    assert_error(body, 403, "not_permitted")
    check()


def test_an_illegal_transition_is_409_and_changes_nothing(story, api, unchanged):
    case = story.order_in(OS.QUEUED)
    check = unchanged(case)
    assert_error(api.billing.post(order_url(case.order.pk, "resume"), {}, format="json"), 409, "transition_not_allowed")
    assert_error(api.agent.post(complaint_url(case.complaint.pk, "close"), {
        "resolution_code": "fixed", "root_cause": "x", "responsible_team": story.teams["billing"].pk}, format="json"),
        409, "transition_not_allowed")
    check()


def test_a_second_claim_is_409_already_claimed(story, api):
    case = story.order_in(OS.CLAIMED)
    assert_error(api.billing2.post(order_url(case.order.pk, "claim"), {}, format="json"), 409, "already_claimed")
