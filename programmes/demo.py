"""The catalogue of the demo region, loaded idempotently by `manage.py load_programmes_demo` (after
`load_demo`).

Titles and hours are those of DOMAIN-DOCUMENTS §3.4 (public programme titles from the seeds:
000:L226–234, L288, 003:L1546). Where the seeds do not state the hours («Школа современного
учителя», the ПГГПУ programme) a typical value of §3.4 is used, and the Rostov ЦНППМПР
programmes are shown at the demo region's ЦНППМПР: both are demo choices, not facts. Which
programmes are in ФР ДПП is invented for the demo (no register numbers are invented: the column
stays empty), and so is the one programme without a seed title («Цифровые инструменты …», marked
below), added so that every competency area has a programme. Group dates are offsets from the
load date.

Idempotent: a programme is keyed by provider, title and hours; one that exists is left as it is.
The two providers the demo region lacks (ФГАОУ ДПО «Академия Минпросвещения России», the federal
provider of «Школа современного учителя», and ПГГПУ) are added to the region's directory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from orgstructure.demo import REGION_CODE, REGIONAL_BY_KEY
from orgstructure.models import Organization, OrganizationKind, Region, Subject

from .models import CompetencyArea as A
from .models import Programme, ProgrammeArea, ProgrammeGroup, ProgrammeKind, StudyForm


class DemoNotLoaded(Exception):
    pass


EXTRA_PROVIDERS = {
    "academy": (
        OrganizationKind.DPO,
        "Федеральное государственное автономное образовательное учреждение "
        "дополнительного профессионального образования «Академия реализации государственной политики и "
        "профессионального развития работников образования Министерства просвещения Российской Федерации»",
        "ФГАОУ ДПО «Академия Минпросвещения России»",
    ),
    "pggpu": (
        OrganizationKind.UNIVERSITY,
        "Федеральное государственное бюджетное образовательное учреждение "
        "высшего образования «Пермский государственный гуманитарно-педагогический университет»",
        "ФГБОУ ВО «ПГГПУ»",
    ),
}
REGIONAL_SHORT = {
    key: REGIONAL_BY_KEY[spec].short_name for key, spec in (("cnppm", "cnppmpr"), ("iro", "iro"), ("kpipkro", "dpo"))
}


@dataclass(frozen=True)
class DemoProgramme:
    provider: str
    title: str
    hours: int
    areas: tuple[str, ...]
    subjects: tuple[str, ...] = ()
    in_register: bool = False
    form: str = StudyForm.FULL_TIME
    groups: tuple[tuple[int, int], ...] = ()  # (days from the load date to the start, length in days)
    source: str = ""


SCHOOL_OF_TEACHER_SUBJECTS = (
    "Русский язык",
    "Математика",
    "Физика",
    "Химия",
    "Биология",
    "Литература",
    "История",
    "Обществознание",
    "География",
)

PROGRAMMES = (
    DemoProgramme(
        "cnppm",
        "Методическое сопровождение профессиональной деятельности педагога в условиях реализации национального "
        "проекта «Образование» и национальной системы учительского роста",
        36,
        (A.METHODICAL,),
        in_register=True,
        groups=((-240, 12), (45, 12)),
        source="000:L226",
    ),
    DemoProgramme(
        "cnppm",
        "Проектные команды в образовательной системе в условиях реализации национального проекта «Образование»: "
        "от построения до эффективной работы",
        18,
        (A.COMMUNICATIVE, A.METHODICAL),
        groups=((-200, 5), (60, 5)),
        source="000:L230",
    ),
    DemoProgramme(
        "cnppm",
        "Функциональная грамотность учителя: технологии развития креативного и критического мышления",
        18,
        (A.METHODICAL, A.SUBJECT),
        in_register=True,
        form=StudyForm.MIXED,
        groups=((-90, 5), (30, 5), (120, 5)),
        source="000:L234",
    ),
    *(
        DemoProgramme(
            "academy",
            f"Школа современного учителя. {subject}",
            72,
            (A.SUBJECT, A.METHODICAL),
            (subject,),
            in_register=True,
            form=StudyForm.DISTANCE,
            groups=((-150, 40), (75, 40)),
            source="000:L288, L301",
        )
        for subject in SCHOOL_OF_TEACHER_SUBJECTS
    ),
    DemoProgramme(
        "pggpu",
        "Саморегуляция и саморазвитие педагога: профилактика профессионального выгорания",
        36,
        (A.PSYCHOLOGICAL, A.COMMUNICATIVE),
        groups=((20, 10),),
        source="003:L1546",
    ),
    # Invented for the demo (no seed title): an ИТ programme, so that every area has one.
    DemoProgramme(
        "kpipkro",
        "Цифровые инструменты в работе учителя",
        24,
        (A.IT,),
        form=StudyForm.DISTANCE,
        groups=((-30, 14), (90, 14)),
        source="демо",
    ),
)


@dataclass
class DemoReport:
    created: int = 0
    existing: int = 0

    def summary(self) -> str:
        return f"Каталог ДПП: добавлено программ — {self.created}, уже были — {self.existing}."


def _providers(region: Region) -> dict[str, Organization]:
    found = {}
    for key, short in REGIONAL_SHORT.items():
        organization = Organization.objects.filter(region=region, short_name=short).first()
        if organization is None:
            raise DemoNotLoaded(f"Нет организации «{short}» демо-региона: сначала выполните manage.py load_demo")
        found[key] = organization
    for key, (kind, name, short) in EXTRA_PROVIDERS.items():
        found[key], _ = Organization.objects.get_or_create(
            region=region, name=name, defaults={"kind": kind, "short_name": short}
        )
    return found


def load_programmes_demo(*, as_of: dt.date | None = None) -> DemoReport:
    as_of = as_of or dt.date.today()
    region = Region.objects.filter(code=REGION_CODE).first()
    if region is None:
        raise DemoNotLoaded("Демо-регион не загружен: сначала выполните manage.py load_demo")
    report = DemoReport()
    with transaction.atomic():
        providers = _providers(region)
        subjects = {subject.name: subject for subject in Subject.objects.all()}
        for spec in PROGRAMMES:
            provider = providers[spec.provider]
            programme, created = Programme.objects.get_or_create(
                provider=provider,
                title=spec.title,
                hours=spec.hours,
                defaults={
                    "kind": ProgrammeKind.ADVANCED_TRAINING,
                    "form": spec.form,
                    "in_federal_register": spec.in_register,
                },
            )
            if not created:
                report.existing += 1
                continue
            report.created += 1
            ProgrammeArea.objects.bulk_create(ProgrammeArea(programme=programme, area=area) for area in spec.areas)
            programme.subjects.set([subjects[name] for name in spec.subjects if name in subjects])
            ProgrammeGroup.objects.bulk_create(
                ProgrammeGroup(
                    programme=programme,
                    code=str(n),
                    starts_on=as_of + dt.timedelta(days=start),
                    ends_on=as_of + dt.timedelta(days=start + length),
                )
                for n, (start, length) in enumerate(spec.groups, start=1)
            )
    return report
