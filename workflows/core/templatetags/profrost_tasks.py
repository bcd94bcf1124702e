from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def task_badges(context):
    """Capped counters for the tasks menu: open tasks and unread notifications (2 queries)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox": "", "unread": ""}
    cached = getattr(request, "_profrost_badges", None)
    if cached is None:
        cached = {"inbox": selectors.inbox_badge(user), "unread": selectors.unread_badge(user)}
        request._profrost_badges = cached
    return cached
