"""Overdue control page benchmark: the whole view for the region's administrator (every task of
the region), for a municipal methodist, and a drill-down; `--export` (always at the small scale)
also times the .xlsx.

    DJANGO_SETTINGS_MODULE=bench.deadlines_settings DATABASE_URL=… .venv/bin/python bench/deadlines_overdue_page.py
"""

# ruff: noqa: I001 — deadlines_common sets Django up, so it comes before the Django imports

import sys

from deadlines_common import banner, measure
from scale import SMALL

from django.contrib.auth import get_user_model
from django.test import Client

from orgstructure.models import Municipality


def main():
    banner("Overdue control (workflow/overdue/)")
    users = get_user_model().objects
    admin = Client()
    admin.force_login(users.get(username="bench-admin"))
    methodist = Client()
    methodist.force_login(users.get(username="bench-mms-1"))
    municipality = Municipality.objects.filter(region__code="B1").order_by("name").first()

    def get(client, query=""):
        def run():
            response = client.get("/workflow/overdue/" + query)
            assert response.status_code == 200, response.status_code
            return response.content

        return run

    measure("whole region, overdue (region admin)", get(admin), runs=7)
    measure("whole region, all open (region admin)", get(admin, "?state=open"), runs=7)
    measure(f"drill-down: {municipality.name}", get(admin, f"?municipality={municipality.pk}"), runs=7)
    measure("municipal methodist (own municipality)", get(methodist), runs=7)
    if "--export" in sys.argv or SMALL:
        def export():
            response = admin.get("/workflow/overdue/export.xlsx", {"municipality": municipality.pk})
            assert response.status_code == 200
            return response.content

        measure(f"export .xlsx, {municipality.name}", export, runs=2, warmup=0)


if __name__ == "__main__":
    main()
