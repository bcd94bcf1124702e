"""Benchmark: the signatory approves a list of 1,000 candidates — one transaction: the приказ (DOC-1,
1,000-row annex) rendered and numbered in the ministry's register, every application admitted
with its audit event, the sign task completed; after the commit 1,000 справки (DOC-4) are queued
for the workers. Then, for scale, how long the workers need per справка.

    DATABASE_URL=postgres://profrost:profrost-ci@127.0.0.1:5432/profrost .venv/bin/python bench/rma_batch.py
    … --small              # a list of 16: seconds, no target judged (CI)

Target (issue 4): under 30 s with the приказ and 1,000 справки queued. Not part of the test suite.
"""

# ruff: noqa: E402, I001 — rma_common sets Django up, so it comes before the Django imports

import argparse
import datetime as dt
import sys
import time
from decimal import Decimal
from unittest import mock

import scale
from rma_common import banner, build_region, setup

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--size", type=int, default=1000, help="candidates on the list")
parser.add_argument("--certificates", type=int, default=30, help="справки issued afterwards to time the workers")
scale.add_argument(parser)
args = parser.parse_args()
if scale.SMALL:
    args.size, args.certificates = 16, 2
setup()

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task

from documents.models import IssuedDocument
from documents.tasks import issue_document
from orgstructure.models import Person
from workflows.core.models import AuditEvent
from workflows.core import flowkit
from workflows.rma import services
from workflows.rma.flows import RmaListFlow
from workflows.rma.models import ListStatus, RmaApplication, RmaList, Status


def build_list(region) -> RmaList:
    """The list as ЦНППМПР leaves it: every candidate assessed and included (rows made directly —
    the steps before are what rma_complete.py measures)."""
    today = dt.date.today()
    rma_list = RmaList.objects.create(region=region.region, status=ListStatus.DRAFT, academic_year="2026/2027")
    persons = list(Person.objects.filter(organization__region=region.region).order_by("id")[: args.size])
    applications = RmaApplication.objects.bulk_create(
        [
            RmaApplication(
                person=person,
                kind="nomination",
                submitted_by=region.head,
                check_date=today,
                status=Status.IN_DRAFT_LIST,
                rma_list=rma_list,
                subject_score=Decimal("82.5"),
                methodical_score=Decimal("77"),
                subject_pass_mark=Decimal("70"),
                methodical_pass_mark=Decimal("70"),
                assessed_on=today,
            )
            for person in persons
        ],
        batch_size=500,
    )
    through = RmaApplication.subjects.through
    through.objects.bulk_create(
        [
            through(rmaapplication_id=a.pk, subject_id=region.subjects[i % len(region.subjects)].pk)
            for i, a in enumerate(applications)
        ],
        batch_size=1000,
    )
    RmaListFlow.start.run(rma_list=rma_list)
    prepare = Task.objects.get(flow_task=RmaListFlow.prepare)
    flowkit.task_complete(
        actor=region.officer,
        task_id=prepare.pk,
        perform=lambda activation: services.list_send_to_signing(
            actor=region.officer, rma_list=rma_list, academic_year="2026/2027"
        ),
    )
    return rma_list


def main():
    banner(f"РМА: approving a list of {args.size:,} — one приказ, {args.size:,} admissions, справки queued")
    per_municipality = (args.size + 7) // 8
    region = build_region(municipalities=8, candidates_per_municipality=per_municipality)
    rma_list = build_list(region)
    sign = Task.objects.get(flow_task=RmaListFlow.sign)
    rma_list.refresh_from_db()
    print(f"   broker: {settings.CELERY_BROKER_URL}")
    print(f"   list #{rma_list.pk}: {rma_list.applications.count():,} candidates, status {rma_list.status}")

    queued = []
    publish = issue_document.delay

    def recording(**kwargs):
        queued.append(kwargs)
        return publish(**kwargs)

    with mock.patch.object(issue_document, "delay", side_effect=recording):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            with transaction.atomic():
                flowkit.task_complete(
                    actor=region.signatory,
                    task_id=sign.pk,
                    perform=lambda activation: services.list_approve(actor=region.signatory, rma_list=rma_list),
                )
                in_transaction = time.perf_counter() - started
            total = time.perf_counter() - started  # on_commit: the справки are handed to the broker
    rma_list.refresh_from_db()
    admitted = RmaApplication.objects.filter(rma_list=rma_list, status=Status.ADMITTED).count()
    events = AuditEvent.objects.filter(event="rma.admitted").count()
    print(
        f"   approval transaction: {in_transaction:.2f} s; with the справки queued after commit: {total:.2f} s "
        f"({len(captured):,} queries)"
    )
    print(
        f"   приказ № {rma_list.order_number} от {rma_list.order_date:%d.%m.%Y}; admitted {admitted:,}; "
        f"audit events {events:,}; справки queued {len(queued):,}"
    )
    order = IssuedDocument.objects.get(pk=rma_list.order_id)
    print(f"   приказ .docx: {order.size / 1024:.0f} KB, {len(order.data['members']):,} rows in the annex")
    if admitted != args.size or len(queued) != args.size:
        sys.exit(f"admitted {admitted}, справки queued {len(queued)}, expected {args.size} of each")
    print(f"   target < 30 s: {scale.verdict(total < 30)}")

    # The workers' side, for scale: issue a sample of the queued справки one by one.
    sample = queued[: args.certificates]
    started = time.perf_counter()
    for kwargs in sample:
        issue_document.run(**kwargs)
    elapsed = time.perf_counter() - started
    if sample:
        per = elapsed / len(sample)
        print(
            f"   worker: {len(sample)} справки issued in {elapsed:.2f} s ({per * 1000:.0f} ms each; "
            f"all {args.size:,} ≈ {per * args.size:.0f} s on one worker, in the background)"
        )


if __name__ == "__main__":
    main()
