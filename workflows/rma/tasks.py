"""Celery jobs of the РМА process: thin — find by state, call a service, start a flow."""

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def scan_lapsed_categories() -> int:
    """Flag members whose высшая категория is no longer in force and open a re-check task for
    the municipal coordinator. State-based and idempotent: a flagged member is UNDER_REVIEW and is
    not selected again, so a re-run or two beats flag nobody twice. Each member in a transaction of
    its own (a row lock on the application), so one bad record does not stop the others."""
    from orgstructure.models import Region
    from workflows.core.calendar import local_date

    from . import flows, selectors, services

    flagged = 0
    for region in Region.objects.all():
        on_date = local_date(timezone.now(), region.timezone)
        candidates = selectors.lapsed_members(on_date=on_date).filter(person__organization__region=region)
        for application_id in list(candidates.values_list("id", flat=True)):
            try:
                flagged += _flag_one(application_id, on_date, flows, services)
            except Exception:  # one broken record must not stop the scan of the others
                logger.exception("РМА: could not flag application %s", application_id)
    if flagged:
        logger.info("РМА: %s member(s) flagged for a membership re-check", flagged)
    return flagged


def _flag_one(application_id, on_date, flows, services) -> int:
    from django.db import transaction

    from .models import RmaApplication

    with transaction.atomic():
        application = RmaApplication.objects.get(pk=application_id)
        if services.membership_flag(application=application, on_date=on_date) is None:
            return 0
        flows.membership_review_start(application=application)
        return 1
