from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "workflows.core"
    label = "core"
    verbose_name = "Процессы: общее"

    def ready(self):
        from django.db.models.signals import post_save, pre_save
        from viewflow.workflow.signals import flow_started

        from . import deadlines

        # Every human task of every flow gets its due-date row when viewflow creates it, and the
        # row follows the task's owner and status afterwards.
        pre_save.connect(deadlines.on_task_pre_save, dispatch_uid="core_task_substitution")
        post_save.connect(deadlines.on_task_post_save, dispatch_uid="core_task_deadline")
        flow_started.connect(deadlines.on_flow_started, dispatch_uid="core_process_deadlines")

        # Lower layers (orgstructure, documents) announce audited changes without importing us.
        from orgstructure.events import audited_change

        from .audit import on_audited_change

        audited_change.connect(on_audited_change, dispatch_uid="core_audited_change")
