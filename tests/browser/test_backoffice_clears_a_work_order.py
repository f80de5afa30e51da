"""The back-office story of issue 4 in the browser: claim, ask the agent, transfer, return a result."""

from __future__ import annotations

from complaints.actions import Intake, confirm_read_back, record_complaint
from complaints.lifecycle import Action, OrderState, Status
from routing.actions import dispatch
from routing.models import Category, WorkOrder


def log_out(page):
    page.click("#log-out")
    page.wait_for_url("**/login/")


def test_billing_claims_asks_transfers_and_business_returns_the_result(page, live_server, demo_data, log_in,
                                                                       screenshot):
    category = Category.objects.get(code="value_added")
    complaint = record_complaint(Intake(account="13811112222", contact_number="13811112222", category=category,
                                        description="未订购视频会员却每月扣费15元。", demand="退订并退费。"),
                                 by=demo_data["agent1"])
    complaint = confirm_read_back(complaint, by=demo_data["agent1"])
    order = dispatch(complaint, team=category.default_team, by=demo_data["agent1"], initial_judgement="疑似误订购")

    # Billing sees it in the queue and claims it with one click.
    log_in("billing1")
    page.goto(f"{live_server.url}/queue/?q={complaint.number}")
    row = page.locator(f"#order-{order.pk}")
    assert "138****2222" in row.inner_text()
    screenshot("backoffice-1-queue")
    row.locator("button.claim").click()
    page.wait_for_url(f"**/orders/{order.pk}/")
    assert "刘洋" in page.inner_text("#order-handler")
    screenshot("backoffice-2-claimed")

    # Billing asks the agent for the subscription date.
    page.click("#section-request_information summary")
    page.fill("#id_request_information-question", "请向客户确认首次扣费的月份。")
    page.click("#submit-request_information")
    page.wait_for_url(f"**/orders/{order.pk}/")
    order.refresh_from_db()
    assert order.state == OrderState.WAITING_INFO
    log_out(page)

    # The agent finds the question on their home page and answers it on the complaint page.
    log_in("agent1")
    assert "请向客户确认首次扣费的月份。" in page.inner_text("#information-requests")
    screenshot("backoffice-3-agent-sees-question")
    page.click(f"#information-requests >> text={complaint.number}")
    page.fill(f"#answer-{order.pk}", "客户称从八月开始扣费。")
    page.click(f"#answer-{order.pk}-submit")
    page.wait_for_url(f"**/orders/{order.pk}/")
    order.refresh_from_db()
    assert order.state == OrderState.CLAIMED and order.info_answer == "客户称从八月开始扣费。"
    log_out(page)

    # Billing refunds, then transfers to business for the unsubscription.
    log_in("billing1")
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    assert "客户称从八月开始扣费。" in page.inner_text("#info-answer")
    page.click("#section-transfer summary")
    page.select_option("#id_transfer-team", label="业务受理")
    page.fill("#id_transfer-reason", "已退费，需业务受理退订。")
    page.click("#submit-transfer")
    page.wait_for_url("**/queue/")
    successor = WorkOrder.objects.get(transferred_from=order)
    assert successor.team.code == "business" and successor.state == OrderState.QUEUED
    screenshot("backoffice-4-transferred")
    log_out(page)

    # Business claims and returns the result.
    log_in("business1")
    page.goto(f"{live_server.url}/orders/{successor.pk}/")
    page.click("#do-claim")
    page.wait_for_url(f"**/orders/{successor.pk}/")
    page.click("#section-return_result summary")
    page.fill("#id_return_result-findings", "客户号码于八月被营销活动误订购视频会员。")
    page.check("#id_return_result-substantiated_0")
    page.fill("#id_return_result-actions_taken", "已退订，计费账务已退费45元。")
    page.fill("#id_return_result-proposed_answer", "向客户致歉，说明已退订并退费45元。")
    page.fill("#id_return_result-root_cause", "营销活动默认勾选订购")
    screenshot("backoffice-5-result-form")
    page.click("#submit-return_result")
    page.wait_for_url(f"**/orders/{successor.pk}/")
    successor.refresh_from_db()
    assert successor.state == OrderState.RETURNED and successor.substantiated is True
    history = page.inner_text("#order-history")
    for kind in (Action.DISPATCH, Action.CLAIM, Action.REQUEST_INFORMATION, Action.ANSWER_INFORMATION,
                 Action.TRANSFER, Action.RETURN_RESULT):
        assert complaint.events.filter(kind=kind).exists()
    assert history.count("\n") >= 6
    screenshot("backoffice-6-returned")
    log_out(page)

    # The agent sees the result on the complaint page.
    log_in("agent1")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    assert "向客户致歉，说明已退订并退费45元。" in page.inner_text("body")
    complaint.refresh_from_db()
    assert complaint.status == Status.UNDER_REVIEW
    screenshot("backoffice-7-agent-sees-result")
