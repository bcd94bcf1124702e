"""The regulation profiles shipped from the seed documents (DOMAIN.md §3.2 item 8).

Installed by migration 0004 and by `manage.py load_regulation_profiles` (idempotent: existing
profiles and rules are left as an administrator may have edited them). Reminder and escalation
offsets are not in the sources [gap — inferred]: 5 working days before, escalation after 3
working days of delay for the annual steps.
"""

import datetime as dt

REMIND = 5
ESCALATE_AFTER = 3

SEED_PROFILES = [
    {
        "region_code": "66",
        "name": "Свердловская область — Нижнетуринский городской округ",
        "version": 1,
        "valid_from": dt.date(2021, 11, 1),
        "is_default": True,
        "legal_basis": "План мероприятий («дорожная карта») по созданию муниципальной системы "
        "научно-методического сопровождения педагогических работников на 2021–2024 годы [001:L1-2]",
        "escalation_map": {"mms_methodist": "muni_authority", "school_head": "mms_methodist"},
        "rules": [
            {
                "code": "monitoring.collection",
                "title": "Мониторинг профессионального развития педагогических работников",
                "kind": "fixed_annual", "month": 1, "day": 20, "position": 10,
                "source": "«Ежегодно до 20.01» [001:L78]",
            },
            {
                "code": "monitoring.analysis",
                "title": "Анализ результатов мониторинга, адресные рекомендации",
                "kind": "fixed_annual", "month": 3, "day": 30, "position": 20,
                "source": "«Ежегодно до 30 марта» [001:L86]",
            },
            {
                "code": "monitoring.measures",
                "title": "Меры и управленческие решения по результатам мониторинга",
                "kind": "fixed_annual", "month": 12, "day": 31, "position": 30,
                "source": "«ежегодно до 31 декабря» [001:L112-187]",
            },
            {
                "code": "monitoring.contests",
                "title": "Конкурсы профессионального мастерства педагогических работников, "
                "в том числе молодых педагогов",
                "kind": "fixed_annual", "month": 8, "day": 31, "position": 25,
                "source": "«Ежегодно до 31 августа» [001:L99-101]",
            },
            {
                "code": "monitoring.effectiveness",
                "title": "Анализ эффективности принятых мер",
                "kind": "fixed_annual", "month": 8, "day": 31, "position": 40,
                "source": "«ежегодно до 31 августа» [001:L194-200]",
            },
        ],
    },
    {
        "region_code": "61",
        "name": "Ростовская область",
        "version": 1,
        "valid_from": dt.date(2021, 7, 1),
        "is_default": False,
        "legal_basis": "Приказы министерства общего и профессионального образования Ростовской "
        "области № 659, 661, 645, 660 (июль 2021) [000:L100-103]",
        "escalation_map": {},
        "rules": [
            {
                "code": "monitoring.collection",
                "title": "Мониторинг по результатам предшествующего учебного года",
                "kind": "fixed_annual", "month": 7, "day": 15, "position": 10,
                "source": "«ежегодно до 15 июля» [000:L105]",
            },
        ],
    },
    {
        "region_code": "59",
        "name": "Пермский край",
        "version": 1,
        "valid_from": dt.date(2023, 4, 10),
        "is_default": False,
        "legal_basis": "Приказ Министерства образования и науки Пермского края от 10.04.2023 "
        "№ 26-01-06-317 [003:L662]",
        "escalation_map": {"cnppm_coordinator": "ministry_officer"},
        "rules": [
            {
                "code": "monitoring.collection",
                "title": "Мониторинг РС НМС (план-график, исследование)",
                "kind": "periodic", "periods_per_year": 2, "position": 10,
                "source": "«1 раз в полгода» [003:L1476-1477]",
            },
            {
                "code": "monitoring.report",
                "title": "Отчёт о результатах мониторинга РС НМС",
                "kind": "month_window", "month": 11, "end_month": 12, "position": 20,
                "source": "«Ежегодно, ноябрь-декабрь» [003:L1478]",
            },
        ],
    },
    {
        "region_code": "31",
        "name": "Белгородская область — Красногвардейский район",
        "version": 1,
        "valid_from": dt.date(2021, 7, 22),
        "is_default": False,
        "legal_basis": "Приказ управления образования администрации муниципального района «Красногвардейский "
        "район» Белгородской области от 22.07.2021 № 668/ОД, муниципальная модель [002:L5-31, L101]",
        "escalation_map": {"school_head": "mms_methodist"},
        "rules": [
            {
                "code": "monitoring.collection",
                "title": "Мониторинговые процедуры (не реже одного раза в год)",
                "kind": "periodic", "periods_per_year": 1, "position": 10,
                "source": "«Цикличность проведения мониторинговых процедур – не реже одного раза в год» [002:L101]",
            },
        ],
    },
]


def install_seed_profiles(profile_model, rule_model) -> int:
    """Create the seed profiles and their missing rules; returns the number of rows created.
    Takes the model classes so that a migration can pass its historical models."""
    created = 0
    for data in SEED_PROFILES:
        fields = {k: v for k, v in data.items() if k not in ("rules", "region_code", "version")}
        if fields["is_default"] and profile_model.objects.filter(is_default=True).exclude(
            region_code=data["region_code"], version=data["version"]
        ).exists():
            fields["is_default"] = False
        lookup = {"region_code": data["region_code"], "version": data["version"]}
        if any(field.name == "municipality" for field in profile_model._meta.get_fields()):
            lookup["municipality"] = None  # the regional profiles (a municipality may keep its own)
        profile, made = profile_model.objects.get_or_create(**lookup, defaults=fields)
        created += int(made)
        for rule in data["rules"]:
            values = {
                "reminder_days": REMIND,
                "escalation_after_days": ESCALATE_AFTER,
                **{k: v for k, v in rule.items() if k != "code"},
            }
            _, made = rule_model.objects.get_or_create(profile=profile, code=rule["code"], defaults=values)
            created += int(made)
    return created
