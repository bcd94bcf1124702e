"""One current document per (artefact, kind), whatever the template version.

Before, the idempotency key included the template, so a redelivered issue job after a template
upload issued the same artefact again under a new number. Now the key is (artefact, kind) among
documents not superseded; a deliberate re-issue (issuing.document_reissue) marks the old one
superseded and links the new one to it.

Pairs issued twice by that defect are kept (both numbers exist in the register and may have been
sent out): the newest stays current, the older ones are marked superseded at the moment the next
one was issued. On PostgreSQL the immutability trigger now also guards the new columns:
`replaces` and `reissue_reason` never change, `superseded_at` is set at most once.
"""

import django.db.models.deletion
from django.db import migrations, models

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION documents_issueddocument_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'documents_issueddocument rows cannot be deleted';
    END IF;
    IF (NEW.kind, NEW.title, NEW.number, NEW.sequence, NEW.year, NEW.issued_on, NEW.organization_id,
        NEW.person_id, NEW.signatory_name, NEW.signatory_position, NEW.template_id, NEW.artefact_type_id,
        NEW.artefact_id, NEW.process_type_id, NEW.process_id, NEW.data::text, NEW.file, NEW.sha256,
        NEW.size, NEW.issued_by_id, NEW.created_at{extra_new})
       IS DISTINCT FROM
       (OLD.kind, OLD.title, OLD.number, OLD.sequence, OLD.year, OLD.issued_on, OLD.organization_id,
        OLD.person_id, OLD.signatory_name, OLD.signatory_position, OLD.template_id, OLD.artefact_type_id,
        OLD.artefact_id, OLD.process_type_id, OLD.process_id, OLD.data::text, OLD.file, OLD.sha256,
        OLD.size, OLD.issued_by_id, OLD.created_at{extra_old}) THEN
        RAISE EXCEPTION 'documents_issueddocument is immutable except for its PDF columns';
    END IF;{superseded_check}
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

SUPERSEDED_CHECK = """
    IF OLD.superseded_at IS NOT NULL AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at THEN
        RAISE EXCEPTION 'documents_issueddocument: a superseded document stays superseded';
    END IF;"""

FORWARD = TRIGGER_FUNCTION.format(
    extra_new=", NEW.replaces_id, NEW.reissue_reason",
    extra_old=", OLD.replaces_id, OLD.reissue_reason",
    superseded_check=SUPERSEDED_CHECK,
)
BACKWARD = TRIGGER_FUNCTION.format(extra_new="", extra_old="", superseded_check="")


def supersede_duplicates(apps, schema_editor):
    """Documents issued twice for one artefact and kind (the defect this migration fixes): all
    but the newest become superseded, so the new unique constraint holds."""
    IssuedDocument = apps.get_model("documents", "IssuedDocument")
    groups = (
        IssuedDocument.objects.values("artefact_type_id", "artefact_id", "kind")
        .annotate(count=models.Count("id"))
        .filter(count__gt=1)
    )
    for group in groups:
        rows = list(
            IssuedDocument.objects.filter(
                artefact_type_id=group["artefact_type_id"], artefact_id=group["artefact_id"], kind=group["kind"]
            )
            .order_by("created_at", "id")
            .values_list("id", "created_at")
        )
        for (pk, _), (_, next_created_at) in zip(rows, rows[1:]):
            IssuedDocument.objects.filter(pk=pk).update(superseded_at=next_created_at)


def trigger_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def trigger_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_issueddocument_immutable_trigger")]

    operations = [
        migrations.RemoveConstraint(
            model_name="issueddocument",
            name="issueddocument_once_per_artefact_template",
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="reissue_reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="причина повторного выпуска"),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="replaces",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="replaced_by",
                to="documents.issueddocument",
                verbose_name="заменяет документ",
            ),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="superseded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="заменен"),
        ),
        migrations.RunPython(supersede_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="issueddocument",
            constraint=models.UniqueConstraint(
                condition=models.Q(("superseded_at__isnull", True)),
                fields=("artefact_type", "artefact_id", "kind"),
                name="issueddocument_current_per_artefact_kind",
            ),
        ),
        migrations.RunPython(trigger_forward, trigger_backward),
    ]
