"""Staff import from .xlsx/.csv: orgstructure.importing, the import_staff command and the admin
page. Files are built here (csv / openpyxl) so every case shows its own data. Invented names only."""

import csv
import datetime as dt
import io
import random

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from orgstructure import admin_import  # noqa: F401 — installs the admin URLs even before admin.py imports it
from orgstructure.importing import staff_import
from orgstructure.models import (
    EducationLevel,
    Membership,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    QualificationCategory,
    Role,
    Sex,
    Subject,
)
from tests import factories
from workflows.core.models import AuditEvent

REGION = "Тестовый край"
HEADERS = [
    "Регион",
    "Муниципалитет",
    "Организация",
    "Вид организации",
    "ИНН организации",
    "СНИЛС",
    "Фамилия",
    "Имя",
    "Отчество",
    "Пол",
    "Дата рождения",
    "Должность",
    "Предметы",
    "Работает в организации с",
    "Квалификационная категория",
    "Дата присвоения категории",
    "Категория действительна до",
    "Уровень образования",
    "Педагогическое образование",
    "Переподготовка по педагогическому профилю",
    "Стаж по специальности с",
    "Электронная почта",
]


def inn_with_checksum(nine_digits: str) -> str:
    coefficients = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(int(d) * c for d, c in zip(nine_digits, coefficients, strict=True)) % 11 % 10
    return f"{nine_digits}{check}"


SCHOOL_INN = inn_with_checksum("590100001")
BAD_INN = SCHOOL_INN[:-1] + str((int(SCHOOL_INN[-1]) + 1) % 10)  # wrong control digit


def snils(n: int) -> str:
    return factories.snils_with_checksum(200_000_000 + n)


def teacher(n: int, **overrides) -> dict:
    row = {
        "Регион": REGION,
        "Муниципалитет": "Город Северный",
        "Организация": "МБОУ «СОШ № 1»",
        "Вид организации": "Общеобразовательная организация",
        "ИНН организации": SCHOOL_INN,
        "СНИЛС": snils(n),
        "Фамилия": "Проверкина",
        "Имя": "Вера",
        "Отчество": "Павловна",
        "Пол": "ж",
        "Дата рождения": "14.03.1985",
        "Должность": "учитель математики",
        "Предметы": "Математика; Информатика",
        "Работает в организации с": "01.09.2015",
        "Квалификационная категория": "высшая",
        "Дата присвоения категории": "20.12.2022",
        "Категория действительна до": "19.12.2027",
        "Уровень образования": "высшее",
        "Педагогическое образование": "да",
        "Переподготовка по педагогическому профилю": "нет",
        "Стаж по специальности с": "01.09.2008",
        "Электронная почта": "",
    }
    row.update(overrides)
    return row


def three_teachers() -> list[dict]:
    return [
        teacher(1),
        teacher(
            2,
            Фамилия="Образцов",
            Имя="Пётр",
            Отчество="Ильич",
            Пол="м",
            Должность="учитель физики",
            Предметы="Физика",
            **{"Квалификационная категория": "соответствие занимаемой должности"},
            **{"Дата присвоения категории": "", "Категория действительна до": ""},
        ),
        teacher(
            3,
            Фамилия="Ёлкина",
            Организация="МАДОУ «Детский сад № 7»",
            **{"Вид организации": "детский сад", "ИНН организации": "", "Предметы": ""},
            **{"Квалификационная категория": "без категории", "Уровень образования": "СПО"},
            **{"Дата присвоения категории": "", "Категория действительна до": ""},
        ),
    ]


def csv_bytes(rows, *, encoding="utf-8", delimiter=";", headers=HEADERS) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, headers=HEADERS, title_rows=(), native=True) -> bytes:
    """A workbook as Excel saves it: with `native`, dates are date cells and СНИЛС a number."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in title_rows:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        cells = []
        for header in headers:
            value = row.get(header, "")
            if native and isinstance(value, str) and len(value) == 10 and value[2] == value[5] == ".":
                value = dt.datetime.strptime(value, "%d.%m.%Y")
            elif native and header == "СНИЛС" and value:
                value = int(value.replace("-", "").replace(" ", ""))
            cells.append(value if value != "" else None)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(data: bytes, filename="kadry.csv", **kwargs):
    return staff_import(file=io.BytesIO(data), filename=filename, **kwargs)


def table_counts():
    return {
        model.__name__: model.objects.count() for model in (Person, Organization, Municipality, Subject, AuditEvent)
    }


@pytest.fixture
def region(db):
    return factories.make_region(name=REGION)


# ---------------------------------------------------------------------------------------------
# Good files


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ";"), ("utf-8-sig", ";"), ("utf-8-sig", ","), ("cp1251", ";"), ("cp1251", ",")],
)
def test_good_csv_creates_people_organizations_and_subjects(region, encoding, delimiter):
    result = run(csv_bytes(three_teachers(), encoding=encoding, delimiter=delimiter))

    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    assert (result.organizations_created, result.municipalities_created, result.subjects_created) == (2, 1, 3)

    vera = Person.objects.get(snils=snils(1))
    assert vera.full_name == "Проверкина Вера Павловна"
    assert vera.sex == Sex.FEMALE
    assert vera.birth_date == dt.date(1985, 3, 14)
    assert vera.employed_since == dt.date(2015, 9, 1)
    assert vera.category == QualificationCategory.HIGHEST
    assert (vera.category_assigned_on, vera.category_valid_until) == (
        dt.date(2022, 12, 20),
        dt.date(2027, 12, 19),
    )
    assert vera.education_level == EducationLevel.HIGHER
    assert (vera.education_is_pedagogical, vera.has_pedagogical_retraining) == (True, False)
    assert vera.specialty_experience_since == dt.date(2008, 9, 1)
    assert sorted(vera.subjects.values_list("name", flat=True)) == ["Информатика", "Математика"]
    school = vera.organization
    assert (school.name, school.kind, school.inn) == ("МБОУ «СОШ № 1»", OrganizationKind.SCHOOL, SCHOOL_INN)
    assert (school.region, school.municipality.name) == (region, "Город Северный")

    petr = Person.objects.get(snils=snils(2))
    assert (petr.sex, petr.category, petr.category_assigned_on) == (Sex.MALE, "conformity", None)
    assert petr.organization == school
    elkina = Person.objects.get(snils=snils(3))
    assert elkina.organization.kind == OrganizationKind.KINDERGARTEN
    assert elkina.education_level == EducationLevel.SECONDARY_VOCATIONAL
    assert not elkina.subjects.exists()

    event = AuditEvent.objects.get(event="staff_import")
    assert event.object_id == str(region.pk) and event.actor is None
    assert event.data == {
        "file": "kadry.csv",
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "organizations_created": 2,
        "municipalities_created": 1,
        "subjects_created": 3,
    }


@pytest.mark.django_db
def test_good_xlsx_with_date_cells_numeric_snils_and_a_title_row(region):
    rows = three_teachers()
    rows[0]["СНИЛС"] = factories.snils_with_checksum(12_345_678)  # «012-…»: Excel drops the leading zero
    data = xlsx_bytes(rows, title_rows=["Сведения о педагогических работниках", ""])

    result = run(data, filename="Кадры 2025.XLSX")

    assert result.ok, result.errors
    assert result.created == 3
    vera = Person.objects.get(snils=factories.snils_with_checksum(12_345_678))
    assert vera.birth_date == dt.date(1985, 3, 14)
    assert vera.category_valid_until == dt.date(2027, 12, 19)


@pytest.mark.django_db
def test_headers_match_regardless_of_case_spaces_yo_and_notes_in_brackets(region):
    headers = [
        "  регион ",
        "МУНИЦИПАЛЬНОЕ   ОБРАЗОВАНИЕ",
        "Организация*",
        "вид организации",
        "№ п/п",
        "снилс",
        "Фамилия",
        "Имя",
        "Отчество",
        "Пол (м/ж)",
        "Дата рождения (ДД.ММ.ГГГГ)",
        "Должность",
        "Предметы",
        "Дата приема в организацию",
        "Квалификационная категория",
        "Дата присвоения категории",
        "Категория действительна до",
        "Уровень образования",
        "Педагогическое образование (да/нет)",
        "ПЕРЕПОДГОТОВКА ПО ПЕДАГОГИЧЕСКОМУ ПРОФИЛЮ",
        "Стаж по специальности с",
    ]
    canonical = {
        "  регион ": "Регион",
        "МУНИЦИПАЛЬНОЕ   ОБРАЗОВАНИЕ": "Муниципалитет",
        "Организация*": "Организация",
        "вид организации": "Вид организации",
        "снилс": "СНИЛС",
        "Пол (м/ж)": "Пол",
        "Дата рождения (ДД.ММ.ГГГГ)": "Дата рождения",
        "Дата приема в организацию": "Работает в организации с",
        "Педагогическое образование (да/нет)": "Педагогическое образование",
        "ПЕРЕПОДГОТОВКА ПО ПЕДАГОГИЧЕСКОМУ ПРОФИЛЮ": "Переподготовка по педагогическому профилю",
    }
    rows = [{header: teacher(1).get(canonical.get(header, header), "7") for header in headers}]

    result = run(csv_bytes(rows, headers=headers))

    assert result.ok, result.errors
    assert result.created == 1
    assert result.ignored_columns == ["№ п/п"]
    assert "Пропущены неизвестные столбцы: «№ п/п»" in result.summary()


@pytest.mark.django_db
def test_existing_directory_is_matched_by_name_ignoring_case_quotes_and_spacing(region):
    city = factories.make_municipality(region, name="Город Северный")
    school = factories.make_organization(region, municipality=city, name='МБОУ "СОШ №1"')
    Subject.objects.create(name="Математика")
    row = teacher(
        1,
        Муниципалитет="город северный",
        Организация="мбоу «сош № 1»",
        Предметы="математика",
        **{"Вид организации": "школа", "ИНН организации": ""},
    )

    result = run(csv_bytes([row]))

    assert result.ok, result.errors
    assert (result.organizations_created, result.municipalities_created, result.subjects_created) == (0, 0, 0)
    person = Person.objects.get(snils=snils(1))
    assert person.organization == school
    assert list(person.subjects.values_list("name", flat=True)) == ["Математика"]


# ---------------------------------------------------------------------------------------------
# Bad rows: nothing is written, every error has its row number


@pytest.mark.django_db
def test_bad_rows_write_nothing_and_each_error_names_its_row(region):
    good = teacher(1)
    bad_checksum = snils(2)[:-2] + ("00" if not snils(2).endswith("00") else "01")
    rows = [
        good,  # row 2
        teacher(2, СНИЛС=bad_checksum),  # row 3
        teacher(3, **{"Дата рождения": "31.02.1980"}),  # row 4
        teacher(4, **{"Дата присвоения категории": ""}),  # row 5
        teacher(5, СНИЛС=snils(1)),  # row 6: duplicate of row 2
        teacher(6, **{"Квалификационная категория": "вторая"}),  # row 7
        teacher(7, **{"Дата присвоения категории": "20.12.2022", "Категория действительна до": "01.01.2020"}),
        teacher(8, **{"Дата рождения": "01.01.2090"}),  # row 9
        teacher(9, Фамилия=""),  # row 10
        teacher(10, Организация="МБОУ «СОШ № 99»", Муниципалитет=""),  # row 11
        teacher(11, **{"ИНН организации": BAD_INN}),  # row 12
        teacher(12, Пол="x", **{"Педагогическое образование": "возможно"}),  # row 13: two errors
        teacher(13, **{"Квалификационная категория": "без категории"}),  # row 14: dates for «без категории»
    ]
    before = table_counts()

    result = run(csv_bytes(rows))

    assert not result.ok
    assert table_counts() == before
    assert result.created == result.updated == result.unchanged == 0
    messages = [str(issue) for issue in result.errors]
    bad = f"{bad_checksum[:3]}-{bad_checksum[4:7]}-{bad_checksum[8:11]} {bad_checksum[12:]}"
    assert messages == [
        f"Строка 3: неверная контрольная сумма СНИЛС {bad}",
        "Строка 4: дата рождения 31.02.1980 не существует",
        "Строка 5: категория «высшая» без даты присвоения",
        f"Строка 6: СНИЛС {snils(1)} повторяется — он уже указан в строке 2",
        "Строка 7: неизвестное значение «вторая» в столбце «Квалификационная категория»; допустимо: "
        "без категории, соответствие занимаемой должности, первая, высшая",
        "Строка 8: дата окончания действия категории 01.01.2020 должна быть позже даты присвоения 20.12.2022",
        "Строка 9: дата рождения 01.01.2090 должна быть в прошлом",
        "Строка 10: не заполнен столбец «Фамилия»",
        "Строка 11: организации «МБОУ «СОШ № 99»» нет в справочнике; чтобы её создать, заполните "
        "«Муниципалитет» — для вида «Общеобразовательная организация» он обязателен",
        f"Строка 12: неверный ИНН организации «{BAD_INN}»",
        "Строка 13: неизвестное значение «x» в столбце «Пол»; допустимо: м, ж",
        "Строка 13: в столбце «Педагогическое образование» ожидается «да» или «нет», а не «возможно»",
        "Строка 14: для «без категории» даты присвоения и окончания категории не заполняются",
    ]
    assert "не импортирован: ошибок — 13" in result.summary()


@pytest.mark.django_db
def test_row_numbers_follow_excel_when_a_title_sits_above_the_header(region):
    rows = [teacher(1), teacher(2, **{"Дата рождения": "31.02.1980"})]
    data = xlsx_bytes(rows, title_rows=["Сведения о кадрах"], native=False)

    result = run(data, filename="kadry.xlsx")

    assert [str(issue) for issue in result.errors] == ["Строка 4: дата рождения 31.02.1980 не существует"]


@pytest.mark.django_db
def test_unknown_region_is_refused_and_regions_are_never_created(db):
    result = run(csv_bytes([teacher(1)]))

    assert [str(issue) for issue in result.errors] == [
        "Строка 2: регион «Тестовый край» не найден в справочнике; регионы заводит администратор системы"
    ]
    assert table_counts() == dict.fromkeys(table_counts(), 0)


@pytest.mark.django_db
def test_one_region_per_file(region):
    factories.make_region(name="Соседняя область")
    result = run(csv_bytes([teacher(1), teacher(2, Регион="Соседняя область")]))
    assert [str(issue) for issue in result.errors] == [
        "Строка 3: регион «Соседняя область» отличается от региона файла «Тестовый край» (строка 2); "
        "в одном файле — один регион"
    ]


@pytest.mark.django_db
def test_conflicts_with_the_directory_and_between_rows_are_errors(region):
    factories.make_organization(region, kind=OrganizationKind.IRO, name="ГАУ ДПО «Институт развития образования»")
    rows = [
        teacher(1, Организация="ГАУ ДПО «Институт развития образования»"),  # a school in the file, ИРО in the directory
        teacher(2, Организация="МБОУ «Лицей № 2»"),
        teacher(3, Организация="МБОУ «Лицей № 2»", Муниципалитет="Посёлок Южный"),
    ]

    result = run(csv_bytes(rows))

    assert [str(issue) for issue in result.errors] == [
        "Строка 2: организация «ГАУ ДПО «Институт развития образования»» уже есть в справочнике с видом "
        "«Институт развития образования (ИРО)», а в файле указан вид «Общеобразовательная организация»",
        "Строка 4: организация «МБОУ «Лицей № 2»» в строке 3 указана с другим муниципалитетом",
    ]


@pytest.mark.django_db
def test_missing_required_columns_are_listed(region):
    headers = [h for h in HEADERS if h not in ("Пол", "Должность")]
    result = run(csv_bytes([teacher(1)], headers=headers))
    assert [str(issue) for issue in result.errors] == ["В файле нет обязательных столбцов: «Пол», «Должность»."]


# ---------------------------------------------------------------------------------------------
# Re-import and updates


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(region):
    data = xlsx_bytes(three_teachers())
    assert run(data, filename="kadry.xlsx").created == 3
    snapshot = list(Person.objects.order_by("pk").values())
    links = sorted(Person.subjects.through.objects.values_list("pk", "person_id", "subject_id"))
    counts = table_counts()

    result = run(data, filename="kadry.xlsx")

    assert result.ok
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert (result.organizations_created, result.municipalities_created, result.subjects_created) == (0, 0, 0)
    assert list(Person.objects.order_by("pk").values()) == snapshot
    assert sorted(Person.subjects.through.objects.values_list("pk", "person_id", "subject_id")) == links
    assert table_counts() == {**counts, "AuditEvent": counts["AuditEvent"] + 1}  # one event per run
    assert AuditEvent.objects.order_by("-id").first().data["unchanged"] == 3


@pytest.mark.django_db
def test_a_changed_row_updates_the_person_and_a_new_school_moves_them(region):
    city = factories.make_municipality(region, name="Город Северный")
    old_school = factories.make_organization(region, municipality=city, name="МБОУ «СОШ № 1»")
    moved = factories.make_person(old_school, snils=snils(1), middle_name="Павловна", email="v@example.org")
    moved.subjects.add(Subject.objects.create(name="Математика"))
    login = factories.make_user("moved_teacher", role=Role.TEACHER, organization=old_school, person=moved)
    stays = factories.make_person(
        old_school,
        snils=snils(2),
        last_name="Образцов",
        first_name="Пётр",
        middle_name="Ильич",
        sex=Sex.MALE,
        position="учитель физики",
    )
    stays.subjects.add(Subject.objects.create(name="Физика"))
    headers = [h for h in HEADERS if h != "Электронная почта"]  # absent column: e-mail is left alone
    rows = [
        teacher(
            1,
            Организация="МАОУ «Гимназия № 3»",
            Должность="заместитель директора",
            Предметы="Математика; Астрономия",
            **{"Квалификационная категория": "первая", "Дата присвоения категории": "10.01.2024"},
            **{"Категория действительна до": "09.01.2029", "Фамилия": "Тестова", "Имя": "Анна"},
        ),
        teacher(
            2,
            Фамилия="Образцов",
            Имя="Пётр",
            Отчество="Ильич",
            Пол="м",
            Должность="учитель физики",
            Предметы="Физика",
            **{"Дата присвоения категории": "20.12.2022", "Категория действительна до": "19.12.2027"},
        ),
    ]

    result = run(csv_bytes(rows, headers=headers))

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    moved.refresh_from_db()
    assert moved.organization.name == "МАОУ «Гимназия № 3»"
    assert moved.organization.municipality == city
    assert moved.position == "заместитель директора"
    assert moved.category == QualificationCategory.FIRST
    assert moved.category_assigned_on == dt.date(2024, 1, 10)
    assert moved.email == "v@example.org"
    assert sorted(moved.subjects.values_list("name", flat=True)) == ["Астрономия", "Математика"]
    assert Person.objects.filter(organization=old_school).get() == stays
    # the teacher's login now acts for the new school
    assert list(Membership.objects.filter(user=login).values_list("role", "organization")) == [
        (Role.TEACHER, moved.organization_id)
    ]


@pytest.mark.django_db
def test_dry_run_reports_what_would_change_and_writes_nothing(region):
    result = run(csv_bytes(three_teachers()), dry_run=True)

    assert result.ok and result.created == 3
    assert "было бы создано работников: 3" in result.summary()
    assert table_counts() == {**dict.fromkeys(table_counts(), 0)}


# ---------------------------------------------------------------------------------------------
# Files that are not what they claim, too big, empty


@pytest.mark.django_db
def test_xlsx_that_is_really_a_text_file_is_refused(region):
    result = run(csv_bytes(three_teachers()), filename="kadry.xlsx")
    assert [str(issue) for issue in result.errors] == [
        "Файл «kadry.xlsx» не является книгой Excel (.xlsx): его содержимое имеет другой формат. "
        "Сохраните таблицу как «Книга Excel (*.xlsx)» или как CSV."
    ]
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_random_binary_named_csv_is_refused(region):
    result = run(random.Random(7).randbytes(4096), filename="kadry.csv")
    assert [str(issue) for issue in result.errors] == [
        "Файл «kadry.csv» не является текстовым CSV: в нём двоичные данные."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "kadry.xlsx", "старом формате Excel 97–2003"),
        (b"PK\x03\x04 not really a zip", "kadry.xlsx", "не является книгой Excel"),
        (xlsx_bytes([]), "kadry.csv", "не текстовый CSV, а книга Excel"),
        ("СНИЛС;Фамилия\n".encode("utf-16"), "kadry.csv", "в кодировке UTF-16"),
        (b"\x98\x98\x98;\xff\xfe", "kadry.csv", "ожидается кодировка UTF-8 или Windows-1251"),
        (b"some text", "kadry.docx", "загрузите таблицу .xlsx или .csv"),
        (b"", "kadry.csv", "Файл «kadry.csv» пуст."),
        ("Фамилия;Имя\nТестова;Анна\n".encode(), "kadry.csv", "нет столбца «СНИЛС»"),
        (csv_bytes([]), "kadry.csv", "нет строк с данными"),
    ],
)
def test_unreadable_files_get_a_russian_explanation(region, data, filename, expected):
    result = run(data, filename=filename)
    assert len(result.errors) == 1
    assert expected in str(result.errors[0])


@pytest.mark.django_db
def test_oversized_file_is_refused(region, settings):
    data = csv_bytes(three_teachers())
    settings.PROFROST_MAX_UPLOAD_BYTES = len(data) - 1
    result = run(data)
    assert [str(issue) for issue in result.errors] == ["Файл «kadry.csv» больше допустимого размера 1 КБ."]
    assert Person.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Management command


@pytest.mark.django_db
def test_command_imports_and_prints_a_russian_summary(region, tmp_path):
    path = tmp_path / "kadry.xlsx"
    path.write_bytes(xlsx_bytes(three_teachers()))
    user = factories.make_user("operator")
    out = io.StringIO()

    call_command("import_staff", str(path), "--user", "operator", stdout=out)

    assert "Импорт кадров из «kadry.xlsx» выполнен. Строк: 3; создано работников: 3" in out.getvalue()
    assert Person.objects.count() == 3
    assert AuditEvent.objects.get(event="staff_import").actor == user


@pytest.mark.django_db
def test_command_dry_run_writes_nothing(region, tmp_path):
    path = tmp_path / "kadry.csv"
    path.write_bytes(csv_bytes(three_teachers(), encoding="cp1251"))
    out = io.StringIO()

    call_command("import_staff", str(path), "--dry-run", stdout=out)

    assert "без записи" in out.getvalue() and "было бы создано работников: 3" in out.getvalue()
    assert table_counts() == dict.fromkeys(table_counts(), 0)


@pytest.mark.django_db
def test_command_fails_with_the_errors_and_writes_nothing(region, tmp_path):
    path = tmp_path / "kadry.csv"
    path.write_bytes(csv_bytes([teacher(1), teacher(2, **{"Дата рождения": "31.02.1980"})]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="не импортирован: ошибок — 1"):
        call_command("import_staff", str(path), stderr=err)

    assert "Строка 3: дата рождения 31.02.1980 не существует" in err.getvalue()
    assert Person.objects.count() == 0


def test_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Файл не найден"):
        call_command("import_staff", str(tmp_path / "нет.csv"))


# ---------------------------------------------------------------------------------------------
# Admin page


@pytest.mark.django_db
def test_admin_changelist_links_to_the_import_page(admin_client):
    response = admin_client.get(reverse("admin:orgstructure_person_changelist"))
    assert reverse("admin:orgstructure_person_import") in response.content.decode()


@pytest.mark.django_db
def test_admin_upload_imports_and_shows_the_summary(admin_client, admin_user, region):
    page = admin_client.get(reverse("admin:orgstructure_person_import"))
    assert page.status_code == 200
    assert "Импорт кадров" in page.content.decode()

    upload = io.BytesIO(xlsx_bytes(three_teachers()))
    upload.name = "kadry.xlsx"
    response = admin_client.post(reverse("admin:orgstructure_person_import"), {"file": upload}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:orgstructure_person_changelist")
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "Импорт кадров из «kadry.xlsx» выполнен. Строк: 3; создано работников: 3, обновлено: 0, "
        "без изменений: 0. В справочники добавлено: организаций — 2, муниципалитетов — 1, предметов — 3."
    ]
    assert Person.objects.count() == 3
    assert AuditEvent.objects.get(event="staff_import").actor == admin_user


@pytest.mark.django_db
def test_admin_upload_with_errors_lists_them_and_writes_nothing(admin_client, region):
    upload = io.BytesIO(csv_bytes([teacher(1), teacher(2, **{"Дата присвоения категории": ""})]))
    upload.name = "kadry.csv"

    response = admin_client.post(reverse("admin:orgstructure_person_import"), {"file": upload}, follow=True)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Строка 3: категория «высшая» без даты присвоения" in body
    assert [str(m) for m in response.context["messages"]] == [
        "Файл «kadry.csv» не импортирован: ошибок — 1. Ничего не записано."
    ]
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_admin_dry_run_stays_on_the_page(admin_client, region):
    upload = io.BytesIO(csv_bytes(three_teachers()))
    upload.name = "kadry.csv"
    response = admin_client.post(
        reverse("admin:orgstructure_person_import"), {"file": upload, "dry_run": "on"}, follow=True
    )
    assert response.redirect_chain == []
    assert "было бы создано работников: 3" in response.content.decode()
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_admin_import_needs_the_add_person_permission(client):
    staff = factories.make_user("methodist")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    url = reverse("admin:orgstructure_person_import")
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:orgstructure_person_import_template")).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="add_person", content_type__app_label="orgstructure"))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_admin_offers_an_empty_template_with_the_documented_headers(admin_client, region):
    response = admin_client.get(reverse("admin:orgstructure_person_import_template"))

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert run(response.content, filename="shablon.xlsx").errors[0].message.endswith("нет строк с данными.")


# ---------------------------------------------------------------------------------------------
# Performance


@pytest.mark.django_db
def test_a_thousand_rows_take_a_constant_number_of_queries(region, django_assert_max_num_queries):
    rows = [
        teacher(
            n,
            Организация=f"МБОУ «СОШ № {n % 40}»",
            Муниципалитет=f"Район {n % 8}",
            Предметы=f"Предмет {n % 15}; Математика",
            **{"ИНН организации": ""},
        )
        for n in range(1000)
    ]
    data = xlsx_bytes(rows)

    # Reads are a fixed handful; inserts are batched (SQLite allows 999 parameters a statement, so
    # about 50 people per INSERT: ~20 statements here, 2 on PostgreSQL) — never one per row.
    # Speed is a benchmark's matter (a timed assertion fails on a loaded CI machine); the query
    # count is what keeps it fast at any size.
    with django_assert_max_num_queries(60):
        result = run(data, filename="kadry.xlsx")
    assert result.ok, result.errors[:3]
    assert (result.created, result.organizations_created, result.municipalities_created) == (1000, 40, 8)
    assert Person.subjects.through.objects.count() == 2000

    rows[0]["Должность"] = "учитель-логопед"
    with django_assert_max_num_queries(15):
        again = run(xlsx_bytes(rows), filename="kadry.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 999)


# ---------------------------------------------------------------------------------------------
# Cells that would run as spreadsheet formulas (issue 11, point 7)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("Фамилия", "=HYPERLINK(\"http://example.invalid\",\"Иванова\")"),
        ("Имя", "+7(999)"),
        ("Отчество", "-"),
        ("Должность", "@SUM(A1:A9)"),
        ("Организация", "=cmd|' /C calc'!A0"),
        ("Муниципалитет", "-Город"),
    ],
)
def test_a_text_cell_starting_like_a_formula_is_a_row_error(region, column, value):
    before = table_counts()

    result = run(csv_bytes([teacher(1), teacher(2, **{column: value})]))

    assert not result.ok
    assert table_counts() == before
    assert [str(issue) for issue in result.errors] == [
        f"Строка 3: «{column}» начинается с «{value[0]}» — так начинаются формулы электронных таблиц, "
        "а не названия и имена; исправьте ячейку (если значения нет, оставьте её пустой)"
    ]


def test_formula_like_subjects_and_e_mail_are_refused_too(region):
    result = run(
        csv_bytes([teacher(1, Предметы="Физика; =1+1", **{"Электронная почта": "=a@example.org"})])
    )

    assert [str(issue) for issue in result.errors] == [
        "Строка 2: неверный адрес электронной почты «=a@example.org»",
        "Строка 2: «Предметы» начинается с «=» — так начинаются формулы электронных таблиц, "
        "а не названия и имена; исправьте ячейку (если значения нет, оставьте её пустой)",
    ]


def test_a_hyphen_inside_a_name_is_fine(region):
    result = run(csv_bytes([teacher(1, Фамилия="Петрова-Водкина", Должность="учитель-логопед")]))

    assert result.ok, [str(issue) for issue in result.errors]
    assert Person.objects.get().last_name == "Петрова-Водкина"
