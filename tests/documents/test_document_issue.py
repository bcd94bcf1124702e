"""Issuing the seven documents: the texts in the right slots, the number, the date, the annex
rows — read back from the stored .docx with python-docx."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from documents.errors import (
    DeclensionError,
    InvalidDataError,
    MissingFieldsError,
    TemplateRenderError,
    UnknownSignatoryError,
)
from documents.issuing import document_issue, document_preview
from documents.kinds import all_specs, get_spec
from documents.models import DocumentImmutableError, IssuedDocument, NumberingRegister
from documents.signals import document_issued
from tests.documents.kinds import DocumentKind
from tests.factories import make_organization, make_person

from .conftest import ISSUED_ON, connected, docx_tables, docx_text

pytestmark = pytest.mark.django_db


def issue(kind, organization, artefact=None, context=None, **overrides):
    spec = get_spec(kind)
    arguments = dict(
        kind=kind,
        issuing_organization=organization,
        artefact=artefact or organization,
        context=spec.sample(organization) if context is None else context,
        signatory=None,
        issued_on=ISSUED_ON,
        actor=None,
    )
    arguments.update(overrides)
    return document_issue(**arguments)


def table_with(tables, header: str):
    """The first table whose header row has a cell `header`."""
    return next(table for table in tables if header in table[0])


def read(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def issued_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "documents" / "issued"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_all_seven_documents_are_shipped():
    kinds = {spec.kind for spec in all_specs()}
    assert kinds == set(DocumentKind.values)
    # DOC-4 has two variants; РМА registers its справка об отказе, о соответствии критериям and
    # the ведомость результатов оценки too; площадки their commission's protocol, the справка
    # on a site's status and the приказ changing a site's status; ИОМ its справка о выполнении and
    # the справка о результатах диагностики; monitoring its приказ on the plan of measures and the
    # effectiveness report
    assert len(kinds) == 18


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_each_kind_issues_with_its_sample(kind, ministry):
    document = issue(kind, ministry)
    data = read(document)
    assert document.sha256 and len(data) == document.size
    text = docx_text(data)
    assert "{{" not in text and "{%" not in text and "PRFRST" not in text
    assert document.title
    if get_spec(kind).numbered:
        expected = {"iom": "1/ИОМ"}.get(kind, "1/ОД" if kind.endswith("_order") else "1")
        assert document.number == expected
    else:
        assert document.number == ""


class TestRmaListOrder:
    """DOC-1: the приказ anatomy of seed 002 and the annex grouped by municipality and subject."""

    @pytest.fixture
    def context(self, ministry):
        context = _samples_rma(ministry)
        context["control"] = {
            "last_name": "Петров-Водкин",
            "first_name": "Илья",
            "middle_name": "Кузьмич",
            "sex": "m",
            "position": "первый заместитель министра",
        }
        return context

    def test_order_text(self, ministry, context):
        document = issue(DocumentKind.RMA_LIST_ORDER, ministry, context=context)
        text = docx_text(read(document))
        lines = text.splitlines()
        assert lines[:2] == ["МИНИСТЕРСТВО ОБРАЗОВАНИЯ И НАУКИ", "ПЕРМСКОГО КРАЯ"]
        assert "ПРИКАЗ" in lines
        assert "«30» августа 2024 г.\t№ 1/ОД" in lines
        assert (
            "Об утверждении списка регионального методического актива Пермского края на 2024/2025 учебный год" in lines
        )
        preamble = next(line for line in lines if line.startswith("В соответствии с Концепцией"))
        assert preamble.endswith("педагогических работников приказываю:")
        assert (
            "3. Центру непрерывного повышения профессионального мастерства педагогических работников "
            "обеспечить методическое сопровождение деятельности РМА и ведение реестра РМА." in lines
        )
        assert (
            "5. Контроль за исполнением настоящего приказа возложить на первого заместителя министра "
            "И.К. Петрова-Водкина." in lines
        )
        assert "Министр" in lines and "Н.П. Сидорова" in lines
        assert "от 30.08.2024 № 1/ОД" in lines  # the annex stamp
        assert "к приказу Министерства образования и науки Пермского края" in lines

    def test_control_stays_with_the_signatory_when_not_delegated(self, ministry, context):
        del context["control"]
        text = docx_text(read(issue(DocumentKind.RMA_LIST_ORDER, ministry, context=context)))
        assert "5. Контроль за исполнением настоящего приказа оставляю за собой." in text.splitlines()

    def test_annex_rows_grouped_and_numbered(self, ministry, context):
        tables = docx_tables(read(issue(DocumentKind.RMA_LIST_ORDER, ministry, context=context)))
        members = table_with(tables, "Фамилия, имя, отчество")
        body = members[2:]  # header and the «1 2 3 …» row
        assert body[0] == ["Березниковский городской округ"] * 7
        assert body[1] == ["Математика"] * 7
        assert body[2] == [
            "1",
            "Ким Ольга Сергеевна",
            "Учитель математики",
            "МАОУ «СОШ № 5»",
            "Высшая",
            "9",
            "84,5 / 80; 15.03.2024",  # both scores as the header names them, no mean (issue 9)
        ]
        assert [row[1] for row in body if row[0].isdigit()] == [
            "Ким Ольга Сергеевна",
            "Петрова-Водкина Мария Ильинична",
            "Шевченко Анна Павловна",
            "Белых Сергей Кузьмич",
            "Зайцев Лев Ильич",
            "Ким Виктор Андреевич",
        ]
        assert [row[0] for row in body if row[0].isdigit()] == ["1", "2", "3", "4", "5", "6"]
        assert ["Кунгурский муниципальный округ"] * 7 in body
        assert ["Русский язык и литература"] * 7 in body
        coordinators = table_with(tables, "ФИО координатора")
        assert coordinators[1][:3] == ["1", "Березниковский городской округ", "Соколова Любовь Петровна"]

    def test_document_record(self, ministry, context, school):
        document = issue(DocumentKind.RMA_LIST_ORDER, ministry, artefact=school, context=context)
        assert document.kind == DocumentKind.RMA_LIST_ORDER
        assert document.issued_on == ISSUED_ON and document.year == 2024
        assert document.organization == ministry
        assert document.signatory_name == "Сидорова Нина Петровна"
        assert document.signatory_position == "Министр"
        assert document.artefact == school
        assert document.template.version == 1
        assert document.data["academic_year"] == "2024/2025"


def _samples_rma(organization):
    return get_spec(DocumentKind.RMA_LIST_ORDER).sample(organization)


class TestCertificates:
    def test_rma_certificate_in_the_dative(self, ministry):
        text = docx_text(read(issue(DocumentKind.RMA_CERTIFICATE, ministry)))
        assert (
            "Дана Петровой-Водкиной Марии Ильиничне, учителю математики Муниципального автономного "
            "общеобразовательного учреждения «Средняя школа № 3», Березниковский городской округ, в том, что "
            "она включена в состав регионального методического актива Пермского края по направлениям "
            "«Математика», «Физика» на основании приказа Министерства образования и науки Пермского края от "
            "30 августа 2024 г. № 26-01-06-000 «Об утверждении списка регионального методического актива "
            "Пермского края»." in text
        )
        assert "СПРАВКА" in text and "30.08.2024 № 1" in text
        assert "Исп.: О.С. Ким" in text

    def test_indeclinable_man(self, ministry):
        context = get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry)
        context["person"] = {"last_name": "Белых", "first_name": "Сергей", "middle_name": "Кузьмич", "sex": "m"}
        context["position"] = "старший методист"
        text = docx_text(read(issue(DocumentKind.RMA_CERTIFICATE, ministry, context=context)))
        assert "Дана Белых Сергею Кузьмичу, старшему методисту " in text
        assert "в том, что он включен в состав" in text

    def test_internship_certificate(self, ministry):
        text = docx_text(read(issue(DocumentKind.INTERNSHIP_CERTIFICATE, ministry)))
        assert (
            "Дана Зайцеву Льву Ильичу, учителю физики МБОУ «Средняя школа № 7», в том, что он в период с "
            "14.10.2024 по 25.10.2024 прошел стажировку на базе стажировочной площадки Муниципального "
            "автономного общеобразовательного учреждения «Средняя школа № 11»" in text
        )
        assert "в объеме 24 часа." in text
        assert "Форма стажировки: индивидуальная." in text


def test_internship_sites_order(ministry):
    document = issue(DocumentKind.INTERNSHIP_SITES_ORDER, ministry)
    text = docx_text(read(document))
    assert "Об утверждении перечня региональных стажировочных площадок на 2024-2026 годы" in text
    assert "(протокол от 20.08.2024 № 3) приказываю:" in text
    assert "представление отчета о деятельности площадки в срок до 30 июня 2025 г.\n" in text
    sites = table_with(docx_tables(read(document)), "Наименование образовательной организации")
    assert sites[2] == [
        "1",
        "МАОУ «СОШ № 11»",
        "Березниковский городской округ",
        "Медиаобразование",
        "учителя информатики",
        "групповая",
        "36",
        "с 01.09.2024 по 31.08.2026",
        "Белых С.К., заместитель директора",
    ]
    # a site's second programme continues its row: no number, name, term or curator again
    assert sites[3] == ["", "", "", "Наставничество молодых педагогов", "молодые педагоги", "групповая", "16", "", ""]
    assert len(sites) == 2 + 4


def test_iom_with_approval_sheet(ministry):
    document = issue(DocumentKind.IOM, ministry)
    data = read(document)
    text = docx_text(data)
    assert "ИНДИВИДУАЛЬНЫЙ ОБРАЗОВАТЕЛЬНЫЙ МАРШРУТ" in text
    assert "на период с 01.09.2024 по 31.05.2025" in text
    assert "Общий объем: 54 часа" in text
    assert "ЛИСТ СОГЛАСОВАНИЯ ИОМ" in text
    assert "Министр ______________ Н.П. Сидорова" in text
    tables = docx_tables(data)
    plan = table_with(tables, "Дефицит (задача)")
    assert plan[1][:3] == [
        "1",
        "Формирующее оценивание",
        "Курсы «Функциональная грамотность учителя: технологии развития критического мышления»",
    ]
    assert plan[1][-1] == "выполнено 22.11.2024"
    approvals = table_with(tables, "Решение (согласовано / на доработку)")
    assert approvals[1][:3] == ["Педагогический работник", "Петрова-Водкина М.И.", "согласовано"]
    # the teacher's block: two label–value pairs to a row (the landscape width holds them)
    teacher = next(table for table in tables if table[0][0] == "Фамилия, имя, отчество")
    assert teacher[0] == [
        "Фамилия, имя, отчество", "Петрова-Водкина Мария Ильинична", "Должность", "Учитель математики"
    ]
    assert teacher[3][2:] == ["Молодой педагог (до 35 лет, первые 3 года работы)", "нет"]
    # the route's number in the «Реестр ИОМ» (issue 13), from the issuer's numbering register
    assert document.number == "1/ИОМ" and "Реестр ИОМ: № 1/ИОМ" in text
    assert NumberingRegister.objects.get().kind == DocumentKind.IOM


def test_monitoring_report(ministry):
    document = issue(DocumentKind.MONITORING_REPORT, ministry)
    text = docx_text(read(document))
    assert "АНАЛИТИЧЕСКАЯ СПРАВКА" in text
    assert "в Пермском крае за 2023/2024 учебный год" in text
    assert "Количество образовательных организаций, представивших данные: 112 из 120 (93,3 %)." in text
    assert (
        "Доля педагогических работников, для которых разработаны ИОМ на основе результатов диагностики "
        "профессиональных дефицитов составила 42,5 % (425 из 1000), что на 7,3 п.п. выше уровня прошлого "
        "периода (целевое значение – 40 %, достигнуто)." in text
    )
    results = table_with(docx_tables(read(document)), "Показатель")
    assert results[2][3:] == ["5", "5,1", "4,8 % (48 из 1000)", "-0,3", "не достигнуто"]


def test_recommendations_letter(ministry):
    text = docx_text(read(issue(DocumentKind.MONITORING_RECOMMENDATIONS, ministry)))
    lines = text.splitlines()
    assert "30.08.2024 № 1" in lines
    assert "На № ________ от ________" in lines
    assert ["Директору", "МАОУ «СОШ № 3»", "Л.П. Соколовой"] == lines[lines.index("Директору") :][:3]
    assert "Уважаемая Любовь Петровна!" in lines
    assert "Тел./факс (342) 200-00-00" in lines
    assert "Исп.: О.С. Ким" in lines and "8 (342) 200-00-00" in lines


def test_deadline_notice(ministry):
    document = issue(DocumentKind.DEADLINE_NOTICE, ministry)
    text = docx_text(read(document))
    assert "В.А. Киму" in text and "Уважаемый Виктор Андреевич!" in text
    assert (
        "Информируем, что по состоянию на 27.01.2025 в МБОУ «Средняя школа № 7» не выполнено в "
        "установленный срок следующее мероприятие (задача):"
    ) in text
    items = table_with(docx_tables(read(document)), "Мероприятие (задача)")
    assert items[1][3:5] == ["20.01.2025", "7 дней"]


class TestNumbering:
    def test_numbers_follow_each_other_and_the_register_format(self, ministry, region):
        first = issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=make_organization(region))
        second = issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=make_organization(region))
        assert (first.number, second.number) == ("1", "2")
        register = NumberingRegister.objects.get(organization=ministry, kind=DocumentKind.RMA_CERTIFICATE)
        assert register.next_number == 3

    def test_configured_format_and_start(self, ministry, region):
        NumberingRegister.objects.create(
            organization=ministry,
            kind=DocumentKind.RMA_LIST_ORDER,
            year=2024,
            number_format="26-01-06-{n}",
            next_number=545,
        )
        document = issue(DocumentKind.RMA_LIST_ORDER, ministry)
        assert document.number == "26-01-06-545" and document.sequence == 545
        assert "«30» августа 2024 г.\t№ 26-01-06-545" in docx_text(read(document))

    def test_a_new_year_starts_at_one_with_last_years_format(self, ministry, region):
        issue(DocumentKind.RMA_LIST_ORDER, ministry, artefact=make_organization(region))
        NumberingRegister.objects.filter(kind=DocumentKind.RMA_LIST_ORDER).update(number_format="{n}/ ОД")
        next_year = issue(
            DocumentKind.RMA_LIST_ORDER, ministry, artefact=make_organization(region), issued_on=dt.date(2025, 1, 9)
        )
        assert next_year.number == "1/ ОД" and next_year.year == 2025

    def test_registers_are_per_organization_and_kind(self, ministry, school, region):
        school.head_name, school.head_position = "Ким Ольга Сергеевна", "директор"
        school.save()
        a = issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=make_organization(region))
        b = issue(DocumentKind.RMA_CERTIFICATE, school, artefact=make_organization(region))
        c = issue(DocumentKind.INTERNSHIP_CERTIFICATE, ministry, artefact=make_organization(region))
        assert (a.number, b.number, c.number) == ("1", "1", "1")

    def test_a_retried_job_returns_the_issued_document(self, ministry, school):
        first = issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=school)
        again = issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=school)
        assert again.pk == first.pk
        assert IssuedDocument.objects.count() == 1
        assert NumberingRegister.objects.get().next_number == 2
        assert len(issued_files()) == 1


class TestBadInput:
    """Missing data, an unknown signatory or a failing template: a Russian error, no number
    consumed, no file written."""

    def assert_nothing_happened(self):
        assert not IssuedDocument.objects.exists()
        assert all(register.next_number == 1 for register in NumberingRegister.objects.all())
        assert issued_files() == []

    def test_missing_required_fields_are_named(self, ministry):
        context = _samples_rma(ministry)
        del context["academic_year"]
        context["members"][0]["last_name"] = ""
        context["members"][2]["subject"] = None
        with pytest.raises(MissingFieldsError) as error:
            issue(DocumentKind.RMA_LIST_ORDER, ministry, context=context)
        message = str(error.value)
        assert message.startswith("Документ «Приказ об утверждении списка РМА» не может быть сформирован")
        assert "учебный год" in message
        assert "список членов РМА, строка 1: фамилия" in message
        assert "список членов РМА, строка 3: предмет (направление)" in message
        self.assert_nothing_happened()

    def test_empty_table(self, ministry):
        context = get_spec(DocumentKind.DEADLINE_NOTICE).sample(ministry)
        context["items"] = []
        context["executor"] = {"name": context["executor"]["name"]}
        with pytest.raises(MissingFieldsError, match="просроченные мероприятия") as error:
            issue(DocumentKind.DEADLINE_NOTICE, ministry, context=context)
        assert "телефон исполнителя" in str(error.value)
        self.assert_nothing_happened()

    def test_unusable_values(self, ministry):
        context = get_spec(DocumentKind.INTERNSHIP_CERTIFICATE).sample(ministry)
        context["date_from"] = "14.10.2024"  # not ISO
        with pytest.raises(InvalidDataError, match="неверные данные"):
            issue(DocumentKind.INTERNSHIP_CERTIFICATE, ministry, context=context)
        self.assert_nothing_happened()

    def test_name_without_a_known_sex(self, ministry):
        context = get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry)
        context["person"] = {"last_name": "Белых", "first_name": "Саша"}
        with pytest.raises(DeclensionError, match="укажите пол"):
            issue(DocumentKind.RMA_CERTIFICATE, ministry, context=context)
        self.assert_nothing_happened()

    def test_organization_without_head_and_no_signatory(self, school):
        with pytest.raises(UnknownSignatoryError, match="Не указан подписант документа"):
            issue(DocumentKind.RMA_CERTIFICATE, school)
        self.assert_nothing_happened()

    def test_signatory_from_another_organization(self, ministry, region):
        stranger = make_person(make_organization(region), position="директор")
        with pytest.raises(UnknownSignatoryError, match="не работает в организации"):
            issue(DocumentKind.RMA_CERTIFICATE, ministry, signatory=stranger)
        self.assert_nothing_happened()

    def test_signatory_without_position(self, ministry):
        with pytest.raises(UnknownSignatoryError, match="Не указана должность подписанта"):
            issue(
                DocumentKind.RMA_CERTIFICATE,
                ministry,
                signatory={"last_name": "Ким", "first_name": "Ольга", "sex": "f"},
            )
        self.assert_nothing_happened()

    def test_signatory_person_of_the_organization(self, ministry):
        head = make_person(
            ministry,
            last_name="Белых",
            first_name="Илья",
            middle_name="Ильич",
            sex="m",
            position="заместитель министра",
        )
        document = issue(DocumentKind.RMA_CERTIFICATE, ministry, signatory=head)
        text = docx_text(read(document))
        assert "Заместитель министра" in text and "И.И. Белых" in text

    def test_template_that_fails_to_render(self, ministry, broken_template):
        with pytest.raises(TemplateRenderError, match="не удалось заполнить"):
            issue(DocumentKind.RMA_CERTIFICATE, ministry)
        self.assert_nothing_happened()

    def test_failure_after_the_file_was_stored_rolls_back_and_removes_it(self, ministry):
        def failing_receiver(**kwargs):
            assert issued_files(), "the file is stored before the receiver runs"
            raise RuntimeError("audit is down")

        with connected(document_issued, failing_receiver), pytest.raises(RuntimeError):
            issue(DocumentKind.RMA_CERTIFICATE, ministry)
        self.assert_nothing_happened()


def test_document_issued_is_sent_once_inside_the_transaction(ministry, school):
    calls = []

    def record(sender, *, document, actor, **kwargs):
        calls.append((sender.kind, document.number, actor))

    with connected(document_issued, record):
        issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=school)
        issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=school)  # a retry
    assert calls == [(DocumentKind.RMA_CERTIFICATE, "1", None)]


def test_a_receiver_records_an_audit_event(ministry, school):
    from workflows.core.models import AuditEvent

    with connected(document_issued, audit_receiver):
        document = issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=school)
    event = AuditEvent.objects.get()
    assert event.event == "document_issued" and event.data == {"number": document.number}


def audit_receiver(sender, *, document, actor, **kwargs):
    """What a process connects: documents itself never imports workflows (ARCHITECTURE)."""
    from workflows.core.audit import record_event

    record_event(actor=actor, obj=document, event="document_issued", data={"number": document.number})


def test_pdf_conversion_is_enqueued_after_commit(ministry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issue(DocumentKind.RMA_CERTIFICATE, ministry)
    assert len(callbacks) == 1


def test_preview_takes_no_number_and_stores_nothing(ministry):
    data = document_preview(
        kind=DocumentKind.RMA_LIST_ORDER,
        issuing_organization=ministry,
        context=_samples_rma(ministry),
        issued_on=ISSUED_ON,
    )
    assert "«30» августа 2024 г.\t№ ____" in docx_text(data)
    assert not NumberingRegister.objects.exists()
    assert not IssuedDocument.objects.exists()
    assert issued_files() == []


class TestImmutability:
    def test_issued_document_cannot_change(self, ministry):
        document = issue(DocumentKind.RMA_CERTIFICATE, ministry)
        document.title = "Другое"
        with pytest.raises(DocumentImmutableError):
            document.save()
        with pytest.raises(DocumentImmutableError):
            IssuedDocument.objects.filter(pk=document.pk).update(number="999")
        with pytest.raises(DocumentImmutableError):
            document.delete()
        with pytest.raises(DocumentImmutableError):
            IssuedDocument.objects.all().delete()

    def test_pdf_columns_may_be_filled_in(self, ministry):
        document = issue(DocumentKind.RMA_CERTIFICATE, ministry)
        assert IssuedDocument.objects.filter(pk=document.pk).update(pdf_message="x") == 1


@pytest.fixture
def broken_template(settings):
    """An active uploaded version whose placeholder names a variable no context has."""
    import io

    from django.core.files.base import ContentFile
    from docx import Document

    from documents.models import DocumentTemplate, TemplateSource
    from documents.rendering import sha256_hex

    document = Document()
    document.add_paragraph("{{ number }} {{ no_such_field }}")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    template = DocumentTemplate(
        kind=DocumentKind.RMA_CERTIFICATE,
        version=1,
        sha256=sha256_hex(data),
        source=TemplateSource.UPLOAD,
        is_active=True,
    )
    template.file.save("broken.docx", ContentFile(data), save=False)
    template.save()
    return template


def test_postgresql_refuses_raw_changes(ministry):
    """Not even raw SQL rewrites an issued document; the PDF columns stay writable."""
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only; SQLite relies on the model guards")
    document = issue(DocumentKind.RMA_CERTIFICATE, ministry)
    with connection.cursor() as cursor:
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            cursor.execute("UPDATE documents_issueddocument SET number = '999' WHERE id = %s", [document.pk])
        with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
            cursor.execute("DELETE FROM documents_issueddocument WHERE id = %s", [document.pk])
        cursor.execute("UPDATE documents_issueddocument SET pdf_message = 'x' WHERE id = %s", [document.pk])


def test_issue_later_enqueues_after_commit(ministry, school, django_capture_on_commit_callbacks, settings):
    from documents.tasks import document_issue_later

    settings.PROFROST_DOCUMENTS_PDF = False

    with connected(document_issued, audit_receiver), django_capture_on_commit_callbacks(execute=True) as callbacks:
        document_issue_later(
            kind=DocumentKind.RMA_CERTIFICATE,
            issuing_organization=ministry,
            artefact=school,
            context=get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry),
            signatory=None,
            issued_on=ISSUED_ON,
            actor=None,
        )
        assert not IssuedDocument.objects.exists()  # nothing happens inside the request's transaction
    assert callbacks
    document = IssuedDocument.objects.get()  # the (eager) worker issued it
    assert document.artefact == school and document.number == "1"
