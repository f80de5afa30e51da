"""Demo log-ins of every role (listed in README.md). Development only."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db import transaction

from complaints.lifecycle import Role
from routing.models import Membership, Team

DEMO_PASSWORD = "demo-pass-2026"

# username, first name, last name, role, teams (code, is_lead)
DEMO_USERS = [
    ("agent1", "张敏", "", Role.AGENT, []),
    ("agent2", "李强", "", Role.AGENT, []),
    ("network1", "王磊", "", Role.BACKOFFICE, [("network", True)]),
    ("billing1", "刘洋", "", Role.BACKOFFICE, [("billing", True)]),
    ("business1", "陈静", "", Role.BACKOFFICE, [("business", True)]),
    ("supervisor1", "赵刚", "", Role.SUPERVISOR, []),
    ("admin", "系统管理员", "", Role.ADMIN, []),
]


@transaction.atomic
def load_demo_users() -> dict[str, User]:
    users = {}
    teams = {t.code: t for t in Team.objects.all()}
    for username, first, last, role, memberships in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        # Chinese names are written family name first, so the whole name lives in first_name.
        user.first_name, user.last_name = first, last
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        user.save()
        user.groups.add(Group.objects.get(name=role.value))
        for code, lead in memberships:
            Membership.objects.update_or_create(team=teams[code], user=user, defaults={"is_lead": lead})
        users[username] = user
    for team in teams.values():
        if team.supervisor_id is None:
            team.supervisor = users["supervisor1"]
            team.save(update_fields=["supervisor"])
    return users
