"""The skeleton of a nightly per-item scan: state-based, per region and local date, one item per
transaction.

A process finds what the calendar has changed overnight (a member's category lapsed, a site's
status expired, a campaign's window closed) and acts on each item::

    LAPSED = ItemScan(
        name="rma.lapsed_categories",
        title="РМА: перепроверка членства при истечении категории",
        candidates=lambda region, on_date: selectors.lapsed_members(on_date=on_date).filter(
            person__organization__region=region),
        act=_flag_one,                      # (item id, on_date) → True when it changed something
    )

    @shared_task(acks_late=True)
    def scan_lapsed_categories() -> int:
        return LAPSED.run()

and declares the Celery task in project/celery.py's beat schedule, with the reason for its time.

What the skeleton guarantees:
* **Per region, in its own day**: each region's candidates are asked with that region's local date
  (Perm is UTC+5: at 03:30 Moscow time its day has begun for 3 hours).
* **State-based and idempotent**: candidates are selected by state, and acting changes the state
  (the item leaves the candidates), so a re-run, two beats or a crashed worker act on nobody twice.
  `act` must hold to that: load the item under a row lock and return False if it no longer
  qualifies.
* **One item, one transaction**: `act` runs inside `transaction.atomic()`; an exception rolls back
  that item alone, is logged with the item's id, and the scan goes on with the others.
* The candidates of a region are read once, as ids, before acting, so acting on one item does not
  move the others in the query.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def all_regions():
    from orgstructure.models import Region

    return Region.objects.order_by("code")


@dataclass(frozen=True)
class ScanResult:
    acted: int = 0
    skipped: int = 0
    failed: int = 0


@dataclass(frozen=True)
class ItemScan:
    """`candidates(region, on_date)` returns a queryset (its ids are read) or an iterable of ids;
    `act(item_id, on_date)` returns True when it changed the item. `regions()` defaults to every
    region. `task` is the dotted name of the Celery task that runs the scan (checked against the
    beat schedule of project/celery.py)."""

    name: str
    title: str
    candidates: Callable[..., Iterable]
    act: Callable[[object, dt.date], bool]
    task: str = ""
    regions: Callable[[], Iterable] = all_regions

    def run(self, *, now: dt.datetime | None = None) -> int:
        """Run the scan; returns how many items it acted on (the Celery task's result)."""
        return self.run_detailed(now=now).acted

    def run_detailed(self, *, now: dt.datetime | None = None) -> ScanResult:
        from .calendar import local_date

        now = now or timezone.now()
        acted = skipped = failed = 0
        for region in self.regions():
            on_date = local_date(now, region.timezone)
            for item_id in self._ids(self.candidates(region, on_date)):
                try:
                    with transaction.atomic():
                        done = self.act(item_id, on_date)
                except Exception:  # one broken record must not stop the scan of the others
                    failed += 1
                    logger.exception("%s: item %s failed, skipped", self.title, item_id)
                    continue
                if done:
                    acted += 1
                else:
                    skipped += 1
        if acted or failed:
            logger.info("%s: %s acted on, %s failed", self.title, acted, failed)
        return ScanResult(acted=acted, skipped=skipped, failed=failed)

    @staticmethod
    def _ids(candidates) -> list:
        if hasattr(candidates, "values_list"):
            return list(candidates.order_by("pk").values_list("pk", flat=True))
        return list(candidates)


_REGISTRY: dict[str, ItemScan] = {}


def register_scans(scans: Iterable[ItemScan]) -> None:
    for scan in scans:
        other = _REGISTRY.get(scan.name)
        if other is not None and other is not scan:
            raise ValueError(f"Проверка «{scan.name}» уже зарегистрирована")
        _REGISTRY[scan.name] = scan


def unregister_scans(scans: Iterable[ItemScan]) -> None:
    for scan in scans:
        if _REGISTRY.get(scan.name) is scan:
            del _REGISTRY[scan.name]


def registered_scans() -> dict[str, ItemScan]:
    return dict(_REGISTRY)
