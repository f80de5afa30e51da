from complaints.lifecycle import Role
from complaints.roles import roles_of


def roles(request):
    user_roles = roles_of(getattr(request, "user", None))
    return {"user_roles": {r.value for r in user_roles}, "Role": Role}
