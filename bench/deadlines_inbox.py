"""Inbox benchmark: the whole view (URL → HTML) for the user with 10,000 open tasks, first page,
middle and last page (keyset cursors), and with filters. Prints the data size.

    DJANGO_SETTINGS_MODULE=bench.deadlines_settings DATABASE_URL=… .venv/bin/python bench/deadlines_inbox.py
"""

# ruff: noqa: I001 — deadlines_common sets Django up, so it comes before the Django imports

from deadlines_common import banner, measure

from django.contrib.auth import get_user_model
from django.test import Client

from workflows.core.models import TaskDeadline
from common import keyset
from workflows.core.selectors import SORTS


def main():
    banner("Inbox (workflow/inbox/)")
    user = get_user_model().objects.get(username="bench-methodist")
    open_rows = TaskDeadline.objects.filter(owner=user, is_open=True)
    total = open_rows.count()
    print(f"   user bench-methodist: {total:,} open tasks; page size 50")
    client = Client()
    client.force_login(user)

    def get(query=""):
        def run():
            response = client.get("/workflow/inbox/" + query)
            assert response.status_code == 200, response.status_code
            return response.content

        return run

    def cursor_at(position):
        ordering = SORTS["due"][0]
        row = open_rows.order_by(*ordering)[position - 1 : position].get()
        return keyset.cursor_after(open_rows, ordering, row)

    measure("first page (sort by due date)", get())
    measure(f"page at row {total // 2:,} (keyset cursor)", get(f"?after={cursor_at(total // 2)}"))
    measure(f"last page (after row {total - 50:,})", get(f"?after={cursor_at(total - 50)}"))
    measure("first page, newest first (-created)", get("?sort=-created"))
    measure("filter: overdue", get("?filter=overdue"))
    measure("filter: due within 3 working days", get("?filter=soon"))
    measure("filter: no due date", get("?filter=nodue"))


if __name__ == "__main__":
    main()
