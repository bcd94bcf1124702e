"""The indicator catalogue a campaign's set is chosen from (DOMAIN-DOCUMENTS §1.8, IND-01…22),
and the cross-field rules between its indicators — data, not code per indicator.

An indicator of the set comes either from this catalogue or from the kit's registry of computable
indicators (workflows.core.indicators); a code in both is the catalogue's entry with the
registry's name and unit, and is marked «вычисляется»: its value is prefilled per school when
collection opens (opening.py) and a school changes it only with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import ValueKind


@dataclass(frozen=True)
class Entry:
    code: str
    title: str
    kind: str
    source: str
    target: Decimal | None = None
    target_text: str = ""


CATALOGUE: tuple[Entry, ...] = (
    Entry("IND-01", "Доля педагогических работников, прошедших диагностику профессиональных дефицитов",
          ValueKind.SHARE, "001:L20, L59; 003:L548"),
    Entry("IND-02", "Доля педагогических работников, для которых разработаны ИОМ на основе результатов "
          "диагностики профессиональных дефицитов", ValueKind.SHARE, "003:L550; 001:L69"),
    Entry("IND-03", "Доля педагогических работников, освоивших программы ДПО, вошедшие в ФР ДПП и подобранные "
          "с учетом диагностики профессиональных дефицитов", ValueKind.SHARE, "000:L217; 003:L552, L1315",
          Decimal(30), "к 2024 году – не менее 30%"),
    Entry("IND-04", "Доля педагогических работников, принявших участие в диагностике уровня функциональной "
          "грамотности", ValueKind.SHARE, "000:L218", Decimal(30), "не менее 30%"),
    Entry("IND-04a", "Доля педагогических работников, справившихся с диагностикой функциональной грамотности "
          "на 70% и более", ValueKind.SHARE, "000:L218", Decimal(15), "не менее 15%"),
    Entry("IND-05", "Количество управленческих команд, повысивших квалификацию", ValueKind.NUMBER,
          "000:L219; 003:L554, L1317"),
    Entry("IND-06", "Доля педагогических работников в возрасте до 35 лет, участвующих в различных формах "
          "поддержки и сопровождения в первые 3 года работы", ValueKind.SHARE, "000:L220; 003:L556, L1323",
          Decimal(70), "к 2024 году – не менее 70%"),
    Entry("IND-09", "Доля педагогических работников, входящих в методический актив (РМА/ММА)", ValueKind.SHARE,
          "001:L68; 000:L294"),
    Entry("IND-10", "Доля педагогических работников, прошедших профессиональную переподготовку по программам "
          "педагогической направленности", ValueKind.SHARE, "001:L24, L63"),
    Entry("IND-11", "Доля педагогических работников, вовлеченных в экспертную деятельность", ValueKind.SHARE,
          "001:L67"),
    Entry("IND-12", "Доля педагогических работников, прошедших стажировку", ValueKind.SHARE, "003:L1345"),
    Entry("IND-14", "Доля педагогических работников, имеющих первую/высшую квалификационную категорию",
          ValueKind.SHARE, "002:L171"),
    Entry("IND-15", "Доля педагогических работников с новым статусом (педагог-методист, педагог-наставник)",
          ValueKind.SHARE, "002:L172"),
    Entry("IND-16", "Доля педагогических работников, создавших цифровой профиль на федеральном портале",
          ValueKind.SHARE, "002:L144"),
    Entry("IND-17", "Доля изученных методических объединений / профессиональных сообществ", ValueKind.SHARE,
          "001:L26, L65"),
    Entry("IND-18", "Выявленная кадровая потребность (количество вакансий)", ValueKind.NUMBER,
          "001:L29, L67; 004:L50"),
    Entry("IND-22", "Наличие системы работы с молодыми специалистами / системы наставничества",
          ValueKind.YES_NO, "002:L135–153"),
)

BY_CODE = {entry.code: entry for entry in CATALOGUE}


@dataclass(frozen=True)
class CrossRule:
    """«left operator right» between parts of two indicators (part: numerator, denominator,
    value), checked when both are given; the message names the seed it comes from."""

    left: str
    operator: str
    right: str
    message: str


# Installed into a campaign whose set holds both sides (services.campaign_indicators_set).
CROSS_RULES: tuple[CrossRule, ...] = (
    CrossRule("IND-06.denominator", "<=", "IND-14.denominator",
              "педагогов до 35 лет в первые 3 года работы (IND-06) не может быть больше, чем всех педагогических "
              "работников (IND-14) — 003:L576"),
    CrossRule("IND-06.denominator", "<=", "IND-03.denominator",
              "педагогов до 35 лет в первые 3 года работы (IND-06) не может быть больше, чем всех педагогических "
              "работников (IND-03) — 003:L576"),
    CrossRule("IND-02.numerator", "<=", "IND-01.numerator",
              "ИОМ на основе диагностики (IND-02) разрабатываются для прошедших диагностику (IND-01) — "
              "003:L548–550"),
    CrossRule("IND-04a.numerator", "<=", "IND-04.numerator",
              "справившиеся на 70% и более (IND-04a) — «в том числе» из участников диагностики (IND-04) — 000:L218"),
)
