"""About fifty demo complaints, each taken through the real domain actions to a different state.

The clock is moved back for each complaint so that promises fall due at different times: some
complaints are on time, some at risk, some overdue, as a supervisor would find them on a Monday.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from complaints.actions import Intake, confirm_read_back, record_complaint, resolve_on_the_spot
from complaints.lifecycle import Status
from complaints.models import Complaint
from followup import actions as followup
from routing import actions as routing
from routing.models import Category, Team

CALLS = [
    # category, description, demand
    ("network_quality", "小区近一周手机信号很差，室内经常无服务，通话频繁掉线。", "尽快修复小区信号，给予话费补偿。"),
    ("network_quality", "5G套餐但一直只能用4G，网速很慢，看视频卡顿。", "确认5G覆盖并解决网速问题。"),
    ("broadband_home", "宽带每天晚上断线多次，已重启光猫无效。", "上门检修宽带，减免本月宽带费。"),
    ("broadband_home", "预约的装机师傅两次爽约，没有任何通知。", "明天之内完成装机并道歉。"),
    ("billing_dispute", "本月话费比平时多出120元，账单中有不认识的流量费。", "核实扣费原因并退还多扣费用。"),
    ("billing_dispute", "已申请的电子发票一直没有收到。", "三天内开具发票。"),
    ("value_added", "从未订购过视频会员，却每月扣费15元。", "退订业务并全额退还已扣费用。"),
    ("plans_orders", "营业厅拒绝为我办理套餐降档，说要等合约期满。", "按规定办理套餐变更。"),
    ("number_portability", "申请携号转网授权码，短信一直提示有未结清业务。", "说明具体限制原因并尽快提供授权码。"),
    ("marketing", "营业员承诺的充值返费没有到账。", "兑现承诺的返费。"),
    ("service_conduct", "上门装维人员态度恶劣，还弄脏了地板。", "道歉并对装维人员进行处理。"),
    ("information_security", "每天收到大量骚扰电话，怀疑个人信息被泄露。", "查明信息泄露原因并处理骚扰号码。"),
]
NAMES = ["王先生", "李女士", "张先生", "刘女士", "陈先生", "杨女士", "赵先生", "黄女士", "周先生", "吴女士",
         "徐先生", "孙女士", "胡先生", "朱女士", "高先生", "林女士", "何先生", "郭女士", "马先生", "罗女士"]

# target state, how many
PLAN = [
    ("draft", 2), ("received", 4), ("dispatched", 6), ("in_progress", 6), ("waiting_info", 3),
    ("suspension_requested", 1), ("suspended", 2), ("under_review", 4), ("awaiting_reply", 4),
    ("replied", 4), ("resolved_on_the_spot", 3), ("closed", 8), ("reopened", 1), ("voided", 1), ("rejected", 1),
]


def _intake(rng: random.Random, index: int, categories: dict[str, Category], now: dt.datetime) -> Intake:
    code, description, demand = CALLS[index % len(CALLS)]
    customer = index % 37  # a few customers call more than once: repeat complaints
    account = f"138{customer:04d}{(customer * 7919) % 10000:04d}"
    regulator = index % 17 == 5
    return Intake(
        account=account, contact_number=account, customer_name=NAMES[customer % len(NAMES)],
        category=categories[code], description=description, demand=demand,
        occurred_at=now - dt.timedelta(hours=rng.randint(2, 72)),
        channel="regulator" if regulator else "phone",
        regulator_case_number=f"工信部-2026-{1000 + index}" if regulator else "",
        escalation_declared=index % 11 == 3,
    )


# Complaints further along their way were received longer ago, so no step of theirs lies in the future.
MIN_AGE_DAYS = {"draft": 0, "received": 0, "dispatched": 0, "replied": 2, "closed": 2, "reopened": 2}


def _call_time(rng: random.Random, now: dt.datetime, target: str) -> dt.datetime:
    """A call between 0 and 9 days ago, during the centre's opening hours (08:00-20:00), not in the future."""
    local = timezone.localtime(now)
    day = local - dt.timedelta(days=rng.randint(MIN_AGE_DAYS.get(target, 1), 9))
    moment = day.replace(hour=rng.randint(8, 19), minute=rng.randint(0, 59), second=0, microsecond=0)
    return moment if moment < local else moment - dt.timedelta(days=1)


@transaction.atomic
def load_demo_complaints(users: dict, *, now: dt.datetime | None = None) -> int:
    if Complaint.objects.filter(intake_key__startswith="demo-").exists():
        return 0
    rng = random.Random(2026)
    now = now or timezone.now()
    categories = {c.code: c for c in Category.objects.all()}
    teams = {t.code: t for t in Team.objects.all()}
    handlers = {"network": users["network1"], "billing": users["billing1"], "business": users["business1"]}
    agents = [users["agent1"], users["agent2"]]
    supervisor = users["supervisor1"]
    index = 0
    for target, count in PLAN:
        for _ in range(count):
            agent = agents[index % 2]
            start = _call_time(rng, now, target)
            intake = _intake(rng, index, categories, start)
            complaint = record_complaint(intake, by=agent, intake_key=f"demo-{index:03d}", now=start)
            index += 1
            if target == "draft":
                continue
            t = start + dt.timedelta(minutes=4)
            complaint = confirm_read_back(complaint, by=agent, now=t)
            if target == "received":
                continue
            if target == "resolved_on_the_spot":
                resolve_on_the_spot(complaint, resolution="已当场为客户核实并解释，客户认可。", resolution_code="explained",
                                    by=agent, now=t + dt.timedelta(minutes=3))
                continue
            if target in ("voided", "rejected"):
                followup.void(complaint, reason="与已受理投诉重复" if target == "voided" else "客户咨询，非投诉",
                              not_a_complaint=target == "rejected", by=supervisor, now=t + dt.timedelta(hours=1))
                continue
            team = complaint.category.default_team
            order = routing.dispatch(complaint, team=team, by=agent, initial_judgement="初步判断需后台核查。",
                                     help_needed="请核实并给出处理结果。", now=t + dt.timedelta(minutes=2))
            if target == "dispatched":
                continue
            handler = handlers[team.code]
            t += dt.timedelta(hours=1)
            order = routing.claim(order, by=handler, now=t)
            if target == "in_progress":
                if index % 3 == 0:
                    routing.add_progress_note(order, body="已联系现场工程师排查。", by=handler, now=t)
                if index % 2 == 0:
                    routing.urge(order, by=agent, remark="客户再次来电催促。", now=t + dt.timedelta(hours=2))
                continue
            if target == "waiting_info":
                routing.request_information(order, question="请补充客户方便上门的时间段。", by=handler, now=t)
                continue
            if target in ("suspension_requested", "suspended"):
                order = routing.request_suspension(order, reason="等待设备厂商到货。", by=handler, now=t)
                if target == "suspended":
                    routing.approve_suspension(order, by=supervisor, now=t + dt.timedelta(minutes=30))
                continue
            if index % 4 == 0:
                # One bounce through an information request on the way.
                order = routing.request_information(order, question="请确认客户的具体扣费月份。", by=handler, now=t)
                order = routing.answer_information(order, answer="客户确认为本月账单。", by=agent,
                                                   now=t + dt.timedelta(minutes=40))
            t += dt.timedelta(hours=3)
            order = routing.return_result(order, findings="经核查，问题属实，原因已查明。", substantiated=True,
                                          actions_taken="已处理并恢复正常。", proposed_answer="向客户致歉并说明已处理完毕。",
                                          root_cause="系统配置错误", by=handler, now=t)
            if target == "under_review":
                continue
            t += dt.timedelta(hours=1)
            followup.approve_result(order, by=agent, now=t)
            if target == "awaiting_reply":
                continue
            complaint = Complaint.objects.get(pk=complaint.pk)
            followup.log_contact_attempt(complaint, outcome="reached", by=agent, now=t + dt.timedelta(minutes=10))
            complaint = followup.reply(complaint, summary="已向客户说明处理结果并致歉，客户表示理解。", by=agent,
                                       now=t + dt.timedelta(minutes=15))
            if target == "replied":
                continue
            visit = t + dt.timedelta(days=1)
            complaint = followup.return_visit(complaint, reached=True, problem_solved=target != "reopened",
                                              satisfaction="dissatisfied" if target == "reopened" else
                                              rng.choice(["satisfied", "satisfied", "basically"]),
                                              by=agent, now=visit)
            if target == "reopened":
                continue
            followup.close(complaint, resolution_code="fixed", root_cause="系统配置错误", responsible_team=teams[team.code],
                           by=agent, now=visit + dt.timedelta(minutes=5))
    return index


def demo_status_counts() -> dict[str, int]:
    return {s: Complaint.objects.filter(status=s).count() for s in Status.values}
