from django.apps import AppConfig


class SampleFlowConfig(AppConfig):
    name = "tests.workflows.core.sampleflow"
    label = "sampleflow"
    verbose_name = "Тестовый процесс"

    def ready(self):
        from viewflow.workflow.flow import FlowViewset

        from workflows.core.flows import register_flow_viewset

        from .flows import SampleFlow

        register_flow_viewset(FlowViewset(SampleFlow, icon="science"))
