"""A user's roles: Django groups named after the roles; back-office also needs a team membership
(checked per work order by the routing actions)."""

from __future__ import annotations

from complaints.lifecycle import Action, Role, require_role

# Accounts of the operator's other systems (CRM, billing) that call the APIs with a token. They hold
# a role for what they may do (a CRM records complaints as an agent), but no person follows up their
# complaints: those are listed to every agent (followup.queries.worklist).
SYSTEM_ACCOUNTS = "system"


def group_names(user) -> frozenset[str]:
    """The active user's group names, read once per request (prefetched groups are used as they are)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_group_names", None)
    if cached is None:
        cached = user._group_names = frozenset(g.name for g in user.groups.all())
    return cached


def is_system_account(user) -> bool:
    return SYSTEM_ACCOUNTS in group_names(user)


def roles_of(user) -> frozenset[Role]:
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_complaint_roles", None)
    if cached is None:
        cached = frozenset(Role(n) for n in group_names(user) if n in Role.values)
        if user.is_superuser:
            cached |= {Role.ADMIN}
        user._complaint_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def require_action_role(action: Action, user) -> frozenset[Role]:
    roles = roles_of(user)
    require_role(action, roles)
    return roles


def may(user, action: Action) -> bool:
    from complaints.lifecycle import WHO_MAY

    return bool(WHO_MAY[action] & roles_of(user))
