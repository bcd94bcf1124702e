from django import template

from .. import assignment, reports, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def task_badges(context):
    """Capped counters for the tasks menu: open tasks and unread notifications (2 queries), and
    whether the overdue control and substitutions pages are the user's to open (memberships are cached per request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox": "", "unread": "", "overdue_control": False, "substitutions": False}
    cached = getattr(request, "_profrost_badges", None)
    if cached is None:
        cached = {
            "inbox": selectors.inbox_badge(user),
            "unread": selectors.unread_badge(user),
            "overdue_control": reports.can_view_report(user, check_permission=user.is_staff),
            "substitutions": assignment.can_manage(user),
        }
        request._profrost_badges = cached
    return cached
