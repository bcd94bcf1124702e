"""The «Реестр ИОМ» and «Реестр запросов» .xlsx give each column room for its values: the widths
followed the header alone, so a teacher's name, a school's and a status were cut at 12 characters
(seen converting the demo's exports, as cnppm)."""

import io

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from workflows.core.flowkit import flow_url
from workflows.iom.flows import RouteFlow

from .conftest import client
from .test_path import request_route

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("export", ["routes_export", "requests_export"])
def test_each_text_value_fits_its_column(world, export):
    request_route(world)
    response = client(world.coordinator).get(flow_url(RouteFlow, export))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows
    cut = []
    for index, values in enumerate(zip(*rows, strict=True), start=1):
        width = sheet.column_dimensions[get_column_letter(index)].width
        longest = max((len(v) for v in values if isinstance(v, str)), default=0)
        if min(longest, 60) > width:
            cut.append((sheet.cell(row=1, column=index).value, longest, width))
    assert not cut
