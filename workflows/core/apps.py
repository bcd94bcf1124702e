from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "workflows.core"
    label = "core"
    verbose_name = "Процессы: общее"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save
        from viewflow.workflow.signals import flow_started

        from . import deadlines
        from .calendar import invalidate_calendar
        from .models import CalendarOverride

        # The production calendar is kept per process (calendar.WorkCalendar.load).
        post_save.connect(invalidate_calendar, sender=CalendarOverride, dispatch_uid="core_calendar_saved")
        post_delete.connect(invalidate_calendar, sender=CalendarOverride, dispatch_uid="core_calendar_deleted")

        # Every human task of every flow gets its due-date row when viewflow creates it, and the
        # row follows the task's owner and status afterwards.
        pre_save.connect(deadlines.on_task_pre_save, dispatch_uid="core_task_substitution")
        post_save.connect(deadlines.on_task_post_save, dispatch_uid="core_task_deadline")
        flow_started.connect(deadlines.on_flow_started, dispatch_uid="core_process_deadlines")

        # Lower layers (orgstructure, documents) announce audited changes without importing us.
        from orgstructure.events import audited_change

        from .audit import on_audited_change

        audited_change.connect(on_audited_change, dispatch_uid="core_audited_change")

        # The role registry (roles.py): a role's groups follow the memberships, for every process
        # registered through processes.register_process.
        from django.db.models.signals import post_migrate

        from orgstructure.models import Membership

        from . import roles

        post_save.connect(roles.on_membership_changed, sender=Membership, dispatch_uid="core_role_groups_save")
        post_delete.connect(roles.on_membership_changed, sender=Membership, dispatch_uid="core_role_groups_delete")
        post_migrate.connect(roles.on_post_migrate, dispatch_uid="core_role_groups_migrate")

        from . import (
            catalogue_indicators,  # noqa: F401  (IND-07 over the catalogue of ДПП)
            documents,  # noqa: F401  (registers DOC-7, the notice of a missed deadline)
        )
