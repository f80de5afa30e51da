"""Issue 5's loop in the browser: review, reject, return again, approve, reply, return visit, close;
and a dissatisfied customer reopening the complaint."""

from __future__ import annotations

from complaints.actions import Intake, confirm_read_back, record_complaint
from complaints.lifecycle import Action, OrderState, Status
from routing.actions import claim, dispatch, return_result
from routing.models import Category


def returned_complaint(users, account):
    category = Category.objects.get(code="broadband_home")
    complaint = record_complaint(Intake(account=account, contact_number=account, category=category,
                                        description="宽带每晚断线。", demand="修好并减免月费。"), by=users["agent1"])
    complaint = confirm_read_back(complaint, by=users["agent1"])
    order = dispatch(complaint, team=category.default_team, by=users["agent1"], initial_judgement="线路问题")
    order = claim(order, by=users["network1"])
    order = return_result(order, findings="光猫老化。", substantiated=True, actions_taken="已更换光猫。",
                          proposed_answer="已为您更换光猫，宽带恢复稳定。", root_cause="设备老化", by=users["network1"])
    return complaint, order


def log_out(page):
    page.click("#log-out")
    page.wait_for_url("**/login/")


def test_review_reject_return_approve_reply_visit_close(page, live_server, demo_data, log_in, screenshot):
    complaint, order = returned_complaint(demo_data, "13822223333")
    log_in("agent1")
    assert complaint.number in page.inner_text("#bucket-to_review")
    page.click(f"#bucket-to_review >> text={complaint.number}")
    page.wait_for_url(f"**/complaints/{complaint.pk}/")
    screenshot("follow-1-review")

    # The agent rejects: the customer also asked for a fee waiver.
    page.click(f"#review-{order.pk} summary")
    page.fill(f"#id_reject_result-{order.pk}-reason", "客户要求减免月费，结果未答复。")
    page.click(f"#reject-{order.pk}")
    page.wait_for_url(f"**/complaints/{complaint.pk}/")
    order.refresh_from_db()
    assert order.state == OrderState.CLAIMED and order.rejection_count == 1
    log_out(page)

    log_in("network1")
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    page.click("#section-return_result summary")
    page.fill("#id_return_result-findings", "光猫老化，已更换；按规定减免半月月费。")
    page.check("#id_return_result-substantiated_0")
    page.fill("#id_return_result-proposed_answer", "已更换光猫并减免半个月宽带费，向您致歉。")
    page.fill("#id_return_result-root_cause", "设备老化")
    page.click("#submit-return_result")
    page.wait_for_url(f"**/orders/{order.pk}/")
    log_out(page)

    log_in("agent1")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.click(f"#approve-{order.pk}")
    page.wait_for_url(f"**/complaints/{complaint.pk}/")
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_REPLY

    # One call not answered, then the customer is reached and told.
    page.click("#section-log_contact_attempt summary")
    page.check("#id_log_contact_attempt-outcome_1")
    page.fill("#id_log_contact_attempt-remark", "无人接听")
    page.click("#submit-log_contact_attempt")
    page.wait_for_url(f"**/complaints/{complaint.pk}/")
    assert "无人接听" in page.inner_text("#contact-attempts")
    assert "减免半个月宽带费" in page.input_value("#id_reply-summary")  # prefilled from the result
    screenshot("follow-2-reply")
    page.click("#submit-reply")
    page.wait_for_url(f"**/complaints/{complaint.pk}/")
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED and complaint.return_visit_due_at is not None

    # Return visit: solved and satisfied; then close.
    page.check("#id_return_visit-reached_0")
    page.select_option("#id_return_visit-problem_solved", "yes")
    page.select_option("#id_return_visit-satisfaction", "satisfied")
    page.click("#submit-return_visit")
    page.wait_for_url(f"**/complaints/{complaint.pk}/")
    page.click("#section-close summary")
    assert page.input_value("#id_close-root_cause") == "设备老化"
    page.select_option("#id_close-resolution_code", "fixed")
    screenshot("follow-3-close")
    page.click("#submit-close")
    page.wait_for_url(f"**/complaints/{complaint.pk}/")
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.satisfaction == "satisfied"
    assert complaint.responsible_team.code == "network"
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds[-7:] == [Action.REJECT_RESULT, Action.RETURN_RESULT, Action.APPROVE_RESULT,
                          Action.LOG_CONTACT_ATTEMPT, Action.REPLY, Action.RETURN_VISIT, Action.CLOSE]
    screenshot("follow-4-closed")


def test_dissatisfied_customer_reopens_the_complaint(page, live_server, demo_data, log_in, screenshot):
    from followup.actions import approve_result, reply

    complaint, order = returned_complaint(demo_data, "13844445555")
    approve_result(order, by=demo_data["agent1"])
    reply(complaint, summary="已更换光猫。", by=demo_data["agent1"])
    log_in("agent1")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.check("#id_return_visit-reached_0")
    page.select_option("#id_return_visit-problem_solved", "no")
    page.select_option("#id_return_visit-satisfaction", "dissatisfied")
    page.fill("#id_return_visit-remark", "仍然每晚断线。")
    page.click("#submit-return_visit")
    page.wait_for_url(f"**/complaints/{complaint.pk}/")
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED and complaint.round == 2
    assert complaint.promised_reply_at is not None and complaint.replied_at is None
    screenshot("follow-5-reopened")
    # The new round is triaged like a new call.
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/triage/")
    page.fill("#id_initial_judgement", "更换光猫无效，疑为入户线路问题。")
    page.click("#dispatch")
    page.wait_for_url("**/first-response/")
    assert complaint.work_orders.filter(round=2, state=OrderState.QUEUED).count() == 1
