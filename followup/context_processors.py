from followup.queries import unread_notifications


def bell(request):
    """The unread count on the bell: one small indexed count per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_notifications(user).count()}
