"""The catalogue's pages: the demo catalogue listed with filters and keyset pages, a programme's
card, another region's programme answering 404 like a missing one, the import for the region's
ИРО only — a bad file named row by row and nothing written."""

import re

import pytest
from django.urls import reverse

from orgstructure.demo import load_demo
from orgstructure.models import Organization, OrganizationKind, Role
from programmes.demo import PROGRAMMES, load_programmes_demo
from programmes.models import Programme
from tests.factories import make_organization, make_region, make_user
from tests.tables_helpers import xlsx_bytes

pytestmark = pytest.mark.django_db

LIST = reverse("directory:programmes:index")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo region once for the module, inside a transaction rolled back at its end — not a
    flush, which would also remove what the migrations seed (regulation profiles) for the tests
    that come later."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        load_programmes_demo()
        yield
        transaction.set_rollback(True)


def _login(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))


def test_the_demo_catalogue_is_loaded_once(demo):
    assert Programme.objects.count() == len(PROGRAMMES)
    assert load_programmes_demo().created == 0


def test_a_teacher_reads_the_catalogue_and_filters_it(client, demo):
    _login(client, "teacher")

    page = client.get(LIST).content.decode()
    assert "Функциональная грамотность учителя" in page and "Школа современного учителя. Математика" in page

    it_only = client.get(LIST, {"area": "it"}).content.decode()
    assert "Цифровые инструменты в работе учителя" in it_only and "Школа современного учителя" not in it_only

    not_in_register = client.get(LIST, {"register": "no"}).content.decode()
    assert "Проектные команды" in not_in_register and "Функциональная грамотность" not in not_in_register


def test_pages_follow_the_keyset_without_repeats(client, demo, monkeypatch, django_assert_max_num_queries):
    from programmes import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    _login(client, "teacher")
    seen, url, pages = [], LIST, 0
    for _ in range(20):
        with django_assert_max_num_queries(14):
            html = client.get(url).content.decode()
        pages += 1
        seen += re.findall(r'data-programme="(\d+)"', html)
        more = re.search(r'href="\?([^"]*after=[^"]+)" id="next-page"', html)
        if not more:
            break
        url = f"{LIST}?{more.group(1).replace('&amp;', '&')}"
    assert pages == 4
    assert len(seen) == len(set(seen)) == Programme.objects.filter(is_active=True).count()


def test_a_programme_of_another_region_answers_404_like_a_missing_one(client, demo):
    other = make_organization(make_region(name="Соседний край"), kind=OrganizationKind.IRO, name="ИРО соседей")
    foreign = Programme.objects.create(title="Чужая программа", provider=other, hours=16)
    ours = Programme.objects.filter(provider__region__code="59").first()
    _login(client, "teacher")

    assert client.get(reverse("directory:programmes:detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("directory:programmes:detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("directory:programmes:detail", args=[999_999])).status_code == 404
    assert "Чужая программа" not in client.get(LIST).content.decode()


def test_only_the_catalogue_managers_import(client, demo):
    url = reverse("directory:programmes:import")
    _login(client, "teacher")
    assert client.get(url).status_code == 403
    assert "import-link" not in client.get(LIST).content.decode()
    _login(client, "iro")
    assert client.get(url).status_code == 200
    assert client.get(reverse("directory:programmes:import_template")).status_code == 200


def test_a_bad_file_is_refused_row_by_row_and_nothing_is_written(client, demo):
    _login(client, "iro")
    before = Programme.objects.count()
    header = ("Наименование программы", "Организация-разработчик", "Объём, часов", "Области компетенций", "В ФР ДПП")
    data = xlsx_bytes(
        header,
        [
            ("Новая программа", "ГАУ ДПО «ИРО ПК»", 16, "методические", "нет"),
            ("Ещё одна", "ГАУ ДПО «ИРО ПК»", 0, "методические", "нет"),
        ],
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("directory:programmes:import"),
        {
            "region": Organization.objects.get(short_name="ГАУ ДПО «ИРО ПК»").region_id,
            "file": SimpleUploadedFile("Каталог.xlsx", data),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Строка 3: «Объём, часов»: 0 — вне допустимых значений от 1 до 3000" in html
    assert Programme.objects.count() == before


def test_a_good_file_is_loaded_through_the_page(client, demo):
    _login(client, "iro")
    header = ("Наименование программы", "Организация-разработчик", "Объём, часов", "Области компетенций", "В ФР ДПП")
    data = xlsx_bytes(header, [("Новая программа из файла", "ГАУ ДПО «ИРО ПК»", 16, "ИТ", "да")])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("directory:programmes:import"),
        {
            "region": Organization.objects.get(short_name="ГАУ ДПО «ИРО ПК»").region_id,
            "file": SimpleUploadedFile("Каталог.xlsx", data),
        },
        follow=True,
    )

    assert "добавлено программ — 1" in response.content.decode()
    assert Programme.objects.filter(title="Новая программа из файла", in_federal_register=True).exists()
    Programme.objects.filter(title="Новая программа из файла").delete()


def test_a_user_of_the_region_sees_the_menu_entry(client, demo):
    _login(client, "school_head")
    assert LIST in client.get("/").content.decode() or LIST in client.get(LIST).content.decode()


def test_another_role_of_another_region_sees_no_demo_programme(client, demo):
    region = make_region(name="Третий край")
    user = make_user(role=Role.IRO_STAFF, organization=make_organization(region, kind=OrganizationKind.IRO))
    client.force_login(user)
    assert 'id="no-programmes"' in client.get(LIST).content.decode()
