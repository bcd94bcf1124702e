"""The demo region «Пермский край», loaded idempotently by `manage.py load_demo`.

What it builds:

* the region (code 59, Asia/Yekaterinburg = UTC+5) and eight real municipalities of Perm krai;
* the regional bodies (министерство, ИРО, ЦНППМПР as a unit of ИРО, ЦОПМКП, КПИПКРО), and in
  every municipality its education authority and its municipal methodical service (ММС);
* 40 schools with invented numbers, three of them ШНОР (`is_low_results`);
* 13 subjects; about 1,000 teachers with realistic distributions of category, education, age,
  experience and young teachers, plus documented edge cases (`EDGE_CASES`);
* one demo user per role (`DEMO_USERS`) and the superuser «admin», all with the password
  `DEMO_PASSWORD` — **for the demo only**, never on a real installation.

Personal data: every name is invented — drawn from lists of common Russian surnames and first
names (patronymics written out in both forms, female surnames by the regular endings in
`feminine_surname`); surnames of people named in the seeds are not in the lists. E-mails are on
example.org; СНИЛС numbers are invented with a valid checksum. The demo users share one password
hash (hashed once, for speed) — another reason the demo must never hold real data.

Determinism and dates: everything is drawn from seeded `random.Random` streams, and every date
is an offset from the load date (`as_of`, `date.today()` by default), so the demo stays realistic
whenever it is loaded. The edge cases hold **as of the load date**: the teacher with «exactly
5 years of experience» has 5 years and a day tomorrow.

Idempotency: objects are keyed by natural keys — region code, municipality and organization
names, subject names, СНИЛС, usernames. What exists is left exactly as it is (edited rows keep
their edits, extra rows stay; a demo user already present is skipped with its password,
memberships and person link); only what is missing is created; nothing
is ever deleted. Renaming an organization or changing a demo person's СНИЛС therefore makes the
next load create the original again.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .identifiers import snils_from_number
from .models import (
    EducationLevel,
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

SEED = 59_2023  # the region code and the year of the Perm concept's 2023 edition
DEMO_PASSWORD = "profrost-demo"  # the shared password of every demo user: for the demo only

REGION_NAME = "Пермский край"
REGION_CODE = "59"
REGION_TIMEZONE = "Asia/Yekaterinburg"  # UTC+5

CATEGORY_VALIDITY = relativedelta(years=5)  # a category is assigned for five years


def category_valid_until(assigned_on: dt.date) -> dt.date:
    return assigned_on + CATEGORY_VALIDITY - dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Structure
# ---------------------------------------------------------------------------------------------

SUBJECTS = (
    # the nine subjects of «Школа современного учителя» in the seeds
    "Русский язык",
    "Математика",
    "Физика",
    "Химия",
    "Биология",
    "Литература",
    "История",
    "Обществознание",
    "География",
    # and the rest of a school's staff list
    "Информатика",
    "Английский язык",
    "Начальные классы",
    "Физическая культура",
)

SCHOOL_LEGAL_FORMS = {
    "МАОУ": "Муниципальное автономное общеобразовательное учреждение",
    "МБОУ": "Муниципальное бюджетное общеобразовательное учреждение",
}
SCHOOL_TYPES = {
    "СОШ": ("Средняя общеобразовательная школа", "school"),
    "ООШ": ("Основная общеобразовательная школа", "oosh"),
    "Гимназия": ("Гимназия", "gymnasium"),
    "Лицей": ("Лицей", "lyceum"),
}


@dataclass(frozen=True)
class SchoolSpec:
    legal_form: str  # key of SCHOOL_LEGAL_FORMS
    school_type: str  # key of SCHOOL_TYPES
    number: int  # invented
    low_results: bool = False  # ШНОР


@dataclass(frozen=True)
class MunicipalitySpec:
    name: str
    kind: str
    genitive: str  # «города …», «г. …» — written out, not computed
    slug: str  # latin, for example.org e-mail addresses
    authority: str  # орган управления образованием
    authority_short: str
    authority_head_position: str
    mms: str  # муниципальная методическая служба
    mms_short: str
    schools: tuple[SchoolSpec, ...]


def _s(legal_form, school_type, number, low_results=False):
    return SchoolSpec(legal_form, school_type, number, low_results)


MUNICIPALITIES: tuple[MunicipalitySpec, ...] = (
    MunicipalitySpec(
        name="Пермь",
        kind="городской округ",
        genitive="Перми",
        slug="perm",
        authority="Департамент образования администрации города Перми",
        authority_short="ДО г. Перми",
        authority_head_position="Начальник департамента образования",
        mms="МАУ ДПО «Центр развития системы образования» г. Перми",
        mms_short="ЦРСО г. Перми",
        schools=(
            _s("МАОУ", "СОШ", 17),
            _s("МАОУ", "СОШ", 44),
            _s("МАОУ", "СОШ", 93),
            _s("МБОУ", "СОШ", 118),
            _s("МАОУ", "СОШ", 132),
            _s("МАОУ", "Гимназия", 5),
            _s("МАОУ", "Лицей", 9),
            _s("МАОУ", "Гимназия", 31),
        ),
    ),
    MunicipalitySpec(
        name="Березники",
        kind="городской округ",
        genitive="Березники",
        slug="berezniki",
        authority="Управление образования администрации города Березники",
        authority_short="УО г. Березники",
        authority_head_position="Начальник управления образования",
        mms="МАУ «Центр сопровождения, обеспечения и развития образования» г. Березники",
        mms_short="ЦСОРО г. Березники",
        schools=(
            _s("МАОУ", "СОШ", 7),  # the demo school: school_head, teacher, rma_member, edge cases
            _s("МАОУ", "СОШ", 3),
            _s("МАОУ", "СОШ", 12),
            _s("МАОУ", "СОШ", 24, low_results=True),
            _s("МАОУ", "Лицей", 1),
            _s("МАОУ", "Гимназия", 9),
        ),
    ),
    MunicipalitySpec(
        name="Кунгур",
        kind="муниципальный округ",
        genitive="Кунгура",
        slug="kungur",
        authority="Управление образования администрации города Кунгура",
        authority_short="УО г. Кунгура",
        authority_head_position="Начальник управления образования",
        mms="МКУ «Информационно-методический центр» г. Кунгура",
        mms_short="ИМЦ г. Кунгура",
        schools=(
            _s("МБОУ", "Гимназия", 3),
            _s("МБОУ", "СОШ", 10),
            _s("МАОУ", "СОШ", 13),
            _s("МБОУ", "СОШ", 18),
            _s("МБОУ", "ООШ", 21),
        ),
    ),
    MunicipalitySpec(
        name="Соликамск",
        kind="городской округ",
        genitive="Соликамска",
        slug="solikamsk",
        authority="Управление образования администрации города Соликамска",
        authority_short="УО г. Соликамска",
        authority_head_position="Начальник управления образования",
        mms="МАУ ДПО «Центр развития образования» г. Соликамска",
        mms_short="ЦРО г. Соликамска",
        schools=(
            _s("МАОУ", "СОШ", 2),
            _s("МАОУ", "СОШ", 4),
            _s("МАОУ", "СОШ", 15),
            _s("МАОУ", "Гимназия", 1),
            _s("МБОУ", "СОШ", 17),
        ),
    ),
    MunicipalitySpec(
        name="Чайковский",
        kind="городской округ",
        genitive="Чайковского",
        slug="chaykovsky",
        authority="Управление образования администрации города Чайковского",
        authority_short="УО г. Чайковского",
        authority_head_position="Начальник управления образования",
        mms="МАУ ДПО «Центр непрерывного образования» г. Чайковского",
        mms_short="ЦНО г. Чайковского",
        schools=(
            _s("МАОУ", "СОШ", 8),
            _s("МАОУ", "СОШ", 11),
            _s("МАОУ", "Гимназия", 2),
            _s("МБОУ", "СОШ", 16),
        ),
    ),
    MunicipalitySpec(
        name="Лысьва",
        kind="городской округ",
        genitive="Лысьвы",
        slug="lysva",
        authority="Управление образования администрации города Лысьвы",
        authority_short="УО г. Лысьвы",
        authority_head_position="Начальник управления образования",
        mms="МБУ «Методический центр» г. Лысьвы",
        mms_short="МЦ г. Лысьвы",
        schools=(
            _s("МБОУ", "СОШ", 2),
            _s("МБОУ", "СОШ", 6, low_results=True),
            _s("МАОУ", "Лицей", 1),
            _s("МБОУ", "ООШ", 14),
        ),
    ),
    MunicipalitySpec(
        name="Краснокамск",
        kind="городской округ",
        genitive="Краснокамска",
        slug="krasnokamsk",
        authority="Управление образования администрации города Краснокамска",
        authority_short="УО г. Краснокамска",
        authority_head_position="Начальник управления образования",
        mms="МКУ «Центр обеспечения и развития образования» г. Краснокамска",
        mms_short="ЦОРО г. Краснокамска",
        schools=(
            _s("МАОУ", "СОШ", 1),
            _s("МАОУ", "СОШ", 5),
            _s("МАОУ", "Гимназия", 4),
            _s("МБОУ", "СОШ", 19),
        ),
    ),
    MunicipalitySpec(
        name="Чусовой",
        kind="городской округ",
        genitive="Чусового",
        slug="chusovoy",
        authority="Управление образования администрации города Чусового",
        authority_short="УО г. Чусового",
        authority_head_position="Начальник управления образования",
        mms="МБУ «Центр сопровождения образования» г. Чусового",
        mms_short="ЦСО г. Чусового",
        schools=(
            _s("МБОУ", "СОШ", 4),
            _s("МБОУ", "СОШ", 7),
            _s("МАОУ", "Лицей", 2),
            _s("МБОУ", "ООШ", 20, low_results=True),
        ),
    ),
)

MUNICIPALITIES_BY_NAME = {spec.name: spec for spec in MUNICIPALITIES}
DEMO_MUNICIPALITY = "Березники"
DEMO_SCHOOL = ("Березники", MUNICIPALITIES_BY_NAME["Березники"].schools[0])


def school_name(municipality: MunicipalitySpec, school: SchoolSpec) -> str:
    """The full name, e.g. «Муниципальное автономное общеобразовательное учреждение «Средняя
    общеобразовательная школа № 7» г. Березники»."""
    type_name = SCHOOL_TYPES[school.school_type][0]
    return (
        f"{SCHOOL_LEGAL_FORMS[school.legal_form]} «{type_name} № {school.number}» г. {municipality.genitive}"
    )


def school_short_name(municipality: MunicipalitySpec, school: SchoolSpec) -> str:
    """E.g. «МАОУ «СОШ № 7» г. Березники», «МБОУ «Гимназия № 3» г. Кунгура»."""
    return f"{school.legal_form} «{school.school_type} № {school.number}» г. {municipality.genitive}"


def _school_slug(municipality: MunicipalitySpec, school: SchoolSpec) -> str:
    return f"{SCHOOL_TYPES[school.school_type][1]}{school.number}-{municipality.slug}"


@dataclass(frozen=True)
class RegionalOrgSpec:
    key: str
    kind: str
    name: str
    short_name: str
    head_position: str
    slug: str
    parent: str | None = None


REGIONAL_ORGANIZATIONS: tuple[RegionalOrgSpec, ...] = (
    RegionalOrgSpec(
        "ministry",
        OrganizationKind.MINISTRY,
        "Министерство образования и науки Пермского края",
        "МОН ПК",
        "Министр образования и науки Пермского края",
        "minobr",
    ),
    RegionalOrgSpec(
        "iro",
        OrganizationKind.IRO,
        "Государственное автономное учреждение дополнительного профессионального образования "
        "«Институт развития образования Пермского края»",
        "ГАУ ДПО «ИРО ПК»",
        "Директор",
        "iro",
    ),
    RegionalOrgSpec(
        "cnppmpr",
        OrganizationKind.CNPPMPR,
        "Центр непрерывного повышения профессионального мастерства педагогических работников "
        "ГАУ ДПО «ИРО ПК»",
        "ЦНППМПР ГАУ ДПО «ИРО ПК»",
        "Руководитель центра",
        "cnppm",
        parent="iro",
    ),
    RegionalOrgSpec(
        "copmkp",
        OrganizationKind.COPMKP,
        "Центр оценки профессионального мастерства и квалификации педагогов АНО НОО «Капитал развития»",
        "ЦОПМКП АНО НОО «Капитал развития»",
        "Руководитель центра",
        "copmkp",
    ),
    RegionalOrgSpec(
        "dpo",
        OrganizationKind.DPO,
        "Государственное бюджетное образовательное учреждение дополнительного профессионального "
        "образования «Коми-Пермяцкий институт повышения квалификации работников образования»",
        "ГБОУ ДПО «КПИПКРО»",
        "Директор",
        "kpipkro",
    ),
)
REGIONAL_BY_KEY = {spec.key: spec for spec in REGIONAL_ORGANIZATIONS}


def _organization_short_name(org_key: str) -> str:
    """Short name of a demo organization by its key: a regional key, «uo:<МО>», «mms:<МО>» or
    «school» (the demo school)."""
    if org_key in REGIONAL_BY_KEY:
        return REGIONAL_BY_KEY[org_key].short_name
    if org_key == "school":
        municipality_name, school = DEMO_SCHOOL
        return school_short_name(MUNICIPALITIES_BY_NAME[municipality_name], school)
    prefix, municipality_name = org_key.split(":", 1)
    spec = MUNICIPALITIES_BY_NAME[municipality_name]
    return spec.authority_short if prefix == "uo" else spec.mms_short


# ---------------------------------------------------------------------------------------------
# Names (invented: common Russian names; feminine forms written out)
# ---------------------------------------------------------------------------------------------

# Male forms; `feminine_surname` derives the female one for the regular endings listed there.
# Surnames that occur in the seeds (real people) are deliberately absent, as are the surnames of
# the fixed people below, so that those can be looked up by ФИО.
SURNAMES = tuple(
    """
    Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов
    Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Андреев Макаров
    Никитин Захаров Соловьёв Борисов Яковлев Григорьев Романов Сергеев Кузьмин Фролов
    Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов
    Ковалёв Антонов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов
    Сидоров Матвеев Титов Марков Миронов Куликов Власов Мельников Денисов Гаврилов Тихонов
    Казаков Афанасьев Данилов Савельев Тимофеев Чернов Абрамов Мартынов Федотов Калинин Исаев
    Чернышёв Быков Маслов Родионов Коновалов Лазарев Климов Филатов Пономарёв Кудрявцев
    Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников
    Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев
    Панов Моисеев Румянцев Акимов Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов
    Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов
    Аксёнов Мальцев Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов
    Плотников Дёмин Хохлов
    """.split()
    # common in the Urals and Perm krai
    + """
    Пермяков Зырянов Чащин Пьянков Мелехин Кудрин Бушуев Старцев Истомин Носков Вотинов Шилов
    Баяндин Мехоношин Постников Кочев Седых Черных Белых Долгих Кривых Покровский
    Преображенский Успенский Богородский Заречный Луговой Ткаченко Бондаренко Ковальчук
    """.split()
)

_FEMININE_ENDINGS = (
    ("ский", "ская"),
    ("цкий", "цкая"),
    ("ный", "ная"),
    ("ой", "ая"),
    ("ов", "ова"),
    ("ёв", "ёва"),
    ("ев", "ева"),
    ("ин", "ина"),
    ("ын", "ына"),
)


def feminine_surname(surname: str) -> str:
    """Иванов → Иванова, Соловьёв → Соловьёва, Покровский → Покровская, Луговой → Луговая;
    Седых, Ткаченко, Ковальчук are the same for both sexes."""
    for male, female in _FEMININE_ENDINGS:
        if surname.endswith(male):
            return surname[: -len(male)] + female
    return surname


# First names by generation: those born before 1978 and those born later.
MALE_NAMES_OLDER = tuple(
    """
    Владимир Сергей Александр Николай Виктор Юрий Анатолий Валерий Геннадий Борис Михаил Андрей
    Игорь Олег Евгений Алексей
    """.split()
)
MALE_NAMES_YOUNGER = tuple(
    """
    Александр Дмитрий Максим Артём Денис Кирилл Илья Никита Роман Антон Алексей Андрей Сергей
    Евгений Владислав Павел Иван Михаил
    """.split()
)
FEMALE_NAMES_OLDER = tuple(
    """
    Галина Людмила Валентина Нина Тамара Надежда Любовь Лариса Татьяна Ольга Елена Ирина
    Наталья Светлана Марина Вера Лидия
    """.split()
)
FEMALE_NAMES_YOUNGER = tuple(
    """
    Анна Екатерина Мария Анастасия Дарья Юлия Ксения Алёна Евгения Виктория Кристина Полина
    Алина Елизавета Ольга Елена Наталья Татьяна Ирина Светлана Марина Оксана
    """.split()
)
# (male, female) patronymic, written out.
PATRONYMICS = tuple(
    tuple(pair.split("/"))
    for pair in """
    Александрович/Александровна Алексеевич/Алексеевна Андреевич/Андреевна Сергеевич/Сергеевна
    Дмитриевич/Дмитриевна Михайлович/Михайловна Николаевич/Николаевна Владимирович/Владимировна
    Евгеньевич/Евгеньевна Игоревич/Игоревна Олегович/Олеговна Павлович/Павловна
    Иванович/Ивановна Викторович/Викторовна Юрьевич/Юрьевна Анатольевич/Анатольевна
    Валерьевич/Валерьевна Геннадьевич/Геннадьевна Борисович/Борисовна Петрович/Петровна
    Васильевич/Васильевна Григорьевич/Григорьевна Леонидович/Леонидовна
    Вячеславович/Вячеславовна Константинович/Константиновна Романович/Романовна Ильич/Ильинична
    Никитич/Никитична Фёдорович/Фёдоровна Степанович/Степановна Валентинович/Валентиновна
    Аркадьевич/Аркадьевна
    """.split()
)

_TRANSLIT = dict(
    pair.split("=")
    for pair in """
    а=a б=b в=v г=g д=d е=e ё=e ж=zh з=z и=i й=y к=k л=l м=m н=n о=o п=p р=r с=s т=t у=u ф=f
    х=kh ц=ts ч=ch ш=sh щ=shch ъ= ы=y ь= э=e ю=yu я=ya
    """.split()
)


def translit(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


def _random_name(rng: random.Random, sex: str, birth_year: int) -> tuple[str, str, str]:
    older = birth_year < 1978
    surname = rng.choice(SURNAMES)
    patronymic = rng.choice(PATRONYMICS)
    if sex == Sex.MALE:
        first = rng.choice(MALE_NAMES_OLDER if older else MALE_NAMES_YOUNGER)
        return surname, first, patronymic[0]
    first = rng.choice(FEMALE_NAMES_OLDER if older else FEMALE_NAMES_YOUNGER)
    return feminine_surname(surname), first, patronymic[1]


# ---------------------------------------------------------------------------------------------
# Teachers
# ---------------------------------------------------------------------------------------------

TEACHERS_PER_SCHOOL = (20, 30)  # drawn per school; 40 schools → about 1,000
YOUNG_SHARE = 0.10  # under 35 and hired within three years

# (position, subjects, weight, share of men)
POSITIONS = (
    ("учитель начальных классов", ("Начальные классы",), 22, 0.03),
    ("учитель русского языка и литературы", ("Русский язык", "Литература"), 14, 0.05),
    ("учитель математики", ("Математика",), 12, 0.15),
    ("учитель английского языка", ("Английский язык",), 10, 0.07),
    ("учитель истории и обществознания", ("История", "Обществознание"), 7, 0.25),
    ("учитель физической культуры", ("Физическая культура",), 7, 0.50),
    ("учитель биологии", ("Биология",), 4, 0.10),
    ("учитель физики", ("Физика",), 4, 0.35),
    ("учитель химии", ("Химия",), 3, 0.10),
    ("учитель географии", ("География",), 3, 0.20),
    ("учитель информатики", ("Информатика",), 3, 0.40),
    ("учитель математики и информатики", ("Математика", "Информатика"), 3, 0.30),
    ("учитель химии и биологии", ("Химия", "Биология"), 2, 0.10),
    ("учитель русского языка", ("Русский язык",), 2, 0.05),
    ("учитель истории", ("История",), 2, 0.30),
)
POSITIONS_BY_NAME = {position[0]: position for position in POSITIONS}
# A pedagogical college (среднее профессиональное) prepares primary-school and PE teachers.
SPO_POSITIONS = (
    POSITIONS_BY_NAME["учитель начальных классов"],
    POSITIONS_BY_NAME["учитель физической культуры"],
)
SPO_POSITION_WEIGHTS = (3, 1)

# Shares of education: higher pedagogical, higher non-pedagogical, среднее профессиональное.
EDUCATION_SHARES = (0.85, 0.08, 0.07)
RETRAINING_SHARE_OF_NON_PEDAGOGICAL = 0.6

# Category weights for young teachers and for the others, chosen so that overall ≈ 30 % высшая,
# 35 % первая, 15 % соответствие, 20 % без категории.
CATEGORIES = (
    QualificationCategory.HIGHEST,
    QualificationCategory.FIRST,
    QualificationCategory.CONFORMITY,
    QualificationCategory.NONE,
)
CATEGORY_WEIGHTS_YOUNG = (0, 20, 10, 70)
CATEGORY_WEIGHTS_OTHERS = (33.3, 36.7, 15.6, 14.4)

# Age bands of teachers who are not young teachers: (from, to, weight).
AGE_BANDS = ((26, 29, 8), (30, 39, 22), (40, 49, 28), (50, 59, 29), (60, 65, 13))


def _ago(as_of: dt.date, years: int = 0, months: int = 0, days: int = 0) -> dt.date:
    return as_of - relativedelta(years=years, months=months) - dt.timedelta(days=days)


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _teacher_fields(rng: random.Random, as_of: dt.date) -> dict:
    """One invented teacher: every date an offset from `as_of`."""
    young = rng.random() < YOUNG_SHARE

    roll = rng.random()
    if roll < EDUCATION_SHARES[0]:
        spo, pedagogical = False, True
    elif roll < EDUCATION_SHARES[0] + EDUCATION_SHARES[1]:
        spo, pedagogical = False, False
    else:
        spo, pedagogical = True, True
    retraining = not pedagogical and rng.random() < RETRAINING_SHARE_OF_NON_PEDAGOGICAL

    if spo:
        position, subjects, _weight, male_share = rng.choices(SPO_POSITIONS, SPO_POSITION_WEIGHTS)[0]
    else:
        position, subjects, _weight, male_share = rng.choices(POSITIONS, [p[2] for p in POSITIONS])[0]
    sex = Sex.MALE if rng.random() < male_share else Sex.FEMALE

    if young:
        age = rng.randint(22, 34)
    else:
        low, high, _weight = rng.choices(AGE_BANDS, [band[2] for band in AGE_BANDS])[0]
        age = rng.randint(low, high)
    birth_date = _ago(as_of, years=age, days=rng.randint(0, 360))

    graduation_age = 20 if spo else rng.choice((22, 22, 23))
    career_start = birth_date + relativedelta(years=graduation_age) + dt.timedelta(days=rng.randint(0, 300))
    career_start = min(career_start, as_of - dt.timedelta(days=30))

    if young:
        employed_since = max(as_of - dt.timedelta(days=rng.randint(30, 1090)), career_start)
    else:
        latest = as_of - dt.timedelta(days=30) if age >= 35 else _ago(as_of, years=3, days=1)
        employed_since = _between(rng, career_start, latest)

    # A break (e.g. years out of teaching) moves the start of specialty experience forward.
    experience_since = career_start
    if not young and rng.random() < 0.2:
        experience_since = min(
            career_start + dt.timedelta(days=rng.randint(180, 1100)), as_of - dt.timedelta(days=30)
        )

    category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS_YOUNG if young else CATEGORY_WEIGHTS_OTHERS)[0]
    assigned_on = valid_until = None
    if category != QualificationCategory.NONE:
        assigned_on = as_of - dt.timedelta(days=rng.randint(10, 5 * 365 - 10))
        assigned_on = max(assigned_on, experience_since + relativedelta(years=1))
        if assigned_on > as_of - dt.timedelta(days=10):
            category, assigned_on = QualificationCategory.NONE, None
        else:
            valid_until = category_valid_until(assigned_on)

    graduation_year = (birth_date + relativedelta(years=graduation_age)).year
    if spo:
        education_level = EducationLevel.SECONDARY_VOCATIONAL
    elif graduation_year < 2011:
        education_level = rng.choices((EducationLevel.HIGHER_SPECIALIST, EducationLevel.HIGHER), (7, 3))[0]
    else:
        education_level = rng.choices(
            (EducationLevel.HIGHER_BACHELOR, EducationLevel.HIGHER_MASTER, EducationLevel.HIGHER_SPECIALIST),
            (65, 25, 10),
        )[0]

    last_name, first_name, middle_name = _random_name(rng, sex, birth_date.year)
    return {
        "last_name": last_name,
        "first_name": first_name,
        "middle_name": middle_name,
        "sex": sex,
        "birth_date": birth_date,
        "position": position,
        "subjects": subjects,
        "employed_since": employed_since,
        "category": category,
        "category_assigned_on": assigned_on,
        "category_valid_until": valid_until,
        "education_level": education_level,
        "education_is_pedagogical": pedagogical,
        "has_pedagogical_retraining": retraining,
        "specialty_experience_since": experience_since,
    }


@dataclass(frozen=True)
class FixedPerson:
    """A person with a fixed ФИО and СНИЛС; `build(as_of)` gives the rest, relative to the load date."""

    key: str
    name: str  # «Фамилия Имя Отчество»
    sex: str
    snils_number: int
    description: str  # what the person demonstrates
    build: Callable[[dt.date], dict]

    @property
    def full_name(self) -> str:
        return self.name

    @property
    def name_parts(self) -> tuple[str, str, str]:
        last_name, first_name, middle_name = self.name.split()
        return last_name, first_name, middle_name

    @property
    def snils(self) -> str:
        return snils_from_number(self.snils_number)


def _fields(
    *,
    position: str,
    born: dt.date,
    employed: dt.date,
    experience: dt.date,
    education: str,
    pedagogical: bool = True,
    retraining: bool = False,
    category: str = QualificationCategory.NONE,
    assigned: dt.date | None = None,
) -> dict:
    return {
        "position": position,
        "subjects": POSITIONS_BY_NAME[position][1],
        "birth_date": born,
        "employed_since": employed,
        "specialty_experience_since": experience,
        "education_level": education,
        "education_is_pedagogical": pedagogical,
        "has_pedagogical_retraining": retraining,
        "category": category,
        "category_assigned_on": assigned,
        "category_valid_until": category_valid_until(assigned) if assigned else None,
    }


# The edge cases, all in the demo school (МАОУ «СОШ № 7» г. Березники). Each holds AS OF THE LOAD
# DATE `d` (e.g. «exactly 5 years» becomes 5 years and a day tomorrow). Tests look them up by ФИО.
EDGE_CASES: tuple[FixedPerson, ...] = (
    FixedPerson(
        key="experience_exactly_5_years",
        name="Гордеева Алина Викторовна",
        sex=Sex.FEMALE,
        snils_number=159_000_101,
        description="стаж по специальности ровно 5 лет на дату загрузки",
        build=lambda d: _fields(
            position="учитель английского языка",
            born=_ago(d, 29, days=50),
            employed=_ago(d, 4),
            experience=_ago(d, 5),
            education=EducationLevel.HIGHER_BACHELOR,
            category=QualificationCategory.FIRST,
            assigned=_ago(d, 1, days=100),
        ),
    ),
    FixedPerson(
        key="experience_4_years_11_months",
        name="Михеев Артём Олегович",
        sex=Sex.MALE,
        snils_number=159_000_102,
        description="стаж по специальности 4 года 11 месяцев на дату загрузки",
        build=lambda d: _fields(
            position="учитель физики",
            born=_ago(d, 28, days=20),
            employed=_ago(d, 4, 11),
            experience=_ago(d, 4, 11),
            education=EducationLevel.HIGHER_BACHELOR,
            category=QualificationCategory.FIRST,
            assigned=_ago(d, days=300),
        ),
    ),
    FixedPerson(
        key="lapsed_highest_category",
        name="Кондратьева Людмила Петровна",
        sex=Sex.FEMALE,
        snils_number=159_000_103,
        description="высшая категория истекла три месяца назад (присвоена 5 лет 3 месяца назад)",
        build=lambda d: _fields(
            position="учитель начальных классов",
            born=_ago(d, 58, days=40),
            employed=_ago(d, 30),
            experience=_ago(d, 36),
            education=EducationLevel.HIGHER,
            category=QualificationCategory.HIGHEST,
            assigned=_ago(d, 5, 3),
        ),
    ),
    FixedPerson(
        key="non_pedagogical_without_retraining",
        name="Жданов Роман Игоревич",
        sex=Sex.MALE,
        snils_number=159_000_104,
        description="высшее непедагогическое образование без профессиональной переподготовки",
        build=lambda d: _fields(
            position="учитель информатики",
            born=_ago(d, 41, days=200),
            employed=_ago(d, 6),
            experience=_ago(d, 6),
            education=EducationLevel.HIGHER_SPECIALIST,
            pedagogical=False,
            retraining=False,
            category=QualificationCategory.CONFORMITY,
            assigned=_ago(d, 2, days=10),
        ),
    ),
    FixedPerson(
        key="non_pedagogical_with_retraining",
        name="Ситникова Евгения Андреевна",
        sex=Sex.FEMALE,
        snils_number=159_000_105,
        description="высшее непедагогическое образование и переподготовка по педагогическому профилю",
        build=lambda d: _fields(
            position="учитель английского языка",
            born=_ago(d, 37, days=90),
            employed=_ago(d, 7),
            experience=_ago(d, 9),
            education=EducationLevel.HIGHER_SPECIALIST,
            pedagogical=False,
            retraining=True,
            category=QualificationCategory.FIRST,
            assigned=_ago(d, 3, days=15),
        ),
    ),
    FixedPerson(
        key="young_34_third_year",
        name="Лапин Денис Сергеевич",
        sex=Sex.MALE,
        snils_number=159_000_106,
        description="34 года, третий год в школе — молодой педагог",
        build=lambda d: _fields(
            position="учитель физической культуры",
            born=_ago(d, 34, days=60),
            employed=_ago(d, 2, 3),
            experience=_ago(d, 8),
            education=EducationLevel.HIGHER_BACHELOR,
            category=QualificationCategory.FIRST,
            assigned=_ago(d, 3, days=30),
        ),
    ),
    FixedPerson(
        key="turns_35_not_young",
        name="Голубев Максим Юрьевич",
        sex=Sex.MALE,
        snils_number=159_000_107,
        description="35 лет исполняется в день загрузки, в школе первый год — уже не молодой педагог",
        build=lambda d: _fields(
            position="учитель истории и обществознания",
            born=_ago(d, 35),
            employed=_ago(d, 1),
            experience=_ago(d, 12),
            education=EducationLevel.HIGHER_SPECIALIST,
            category=QualificationCategory.HIGHEST,
            assigned=_ago(d, 1, days=60),
        ),
    ),
)
EDGE_CASES_BY_KEY = {person.key: person for person in EDGE_CASES}

# The people behind the `teacher` and `rma_member` demo users (Person.user), also in the demo school.
USER_PERSONS: tuple[FixedPerson, ...] = (
    FixedPerson(
        key="teacher",
        name="Ларионова Дарья Андреевна",
        sex=Sex.FEMALE,
        snils_number=159_000_201,
        description="пользователь teacher — молодой педагог, второй год в школе",
        build=lambda d: _fields(
            position="учитель русского языка и литературы",
            born=_ago(d, 26, days=75),
            employed=_ago(d, 1, 8),
            experience=_ago(d, 3, 7),
            education=EducationLevel.HIGHER_BACHELOR,
        ),
    ),
    FixedPerson(
        key="rma_member",
        name="Щербакова Марина Владимировна",
        sex=Sex.FEMALE,
        snils_number=159_000_202,
        description="пользователь rma_member — член РМА, учитель математики высшей категории",
        build=lambda d: _fields(
            position="учитель математики",
            born=_ago(d, 46, days=120),
            employed=_ago(d, 15),
            experience=_ago(d, 23, days=30),
            education=EducationLevel.HIGHER_SPECIALIST,
            category=QualificationCategory.HIGHEST,
            assigned=_ago(d, 2, days=40),
        ),
    ),
)
USER_PERSONS_BY_KEY = {person.key: person for person in USER_PERSONS}
FIXED_PERSONS = EDGE_CASES + USER_PERSONS


def _person_email(last_name: str, first_name: str, middle_name: str, domain: str) -> str:
    initials = translit(first_name)[:1] + translit(middle_name)[:1]
    return f"{translit(last_name)}.{initials}@{domain}"


def generate_teachers(as_of: dt.date) -> list[dict]:
    """The full, deterministic list of demo teachers (fixed people included): Person fields plus
    `subjects` (names) and `school` ((municipality name, SchoolSpec)). Pure: touches no database."""
    # Separate streams, so that who is where (school sizes, СНИЛС — the natural key) does not
    # depend on the load date, while each teacher's dates are drawn relative to it.
    count_rng = random.Random(SEED)
    snils_rng = random.Random(SEED + 1)
    used_numbers = {person.snils_number for person in FIXED_PERSONS}
    demo_school = DEMO_SCHOOL
    teachers = []
    index = 0
    for municipality in MUNICIPALITIES:
        for school in municipality.schools:
            location = (municipality.name, school)
            count = count_rng.randint(*TEACHERS_PER_SCHOOL)
            domain = f"{_school_slug(municipality, school)}.example.org"
            if location == demo_school:
                for person in FIXED_PERSONS:
                    last_name, first_name, middle_name = person.name_parts
                    fields = person.build(as_of)
                    fields.update(
                        last_name=last_name,
                        first_name=first_name,
                        middle_name=middle_name,
                        sex=person.sex,
                        snils=person.snils,
                        email=_person_email(last_name, first_name, middle_name, domain),
                        school=location,
                    )
                    teachers.append(fields)
                count -= len(FIXED_PERSONS)
            for _ in range(count):
                index += 1
                fields = _teacher_fields(random.Random(SEED * 10_000 + index), as_of)
                number = snils_rng.randint(200_000_000, 999_999_999)
                while number in used_numbers:
                    number = snils_rng.randint(200_000_000, 999_999_999)
                used_numbers.add(number)
                fields.update(
                    snils=snils_from_number(number),
                    email=_person_email(
                        fields["last_name"], fields["first_name"], fields["middle_name"], domain
                    ),
                    school=location,
                )
                teachers.append(fields)
    return teachers


# ---------------------------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUserSpec:
    username: str
    role: str | None  # None for the superuser
    organization: str | None  # see _organization_short_name
    last_name: str
    first_name: str
    middle_name: str
    is_staff: bool = False
    is_superuser: bool = False
    person: str | None = None  # key in USER_PERSONS
    heads: bool = False  # the user is the head of the organization (head_name)

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name} {self.middle_name}"


DEMO_USER_SPECS: tuple[DemoUserSpec, ...] = (
    DemoUserSpec("ministry", Role.MINISTRY_OFFICER, "ministry", "Белова", "Ирина", "Николаевна"),
    DemoUserSpec(
        "signatory", Role.MINISTRY_SIGNATORY, "ministry", "Тарасов", "Андрей", "Викторович", heads=True
    ),
    DemoUserSpec("cnppm", Role.CNPPM_COORDINATOR, "cnppmpr", "Субботина", "Елена", "Сергеевна", heads=True),
    DemoUserSpec("methodist", Role.CNPPM_METHODIST, "cnppmpr", "Карпова", "Ольга", "Александровна"),
    DemoUserSpec("iro", Role.IRO_STAFF, "iro", "Медведев", "Константин", "Ильич"),
    DemoUserSpec("copmkp", Role.COPMKP_ASSESSOR, "copmkp", "Рябова", "Наталья", "Геннадьевна"),
    DemoUserSpec(
        "rma_member", Role.RMA_MEMBER, "school", "Щербакова", "Марина", "Владимировна", person="rma_member"
    ),
    DemoUserSpec("rma_coord", Role.RMA_MUNI_COORDINATOR, "uo:Березники", "Ефимова", "Татьяна", "Олеговна"),
    DemoUserSpec(
        "uo_berezniki", Role.MUNI_AUTHORITY, "uo:Березники", "Назаров", "Владимир", "Петрович", heads=True
    ),
    DemoUserSpec("mms_berezniki", Role.MMS_METHODIST, "mms:Березники", "Крылова", "Светлана", "Юрьевна"),
    DemoUserSpec("school_head", Role.SCHOOL_HEAD, "school", "Фомина", "Галина", "Анатольевна", heads=True),
    DemoUserSpec("teacher", Role.TEACHER, "school", "Ларионова", "Дарья", "Андреевна", person="teacher"),
    DemoUserSpec("pd_admin", Role.PD_ADMIN, "cnppmpr", "Зайцев", "Павел", "Андреевич", is_staff=True),
    DemoUserSpec("admin", None, None, "Орлов", "Сергей", "Михайлович", is_staff=True, is_superuser=True),
)
DEMO_USER_SPECS_BY_USERNAME = {spec.username: spec for spec in DEMO_USER_SPECS}
SUPERUSER_LABEL = "Суперпользователь (все права)"

# (username, role in Russian, organization short name) — for `make run` and the README.
DEMO_USERS: list[tuple[str, str, str]] = [
    (
        spec.username,
        Role(spec.role).label if spec.role else SUPERUSER_LABEL,
        _organization_short_name(spec.organization) if spec.organization else "—",
    )
    for spec in DEMO_USER_SPECS
]


def demo_users_table() -> str:
    """A printable table of the demo users and the shared demo password."""
    header = ("Логин", "Роль", "Организация")
    rows = [header, *DEMO_USERS]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]

    def line(row):
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    body = [line(header), rule, *(line(row) for row in DEMO_USERS)]
    body.append("")
    body.append(f"Пароль у всех демо-пользователей: {DEMO_PASSWORD} (только для демонстрации!)")
    return "\n".join(body)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------

ENTITY_LABELS = {
    "region": "Регион",
    "municipality": "Муниципальные образования",
    "organization": "Организации",
    "subject": "Предметы",
    "person": "Педагогические работники",
    "person_subject": "Связи «педагог — предмет»",
    "user": "Пользователи",
    "membership": "Членства (роль в организации)",
    "person_link": "Привязки пользователя к педагогу",
}


@dataclass
class DemoReport:
    as_of: dt.date
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    def summary(self) -> str:
        width = max(len(label) for label in ENTITY_LABELS.values())
        seconds = f"{self.seconds:.1f}".replace(".", ",")
        lines = [
            f"Демо-регион «{REGION_NAME}» (даты — относительно дня загрузки {self.as_of:%d.%m.%Y}), "
            f"{seconds} с.",
            f"{'':{width}}  {'создано':>8}  {'уже было':>8}",
        ]
        for key, label in ENTITY_LABELS.items():
            existing = "—" if key == "person_subject" else self.existing[key]  # not counted
            lines.append(f"{label:{width}}  {self.created[key]:>8}  {existing:>8}")
        if self.created_total == 0:
            lines.append("Ничего не изменено: все демо-данные уже загружены.")
        else:
            lines.append("Существующие записи не изменялись; недостающие созданы.")
        return "\n".join(lines)


def _ensure_region(report: DemoReport) -> Region:
    region = (
        Region.objects.filter(code=REGION_CODE).first() or Region.objects.filter(name=REGION_NAME).first()
    )
    if region is not None:
        report.existing["region"] += 1
        return region
    report.created["region"] += 1
    return Region.objects.create(name=REGION_NAME, code=REGION_CODE, timezone=REGION_TIMEZONE)


def _ensure_subjects(report: DemoReport) -> dict[str, Subject]:
    existing = {subject.name: subject for subject in Subject.objects.filter(name__in=SUBJECTS)}
    missing = [Subject(name=name) for name in SUBJECTS if name not in existing]
    report.existing["subject"] += len(existing)
    report.created["subject"] += len(missing)
    Subject.objects.bulk_create(missing)
    return {subject.name: subject for subject in Subject.objects.filter(name__in=SUBJECTS)}


def _ensure_municipalities(region: Region, report: DemoReport) -> dict[str, Municipality]:
    result = {}
    for spec in MUNICIPALITIES:
        municipality, created = Municipality.objects.get_or_create(
            region=region, name=spec.name, defaults={"kind": spec.kind}
        )
        report.created["municipality"] += created
        report.existing["municipality"] += not created
        result[spec.name] = municipality
    return result


class _HeadNames:
    """Invented heads of organizations, from a stream of their own."""

    def __init__(self):
        self.rng = random.Random(SEED + 2)

    def next(self) -> str:
        sex = Sex.FEMALE if self.rng.random() < 0.7 else Sex.MALE
        return " ".join(_random_name(self.rng, sex, self.rng.randint(1962, 1985)))


def _ensure_organizations(
    region: Region, municipalities: dict[str, Municipality], report: DemoReport
) -> dict[str, Organization]:
    """Organizations keyed: regional keys, «uo:<МО>», «mms:<МО>», «school:<МО>:<short name>», «school»."""
    existing = {org.name: org for org in Organization.objects.filter(region=region)}
    heads = _HeadNames()
    user_heads = {spec.organization: spec.full_name for spec in DEMO_USER_SPECS if spec.heads}
    result: dict[str, Organization] = {}

    def ensure(key, **fields):
        invented = heads.next()  # drawn for every organization, so the stream stays stable
        head_name = user_heads.get(key, invented)
        org = existing.get(fields["name"])
        if org is None:
            org = Organization.objects.create(region=region, head_name=head_name, **fields)
            existing[org.name] = org
            report.created["organization"] += 1
        else:
            report.existing["organization"] += 1
        result[key] = org
        return org

    for spec in REGIONAL_ORGANIZATIONS:
        ensure(
            spec.key,
            kind=spec.kind,
            name=spec.name,
            short_name=spec.short_name,
            head_position=spec.head_position,
            email=f"info@{spec.slug}.example.org",
            parent=result[spec.parent] if spec.parent else None,
        )
    for spec in MUNICIPALITIES:
        municipality = municipalities[spec.name]
        ensure(
            f"uo:{spec.name}",
            kind=OrganizationKind.MUNI_AUTHORITY,
            municipality=municipality,
            name=spec.authority,
            short_name=spec.authority_short,
            head_position=spec.authority_head_position,
            email=f"info@uo-{spec.slug}.example.org",
        )
        ensure(
            f"mms:{spec.name}",
            kind=OrganizationKind.MMS,
            municipality=municipality,
            name=spec.mms,
            short_name=spec.mms_short,
            head_position="Директор",
            email=f"info@mms-{spec.slug}.example.org",
        )
        for school in spec.schools:
            ensure(
                _school_key((spec.name, school)),
                kind=OrganizationKind.SCHOOL,
                municipality=municipality,
                name=school_name(spec, school),
                short_name=school_short_name(spec, school),
                head_position="Директор",
                email=f"info@{_school_slug(spec, school)}.example.org",
                is_low_results=school.low_results,
            )
    return result


def _school_key(location) -> str:
    municipality_name, school = location
    if location == DEMO_SCHOOL:
        return "school"
    return (
        f"school:{municipality_name}:{school_short_name(MUNICIPALITIES_BY_NAME[municipality_name], school)}"
    )


def _ensure_persons(
    as_of: dt.date, organizations: dict[str, Organization], subjects: dict[str, Subject], report: DemoReport
) -> None:
    plan = generate_teachers(as_of)
    existing_snils = set(Person.objects.values_list("snils", flat=True))
    new_people, new_subjects = [], []
    for fields in plan:
        if fields["snils"] in existing_snils:
            report.existing["person"] += 1
            continue
        fields = dict(fields)
        subject_names = fields.pop("subjects")
        organization = organizations[_school_key(fields.pop("school"))]
        new_people.append(Person(organization=organization, **fields))
        new_subjects.append(subject_names)
    Person.objects.bulk_create(new_people, batch_size=500)
    report.created["person"] += len(new_people)
    if new_people and any(person.pk is None for person in new_people):  # a backend without RETURNING
        ids = dict(Person.objects.values_list("snils", "pk"))
        for person in new_people:
            person.pk = ids[person.snils]
    through = Person.subjects.through
    links = [
        through(person_id=person.pk, subject_id=subjects[name].pk)
        for person, names in zip(new_people, new_subjects, strict=True)
        for name in names
    ]
    through.objects.bulk_create(links, batch_size=1000)
    report.created["person_subject"] += len(links)


def _ensure_users(organizations: dict[str, Organization], report: DemoReport) -> None:
    User = get_user_model()
    existing = set(
        User.objects.filter(username__in=DEMO_USER_SPECS_BY_USERNAME).values_list("username", flat=True)
    )
    password_hash = None  # hashed once, only if a user has to be created: hashing is slow on purpose
    for spec in DEMO_USER_SPECS:
        organization = organizations.get(spec.organization) if spec.organization else None
        if spec.username in existing:
            # Present: left exactly as it is — password, names, memberships, person link.
            report.existing["user"] += 1
            if (
                spec.role
                and Membership.objects.filter(
                    user__username=spec.username, role=spec.role, organization=organization
                ).exists()
            ):
                report.existing["membership"] += 1
            if (
                spec.person
                and Person.objects.filter(
                    snils=USER_PERSONS_BY_KEY[spec.person].snils, user__username=spec.username
                ).exists()
            ):
                report.existing["person_link"] += 1
            continue
        if password_hash is None:
            password_hash = make_password(DEMO_PASSWORD)
        user = User.objects.create(
            username=spec.username,
            password=password_hash,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@demo.example.org",
            is_staff=spec.is_staff,
            is_superuser=spec.is_superuser,
        )
        report.created["user"] += 1
        if spec.role:
            Membership.objects.create(user=user, role=spec.role, organization=organization)
            report.created["membership"] += 1
        if spec.person:
            fixed = USER_PERSONS_BY_KEY[spec.person]
            linked = Person.objects.filter(snils=fixed.snils, user__isnull=True).update(user=user)
            report.created["person_link"] += linked


def load_demo(*, as_of: dt.date | None = None) -> DemoReport:
    """Create whatever of the demo region is missing; leave everything present untouched."""
    started = time.monotonic()
    report = DemoReport(as_of=as_of or dt.date.today())
    with transaction.atomic():
        region = _ensure_region(report)
        subjects = _ensure_subjects(report)
        municipalities = _ensure_municipalities(region, report)
        organizations = _ensure_organizations(region, municipalities, report)
        _ensure_persons(report.as_of, organizations, subjects, report)
        _ensure_users(organizations, report)
    report.seconds = time.monotonic() - started
    return report
