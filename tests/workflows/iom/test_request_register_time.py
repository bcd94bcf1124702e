"""The «Реестр запросов» shows when a request came in the region's time, labelled by its offset
from Moscow as the rest of the service does (the kit's format_local), on the page and in the .xlsx
— not in the server's zone (Moscow)."""

import datetime as dt
import io

import openpyxl
import pytest

from workflows.core.flowkit import flow_url
from workflows.iom.flows import RouteFlow
from workflows.iom.models import IomRequest

from .conftest import client
from .test_path import request_route

pytestmark = pytest.mark.django_db

# 20:30 UTC on 10 March: 23:30 in Moscow (the server's zone), already 01:30 on 11 March in Perm
LATE_EVENING = dt.datetime(2026, 3, 10, 20, 30, tzinfo=dt.UTC)


def test_the_request_register_shows_the_regions_time(world, settings):
    assert settings.TIME_ZONE == "Europe/Moscow" and world.region.timezone == "Asia/Yekaterinburg"
    request_route(world)
    request = IomRequest.objects.get()
    IomRequest.objects.filter(pk=request.pk).update(created_at=LATE_EVENING)

    page = client(world.coordinator).get(flow_url(RouteFlow, "requests")).content.decode()
    assert "11.03.2026 01:30 МСК+2" in page
    assert "10.03.2026" not in page

    export = client(world.coordinator).get(flow_url(RouteFlow, "requests_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[1] == "Поступил (время региона)"
    assert sheet.cell(row=2, column=2).value == dt.datetime(2026, 3, 11, 1, 30)
