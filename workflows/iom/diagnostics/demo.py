"""Diagnosis results of the demo region, loaded idempotently by `manage.py load_diagnostics_demo`
(after `load_demo`; in `make run` after `load_iom_demo`, so the routes of that story keep the
deficits they were given). About 30 % of the teachers are diagnosed (DOMAIN-DOCUMENTS §3.8:
«~30% of teachers diagnosed»), through the real import (an .xlsx built here, loaded by the demo
ЦОПМКП expert `copmkp`): dates over the last 18 months, so some results are older than the region's
12 months and a new ИОМ would need a new diagnosis; the demo `teacher` has a fresh result with
methodical and ИТ deficits. The deficit titles are invented; an area scores a deficit below 60 %.
Skipped when the demo ЦОПМКП already has results."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random

import openpyxl

from orgstructure.models import Organization, OrganizationKind, Person
from programmes.models import CompetencyArea
from workflows.core.demo import DemoNotLoaded, demo_region, demo_user

from .importing import COLUMNS, deficit_key, diagnosis_import, score_key
from .models import DiagnosisResult

INSTRUMENT = "ФОС для процедуры диагностики профессиональных компетенций педагогических работников"
SHARE = 0.3
DEFICIT_BELOW = 60
DEFICITS = {
    CompetencyArea.SUBJECT: ("решение задач повышенной сложности", "изменения ФГОС по предмету"),
    CompetencyArea.METHODICAL: ("формирующее оценивание", "проектирование урока", "функциональная грамотность"),
    CompetencyArea.PSYCHOLOGICAL: ("работа с детьми с ОВЗ", "профилактика конфликтов в классе"),
    CompetencyArea.COMMUNICATIVE: ("взаимодействие с родителями", "публичное выступление"),
    CompetencyArea.IT: ("цифровые образовательные ресурсы", "дистанционное обучение"),
}


def _row(person, on: dt.date, scores: dict, deficits: dict) -> list:
    by_key = {"snils": person.snils, "diagnosed_on": on, "instrument": INSTRUMENT}
    for area in CompetencyArea.values:
        by_key[score_key(area)] = scores.get(area)
        by_key[deficit_key(area)] = "; ".join(deficits.get(area, []))
    return [by_key.get(column.key) for column in COLUMNS]


def demo_rows(persons, *, teacher_id, today: dt.date) -> list[list]:
    rng = random.Random(20261201)
    rows = []
    for person in persons:
        fresh = person.pk == teacher_id
        if not fresh and rng.random() >= SHARE:
            continue
        on = today - dt.timedelta(days=30 if fresh else rng.randint(7, 540))
        scores, deficits = {}, {}
        for area in CompetencyArea.values:
            score = rng.randint(35, 98)
            if fresh:
                score = {"methodical": 54, "it": 48}.get(area, 80)
            scores[area] = score
            if score < DEFICIT_BELOW:
                deficits[area] = [rng.choice(DEFICITS[area])] if not fresh else [DEFICITS[area][0]]
        rows.append(_row(person, on, scores, deficits))
    return rows


def load_diagnostics_demo(*, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    region = demo_region()
    copmkp = Organization.objects.filter(region=region, kind=OrganizationKind.COPMKP).first()
    if copmkp is None:
        raise DemoNotLoaded("Нет ЦОПМКП демо-региона: сначала выполните manage.py load_demo")
    if DiagnosisResult.objects.filter(organization=copmkp).exists():
        return "Результаты диагностики: уже загружены."
    assessor = demo_user("copmkp")
    teacher = getattr(demo_user("teacher"), "person", None)
    persons = Person.objects.filter(organization__region=region).order_by("id")
    rows = demo_rows(persons, teacher_id=teacher.pk if teacher else None, today=today)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([column.header for column in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    result = diagnosis_import(
        data=data,
        filename="Диагностика (демо).xlsx",
        checksum=hashlib.sha256(data).hexdigest(),
        actor=assessor,
        organization=copmkp,
        today=today,
    )
    if not result.ok:
        raise DemoNotLoaded("Демо-результаты диагностики не загрузились: " + "; ".join(map(str, result.errors[:5])))
    return f"Результаты диагностики: загружено {result.rows}."
