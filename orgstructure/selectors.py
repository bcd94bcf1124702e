"""Reads, always through access.py."""

from . import access
from .models import Role

# The sections each role works in, in the order they are shown on the start page.
ROLE_SECTIONS = {
    Role.MINISTRY_OFFICER: ["Утверждение списков и перечней", "Проекты приказов"],
    Role.MINISTRY_SIGNATORY: ["Подписание приказов", "Эскалации по просроченным шагам"],
    Role.CNPPM_COORDINATOR: ["Мониторинг", "Список РМА", "Отбор стажировочных площадок", "Запросы ИОМ"],
    Role.CNPPM_METHODIST: ["Сопровождение ИОМ"],
    Role.IRO_STAFF: ["ДПП и реестры"],
    Role.COPMKP_ASSESSOR: ["Диагностика и оценка компетенций"],
    Role.RMA_MEMBER: ["Сопровождение ИОМ в муниципалитете"],
    Role.RMA_MUNI_COORDINATOR: ["Выдвижение кандидатов в РМА", "Распределение запросов ИОМ"],
    Role.MUNI_AUTHORITY: ["Контроль сроков школ", "Муниципальные приказы"],
    Role.MMS_METHODIST: ["Сбор данных мониторинга", "Муниципальный анализ"],
    Role.SCHOOL_HEAD: ["Документы школы", "Выдвижение педагогов", "Согласование ИОМ"],
    Role.TEACHER: ["Мой ИОМ", "Заявления"],
    Role.PD_ADMIN: ["Регламенты и сроки", "Просроченные шаги", "Импорт кадров"],
}


def start_page_summary(user) -> dict:
    memberships = access.active_memberships(user)
    roles = []
    for membership in memberships:
        roles.append(
            {
                "role": membership.get_role_display(),
                "organization": membership.organization,
                "sections": ROLE_SECTIONS.get(membership.role, []),
            }
        )
    return {
        "memberships": roles,
        "visible_organizations": access.visible_organizations(user).count(),
        "visible_persons": access.visible_persons(user).count(),
    }
