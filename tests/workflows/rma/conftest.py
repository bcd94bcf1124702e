"""A small Пермский край for the РМА tests: the regional bodies, two municipalities (Березники and
Кунгур) with their coordinators, a school in each, and one user per role — as in the demo (invented
names only)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from common.uploads import samples
from orgstructure.models import OrganizationKind, QualificationCategory, Role, Subject
from tests.factories import make_municipality, make_organization, make_person, make_region, make_user
from workflows.core.calendar import local_date
from workflows.rma.models import RmaRegionSettings

PDF = samples.pdf("Test document")  # real files: uploads are checked by their content
PNG = samples.png()
PASSWORD = "pass-Профрост-1"


def pdf(name="document.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def required_files():
    return {
        "attestation_order": pdf("prikaz-kategoriya.pdf"),
        "diploma": pdf("diplom.pdf"),
        "employment_record": SimpleUploadedFile("trudovaya.png", PNG, content_type="image/png"),
    }


def today(region) -> dt.date:
    return local_date(timezone.now(), region.timezone)


@pytest.fixture
def perm(db):
    region = make_region("Пермский край", code="59", timezone="Asia/Yekaterinburg")
    berezniki = make_municipality(region, "Березники")
    kungur = make_municipality(region, "Кунгур")

    def org(kind, name, municipality=None, head=None, position=None):
        organization = make_organization(region, kind=kind, municipality=municipality, name=name)
        if head:
            organization.head_name, organization.head_position = head, position
            organization.save()
        return organization

    orgs = SimpleNamespace(
        ministry=org(
            OrganizationKind.MINISTRY,
            "Министерство образования и науки Пермского края",
            head="Тарасов Андрей Викторович",
            position="Министр образования и науки Пермского края",
        ),
        cnppmpr=org(
            OrganizationKind.CNPPMPR,
            "Центр непрерывного повышения профессионального мастерства педагогических работников",
            head="Субботина Елена Сергеевна",
            position="Руководитель центра",
        ),
        copmkp=org(OrganizationKind.COPMKP, "Центр оценки профессионального мастерства и квалификации педагогов"),
        uo_berezniki=org(
            OrganizationKind.MUNI_AUTHORITY, "Управление образования администрации города Березники", berezniki
        ),
        uo_kungur=org(OrganizationKind.MUNI_AUTHORITY, "Управление образования администрации города Кунгура", kungur),
        school=org(OrganizationKind.SCHOOL, "МАОУ «СОШ № 7» г. Березники", berezniki),
        school_kungur=org(OrganizationKind.SCHOOL, "МБОУ «СОШ № 10» г. Кунгура", kungur),
    )
    # The seeds give no pass mark: the test region sets its own, as a region does.
    RmaRegionSettings.objects.create(region=region, subject_pass_mark=70, methodical_pass_mark=70)
    math = Subject.objects.get_or_create(name="Математика")[0]
    physics = Subject.objects.get_or_create(name="Физика")[0]
    persons = SimpleNamespace(
        eligible=make_person(
            orgs.school,
            last_name="Воронцова",
            first_name="Ирина",
            middle_name="Павловна",
            position="учитель математики",
        ),
        kungur_teacher=make_person(
            orgs.school_kungur,
            last_name="Белоусова",
            first_name="Нина",
            middle_name="Олеговна",
            position="учитель физики",
        ),
        teacher=make_person(
            orgs.school,
            last_name="Ларионова",
            first_name="Дарья",
            middle_name="Андреевна",
            position="учитель русского языка",
            category=QualificationCategory.NONE,
            category_assigned_on=None,
            category_valid_until=None,
            specialty_experience_since=dt.date(2023, 3, 1),
        ),
    )
    persons.eligible.subjects.add(math)
    users = SimpleNamespace(
        teacher=make_user("teacher", role=Role.TEACHER, organization=orgs.school, person=persons.teacher),
        school_head=make_user("school_head", role=Role.SCHOOL_HEAD, organization=orgs.school),
        rma_coord=make_user("rma_coord", role=Role.RMA_MUNI_COORDINATOR, organization=orgs.uo_berezniki),
        kungur_coord=make_user("kungur_coord", role=Role.RMA_MUNI_COORDINATOR, organization=orgs.uo_kungur),
        copmkp=make_user("copmkp", role=Role.COPMKP_ASSESSOR, organization=orgs.copmkp),
        cnppm=make_user("cnppm", role=Role.CNPPM_COORDINATOR, organization=orgs.cnppmpr),
        ministry=make_user("ministry", role=Role.MINISTRY_OFFICER, organization=orgs.ministry),
        signatory=make_user("signatory", role=Role.MINISTRY_SIGNATORY, organization=orgs.ministry),
    )
    for user, (last, first) in {
        users.rma_coord: ("Ефимова", "Татьяна"),
        users.kungur_coord: ("Сомова", "Вера"),
        users.ministry: ("Белова", "Ирина"),
    }.items():
        user.last_name, user.first_name = last, first
        user.save(update_fields=["last_name", "first_name"])
    return SimpleNamespace(
        region=region,
        berezniki=berezniki,
        kungur=kungur,
        orgs=orgs,
        persons=persons,
        users=users,
        subjects=SimpleNamespace(math=math, physics=physics),
    )


@pytest.fixture
def client_as():
    """A fresh browser session signed in as the given user (force_login; the password is not the
    point). Each call is its own client, so sessions of two users never mix."""

    def _as(user):
        client = Client()
        client.force_login(user)
        return client

    return _as
