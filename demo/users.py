"""Demo log-ins of every role (listed in README.md). Development only."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db import transaction
from rest_framework.authtoken.models import Token

from complaints.lifecycle import Role
from complaints.roles import SYSTEM_ACCOUNTS
from routing.models import Membership, Team

DEMO_PASSWORD = "demo-pass-2026"
SYSTEM_USER = "crm-system"

# username, first name, last name, role, teams (code, is_lead)
DEMO_USERS = [
    ("agent1", "张敏", "", Role.AGENT, []),
    ("agent2", "李强", "", Role.AGENT, []),
    ("network1", "王磊", "", Role.BACKOFFICE, [("network", True)]),
    ("billing1", "刘洋", "", Role.BACKOFFICE, [("billing", True)]),
    ("business1", "陈静", "", Role.BACKOFFICE, [("business", True)]),
    ("supervisor1", "赵刚", "", Role.SUPERVISOR, []),
    ("admin", "系统管理员", "", Role.ADMIN, []),
    # The CRM's account on the REST API: an agent that logs in with a token only (no password).
    (SYSTEM_USER, "CRM 系统", "", Role.AGENT, []),
]


@transaction.atomic
def load_demo_users() -> dict[str, User]:
    users = {}
    teams = {t.code: t for t in Team.objects.all()}
    for username, first, last, role, memberships in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        # Chinese names are written family name first, so the whole name lives in first_name.
        user.first_name, user.last_name = first, last
        if created and username == SYSTEM_USER:
            user.set_unusable_password()
        elif created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        user.save()
        user.groups.add(Group.objects.get(name=role.value))
        for code, lead in memberships:
            Membership.objects.update_or_create(team=teams[code], user=user, defaults={"is_lead": lead})
        users[username] = user
    users[SYSTEM_USER].groups.add(Group.objects.get_or_create(name=SYSTEM_ACCOUNTS)[0])
    Token.objects.get_or_create(user=users[SYSTEM_USER])
    for team in teams.values():
        if team.supervisor_id is None:
            team.supervisor = users["supervisor1"]
            team.save(update_fields=["supervisor"])
    return users


def system_token() -> str:
    """The demo CRM's API token (`manage.py drf_create_token crm-system` prints the same key)."""
    return Token.objects.get(user__username=SYSTEM_USER).key
