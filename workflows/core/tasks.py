import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def heartbeat():
    """Proves that beat schedules and a worker executes; see project/celery.py."""
    logger.info("profrost heartbeat: worker alive")
    return "ok"


@shared_task(ignore_result=False)
def echo(value):
    """Round-trip probe used by the test that runs a real worker on the configured broker."""
    return value
