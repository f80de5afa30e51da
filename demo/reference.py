"""The reference data of DOMAIN.md: teams, categories with their routing, severities and time limits.

Idempotent: running it again updates names and limits in place and creates nothing twice.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from complaints.lifecycle import Role
from complaints.models import Severity, TimeLimit
from routing.models import Category, Team

TEAMS = [
    # code, Chinese, English
    ("network", "网络技术", "Network"),
    ("billing", "计费账务", "Billing"),
    ("business", "业务受理", "Business"),
]

CATEGORIES = [
    # code, Chinese, English, default team, default severity, keywords (pinyin initials, synonyms)
    ("network_quality", "网络质量", "Network quality", "network", Severity.GENERAL,
     "wlzl 信号 掉话 网速 5G signal dropped calls slow data"),
    ("broadband_home", "宽带/家庭业务", "Broadband & home", "network", Severity.GENERAL,
     "kd jt 宽带 装机 维修 IPTV broadband installation repair"),
    ("billing_dispute", "计费争议", "Billing dispute", "billing", Severity.GENERAL,
     "jfzy 扣费 账单 流量费 退费 发票 charges bill refund invoice"),
    ("value_added", "增值业务", "Value-added services", "billing", Severity.GENERAL,
     "zzyw 订购 退订 subscription unsubscribe"),
    ("plans_orders", "套餐/业务办理", "Plans & orders", "business", Severity.GENERAL,
     "tc ywbl 套餐 变更 销户 过户 实名 plan change cancel transfer real-name"),
    ("number_portability", "携号转网", "Number portability", "business", Severity.GENERAL,
     "xhzw 授权码 转出 porting authorisation code"),
    ("marketing", "营销宣传", "Marketing", "business", Severity.GENERAL,
     "yxxc 宣传 承诺 misleading promotion promise"),
    ("service_conduct", "服务态度", "Service conduct", "business", Severity.GENERAL,
     "fwtd 态度 营业厅 热线 装维 conduct shop hotline technician"),
    ("information_security", "信息安全", "Information security", "business", Severity.IMPORTANT,
     "xxaq 泄露 骚扰 垃圾短信 leak harassment spam"),
]

# severity: reply (amount, unit), back-office result (amount, unit), return visit working days
TIME_LIMITS = {
    Severity.GENERAL: ((3, "working_days"), (2, "working_days"), 2),
    Severity.IMPORTANT: ((2, "working_days"), (1, "working_days"), 2),
    Severity.URGENT: ((1, "working_days"), (4, "working_hours"), 1),
    Severity.CRITICAL: ((0, "same_day"), (2, "working_hours"), 1),
}


@transaction.atomic
def load_reference_data() -> dict[str, Team]:
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    teams = {}
    for code, zh, en in TEAMS:
        teams[code], _ = Team.objects.update_or_create(code=code, defaults={"name_zh": zh, "name_en": en})
    for code, zh, en, team, severity, keywords in CATEGORIES:
        Category.objects.update_or_create(
            code=code,
            defaults={"name_zh": zh, "name_en": en, "default_team": teams[team], "default_severity": severity,
                      "keywords": keywords},
        )
    for severity, ((r_amount, r_unit), (w_amount, w_unit), visit_days) in TIME_LIMITS.items():
        TimeLimit.objects.update_or_create(
            severity=severity,
            defaults={"reply_amount": r_amount, "reply_unit": r_unit, "result_amount": w_amount,
                      "result_unit": w_unit, "return_visit_days": visit_days},
        )
    return teams
