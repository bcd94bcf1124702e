from viewflow.workflow.models import Process


class SampleProcess(Process):
    """No table of its own: a proxy that carries the permission of the test flow."""

    class Meta:
        proxy = True
        permissions = [("can_do_sample", "Может выполнять шаги тестового процесса")]
