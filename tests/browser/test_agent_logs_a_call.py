"""The agent's call, in the browser: record, read back, correct, triage, resolve or dispatch."""

from __future__ import annotations

from complaints.lifecycle import Action, OrderState, Status
from complaints.models import Complaint, Severity
from routing.models import WorkOrder


class Keys:
    """Counts the key presses that are not the text itself (the issue allows 12 for a standard call)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def test_agent_logs_a_standard_call_with_the_keyboard_and_dispatches_it(page, live_server, demo_data, log_in,
                                                                       screenshot):
    log_in("agent2")
    keys = Keys(page)
    keys.press("F2")
    page.wait_for_url("**/complaints/new/")
    assert page.evaluate("document.activeElement.id") == "id_account"
    keys.type("13912345678")
    page.wait_for_selector("#customer-panel >> text=/新客户|New customer/")
    keys.press("Tab")  # contact number, copied from the service number
    assert page.input_value("#id_contact_number") == "13912345678"
    keys.press("Tab")  # customer name (optional)
    keys.press("Tab")  # category search
    keys.type("jfzy")  # pinyin initials of 计费争议
    keys.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_description"
    keys.type("本月账单多扣了30元流量费。")
    keys.press("Tab")
    keys.type("退还多扣的费用。")
    screenshot("call-1-recorded")
    keys.press("Control+Enter")
    page.wait_for_url("**/read-back/")
    script = page.inner_text("#read-back-script")
    assert "本月账单多扣了30元流量费" in script and "139****5678" in script
    screenshot("call-2-read-back")
    keys.press("Enter")  # the customer agreed (autofocused)
    page.wait_for_url("**/triage/")
    assert page.evaluate("document.activeElement.id") == "id_initial_judgement"
    keys.type("疑似流量包未生效导致按标准资费计费。")
    screenshot("call-3-triage")
    keys.press("Control+Enter")
    page.wait_for_url("**/first-response/")
    screenshot("call-4-first-response")
    assert keys.count <= 12, f"{keys.count} key presses"

    complaint = Complaint.objects.get(customer__account="13912345678")
    assert complaint.status == Status.DISPATCHED
    assert complaint.category.code == "billing_dispute"
    assert complaint.description == "本月账单多扣了30元流量费。" and complaint.demand == "退还多扣的费用。"
    assert complaint.contact_number == "13912345678" and complaint.occurred_at is not None
    assert complaint.first_contact_owner == demo_data["agent2"]
    order = WorkOrder.objects.get(complaint=complaint)
    assert order.team.code == "billing" and order.state == OrderState.QUEUED
    assert order.initial_judgement == "疑似流量包未生效导致按标准资费计费。"
    assert list(complaint.events.values_list("kind", flat=True)) == [
        Action.RECORD, Action.CONFIRM_READ_BACK, Action.DISPATCH]
    promised = page.inner_text("#promised-reply")
    assert complaint.promised_reply_at.astimezone().strftime("%Y-%m-%d") in promised or promised
    assert page.inner_text("#apology").strip()
    assert "TS" in page.inner_text("#first-response-script")


def test_agent_sees_a_repeat_warning_corrects_after_read_back_and_resolves_on_the_spot(
        page, live_server, demo_data, log_in, screenshot):
    earlier = Complaint.objects.filter(status__in=[Status.DISPATCHED, Status.IN_PROGRESS]).select_related(
        "customer", "category").first()
    log_in("agent1")
    page.click("#new-call")
    page.fill("#id_account", earlier.customer.account)
    page.wait_for_selector("#repeat-warning")
    assert earlier.number in page.inner_text("#customer-panel")
    assert page.locator("#earlier-complaints tbody tr").count() == earlier.customer.complaints.exclude(
        status=Status.DRAFT).count()
    screenshot("repeat-1-warning")
    page.fill("#category-search", "Service conduct")
    page.keyboard.press("Enter")
    page.fill("#id_description", "营业员态度不好。")
    page.fill("#id_demand", "道歉。")
    page.click("#to-read-back")
    page.wait_for_url("**/read-back/")
    assert "重要" in page.inner_text("#read-back-severity")
    draft = Complaint.objects.get(customer=earlier.customer, status=Status.DRAFT)
    assert draft.repeat_of_id is not None and draft.severity == Severity.IMPORTANT

    # The customer corrects the demand: back to the form, nothing lost.
    page.click("#correct-complaint")
    page.wait_for_url("**/correct/")
    assert page.input_value("#id_description") == "营业员态度不好。"
    page.fill("#id_demand", "营业厅当面道歉。")
    page.click("#to-read-back")
    page.wait_for_url("**/read-back/")
    assert "营业厅当面道歉" in page.inner_text("#read-back-script")
    screenshot("repeat-2-corrected-read-back")
    page.click("#customer-agreed")
    page.wait_for_url("**/triage/")

    page.fill("#id_resolution", "已代营业厅向客户致歉，并登记对营业员的处理。")
    page.select_option("#id_resolution_code", "explained")
    page.click("#resolve")
    page.wait_for_url("**/first-response/")
    screenshot("repeat-3-resolved-on-the-spot")

    draft.refresh_from_db()
    assert draft.status == Status.REPLIED and draft.resolved_on_the_spot
    assert draft.demand == "营业厅当面道歉。"
    kinds = list(draft.events.values_list("kind", flat=True))
    assert kinds == [Action.RECORD, Action.RECORD, Action.CONFIRM_READ_BACK, Action.RESOLVE_ON_THE_SPOT]
    assert draft.events.all()[1].data["corrected"] == ["demand"]
    assert draft.return_visit_due_at is not None


def test_field_errors_show_next_to_their_field_and_keep_what_was_typed(page, live_server, demo_data, log_in,
                                                                       screenshot):
    log_in("agent1")
    page.goto(f"{live_server.url}/complaints/new/")
    page.fill("#id_account", "12")
    page.fill("#id_description", "信号差。")
    page.click("#to-read-back")
    page.wait_for_selector(".field-error")
    assert page.locator("#id_account").locator("xpath=..").locator(".field-error").count() == 1
    assert page.locator("#id_category").locator("xpath=..").locator(".field-error").count() == 1
    assert page.input_value("#id_description") == "信号差。"
    assert Complaint.objects.filter(description="信号差。").count() == 0
    screenshot("call-errors")


def test_double_submission_records_one_complaint(page, live_server, demo_data, log_in):
    log_in("agent1")
    page.goto(f"{live_server.url}/complaints/new/")
    page.fill("#id_account", "13700001111")
    page.fill("#category-search", "wlzl")
    page.keyboard.press("Enter")
    page.fill("#id_description", "没有信号。")
    page.fill("#id_demand", "修复。")
    page.dblclick("#to-read-back")
    page.wait_for_url("**/read-back/")
    page.reload()
    page.wait_for_url("**/read-back/")
    assert Complaint.objects.filter(customer__account="13700001111").count() == 1
