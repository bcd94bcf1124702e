"""The demo region: volumes, distributions, the documented edge cases, the demo users and the
idempotency of `load_demo`. The demo is loaded once for the module inside a transaction that is
rolled back afterwards; each test runs in a savepoint within it."""

import datetime as dt
import io
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from orgstructure import demo
from orgstructure.models import (
    HIGHER_EDUCATION_LEVELS,
    Membership,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    QualificationCategory,
    Region,
    Role,
    Sex,
    Subject,
)
from tests.factories import snils_with_checksum

SEEDS_DIR = Path(os.environ.get("PROFROST_SEEDS_DIR", Path(settings.BASE_DIR).parent / "shared" / "seeds"))


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the demo once; roll it back when the module is done, so other modules see an empty DB."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        report = demo.load_demo()
    yield report
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def as_of(loaded, db):
    return loaded.as_of


def _person(fixed: demo.FixedPerson) -> Person:
    last_name, first_name, middle_name = fixed.name_parts
    return Person.objects.get(last_name=last_name, first_name=first_name, middle_name=middle_name)


def _snapshot() -> dict:
    return {
        "regions": Region.objects.count(),
        "municipalities": Municipality.objects.count(),
        "organizations": Organization.objects.count(),
        "subjects": Subject.objects.count(),
        "persons": Person.objects.count(),
        "person_subjects": Person.subjects.through.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "linked_persons": Person.objects.filter(user__isnull=False).count(),
    }


# --- volumes and structure -------------------------------------------------------------------


def test_region_municipalities_and_regional_bodies(as_of):
    region = Region.objects.get(code="59")
    assert (region.name, region.timezone) == ("Пермский край", "Asia/Yekaterinburg")
    assert region.tzinfo.utcoffset(dt.datetime(2026, 1, 15)) == dt.timedelta(hours=5)
    names = set(region.municipalities.values_list("name", flat=True))
    assert {"Пермь", "Березники", "Кунгур", "Соликамск", "Чайковский", "Лысьва"} <= names
    assert len(names) >= 8

    ministry = Organization.objects.get(kind=OrganizationKind.MINISTRY)
    assert ministry.name == "Министерство образования и науки Пермского края"
    iro = Organization.objects.get(kind=OrganizationKind.IRO)
    cnppmpr = Organization.objects.get(kind=OrganizationKind.CNPPMPR)
    assert cnppmpr.parent == iro and cnppmpr.short_name == "ЦНППМПР ГАУ ДПО «ИРО ПК»"
    assert "Капитал развития" in Organization.objects.get(kind=OrganizationKind.COPMKP).name
    assert "КПИПКРО" in Organization.objects.get(kind=OrganizationKind.DPO).short_name
    for kind in (OrganizationKind.MINISTRY, OrganizationKind.IRO, OrganizationKind.CNPPMPR):
        assert Organization.objects.get(kind=kind).municipality is None

    for municipality in region.municipalities.all():
        kinds = Counter(municipality.organizations.values_list("kind", flat=True))
        assert kinds[OrganizationKind.MUNI_AUTHORITY] == 1, municipality
        assert kinds[OrganizationKind.MMS] == 1, municipality
        assert kinds[OrganizationKind.SCHOOL] >= 4, municipality

    assert Organization.objects.filter(
        name="Управление образования администрации города Березники", kind=OrganizationKind.MUNI_AUTHORITY
    ).exists()
    assert Organization.objects.filter(
        name="МАУ «Центр сопровождения, обеспечения и развития образования» г. Березники",
        kind=OrganizationKind.MMS,
    ).exists()
    assert Organization.objects.filter(short_name="МБОУ «Гимназия № 3» г. Кунгура").exists()


def test_schools_persons_and_subjects_volumes(as_of):
    schools = Organization.objects.filter(kind=OrganizationKind.SCHOOL)
    assert 38 <= schools.count() <= 42
    assert 2 <= schools.filter(is_low_results=True).count() <= 3
    assert 900 <= Person.objects.count() <= 1100
    per_school = Counter(Person.objects.values_list("organization_id", flat=True))
    assert set(per_school) == set(schools.values_list("pk", flat=True))
    assert all(20 <= count <= 35 for count in per_school.values()), sorted(per_school.values())
    assert set(demo.SUBJECTS) <= set(Subject.objects.values_list("name", flat=True))
    assert len(demo.SUBJECTS) == 13


def test_distributions_are_realistic(as_of):
    people = list(Person.objects.prefetch_related("subjects"))
    total = len(people)

    def share(predicate):
        return sum(1 for person in people if predicate(person)) / total

    categories = Counter(person.category_on(as_of) for person in people)
    assert 0.25 <= categories[QualificationCategory.HIGHEST] / total <= 0.35
    assert 0.30 <= categories[QualificationCategory.FIRST] / total <= 0.40
    assert 0.11 <= categories[QualificationCategory.CONFORMITY] / total <= 0.19
    assert 0.15 <= categories[QualificationCategory.NONE] / total <= 0.25

    assert 0.80 <= share(lambda p: p.has_higher_education and p.education_is_pedagogical) <= 0.90
    non_pedagogical = [p for p in people if p.has_higher_education and not p.education_is_pedagogical]
    assert 0.05 <= len(non_pedagogical) / total <= 0.11
    assert any(p.has_pedagogical_retraining for p in non_pedagogical)
    assert any(not p.has_pedagogical_retraining for p in non_pedagogical)
    assert 0.04 <= share(lambda p: p.education_level not in HIGHER_EDUCATION_LEVELS) <= 0.10
    assert 0.07 <= share(lambda p: p.is_young_teacher(as_of)) <= 0.13
    assert 0.75 <= share(lambda p: p.sex == Sex.FEMALE) <= 0.92

    for person in people:
        assert 22 <= person.age_on(as_of) <= 65, person
        assert person.birth_date + relativedelta(years=19) <= person.specialty_experience_since <= as_of
        assert person.birth_date + relativedelta(years=19) <= person.employed_since <= as_of
        assert person.position.startswith("учитель "), person.position
        subjects = [subject.name for subject in person.subjects.all()]
        assert subjects, person
        assert set(subjects) == set(demo.POSITIONS_BY_NAME[person.position][1])
        if person.category in (QualificationCategory.FIRST, QualificationCategory.HIGHEST):
            assert person.category_valid_until == (
                person.category_assigned_on + relativedelta(years=5) - dt.timedelta(days=1)
            )
        assert person.snils == snils_with_checksum(int(re.sub(r"\D", "", person.snils)[:9])), person.snils
        assert person.email.endswith(".example.org")


def test_names_have_correct_feminine_forms(as_of):
    male_surnames = set(demo.SURNAMES)
    for person in Person.objects.all():
        if person.sex == Sex.FEMALE:
            assert person.middle_name.endswith(("вна", "ична")), person
            assert not person.last_name.endswith(("ов", "ев", "ёв", "ин", "ский", "ой", "ый")), person
        else:
            assert person.middle_name.endswith(("вич", "ич")), person
            assert not person.last_name.endswith(("ова", "ева", "ёва", "ина", "ская", "ая")), person
    assert demo.feminine_surname("Соловьёв") == "Соловьёва"
    assert demo.feminine_surname("Покровский") == "Покровская"
    assert demo.feminine_surname("Луговой") == "Луговая"
    assert demo.feminine_surname("Заречный") == "Заречная"
    assert demo.feminine_surname("Седых") == "Седых"
    assert demo.feminine_surname("Ткаченко") == "Ткаченко"
    fixed_surnames = {fixed.name_parts[0] for fixed in demo.FIXED_PERSONS}
    assert not fixed_surnames & (male_surnames | {demo.feminine_surname(s) for s in male_surnames})


def test_teacher_generation_is_deterministic():
    day = dt.date(2026, 3, 1)
    first, second = demo.generate_teachers(day), demo.generate_teachers(day)
    assert first == second
    assert len({teacher["snils"] for teacher in first}) == len(first)
    # the СНИЛС stream does not depend on the load date
    # who works where, keyed by СНИЛС, does not depend on the load date: a later load adds no one
    later = demo.generate_teachers(dt.date(2029, 2, 28))
    assert [(t["snils"], t["school"]) for t in later] == [(t["snils"], t["school"]) for t in first]


# --- edge cases (as of the load date) --------------------------------------------------------


def test_edge_case_people_exist_once_in_the_demo_school(as_of):
    school = Organization.objects.get(short_name="МАОУ «СОШ № 7» г. Березники")
    for fixed in demo.FIXED_PERSONS:
        person = _person(fixed)
        assert person.organization == school
        assert person.snils == fixed.snils


def test_edge_case_exactly_five_years_of_experience(as_of):
    person = _person(demo.EDGE_CASES_BY_KEY["experience_exactly_5_years"])
    assert person.specialty_experience_since == as_of - relativedelta(years=5)
    experience = person.specialty_experience_on(as_of)
    assert (experience.years, experience.months) == (5, 0)
    if (as_of.month, as_of.day) != (2, 29):  # on 29 February «minus five years» is 28 February
        assert experience.days == 0
        assert person.specialty_experience_on(as_of - dt.timedelta(days=1)).years == 4


def test_edge_case_four_years_eleven_months(as_of):
    person = _person(demo.EDGE_CASES_BY_KEY["experience_4_years_11_months"])
    experience = person.specialty_experience_on(as_of)
    assert (experience.years, experience.months) == (4, 11)
    assert person.specialty_experience_on(as_of + relativedelta(months=1, days=1)).years == 5


def test_edge_case_lapsed_highest_category(as_of):
    person = _person(demo.EDGE_CASES_BY_KEY["lapsed_highest_category"])
    assert person.category == QualificationCategory.HIGHEST
    assert person.category_valid_until < as_of
    assert person.category_on(as_of) == QualificationCategory.NONE
    assert person.category_on(person.category_valid_until) == QualificationCategory.HIGHEST


def test_edge_cases_non_pedagogical_education(as_of):
    without = _person(demo.EDGE_CASES_BY_KEY["non_pedagogical_without_retraining"])
    assert without.has_higher_education
    assert (without.education_is_pedagogical, without.has_pedagogical_retraining) == (False, False)
    retrained = _person(demo.EDGE_CASES_BY_KEY["non_pedagogical_with_retraining"])
    assert retrained.has_higher_education
    assert (retrained.education_is_pedagogical, retrained.has_pedagogical_retraining) == (False, True)


def test_edge_case_34_year_old_in_third_year_is_young(as_of):
    person = _person(demo.EDGE_CASES_BY_KEY["young_34_third_year"])
    assert person.sex == Sex.MALE
    assert person.age_on(as_of) == 34
    assert relativedelta(as_of, person.employed_since).years == 2  # the third year at the school
    assert person.is_young_teacher(as_of)


def test_edge_case_35_year_old_is_not_young(as_of):
    person = _person(demo.EDGE_CASES_BY_KEY["turns_35_not_young"])
    assert person.age_on(as_of) == 35
    assert relativedelta(as_of, person.employed_since).years < 3  # only the age disqualifies
    assert not person.is_young_teacher(as_of)
    if (as_of.month, as_of.day) != (2, 29):
        assert person.is_young_teacher(as_of - dt.timedelta(days=1))  # the day before, still 34


# --- demo users ------------------------------------------------------------------------------


EXPECTED_ORGANIZATION_KIND = {
    Role.MINISTRY_OFFICER: OrganizationKind.MINISTRY,
    Role.MINISTRY_SIGNATORY: OrganizationKind.MINISTRY,
    Role.CNPPM_COORDINATOR: OrganizationKind.CNPPMPR,
    Role.CNPPM_METHODIST: OrganizationKind.CNPPMPR,
    Role.IRO_STAFF: OrganizationKind.IRO,
    Role.COPMKP_ASSESSOR: OrganizationKind.COPMKP,
    Role.RMA_MEMBER: OrganizationKind.SCHOOL,
    Role.RMA_MUNI_COORDINATOR: OrganizationKind.MUNI_AUTHORITY,
    Role.MUNI_AUTHORITY: OrganizationKind.MUNI_AUTHORITY,
    Role.MMS_METHODIST: OrganizationKind.MMS,
    Role.SCHOOL_HEAD: OrganizationKind.SCHOOL,
    Role.TEACHER: OrganizationKind.SCHOOL,
    Role.PD_ADMIN: OrganizationKind.CNPPMPR,
}


def test_every_role_has_a_demo_user_with_an_active_membership(as_of):
    usernames = [username for username, _label, _org in demo.DEMO_USERS]
    memberships = Membership.objects.filter(user__username__in=usernames, is_active=True).select_related(
        "organization__municipality"
    )
    by_role = {membership.role: membership for membership in memberships}
    assert set(by_role) == set(Role.values)
    assert set(EXPECTED_ORGANIZATION_KIND) == set(Role.values)
    for role, membership in by_role.items():
        assert membership.organization.kind == EXPECTED_ORGANIZATION_KIND[role], role
        if membership.organization.municipality:
            assert membership.organization.municipality.name == "Березники", role
    User = get_user_model()
    assert User.objects.get(username="pd_admin").is_staff
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.get(username="ministry").is_staff
    for username in ("teacher", "rma_member"):
        user = User.objects.get(username=username)
        assert user.person.full_name == f"{user.last_name} {user.first_name} {user.person.middle_name}"
        assert user.person.organization == user.memberships.get().organization
    assert User.objects.get(username="teacher").person.is_young_teacher(as_of)
    school = Organization.objects.get(short_name="МАОУ «СОШ № 7» г. Березники")
    assert school.head_name == demo.DEMO_USER_SPECS_BY_USERNAME["school_head"].full_name


def test_demo_users_constant_and_table():
    assert len(demo.DEMO_USERS) == 14
    usernames = [username for username, _label, _org in demo.DEMO_USERS]
    assert len(set(usernames)) == 14 and "admin" in usernames
    assert all(re.fullmatch(r"[a-z_]+", username) for username in usernames)
    assert ("teacher", "Педагогический работник", "МАОУ «СОШ № 7» г. Березники") in demo.DEMO_USERS
    assert ("pd_admin", "Администратор системы", "ЦНППМПР ГАУ ДПО «ИРО ПК»") in demo.DEMO_USERS
    table = demo.demo_users_table()
    assert all(username in table for username in usernames)
    assert demo.DEMO_PASSWORD == "profrost-demo" and "profrost-demo" in table


@pytest.mark.parametrize("username", [username for username, _label, _org in demo.DEMO_USERS])
def test_demo_user_logs_in_through_the_login_page(as_of, client, username):
    response = client.post("/accounts/login/", {"username": username, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.get("/workflow/inbox/").status_code == 200


# --- idempotency -----------------------------------------------------------------------------


def test_second_load_changes_nothing_and_keeps_edits_and_extra_rows(as_of):
    before = _snapshot()
    edited = _person(demo.EDGE_CASES_BY_KEY["lapsed_highest_category"])
    edited.last_name = "Кондратьева-Изменённая"
    edited.position = "заместитель директора по УВР"
    edited.category_valid_until = as_of + relativedelta(years=1)
    edited.save()
    edited.subjects.clear()
    school = edited.organization
    extra = Organization.objects.create(
        region=school.region,
        municipality=school.municipality,
        kind=OrganizationKind.SCHOOL,
        name="Лишняя школа",
    )
    teacher = get_user_model().objects.get(username="teacher")
    teacher.set_password("changed-by-the-user")
    teacher.first_name = "Дарья (изм.)"
    teacher.save()
    Membership.objects.filter(user=teacher).update(is_active=False)

    report = demo.load_demo(as_of=as_of)

    assert report.created_total == 0, report.created
    after = _snapshot()
    assert after == {
        **before,
        "organizations": before["organizations"] + 1,
        "person_subjects": before["person_subjects"] - 1,
    }
    edited.refresh_from_db()
    assert edited.last_name == "Кондратьева-Изменённая"
    assert edited.position == "заместитель директора по УВР"
    assert edited.category_on(as_of) == QualificationCategory.HIGHEST
    assert not edited.subjects.exists()
    assert Organization.objects.filter(pk=extra.pk).exists()
    teacher.refresh_from_db()
    assert teacher.check_password("changed-by-the-user") and teacher.first_name == "Дарья (изм.)"
    assert not Membership.objects.get(user=teacher).is_active


def test_load_recreates_only_what_is_missing(as_of):
    before = _snapshot()
    removed = _person(demo.EDGE_CASES_BY_KEY["turns_35_not_young"])
    links = removed.subjects.count()
    removed.delete()
    report = demo.load_demo(as_of=as_of)
    assert report.created["person"] == 1
    assert report.created_total == 1 + links  # the person and their subject links, nothing else
    assert _snapshot() == before


def test_command_prints_a_russian_summary_and_respects_quiet(as_of):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "Ничего не изменено" in text
    assert "Педагогические работники" in text and "school_head" in text and "profrost-demo" in text
    quiet = io.StringIO()
    call_command("load_demo", "--quiet", stdout=quiet)
    assert quiet.getvalue() == ""


# --- personal data ---------------------------------------------------------------------------


def _seed_text() -> str:
    if not SEEDS_DIR.is_dir():
        pytest.skip(
            f"no seed files at {SEEDS_DIR} (set PROFROST_SEEDS_DIR): nothing to compare the names with"
        )
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in sorted(SEEDS_DIR.glob("*.txt"))]
    if not texts:
        pytest.skip(f"no *.txt seed files in {SEEDS_DIR}")
    return re.sub(r"\s+", " ", " ".join(texts))


def _name_forms(last_name: str, first_name: str, middle_name: str) -> set[str]:
    f, m = first_name[0], middle_name[0]
    return {
        f"{last_name} {first_name} {middle_name}",
        f"{first_name} {middle_name} {last_name}",
        f"{last_name} {f}.{m}.",
        f"{last_name} {f}. {m}.",
        f"{f}.{m}. {last_name}",
        f"{f}. {m}. {last_name}",
        f"{f}.{m}.{last_name}",
    }


def test_no_demo_name_appears_in_the_seeds(as_of):
    text = _seed_text()
    people = [(p.last_name, p.first_name, p.middle_name) for p in Person.objects.all()]
    people += [(spec.last_name, spec.first_name, spec.middle_name) for spec in demo.DEMO_USER_SPECS]
    people += [
        tuple(head.split())
        for head in Organization.objects.exclude(head_name="").values_list("head_name", flat=True)
    ]
    for name in people:
        for form in _name_forms(*name):
            assert form not in text, f"«{form}» occurs in the seeds"
    # Nor does any surname of a person named in the seeds (signers, tutors, executors).
    seed_surnames = set(re.findall(r"([А-ЯЁ][а-яё]+) [А-ЯЁ]\. ?[А-ЯЁ]\.", text))
    seed_surnames |= set(re.findall(r"[А-ЯЁ]\. ?[А-ЯЁ]\. ?([А-ЯЁ][а-яё]+)", text))
    seed_surnames |= set(re.findall(r"([А-ЯЁ][а-яё]+) [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+(?:вич|вна|ична)\b", text))
    assert seed_surnames, "the name patterns found nothing: the check would be vacuous"
    demo_surnames = {name[0] for name in people}
    assert not demo_surnames & seed_surnames
