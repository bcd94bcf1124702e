"""The members an approved list's приказ names become the приказ's listed persons
(documents.ListedPerson), so their school heads and municipal coordinators find it — for the
orders issued before documents recorded whom they list."""

from django.db import migrations


def listed_in_orders(apps, schema_editor):
    RmaApplication = apps.get_model("rma", "RmaApplication")
    ListedPerson = apps.get_model("documents", "ListedPerson")
    rows = (
        RmaApplication.objects.filter(rma_list__order__isnull=False, admitted_on__isnull=False)
        .values_list("rma_list__order_id", "person_id")
        .distinct()
    )
    have = set(ListedPerson.objects.values_list("document_id", "person_id"))
    ListedPerson.objects.bulk_create(
        [ListedPerson(document_id=document, person_id=person) for document, person in rows if (document, person) not in have],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("rma", "0004_document_retry"),
        ("documents", "0006_listed_persons"),
    ]

    operations = [migrations.RunPython(listed_in_orders, migrations.RunPython.noop)]
