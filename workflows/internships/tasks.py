"""The nightly expiry of sites (a scan of workflows/core/scans.py, declared in project/celery.py):
a site whose term has ended leaves the register's active entries in its region's own night."""

from celery import shared_task

from workflows.core.scans import ItemScan

from . import register_services

EXPIRY = ItemScan(
    name="internships.site_expiry",
    title="Площадки: истечение срока статуса",
    candidates=register_services.expiring,
    act=register_services.site_expire,
    task="workflows.internships.tasks.scan_site_expiry",
)


@shared_task(acks_late=True)
def scan_site_expiry() -> int:
    return EXPIRY.run()
