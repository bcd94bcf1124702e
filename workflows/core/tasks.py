import logging

from celery import shared_task

from . import notifications

logger = logging.getLogger(__name__)


@shared_task
def heartbeat():
    """Proves that beat schedules and a worker executes; see project/celery.py."""
    logger.info("profrost heartbeat: worker alive")
    return "ok"


@shared_task
def scan_deadlines():
    """Write due reminders, overdue notices and escalations to the outbox, then deliver them."""
    result = notifications.scan_due_notifications()
    logger.info("deadline scan: %s tasks, %s messages in %s batches", result.tasks, result.messages, result.batches)
    if result.messages:
        deliver_notifications.delay()
    return {"tasks": result.tasks, "messages": result.messages}


@shared_task
def deliver_notifications():
    """Send undelivered outbox rows by e-mail and as in-app notifications."""
    return notifications.deliver_outbox()


@shared_task(ignore_result=False)
def echo(value):
    """Round-trip probe used by the test that runs a real worker on the configured broker."""
    return value
