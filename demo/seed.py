"""Benchmark data: N complaints with their customers, work orders, notes, contact attempts and audit trail.

Rows are generated as COPY text lines, chunk by chunk, in order of receipt, so ids follow time as they
do in production. PostgreSQL takes each chunk through COPY on a writer thread while the next chunk is
generated (the two share the machine's cores); other databases get batched INSERTs (small N: tests).

Every row satisfies the models' constraints and the lifecycle: each complaint's events replay a legal
path (`complaints.lifecycle.TRANSITIONS`), a handled complaint's status is `status_from_orders` of its
work orders, handlers are members of the order's team, and the promise, due and legal times come from
the working calendar. Deterministic for a given --seed, database state and "now".

The SLA sweep's flag columns (reply_breached_at, breached_at, ...) are left empty, as if the sweep had
not run since loading: the first sweep flags the whole backlog, which is what a sweep benchmark wants.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import queue
import random
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connections, models, transaction
from django.db.models import Max
from django.utils import timezone

from complaints.history import recompute_customer_history
from complaints.lifecycle import ACTIVE_ORDER, HANDLING, Role, status_from_orders
from complaints.models import Complaint, Customer, Event, Note, TimeLimit
from demo.reference import load_reference_data
from demo.users import DEMO_PASSWORD, load_demo_users
from followup.models import ContactAttempt
from routing.actions import copy_receipt_to_orders, recompute_teams_reached
from routing.models import Category, Membership, Team, WorkOrder
from worktime import clocks

DEFAULT_SEED = 20260601
DEFAULT_CHUNK = 5_000  # complaints per transaction: ~40k event rows per COPY, ~200 MB peak for a million
DAY = 86_400
GOLDEN = 0.6180339887498949
HOUR = 3_600
N = "\\N"  # NULL in COPY text
ORIGIN = "seed"

# The tables in the order they are written; the columns are every concrete field, in this order.
TABLES: list[tuple[str, type[models.Model], tuple[str, ...]]] = [
    ("customers", Customer, ("id", "account", "contact_number", "name", "high_value", "tags", "created_at")),
    ("complaints", Complaint, (
        "id", "customer_id", "contact_number", "occurred_at", "category_id", "description", "demand", "channel",
        "regulator_case_number", "escalation_declared", "media_threat", "media_exposure", "group_complaint",
        "data_leak", "severity", "severity_reason", "status", "round", "version", "first_contact_owner_id",
        "repeat_of_id", "intake_key", "created_at", "updated_at", "received_at", "promised_reply_at",
        "reply_risk_from", "legal_deadline_at", "replied_at", "return_visit_due_at", "return_visited_at", "closed_at", "resolved_on_the_spot",
        "reply_summary", "resolution_code", "root_cause", "responsible_team_id", "return_visit_failures",
        "problem_solved", "satisfaction", "void_reason")),
    ("work_orders", WorkOrder, (
        "id", "complaint_id", "round", "team_id", "state", "version", "severity", "initial_judgement", "help_needed",
        "dispatched_by_id", "dispatched_at", "claimed_by_id", "claimed_at", "due_at", "at_risk_at", "paused_at", "urge_count",
        "rejection_count", "transferred_from_id", "info_question", "info_answer", "reason", "findings",
        "substantiated", "actions_taken", "proposed_answer", "root_cause", "returned_at", "updated_at")),
    ("notes", Note, ("id", "complaint_id", "work_order_id", "author_id", "body", "created_at")),
    ("contact_attempts", ContactAttempt, (
        "id", "complaint_id", "purpose", "outcome", "call_back_at", "satisfaction", "remark", "by_id", "at")),
    ("events", Event, (
        "id", "complaint_id", "work_order_id", "kind", "actor_id", "at", "origin", "from_status", "to_status", "data")),
]
TABLE_NAMES = [name for name, _model, _columns in TABLES]

# ---------------------------------------------------------------------------------------------------
# What the data looks like. Weights per 1000 complaints.

STATUS_WEIGHTS = [
    ("draft", 2),
    # open: 30%, a sixth of each overdue (its promised reply has passed): ~5% of all complaints
    ("received", 30), ("dispatched", 70), ("in_progress", 100), ("waiting_info", 30), ("suspended", 15),
    ("under_review", 30), ("awaiting_reply", 25),
    ("replied", 60), ("closed", 580), ("voided", 30), ("rejected", 28),
]
OPEN_STATUSES = ("received", "dispatched", "in_progress", "waiting_info", "suspended", "under_review", "awaiting_reply")
OVERDUE_SHARE = 1 / 6
# Receipt age (seconds) per kind of plan: open ones are recent unless overdue, closed ones span the year.
AGES = {
    "draft": (60, HOUR),
    "open": (10 * 60, 2 * DAY),
    "open_late": (2 * DAY, 10 * DAY),  # a third of the open ones: their promise was moved, or is passing
    "overdue": (4 * DAY, 40 * DAY),
    "replied": (1 * DAY, 12 * DAY),
    "final": (3 * DAY, 365 * DAY),
}
SEVERITIES = ("general", "important", "urgent", "critical")
CHANNELS = [("phone", 70), ("online", 15), ("shop", 6), ("email", 2), ("social", 4), ("regulator", 3)]
CATEGORY_WEIGHTS = {"network_quality": 25, "broadband_home": 18, "billing_dispute": 22, "value_added": 8,
                    "plans_orders": 10, "number_portability": 4, "marketing": 5, "service_conduct": 5,
                    "information_security": 3}
CALL_HOURS = [(8, 4), (9, 10), (10, 12), (11, 11), (12, 6), (13, 7), (14, 10), (15, 10), (16, 9), (17, 7),
              (18, 5), (19, 5), (20, 4)]
RESOLUTIONS = [("fixed", 35), ("refunded", 20), ("explained", 30), ("changed", 10), ("cannot_fix", 5)]

TEXTS = {
    "network_quality": [("小区近一周手机信号很差，室内经常无服务。", "尽快修复小区信号。"),
                        ("通话频繁掉线，影响工作。", "排查基站问题并给予补偿。"),
                        ("办理了5G套餐但一直只能用4G，网速很慢。", "确认5G覆盖并解决网速问题。")],
    "broadband_home": [("宽带每天晚上断线多次，重启光猫无效。", "上门检修宽带，减免本月宽带费。"),
                       ("预约的装机师傅两次爽约，没有任何通知。", "尽快完成装机并道歉。"),
                       ("IPTV画面经常卡顿。", "修复IPTV播放问题。")],
    "billing_dispute": [("本月话费比平时多出120元，有不认识的流量费。", "核实扣费原因并退还多扣费用。"),
                        ("已申请的电子发票一直没有收到。", "三天内开具发票。"),
                        ("停机期间仍被收取月租。", "退还停机期间月租。")],
    "value_added": [("从未订购过视频会员，却每月扣费15元。", "退订业务并全额退还已扣费用。"),
                    ("短信提示开通了彩铃业务，本人并未同意。", "取消彩铃并退费。")],
    "plans_orders": [("营业厅拒绝为我办理套餐降档。", "按规定办理套餐变更。"),
                     ("申请销户被要求先缴纳违约金。", "说明依据并办理销户。")],
    "number_portability": [("申请携号转网授权码一直提示有未结清业务。", "说明限制原因并提供授权码。")],
    "marketing": [("营业员承诺的充值返费没有到账。", "兑现承诺的返费。"),
                  ("宣传的不限量套餐实际限速。", "按宣传内容提供服务或退费。")],
    "service_conduct": [("上门装维人员态度恶劣。", "道歉并对装维人员进行处理。"),
                        ("热线客服中途挂断电话。", "回电道歉并解决问题。")],
    "information_security": [("每天收到大量骚扰电话，怀疑个人信息被泄露。", "查明泄露原因并处理骚扰号码。"),
                             ("收到冒充客服的诈骗短信。", "拦截并核查短信来源。")],
}
GENERIC_TEXTS = [("客户反映的问题需要核实。", "尽快处理并答复。")]
JUDGEMENTS = ["初步判断为区域性故障。", "疑似计费系统异常。", "需核实客户业务办理记录。", "客户情绪较大，请优先处理。"]
HELP_NEEDED = ["请核查并回复处理结果。", "请安排上门处理。", "请核实扣费明细。", "请联系客户确认细节。"]
QUESTIONS = ["请补充客户故障发生的具体地址。", "请提供客户的账单月份。", "请确认客户方便上门的时间。"]
ANSWERS = ["已联系客户补充：地址为小区3号楼。", "客户确认为上月账单。", "客户方便的时间为工作日下午。"]
FINDINGS = ["经查为附近基站故障，已修复。", "经查为系统重复扣费，已退费。", "经查客户确实办理过该业务，已解释。",
            "已上门更换光猫，线路恢复正常。"]
ACTIONS_TAKEN = ["已修复故障。", "已退还费用。", "已向客户解释。", "已更换设备。"]
ANSWER_TO_CUSTOMER = ["您反映的问题已处理完毕，给您带来不便深表歉意。", "多扣的费用已退回原账户，请查收。",
                      "经核实该业务为您本人办理，已为您退订。"]
ROOT_CAUSES = ["基站设备故障", "计费系统缺陷", "营业员操作不规范", "光猫老化", "业务规则解释不清"]
NOTES = ["已安抚客户情绪。", "正在联系现场人员核查。", "已提交厂家分析，等待结果。", "客户再次来电询问进度。"]
TRANSFER_REASONS = ["问题属于其他专业处理范围。", "需计费部门核实。"]
SEND_BACK_REASONS = ["派单信息不全，请补充后重新派单。", "非本专业问题，请重新分派。"]
SUSPEND_REASONS = ["等待厂家备件到货。", "等待客户出差回来后上门。"]
VOID_REASONS = ["重复投诉，已合并处理。", "客户撤销投诉。"]
REJECT_REASONS = ["咨询类来电，不属于投诉。"]
PROMISE_REASONS = ["需厂家配合，处理时间延长。"]
RAISE_REASON = "客户情绪激动，主动提升处理级别。"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红"
HIGH_VALUE_TAGS = '["高价值"]'
MOBILE_PREFIXES = ["139", "137", "136", "135", "150", "151", "152", "158", "187", "188", "182", "183"]


def _clean(*pools) -> None:
    # COPY text format: these characters would need escaping, and the pools never need them.
    for pool in pools:
        for item in pool:
            for text in (item if isinstance(item, tuple) else (item,)):
                if isinstance(text, str) and any(c in text for c in "\t\n\r\\\""):
                    raise ValueError(f"seed text must not contain tabs, newlines, backslashes or quotes: {text!r}")


_clean(*TEXTS.values(), GENERIC_TEXTS, JUDGEMENTS, HELP_NEEDED, QUESTIONS, ANSWERS, FINDINGS, ACTIONS_TAKEN,
       ANSWER_TO_CUSTOMER, ROOT_CAUSES, NOTES, TRANSFER_REASONS, SEND_BACK_REASONS, SUSPEND_REASONS, VOID_REASONS,
       REJECT_REASONS, PROMISE_REASONS, [RAISE_REASON])


def _weighted(rng: random.Random, pairs):
    """A chooser over (value, weight) pairs; cum_weights make each draw one bisect."""
    values = [v for v, _w in pairs]
    cum, total = [], 0
    for _v, w in pairs:
        total += w
        cum.append(total)
    choices = rng.choices

    def draw():
        return choices(values, cum_weights=cum)[0]

    return draw


# ---------------------------------------------------------------------------------------------------
# Time: local wall-clock seconds (naive, in settings.TIME_ZONE) written as text the session reads in
# the same zone, and working-time deadlines with worktime.calendar's arithmetic on precomputed days.

EPOCH = dt.date(1970, 1, 1)


class FastCalendar:
    """WorkingCalendar.deadline on integer seconds, for days within [first, last] (others: the calendar)."""

    def __init__(self, calendar, first: dt.date, last: dt.date, tz: dt.tzinfo):
        self.calendar, self.tz = calendar, tz
        start, end = calendar.workday_start, calendar.workday_end
        self.ws = start.hour * HOUR + start.minute * 60
        self.we = end.hour * HOUR + end.minute * 60
        self.mpd = calendar.minutes_per_day
        self.d0 = (first - EPOCH).days
        self.d1 = (last - EPOCH).days
        quiet = logging.getLogger("worktime.calendar")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # days beyond the published calendar: reported once, below
        try:
            self.working = [calendar.is_working_day(EPOCH + dt.timedelta(days=d)) for d in range(self.d0, self.d1 + 2)]
        finally:
            quiet.setLevel(level)
        self.unknown_days = sorted(calendar.unknown_days)
        # next_wd[i]: the first working day after day d0 + i
        n = len(self.working)
        self.next_wd = [0] * n
        following = None
        for i in range(n - 1, -1, -1):
            self.next_wd[i] = following if following is not None else self._slow_next(self.d0 + i)
            if self.working[i]:
                following = self.d0 + i
        self._days: dict[int, str] = {}
        self._offsets: dict[int, str] = {}
        self.tod = [f"{s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]

    def _slow_next(self, d: int) -> int:
        return (self.calendar.next_working_day(EPOCH + dt.timedelta(days=d)) - EPOCH).days

    def is_working(self, d: int) -> bool:
        if self.d0 <= d <= self.d1:
            return self.working[d - self.d0]
        return self.calendar.is_working_day(EPOCH + dt.timedelta(days=d))

    def next_working(self, d: int) -> int:
        if self.d0 <= d <= self.d1:
            return self.next_wd[d - self.d0]
        return self._slow_next(d)

    def clamp(self, s: int) -> int:
        d = s // DAY
        if self.is_working(d):
            base = d * DAY
            if s < base + self.ws:
                return base + self.ws
            if s < base + self.we:
                return s
        return self.next_working(d) * DAY + self.ws

    def add_working_minutes(self, s: int, minutes: int) -> int:
        s = self.clamp(s)
        remaining = minutes
        while True:
            end = s // DAY * DAY + self.we
            left = (end - s) // 60
            if remaining <= left:
                return s + remaining * 60
            remaining -= left
            s = self.next_working(s // DAY) * DAY + self.ws

    def working_minutes_between(self, s: int, e: int) -> int:
        total = 0
        m = self.clamp(s)
        while m < e:
            day_end = m // DAY * DAY + self.we
            total += (min(day_end, e) - m) // 60
            if e <= day_end:
                break
            m = self.next_working(m // DAY) * DAY + self.ws
        return total

    def at_risk_point(self, start: int, due: int) -> int:
        """worktime.clocks.at_risk_point: 80% of the working time between start and due."""
        used = int(self.working_minutes_between(start, due) * clocks.AT_RISK_SHARE)
        return self.add_working_minutes(start, used) if used else start

    def deadline(self, s: int, amount: int, unit: str) -> int:
        if unit == "same_day":
            return self.clamp(s) // DAY * DAY + self.we
        if unit == "working_hours":
            return self.add_working_minutes(s, amount * 60)
        return self.add_working_minutes(s, amount * self.mpd)

    # text
    def day(self, d: int) -> str:
        text = self._days.get(d)
        if text is None:
            text = self._days[d] = (EPOCH + dt.timedelta(days=d)).isoformat()
        return text

    def ts(self, s: int) -> str:
        return f"{self.day(s // DAY)} {self.tod[s % DAY]}"

    def iso(self, s: int) -> str:
        """As datetime.isoformat() of the aware local time, for the events' data."""
        d = s // DAY
        offset = self._offsets.get(d)
        if offset is None:
            noon = dt.datetime.combine(EPOCH + dt.timedelta(days=d), dt.time(12), tzinfo=self.tz)
            offset = self._offsets[d] = noon.isoformat()[-6:]
        return f"{self.day(d)}T{self.tod[s % DAY]}{offset}"


def local_seconds(moment: dt.datetime, tz: dt.tzinfo) -> int:
    local = moment.astimezone(tz).replace(tzinfo=None)
    return (local.date() - EPOCH).days * DAY + local.hour * HOUR + local.minute * 60 + local.second


# ---------------------------------------------------------------------------------------------------
# Staff and reference data


def ensure_staff(*, agents: int = 50, per_team: int = 20, supervisors: int = 3) -> None:
    """Extra agents, back-office staff (per active team) and supervisors, in a few statements. Idempotent."""
    teams = list(Team.objects.filter(active=True))
    rng = random.Random(7)
    wanted: list[tuple[str, Role, Team | None]] = [(f"seed_agent{i:03d}", Role.AGENT, None) for i in range(1, agents + 1)]
    wanted += [(f"seed_{team.code}{i:02d}", Role.BACKOFFICE, team) for team in teams for i in range(1, per_team + 1)]
    wanted += [(f"seed_supervisor{i:02d}", Role.SUPERVISOR, None) for i in range(1, supervisors + 1)]
    names = [u for u, _r, _t in wanted]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    if len(existing) < len(names):
        password = make_password(DEMO_PASSWORD)  # hashed once: every seeded user can log in for load tests
        User.objects.bulk_create(
            [User(username=u, password=password, first_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN))
             for u in names if u not in existing], batch_size=500)
    ids = dict(User.objects.filter(username__in=names).values_list("username", "id"))
    groups = dict(Group.objects.filter(name__in=Role.values).values_list("name", "id"))
    UserGroup = User.groups.through
    UserGroup.objects.bulk_create([UserGroup(user_id=ids[u], group_id=groups[r.value]) for u, r, _t in wanted],
                                  ignore_conflicts=True)
    Membership.objects.bulk_create([Membership(user_id=ids[u], team=t) for u, _r, t in wanted if t is not None],
                                   ignore_conflicts=True)


@dataclass
class Reference:
    agents: list[int]
    supervisors: list[int]
    members: dict[int, list[int]]  # team id -> back-office members
    team_code: dict[int, str]
    categories: list[tuple[int, str, int, int]]  # id, code, default team id, default severity rank
    category_weights: list[int]
    limits: dict[str, tuple[int, str, int, str, int]]


def load_reference() -> Reference:
    def role_users(role: Role) -> list[int]:
        return list(User.objects.filter(groups__name=role.value, is_active=True).order_by("pk")
                    .values_list("pk", flat=True).distinct())

    backoffice = set(role_users(Role.BACKOFFICE))
    members: dict[int, list[int]] = {}
    for team_id, user_id in Membership.objects.filter(team__active=True).order_by("team_id", "user_id").values_list(
            "team_id", "user_id"):
        if user_id in backoffice:
            members.setdefault(team_id, []).append(user_id)
    categories = [
        (c.pk, c.code, c.default_team_id, SEVERITIES.index(c.default_severity))
        for c in Category.objects.filter(active=True, default_team__active=True).order_by("pk")
        if c.default_team_id in members
    ]
    limits = {t.severity: (t.reply_amount, t.reply_unit, t.result_amount, t.result_unit, t.return_visit_days)
              for t in TimeLimit.objects.all()}
    ref = Reference(
        agents=role_users(Role.AGENT), supervisors=role_users(Role.SUPERVISOR), members=members,
        team_code=dict(Team.objects.values_list("pk", "code")), categories=categories,
        category_weights=[CATEGORY_WEIGHTS.get(code, 3) for _id, code, _t, _s in categories], limits=limits,
    )
    missing = [s for s in SEVERITIES if s not in limits]
    if not ref.agents or not ref.supervisors or not categories or missing:
        raise RuntimeError("seed needs agents, supervisors, categories with staffed teams and every time limit "
                           f"(missing limits: {missing})")
    return ref


# ---------------------------------------------------------------------------------------------------
# One complaint's path


class Order:
    __slots__ = ("id", "team", "state", "handler", "claimed_at", "dispatched_by", "dispatched_at", "due_at", "at_risk_at", "paused_at",
                 "urges", "rejections", "transferred_from", "question", "answer", "reason", "substantiated",
                 "result", "returned_at", "updated_at", "severity", "judgement", "help")

    def __init__(self, oid: int, team: int, severity: str):
        self.id, self.team, self.severity = oid, team, severity
        self.state = "new"
        self.handler = self.claimed_at = self.paused_at = self.transferred_from = self.returned_at = None
        self.dispatched_by = self.dispatched_at = self.due_at = self.at_risk_at = self.updated_at = None
        self.urges = self.rejections = 0
        self.question = self.answer = self.reason = ""
        self.substantiated = None
        self.result = None  # index into the result texts
        self.judgement = self.help = ""


@dataclass
class Chunk:
    lines: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in TABLE_NAMES})
    complaints: int = 0


class Generator:
    """Makes the rows; ids continue from `start` (the current maximum + 1 of each table)."""

    def __init__(self, *, ref: Reference, cal: FastCalendar, rng: random.Random, now: int, start: dict[str, int],
                 customers: int, account_prefix: str):
        self.ref, self.cal, self.rng, self.now = ref, cal, rng, now
        self.next_id = dict(start)
        self.customers = customers
        self.customer_base = start["customers"]
        self.account_prefix = account_prefix
        self.high_value = bytearray(customers)
        # the customer's last complaint so far (id, receipt, category, still open) for repeat_of
        self.last_id = array("q", bytes(8 * customers))
        self.last_at = array("q", bytes(8 * customers))
        self.last_cat = array("q", bytes(8 * customers))
        self.last_open = bytearray(customers)
        r = rng
        self.channel = _weighted(r, CHANNELS)
        self.category = _weighted(r, list(zip(ref.categories, ref.category_weights, strict=True)))
        self.resolution = _weighted(r, RESOLUTIONS)
        self.call_hour = _weighted(r, CALL_HOURS)
        self.team_ids = sorted(ref.members)
        self.variant: dict[str, float] = {}

    # ids -----------------------------------------------------------------------------------------
    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    # plan ----------------------------------------------------------------------------------------
    def plan(self, total: int, open_share: float | None = None) -> array:
        """(receipt seconds, status index, overdue) of every complaint, packed and sorted by receipt.

        `open_share` rescales the open statuses to that share of all complaints (the rest keep their
        proportions): the default mix keeps 30% open, a stress case for queues and sweeps; a centre
        that answers within days has a few percent open in a year of history.
        """
        rng, now = self.rng, self.now
        weights = [w for _s, w in STATUS_WEIGHTS]
        if open_share is not None:
            open_weight = sum(w for s, w in STATUS_WEIGHTS if s in OPEN_STATUSES)
            other = sum(weights) - open_weight
            weights = [round(1_000_000 * (w * open_share / open_weight if s in OPEN_STATUSES
                                          else w * (1 - open_share) / other))
                       for s, w in STATUS_WEIGHTS]
        counts = _apportion(total, weights)
        keys = []
        for index, ((status, _w), count) in enumerate(zip(STATUS_WEIGHTS, counts, strict=True)):
            overdue_count = round(count * OVERDUE_SHARE) if status in OPEN_STATUSES else 0
            for k in range(count):
                if status == "draft":
                    kind = "draft"
                elif status in OPEN_STATUSES:
                    kind = "overdue" if k < overdue_count else ("open_late" if rng.random() < 0.3 else "open")
                elif status == "replied":
                    kind = "replied"
                else:
                    kind = "final"
                low, high = AGES[kind]
                s = self._call_time(now - low - int(rng.random() * (high - low)), now - low)
                keys.append((s * 32 + index) * 2 + (kind == "overdue"))
        keys.sort()
        return array("q", keys)

    def _call_time(self, s: int, latest: int) -> int:
        """The same day at a call-centre hour (never later than `latest`)."""
        rng = self.rng
        moved = s // DAY * DAY + self.call_hour() * HOUR + int(rng.random() * HOUR)
        while moved > latest:
            moved -= DAY
        return moved

    def assign_customers(self, total: int) -> array:
        """Every customer complains at least once (when total allows); some many times."""
        rng, n = self.rng, self.customers
        owners = array("l", range(min(n, total)))
        owners.extend(int(n * rng.random() ** 2) for _ in range(total - len(owners)))
        rng.shuffle(owners)
        return owners

    # customers -----------------------------------------------------------------------------------
    def customer_rows(self, first: int, count: int, out: list[str]) -> None:
        rng, cal = self.rng, self.cal
        earliest = self.now - 400 * DAY
        for index in range(first, first + count):
            cid = self.customer_base + index
            account = f"{self.account_prefix}{cid:08d}"
            contact = account if rng.random() < 0.85 else f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
            high = rng.random() < 0.06
            self.high_value[index] = high
            name = rng.choice(SURNAMES) + ("先生" if rng.random() < 0.5 else "女士")
            created = earliest - int(rng.random() * 3 * 365 * DAY)
            out.append(f"{cid}\t{account}\t{contact}\t{name}\t{_b(high)}\t{HIGH_VALUE_TAGS if high else '[]'}\t"
                       f"{cal.ts(created)}")

    # complaints ----------------------------------------------------------------------------------
    def complaints(self, keys, owners, first: int, count: int) -> Chunk:
        chunk = Chunk()
        for i in range(first, first + count):
            key = keys[i]
            overdue = key & 1
            s = key >> 1
            self._complaint(chunk.lines, s >> 5, STATUS_WEIGHTS[s & 31][0], bool(overdue), owners[i])
        chunk.complaints = count
        return chunk

    def _complaint(self, out, received: int, status: str, overdue: bool, owner: int) -> None:
        rng, cal, ref = self.rng, self.cal, self.ref
        rand = rng.random
        cid = self._id("complaints")
        cat_id, cat_code, cat_team, cat_rank = self.category()
        channel = self.channel()
        customer = self.customer_base + owner
        agent = rng.choice(ref.agents)
        draft = status == "draft"

        repeat_of = None
        if not draft:
            last = self.last_id[owner]
            if last and received - self.last_at[owner] <= 30 * DAY and (
                    self.last_cat[owner] == cat_id or self.last_open[owner]):
                repeat_of = last
            if status not in ("voided", "rejected"):
                self.last_id[owner], self.last_at[owner], self.last_cat[owner] = cid, received, cat_id
                self.last_open[owner] = status in OPEN_STATUSES

        escalation = rand() < 0.04
        media_threat = rand() < 0.01
        group = cat_code in ("network_quality", "broadband_home") and rand() < 0.01
        exposure = rand() < 0.002
        leak = cat_code == "information_security" and rand() < 0.05
        rules = []
        floor = 0
        for flag, rank, reason in ((repeat_of is not None, 1, "repeat"), (self.high_value[owner], 1, "high_value"),
                                   (escalation, 1, "escalation_declared"), (channel == "regulator", 2, "regulator"),
                                   (media_threat, 2, "media_threat"), (group, 3, "group_complaint"),
                                   (exposure, 3, "media_exposure"), (leak, 3, "data_leak")):
            if flag:
                rules.append(reason)
                floor = max(floor, rank)
        rank = max(floor, cat_rank)
        severity_reason = ""
        if rank < 3 and rand() < 0.03:
            rank += 1
            severity_reason = RAISE_REASON
        severity = SEVERITIES[rank]
        reply_amount, reply_unit, result_amount, result_unit, visit_days = ref.limits[severity]
        description, demand = rng.choice(TEXTS.get(cat_code, GENERIC_TEXTS))
        regulator_case = f"工信部转办-{cal.day(received // DAY)[:4]}-{cid:08d}" if channel == "regulator" else ""

        c = _State(cid, status)
        c.severity, c.cat_team = severity, cat_team
        events = out["events"]
        recorded_at = received - 60 - int(rand() * 420)
        rules_json = "[" + ", ".join(f'"{r}"' for r in rules) + "]"
        self._event(events, c, None, "record", agent, recorded_at, "", "draft",
                    f'{{"severity": "{severity}", "severity_rules": {rules_json}, '
                    f'"repeat_of": {repeat_of if repeat_of else "null"}, "attachments": []}}')
        received_at = promised = legal = None
        if not draft:
            received_at = received
            promised = cal.deadline(received, reply_amount, reply_unit)
            legal = received + 15 * DAY
            c.promised = promised
            c.risk_from = cal.at_risk_point(received, promised)
            self._event(events, c, None, "confirm_read_back", agent, received, "draft", "received",
                        f'{{"promised_reply_at": "{cal.iso(promised)}"}}')
            self._path(out, c, status, received, agent, cat_team, severity, result_amount, result_unit, visit_days,
                       overdue, legal)
            if status != c.status:
                raise AssertionError(f"seed path for {status} ended in {c.status}")

        rv = c.visit_failures
        row = (
            cid, customer, f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if rand() < 0.1 else
            f"{self.account_prefix}{customer:08d}",
            cal.ts((received if not draft else recorded_at) - 3600 - int(rand() * 3 * DAY)), cat_id, description, demand,
            channel, regulator_case, _b(escalation), _b(media_threat), _b(exposure), _b(group), _b(leak), severity,
            severity_reason, status, 1, 1, agent, repeat_of if repeat_of else N, N, cal.ts(recorded_at),
            cal.ts(c.updated), _ts(cal, received_at), _ts(cal, c.promised), _ts(cal, c.risk_from), _ts(cal, legal), _ts(cal, c.replied_at),
            _ts(cal, c.visit_due), _ts(cal, c.visited_at), _ts(cal, c.closed_at), _b(c.on_the_spot), c.reply_summary, c.resolution_code,
            c.root_cause, c.responsible_team or N, rv, N if c.solved is None else _b(c.solved), c.satisfaction,
            c.void_reason,
        )
        out["complaints"].append("\t".join(map(str, row)))
        work_orders = out["work_orders"]
        for o in c.orders:
            work_orders.append("\t".join(map(str, (
                o.id, cid, 1, o.team, o.state, 1, o.severity, o.judgement, o.help, o.dispatched_by,
                cal.ts(o.dispatched_at), o.handler or N, _ts(cal, o.claimed_at), cal.ts(o.due_at), cal.ts(o.at_risk_at),
                _ts(cal, o.paused_at),
                o.urges, o.rejections, o.transferred_from or N, o.question, o.answer, o.reason,
                FINDINGS[o.result] if o.result is not None else "",
                N if o.substantiated is None else _b(o.substantiated),
                ACTIONS_TAKEN[o.result] if o.result is not None else "",
                ANSWER_TO_CUSTOMER[o.result % 3] if o.result is not None else "",
                ROOT_CAUSES[o.result] if o.result is not None else "", _ts(cal, o.returned_at), cal.ts(o.updated_at),
            ))))

    def _event(self, events: list[str], c: _State, order: Order | None, kind: str, actor: int, at: int,
               from_status: str, to_status: str, data: str = "{}") -> None:
        events.append(f"{self._id('events')}\t{c.id}\t{order.id if order else N}\t{kind}\t{actor}\t{self.cal.ts(at)}\t"
                      f"{ORIGIN}\t{from_status}\t{to_status}\t{data}")
        c.status = to_status
        c.updated = at
        if order is not None:
            order.updated_at = at

    def _order_event(self, events, c: _State, order: Order, kind: str, actor: int, at: int, state: str,
                     extra: str = "") -> None:
        before = order.state
        order.state = state
        to = status_from_orders([o.state for o in c.orders]).value
        self._event(events, c, order, kind, actor, at, c.status, to,
                    f'{{"order_from": "{before}", "order_to": "{state}"{extra}}}')

    # the path ------------------------------------------------------------------------------------
    def _path(self, out, c: _State, status: str, received: int, agent: int, cat_team: int, severity: str,
              result_amount: int, result_unit: str, visit_days: int, overdue: bool, legal: int) -> None:
        """Plans the steps with nominal delays, fits them between receipt and now, then replays them."""
        rng, ref = self.rng, self.ref
        rand = rng.random
        steps: list[tuple] = []  # (delay, action, args)

        def step(lo: int, hi: int, action: str, *args) -> None:
            steps.append((lo + int(rand() * (hi - lo)), action, args))

        def other_team(team: int) -> int:
            choices = [t for t in self.team_ids if t != team]
            return rng.choice(choices) if choices else team

        def order(team: int) -> Order:
            o = Order(self._id("work_orders"), team, severity)
            o.judgement, o.help = rng.choice(JUDGEMENTS), rng.choice(HELP_NEEDED)
            return o

        def handler(o: Order) -> int:
            return rng.choice(ref.members[o.team])

        # the orders' end states, per the complaint's status (status_from_orders must give it back)
        on_the_spot = False
        shapes: list[str] = []
        pre = None  # "transfer" / "send_back": a first order that moved on before the others
        void = None
        # Which variant of the status: a low-discrepancy sequence per status rather than a random draw, so
        # even a few hundred complaints show every variant in about its share.
        x = self.variant[status] = (self.variant.get(status, self.rng.random()) + GOLDEN) % 1.0
        if status == "received":
            if x < 0.15:
                pre = "send_back_only"
        elif status == "dispatched":
            shapes = ["queued"] if x < 0.8 else ["queued", "queued"] if x < 0.92 else ["queued"]
            pre = "transfer" if 0.92 <= x < 0.97 else "send_back" if x >= 0.97 else None
        elif status == "in_progress":
            shapes = (["claimed"] if x < 0.6 else ["suspension_requested"] if x < 0.68 else ["claimed", "queued"]
                      if x < 0.8 else ["claimed", "returned"] if x < 0.88 else ["claimed", "claimed"] if x < 0.95
                      else ["claimed"])
            pre = "transfer" if x >= 0.95 else None
        elif status == "waiting_info":
            shapes = ["waiting_info"] if x < 0.8 else ["waiting_info", rng.choice(["claimed", "queued", "returned"])]
        elif status == "suspended":
            shapes = ["suspended"] if x < 0.8 else ["suspended", rng.choice(["returned", "suspended"])]
        elif status == "under_review":
            shapes = ["returned"] if x < 0.8 else ["returned", "returned"] if x < 0.9 else ["returned", "accepted"]
        elif status == "awaiting_reply":
            shapes = ["accepted"] if x < 0.85 else ["accepted", "accepted"]
        elif status in ("replied", "closed"):
            on_the_spot = x < (0.25 if status == "replied" else 0.2)
            if not on_the_spot:
                shapes = ["accepted"] if x < 0.9 else ["accepted", "accepted"]
        elif status in ("voided", "rejected"):
            void = status
            if x < (0.6 if status == "voided" else 0.3):
                shapes = [rng.choice(["queued", "claimed"])]

        # first orders that moved on: sent back (the agent dispatches again) or transferred to another team
        if pre in ("send_back", "send_back_only"):
            o = order(other_team(cat_team))  # wrongly dispatched
            step(5 * 60, HOUR, "dispatch", o, agent)
            if rand() < 0.5:
                step(10 * 60, 4 * HOUR, "claim", o, handler(o))
            step(30 * 60, DAY, "send_back", o)
        teams = [cat_team] + [other_team(cat_team) for _ in shapes[1:]] if shapes else []
        orders = [order(t) for t in teams]
        if pre == "transfer":
            first = order(other_team(cat_team))
            step(5 * 60, HOUR, "dispatch", first, agent)
            if rand() < 0.5:
                step(10 * 60, 4 * HOUR, "claim", first, handler(first))
            step(30 * 60, DAY, "transfer", first, orders[0])
        elif shapes:
            for o in orders:
                step(2 * 60, HOUR, "dispatch", o, agent)
        if rand() < 0.08:
            step(60, 10 * 60, "agent_note", agent)

        # each order's own phases, interleaved phase by phase
        scripts = [self._script(o, shape, agent) for o, shape in zip(orders, shapes, strict=True)]
        for phase in range(max((len(s) for s in scripts), default=0)):
            for script in scripts:
                if phase < len(script):
                    steps.append(script[phase])

        if on_the_spot:
            step(2 * 60, 30 * 60, "on_the_spot", agent)
        elif status in ("replied", "closed"):
            if rand() < 0.15:
                step(10 * 60, 4 * HOUR, "attempt", agent, "reply", "not_reached")
            step(10 * 60, 4 * HOUR, "attempt", agent, "reply", "reached")
            step(60, 30 * 60, "reply", agent)
        if status == "closed":
            y = rand()
            failures = 3 if y < 0.05 else 1 if y < 0.12 else 0
            for _ in range(failures):
                step(2 * HOUR, DAY, "visit", agent, False)
            if failures < 3:
                step(HOUR, 2 * DAY, "visit", agent, True)
            step(5 * 60, HOUR, "close", agent)
        elif status == "replied":
            y = rand()
            for _ in range(1 if 0.5 <= y < 0.75 else 2 if 0.75 <= y < 0.85 else 0):
                step(2 * HOUR, DAY, "visit", agent, False)
            if y >= 0.85:
                step(HOUR, 2 * DAY, "visit", agent, True)
        if void:
            step(HOUR, 3 * DAY, "void", rng.choice(ref.supervisors), void)

        # fit the steps between receipt and now
        latest = self.now - 120 - received
        total = sum(d for d, _a, _args in steps)
        scale = latest / total if total > latest > 0 else 1.0 if total <= latest else 0.0
        at = received
        events = out["events"]
        for delay, action, args in steps:
            at += max(1, int(delay * scale)) if scale else 1
            getattr(self, "_do_" + action)(out, events, c, at, *args)
        if status in HANDLING:
            self._urges(events, c, agent, at)
        if status in OPEN_STATUSES and not overdue and c.promised <= self.now and legal > self.now + 2 * HOUR:
            self._move_promise(out, events, c, agent, max(c.updated + 1, self.now - HOUR), legal)
        if (status in OPEN_STATUSES or status == "replied") and rand() < 0.7:
            # the agent's daily look (跟进): the latest one
            at = max(c.updated + 1, self.now - 600 - int(rand() * 20 * HOUR))
            if at < self.now - 60:
                self._event(events, c, None, "check", agent, at, c.status, c.status, '{"remark": ""}')

    def _script(self, o: Order, shape: str, agent: int) -> list[tuple]:
        """The steps that bring one dispatched order to `shape` (dispatch itself is a step of the path)."""
        rng = self.rng
        rand = rng.random

        def s(lo, hi, action, *args):
            return (lo + int(rand() * (hi - lo)), action, args)

        if shape == "queued":
            return []
        who = rng.choice(self.ref.members[o.team])
        steps = [s(10 * 60, 6 * HOUR, "claim", o, who)]
        if rand() < 0.3:
            steps.append(s(30 * 60, DAY, "progress_note", o, who))
        if shape in ("returned", "accepted") and rand() < 0.1:
            steps.append(s(HOUR, 8 * HOUR, "request_information", o))
            steps.append(s(HOUR, DAY, "answer_information", o, agent))
        if shape == "waiting_info":
            steps.append(s(HOUR, 8 * HOUR, "request_information", o))
        elif shape in ("suspension_requested", "suspended"):
            steps.append(s(2 * HOUR, DAY, "request_suspension", o))
            if shape == "suspended":
                steps.append(s(10 * 60, 4 * HOUR, "approve_suspension", o, rng.choice(self.ref.supervisors)))
        elif shape in ("returned", "accepted"):
            steps.append(s(2 * HOUR, 2 * DAY, "return_result", o))
            if shape == "accepted":
                if rand() < 0.04:
                    steps.append(s(HOUR, 6 * HOUR, "reject_result", o, agent))
                    steps.append(s(2 * HOUR, DAY, "return_result", o))
                steps.append(s(10 * 60, 6 * HOUR, "approve_result", o, agent))
        # "claimed" / "cancelled" (claimed before the complaint is voided): the claim is enough
        return steps

    # the steps -----------------------------------------------------------------------------------
    def _do_dispatch(self, out, events, c: _State, at: int, o: Order, by: int) -> None:
        amount, unit = self.ref.limits[o.severity][2:4]
        o.dispatched_by, o.dispatched_at = by, at
        o.due_at = self.cal.deadline(at, amount, unit)
        o.at_risk_at = self.cal.at_risk_point(at, o.due_at)
        o.state = "queued"
        c.orders.append(o)
        to = status_from_orders([x.state for x in c.orders]).value
        self._event(events, c, o, "dispatch", by, at, c.status, to,
                    f'{{"team": "{self.ref.team_code[o.team]}", "order": {o.id}, "due_at": "{self.cal.iso(o.due_at)}"}}')

    def _do_claim(self, out, events, c, at, o: Order, by: int) -> None:
        o.handler, o.claimed_at = by, at
        self._order_event(events, c, o, "claim", by, at, "claimed")

    def _do_send_back(self, out, events, c, at, o: Order) -> None:
        o.reason = self.rng.choice(SEND_BACK_REASONS)
        by = o.handler or self.rng.choice(self.ref.members[o.team])
        self._order_event(events, c, o, "send_back", by, at, "sent_back", f', "reason": "{o.reason}"')

    def _do_transfer(self, out, events, c, at, o: Order, successor: Order) -> None:
        o.reason = self.rng.choice(TRANSFER_REASONS)
        by = o.handler or self.rng.choice(self.ref.members[o.team])
        successor.dispatched_by, successor.dispatched_at = by, at
        successor.due_at, successor.at_risk_at = o.due_at, o.at_risk_at
        successor.state, successor.transferred_from, successor.urges = "queued", o.id, o.urges
        successor.judgement, successor.help = o.judgement, o.help
        c.orders.append(successor)
        self._order_event(events, c, o, "transfer", by, at, "transferred",
                          f', "to_team": "{self.ref.team_code[successor.team]}", "new_order": {successor.id}, '
                          f'"reason": "{o.reason}"')
        successor.updated_at = at

    def _do_progress_note(self, out, events, c, at, o: Order, by: int) -> None:
        self._note(out, events, c, at, by, o)

    def _do_agent_note(self, out, events, c, at, by: int) -> None:
        self._note(out, events, c, at, by, None)

    def _note(self, out, events, c, at, by, o: Order | None) -> None:
        nid = self._id("notes")
        out["notes"].append(f"{nid}\t{c.id}\t{o.id if o else N}\t{by}\t{self.rng.choice(NOTES)}\t{self.cal.ts(at)}")
        self._event(events, c, o, "add_note", by, at, c.status, c.status, f'{{"note": {nid}}}')

    def _do_request_information(self, out, events, c, at, o: Order) -> None:
        o.question, o.answer, o.paused_at = self.rng.choice(QUESTIONS), "", at
        self._order_event(events, c, o, "request_information", o.handler, at, "waiting_info",
                          f', "question": "{o.question}"')

    def _do_answer_information(self, out, events, c, at, o: Order, by: int) -> None:
        o.answer = self.rng.choice(ANSWERS)
        paused = self.cal.working_minutes_between(o.paused_at, at)
        if paused:  # the clock resumes where it stopped (routing.actions._resume_clock)
            o.due_at = self.cal.add_working_minutes(o.due_at, paused)
            o.at_risk_at = self.cal.add_working_minutes(o.at_risk_at, paused)
        o.paused_at = None
        self._order_event(events, c, o, "answer_information", by, at, "claimed", f', "answer": "{o.answer}"')

    def _do_request_suspension(self, out, events, c, at, o: Order) -> None:
        o.reason = self.rng.choice(SUSPEND_REASONS)
        self._order_event(events, c, o, "request_suspension", o.handler, at, "suspension_requested",
                          f', "reason": "{o.reason}"')

    def _do_approve_suspension(self, out, events, c, at, o: Order, by: int) -> None:
        o.paused_at = at
        self._order_event(events, c, o, "approve_suspension", by, at, "suspended")

    def _do_return_result(self, out, events, c, at, o: Order) -> None:
        o.result = int(self.rng.random() * len(FINDINGS))
        o.substantiated = self.rng.random() < 0.7
        o.returned_at = at
        self._order_event(events, c, o, "return_result", o.handler, at, "returned",
                          f', "substantiated": {"true" if o.substantiated else "false"}')

    def _do_reject_result(self, out, events, c, at, o: Order, by: int) -> None:
        o.rejections += 1
        o.reason = "处理结果未回应客户诉求，请重新处理。"
        amount, unit = self.ref.limits[o.severity][2:4]
        o.due_at = self.cal.deadline(at, amount, unit)
        o.at_risk_at = self.cal.at_risk_point(at, o.due_at)
        self._order_event(events, c, o, "reject_result", by, at, "claimed", f', "reason": "{o.reason}"')

    def _do_approve_result(self, out, events, c, at, o: Order, by: int) -> None:
        self._order_event(events, c, o, "approve_result", by, at, "accepted")

    def _attempt(self, out, c, at, by, purpose, outcome, satisfaction="", call_back=None) -> int:
        aid = self._id("contact_attempts")
        out["contact_attempts"].append(f"{aid}\t{c.id}\t{purpose}\t{outcome}\t{_ts(self.cal, call_back)}\t{satisfaction}"
                                       f"\t\t{by}\t{self.cal.ts(at)}")
        return aid

    def _do_attempt(self, out, events, c, at, by: int, purpose: str, outcome: str) -> None:
        aid = self._attempt(out, c, at, by, purpose, outcome)
        self._event(events, c, None, "log_contact_attempt", by, at, c.status, c.status,
                    f'{{"attempt": {aid}, "purpose": "{purpose}", "outcome": "{outcome}"}}')

    def _do_reply(self, out, events, c, at, by: int) -> None:
        accepted = [o for o in c.orders if o.state == "accepted"]
        c.reply_summary = ANSWER_TO_CUSTOMER[accepted[0].result % 3] if accepted else ANSWER_TO_CUSTOMER[0]
        c.replied_at = at
        c.visit_due = self.cal.deadline(at, self.ref.limits[c.severity][4], "working_days")
        self._event(events, c, None, "reply", by, at, c.status, "replied",
                    f'{{"on_time": {"true" if at <= c.promised else "false"}, "in_writing": false}}')

    def _do_on_the_spot(self, out, events, c, at, by: int) -> None:
        c.on_the_spot = True
        c.reply_summary = "已当场为客户解释并处理。"
        c.resolution_code = self.resolution()
        c.replied_at = at
        c.visit_due = self.cal.deadline(at, self.ref.limits[c.severity][4], "working_days")
        self._event(events, c, None, "resolve_on_the_spot", by, at, c.status, "replied",
                    f'{{"resolution_code": "{c.resolution_code}"}}')

    def _do_visit(self, out, events, c, at, by: int, reached: bool) -> None:
        if reached:
            c.satisfaction = "satisfied" if self.rng.random() < 0.78 else "basically"
            c.solved = c.satisfaction == "satisfied" or self.rng.random() < 0.6
            c.visited_at = at
            self._attempt(out, c, at, by, "return_visit", "reached", c.satisfaction)
            data = f'{{"reached": true, "problem_solved": {"true" if c.solved else "false"}, ' \
                   f'"satisfaction": "{c.satisfaction}", "round": 1}}'
        else:
            c.visit_failures += 1
            if c.visit_failures >= 3:
                c.visited_at = at  # failed three times: the return-visit clock is done
            self._attempt(out, c, at, by, "return_visit", "not_reached")
            data = '{"reached": false, "problem_solved": null, "satisfaction": "", "round": 1}'
        self._event(events, c, None, "return_visit", by, at, c.status, "replied", data)

    def _do_close(self, out, events, c, at, by: int) -> None:
        accepted = [o for o in c.orders if o.state == "accepted"]
        if accepted:
            c.resolution_code = "not_substantiated" if not accepted[0].substantiated else self.resolution()
            c.root_cause = ROOT_CAUSES[accepted[0].result]
            c.responsible_team = accepted[0].team
        else:
            c.root_cause = ROOT_CAUSES[int(self.rng.random() * len(ROOT_CAUSES))]
            c.responsible_team = c.cat_team
        c.closed_at = at
        self._event(events, c, None, "close", by, at, c.status, "closed",
                    f'{{"resolution_code": "{c.resolution_code}", '
                    f'"responsible_team": "{self.ref.team_code[c.responsible_team]}"}}')

    def _do_void(self, out, events, c, at, by: int, status: str) -> None:
        cancelled = 0
        for o in c.orders:
            if o.state in ACTIVE_ORDER:
                o.state, o.paused_at, o.updated_at = "cancelled", None, at
                cancelled += 1
        c.void_reason = self.rng.choice(VOID_REASONS if status == "voided" else REJECT_REASONS)
        self._event(events, c, None, "void", by, at, c.status, status,
                    f'{{"reason": "{c.void_reason}", "cancelled_orders": {cancelled}}}')

    def _urges(self, events, c: _State, agent: int, after: int) -> None:
        """Late orders still in a team's hands get urged (催办) by the agent."""
        rand = self.rng.random
        urges = []
        for o in c.orders:
            if o.state in ("queued", "claimed", "waiting_info", "suspension_requested", "suspended") \
                    and o.due_at < self.now and rand() < 0.4:
                start = max(after, o.due_at)
                for k in range(1 + int(rand() * 3)):
                    urges.append((start + (self.now - 60 - start) * (k + 1) // 4, o.id, o))
        for at, _id, o in sorted(urges):
            o.urges += 1
            self._event(events, c, o, "urge", agent, at, c.status, c.status,
                        f'{{"order_from": "{o.state}", "order_to": "{o.state}", "remark": ""}}')

    def _move_promise(self, out, events, c: _State, agent: int, at: int, legal: int) -> None:
        """The promise could not be kept: a later one (before the legal deadline), told to the customer."""
        before = c.promised
        c.promised = min(legal - HOUR, self.now + DAY + int(self.rng.random() * 2 * DAY))
        c.risk_from = self.cal.at_risk_point(at, c.promised)
        self._event(events, c, None, "change_promised_date", agent, at, c.status, c.status,
                    f'{{"from": "{self.cal.iso(before)}", "to": "{self.cal.iso(c.promised)}", '
                    f'"reason": "{PROMISE_REASONS[0]}", "customer_told": false}}')
        self._do_attempt(out, events, c, at + 30, agent, "promise_change", "reached")


class _State:
    """The complaint as its path is replayed."""

    __slots__ = ("id", "status", "updated", "orders", "promised", "replied_at", "visit_due", "closed_at", "on_the_spot",
                 "reply_summary", "resolution_code", "root_cause", "responsible_team", "visit_failures", "solved",
                 "satisfaction", "void_reason", "target", "severity", "cat_team", "risk_from", "visited_at")

    def __init__(self, cid: int, target: str):
        self.id, self.target = cid, target
        self.status = ""
        self.updated = 0
        self.orders: list[Order] = []
        self.promised = self.risk_from = self.replied_at = self.visit_due = self.visited_at = self.closed_at = None
        self.responsible_team = None
        self.solved = None
        self.on_the_spot = False
        self.reply_summary = self.resolution_code = self.root_cause = self.satisfaction = self.void_reason = ""
        self.visit_failures = 0


def _b(flag) -> str:
    return "t" if flag else "f"


def _ts(cal: FastCalendar, s: int | None) -> str:
    return N if s is None else cal.ts(s)


def _apportion(total: int, weights: list[int]) -> list[int]:
    """Exact counts per weight (largest remainder); every weight gets at least one when total allows."""
    whole = sum(weights)
    counts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: -(total * weights[i] % whole))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    if total >= len(weights):
        for i in range(len(weights)):
            while counts[i] == 0:
                donor = max(range(len(weights)), key=lambda j: counts[j])
                counts[donor] -= 1
                counts[i] += 1
    return counts


# ---------------------------------------------------------------------------------------------------
# Writers


class CopyWriter:
    """PostgreSQL: COPY, one transaction per chunk and connection, on threads while the next chunk is generated.

    A pipeline of connections: the first writes a chunk's customers, complaints, work orders, notes and
    contact attempts; once those have committed, `event_writers` more connections write the chunk's
    audit events (most of the rows) in parts, while the first goes on with the next chunk. A chunk's
    events refer only to rows committed before them, so foreign keys hold whether checked or not.

    Checking foreign keys row by row costs about a third of the load; a superuser's sessions skip them
    (session_replication_role = replica, as pg_restore --disable-triggers does) unless `check_fks`. The
    rows are consistent by construction and the tests check every foreign key. The sessions read the
    local wall-clock text in the project's time zone.
    """

    FIRST = ("customers", "complaints", "work_orders", "notes", "contact_attempts")

    def __init__(self, alias: str, progress: Callable[[int], None], *, check_fks: bool = False,
                 event_writers: int = 1):
        self.alias, self.progress, self.check_fks = alias, progress, check_fks
        self.error: BaseException | None = None
        self.sql = {name: f"COPY {model._meta.db_table} ({', '.join(_columns(model, cols))}) FROM STDIN"
                    for name, model, cols in TABLES}
        self.writers = event_writers
        self.first: queue.Queue = queue.Queue(maxsize=1)
        self.events: queue.Queue = queue.Queue(maxsize=event_writers)
        self.lock = threading.Lock()
        self.parts_done: dict[int, int] = {}
        self.chunks = 0
        self.threads = [threading.Thread(target=self._run_first, name="seed-copy", daemon=True)]
        self.threads += [threading.Thread(target=self._run_events, name=f"seed-copy-events-{i}", daemon=True)
                         for i in range(event_writers)]
        for thread in self.threads:
            thread.start()

    def write(self, chunk: Chunk) -> None:
        if self.error is not None:
            raise self.error
        # Encoded here, so a queued chunk holds compact bytes rather than millions of str objects.
        payload = {}
        for name, lines in chunk.lines.items():
            if lines:
                payload[name] = ("\n".join(lines) + "\n").encode()
                lines.clear()
        self.chunks += 1
        self.first.put((self.chunks, chunk.complaints, payload))

    def close(self) -> None:
        self.first.put(None)
        for thread in self.threads:
            thread.join()
        if self.error is not None:
            raise self.error

    def _run_first(self) -> None:
        connection = connections[self.alias]
        try:
            while (item := self.first.get()) is not None:
                number, complaints, payload = item
                if self.error is not None:
                    continue  # after an error, keep draining so nobody blocks
                try:
                    self._copy(connection, [(name, payload.pop(name)) for name in self.FIRST if name in payload])
                    parts = _split_lines(payload.pop("events", b""), self.writers)
                    if not parts:
                        self._done(number, complaints, 1, 1)
                    for part in parts:
                        self.events.put((number, complaints, len(parts), part))
                except BaseException as exc:  # handed to the producer
                    self.error = exc
        finally:
            for _ in range(self.writers):
                self.events.put(None)
            connection.close()

    def _run_events(self) -> None:
        connection = connections[self.alias]
        try:
            while (item := self.events.get()) is not None:
                number, complaints, parts, data = item
                if self.error is not None:
                    continue
                try:
                    self._copy(connection, [("events", data)])
                    self._done(number, complaints, 1, parts)
                except BaseException as exc:
                    self.error = exc
        finally:
            connection.close()

    def _done(self, number: int, complaints: int, parts: int, of: int) -> None:
        with self.lock:
            done = self.parts_done[number] = self.parts_done.get(number, 0) + parts
            if done == of:
                del self.parts_done[number]
                if complaints:
                    self.progress(complaints)

    def _copy(self, connection, tables: list[tuple[str, bytes]]) -> None:
        if not tables:
            return
        with transaction.atomic(using=self.alias), connection.cursor() as cursor:
            # Losing the last chunks on a server crash is fine for benchmark data; waiting for each flush is not.
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SELECT set_config('timezone', %s, true)", [settings.TIME_ZONE])
            if not self.check_fks:
                cursor.execute("SELECT set_config('session_replication_role', 'replica', true) "
                               "WHERE current_setting('is_superuser') = 'on'")
            for name, data in tables:
                cursor.cursor.copy_expert(self.sql[name], io.BytesIO(data))


def _split_lines(data: bytes, parts: int) -> list[bytes]:
    """`data` cut into about `parts` pieces at line ends."""
    if not data:
        return []
    pieces, start = [], 0
    for k in range(1, parts):
        cut = data.find(b"\n", max(start, len(data) * k // parts)) + 1
        if cut <= start or cut >= len(data):
            break
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return pieces


class InsertWriter:
    """Any other database (SQLite in tests): batched INSERTs of the same rows, values converted per field."""

    def __init__(self, alias: str, progress: Callable[[int], None], batch: int = 500):
        self.alias, self.progress, self.batch = alias, progress, batch
        connection = connections[alias]
        tz = ZoneInfo(settings.TIME_ZONE)

        def when(text: str):
            return connection.ops.adapt_datetimefield_value(
                dt.datetime.fromisoformat(text).replace(tzinfo=tz))

        def convert(model_field):
            if isinstance(model_field, models.BooleanField):
                return lambda v: v == "t"
            if isinstance(model_field, models.DateTimeField):
                return when
            if isinstance(model_field, (models.IntegerField, models.AutoField, models.ForeignKey)):
                return int
            return str  # text and JSON (stored as its text)

        self.tables = {}
        for name, model, cols in TABLES:
            fields = [_field(model, c) for c in cols]
            self.tables[name] = (
                f"INSERT INTO {model._meta.db_table} ({', '.join(f.column for f in fields)}) "
                f"VALUES ({', '.join(['%s'] * len(fields))})",
                [convert(f) for f in fields],
            )

    def write(self, chunk: Chunk) -> None:
        with transaction.atomic(using=self.alias), connections[self.alias].cursor() as cursor:
            for name in TABLE_NAMES:
                sql, converters = self.tables[name]
                rows = [[None if v == N else f(v) for f, v in zip(converters, line.split("\t"), strict=True)]
                        for line in chunk.lines[name]]
                for start in range(0, len(rows), self.batch):
                    cursor.executemany(sql, rows[start:start + self.batch])
        if chunk.complaints:
            self.progress(chunk.complaints)

    def close(self) -> None:
        """Nothing to wait for: this writer inserts each chunk as it comes."""


def _field(model, attname: str):
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return f
    raise LookupError(f"{model.__name__} has no field {attname}")


def _columns(model, attnames) -> list[str]:
    return [_field(model, a).column for a in attnames]


def check_columns() -> None:
    """Fields the generator does not write are left NULL (or their database default); a new field that
    can be neither must be added here."""
    for _name, model, cols in TABLES:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        missing = sorted(name for name, f in fields.items()
                         if name not in cols and not f.null and not f.has_db_default())
        unknown = sorted(set(cols) - set(fields))
        if missing or unknown:
            raise RuntimeError(f"seed columns of {model.__name__} are out of date: missing {missing}, unknown {unknown}")


# ---------------------------------------------------------------------------------------------------
# Entry point


@dataclass
class SeedResult:
    rows: dict[str, int]
    seconds: float
    unknown_days: list[dt.date]


def _account_prefix(start: int, count: int) -> str:
    """A mobile prefix under which this run's accounts collide with no existing customer."""
    last = start + count - 1
    if last >= 10**8:
        raise RuntimeError("seed accounts are 8-digit customer ids; too many customers")
    for prefix in MOBILE_PREFIXES:
        if not Customer.objects.filter(account__gte=f"{prefix}{start:08d}", account__lte=f"{prefix}{last:08d}").exists():
            return prefix
    raise RuntimeError("no free account range for the seeded customers")


def seed_load(tickets: int, *, seed: int = DEFAULT_SEED, chunk: int = DEFAULT_CHUNK, using: str = "default",
              now: dt.datetime | None = None, check_fks: bool = False, open_share: float | None = None,
              say: Callable[[str], None] = lambda message: None) -> SeedResult:
    if tickets < 1 or chunk < 1:
        raise ValueError("tickets and chunk must be positive")
    started = time.monotonic()
    check_columns()
    load_reference_data()
    load_demo_users()
    ensure_staff()
    ref = load_reference()
    tz = ZoneInfo(settings.TIME_ZONE)
    now_s = local_seconds(now or timezone.now(), tz)
    today = EPOCH + dt.timedelta(days=now_s // DAY)
    cal = FastCalendar(clocks.working_calendar(), today - dt.timedelta(days=420), today + dt.timedelta(days=20), tz)
    if cal.unknown_days:
        say(f"warning: {len(cal.unknown_days)} days ({cal.unknown_days[0]} .. {cal.unknown_days[-1]}) are outside the "
            "published working calendar; Monday-Friday assumed")

    start = {name: (model.objects.using(using).aggregate(m=Max("pk"))["m"] or 0) + 1 for name, model, _c in TABLES}
    customers = max(1, tickets // 3)
    rng = random.Random(seed)
    gen = Generator(ref=ref, cal=cal, rng=rng, now=now_s, start=start, customers=customers,
                    account_prefix=_account_prefix(start["customers"], customers))

    connection = connections[using]
    done = {"complaints": 0}

    def progress(complaints: int) -> None:
        done["complaints"] += complaints
        say(f"complaints {done['complaints']}/{tickets} ({time.monotonic() - started:.0f} s)")

    if connection.vendor == "postgresql":
        # One more connection per spare core; on two cores Python and the two COPY sessions already fill both.
        writer: CopyWriter | InsertWriter = CopyWriter(using, progress, check_fks=check_fks,
                                                       event_writers=max(1, min(4, (os.cpu_count() or 1) - 1)))
    else:
        writer = InsertWriter(using, progress)
    try:
        for first in range(0, customers, chunk * 2):
            part = Chunk()
            gen.customer_rows(first, min(chunk * 2, customers - first), part.lines["customers"])
            writer.write(part)
        say(f"customers {customers} ({time.monotonic() - started:.0f} s)")
        keys = gen.plan(tickets, open_share)
        owners = gen.assign_customers(tickets)
        for first in range(0, tickets, chunk):
            writer.write(gen.complaints(keys, owners, first, min(chunk, tickets - first)))
    finally:
        writer.close()

    gen.next_id["customers"] = start["customers"] + customers
    rows = {name: gen.next_id[name] - start[name] for name in TABLE_NAMES}
    say(f"customer history ({time.monotonic() - started:.0f} s)")
    recompute_customer_history()
    recompute_teams_reached()
    copy_receipt_to_orders()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for _name, model, _cols in TABLES:
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
                               f"FROM {table}", [table])
            say(f"analyze ({time.monotonic() - started:.0f} s)")
            for _name, model, _cols in TABLES:
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return SeedResult(rows=rows, seconds=time.monotonic() - started, unknown_days=cal.unknown_days)
