"""Parallel issuing never duplicates or skips a number.

Meaningful on PostgreSQL only, where the register row lock (SELECT … FOR UPDATE) is what keeps
two transactions apart; SQLite serialises every writing transaction anyway (IMMEDIATE mode), and
its in-memory test database cannot be shared between threads — so the test is skipped there and
runs in CI's PostgreSQL pass."""

import threading

import pytest
from django.db import connection, connections

from documents.issuing import document_issue
from documents.kinds import get_spec
from documents.models import IssuedDocument, NumberingRegister
from orgstructure.models import OrganizationKind, Subject
from tests.documents.kinds import DocumentKind
from tests.factories import make_organization, make_region

from .conftest import ISSUED_ON

THREADS = 8
PER_THREAD = 5


@pytest.mark.django_db(transaction=True)
def test_parallel_issues_take_distinct_consecutive_numbers():
    if connection.vendor == "sqlite":
        pytest.skip("row locks are only meaningful on PostgreSQL (CI runs this test there)")
    region = make_region(name="Пермский край")
    ministry = make_organization(region, kind=OrganizationKind.MINISTRY, name="Министерство образования")
    ministry.head_name, ministry.head_position = "Сидорова Нина Петровна", "Министр"
    ministry.save()
    artefacts = [Subject.objects.create(name=f"Предмет {n}") for n in range(THREADS * PER_THREAD)]
    context = get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry)
    start = threading.Barrier(THREADS)
    errors = []

    def worker(chunk):
        try:
            start.wait()
            for artefact in chunk:
                document_issue(
                    kind=DocumentKind.RMA_CERTIFICATE,
                    issuing_organization=ministry,
                    artefact=artefact,
                    context=context,
                    signatory=None,
                    issued_on=ISSUED_ON,
                    actor=None,
                )
        except Exception as exc:  # reported below, with the thread's traceback lost otherwise
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(artefacts[i::THREADS],)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(IssuedDocument.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, THREADS * PER_THREAD + 1))
    assert NumberingRegister.objects.get().next_number == THREADS * PER_THREAD + 1
