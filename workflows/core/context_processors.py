from django.utils.functional import SimpleLazyObject

from . import selectors


def notifications(request):
    """`profrost_unread`: the unread-notification badge ("", "3", "99+"), queried only when a
    template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"profrost_unread": ""}
    return {"profrost_unread": SimpleLazyObject(lambda: selectors.unread_badge(user))}
