"""The nightly per-item scan skeleton on its own: candidates per region in the region's local
date, one transaction per item, a bad item logged and skipped (its writes rolled back), and a
re-run that acts on nobody twice because acting changes the state."""

import datetime as dt
import logging

import pytest
from django.core.management import CommandError, call_command

from orgstructure.models import Organization
from tests.factories import make_organization, make_region
from workflows.core.scans import ItemScan

pytestmark = pytest.mark.django_db

# 20:30 UTC on 1 March: 23:30 in Moscow, already 01:30 on 2 March in Perm (UTC+5).
NOW = dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC)


@pytest.fixture
def regions():
    moscow = make_region("Москва (тест)", code="77", timezone="Europe/Moscow")
    perm = make_region("Пермский край (тест)", code="59", timezone="Asia/Yekaterinburg")
    for region in (moscow, perm):
        for n in range(3):
            make_organization(region, name=f"старое {region.code}-{n}")
    return moscow, perm


def rename_scan(seen_dates, *, broken=""):
    """Renames «старое …» organizations to «новое …» — the state the candidates select on."""

    def candidates(region, on_date):
        seen_dates[region.code] = on_date
        return Organization.objects.filter(region=region, name__startswith="старое")

    def act(organization_id, on_date):
        organization = Organization.objects.select_for_update().get(pk=organization_id)
        if not organization.name.startswith("старое"):
            return False
        organization.name = organization.name.replace("старое", "новое") + f" {on_date:%d.%m}"
        organization.save(update_fields=["name"])
        if broken and organization.name.startswith(f"новое {broken}"):
            raise RuntimeError("испорченная запись")
        return True

    return ItemScan(name="test.rename", title="Тест: переименование", candidates=candidates, act=act)


def test_each_region_is_scanned_in_its_own_local_date(regions):
    seen = {}
    assert rename_scan(seen).run(now=NOW) == 6
    assert seen == {"77": dt.date(2026, 3, 1), "59": dt.date(2026, 3, 2)}
    assert Organization.objects.filter(region__code="59", name__endswith="02.03").count() == 3
    assert Organization.objects.filter(region__code="77", name__endswith="01.03").count() == 3


def test_a_re_run_acts_on_nobody_twice(regions):
    scan = rename_scan({})
    assert scan.run(now=NOW) == 6
    assert scan.run(now=NOW) == 0


def test_a_bad_item_is_rolled_back_logged_and_skipped(regions, caplog):
    scan = rename_scan({}, broken="59-1")
    with caplog.at_level(logging.ERROR, logger="workflows.core.scans"):
        result = scan.run_detailed(now=NOW)
    assert (result.acted, result.failed) == (5, 1)
    bad = Organization.objects.get(region__code="59", name__contains="59-1")
    assert bad.name == "старое 59-1"  # its own transaction rolled back, the others kept
    assert f"Тест: переименование: item {bad.pk} failed" in caplog.text
    assert scan.run_detailed(now=NOW).failed == 1  # still a candidate: tried again next night


def test_candidates_may_be_plain_ids_and_acting_may_find_nothing_to_do(regions):
    moscow, _ = regions
    ids = list(Organization.objects.filter(region=moscow).values_list("pk", flat=True))
    scan = ItemScan(name="test.ids", title="Тест", candidates=lambda region, on_date: ids if region == moscow else [],
                    act=lambda item_id, on_date: item_id == ids[0])
    result = scan.run_detailed(now=NOW)
    assert (result.acted, result.skipped, result.failed) == (1, 2, 0)


def test_the_command_lists_and_runs_registered_scans(capsys):
    call_command("run_process_scan")
    assert "rma.lapsed_categories — РМА: перепроверка членства при истечении категории" in capsys.readouterr().out
    call_command("run_process_scan", "rma.lapsed_categories")
    assert "изменено — 0, без изменений — 0, с ошибкой — 0" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Нет такой проверки: nope"):
        call_command("run_process_scan", "nope")
