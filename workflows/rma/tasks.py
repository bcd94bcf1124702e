"""Celery jobs of the РМА process: thin — find by state, call a service, start a flow."""

from celery import shared_task

from workflows.core.scans import ItemScan


def _lapsed(region, on_date):
    from . import selectors

    return selectors.lapsed_members(on_date=on_date).filter(person__organization__region=region)


def _flag_one(application_id, on_date) -> bool:
    from . import flows, services
    from .models import RmaApplication

    application = RmaApplication.objects.get(pk=application_id)
    if services.membership_flag(application=application, on_date=on_date) is None:
        return False
    flows.membership_review_start(application=application)
    return True


# Members whose высшая категория is no longer in force are flagged (UNDER_REVIEW, so a re-run
# selects them no more) and the municipal coordinator gets a re-check task.
LAPSED_CATEGORIES = ItemScan(
    name="rma.lapsed_categories",
    title="РМА: перепроверка членства при истечении категории",
    candidates=_lapsed,
    act=_flag_one,
    task="workflows.rma.tasks.scan_lapsed_categories",
)


@shared_task(acks_late=True)
def scan_lapsed_categories() -> int:
    """The nightly scan (project/celery.py); returns how many members were flagged."""
    return LAPSED_CATEGORIES.run()
