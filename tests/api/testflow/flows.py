"""A tiny flow for the API tests only: no process is registered in the project yet, and a task
needs a real flow node to have a title, a brief and a page."""

from viewflow import this
from viewflow.workflow import flow


class ReviewFlow(flow.Flow):
    """Проверка заявления"""

    start = flow.StartHandle().Next(this.review)
    review = (
        flow.ManualTask()
        .Annotation(title="Проверить заявление", summary_template="Заявление № {{ process.pk }}")
        .Next(this.end)
    )
    end = flow.End()

    def has_view_permission(self, user, obj=None):
        # viewflow's default asks for the model permission viewflow.view_process; the project's
        # flows will decide per role, the test flow lets everyone in.
        return user.is_authenticated
