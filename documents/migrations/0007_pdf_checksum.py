"""The PDF rendition gets its checksum (issue 11): written by the worker with the file, checked
on every download like the .docx's. A PDF made before this has none to check against, so it is
made anew from its .docx — which the worker checks against the issued SHA-256 first."""

from django.db import migrations, models


def requeue_unchecked(apps, schema_editor):
    IssuedDocument = apps.get_model("documents", "IssuedDocument")
    IssuedDocument.objects.filter(pdf_status="ready", pdf_sha256="").update(
        pdf_status="pending", pdf_batch=None, pdf_message=""
    )


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_listed_persons")]

    operations = [
        migrations.AddField(
            model_name="issueddocument",
            name="pdf_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="PDF: SHA-256"),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="pdf_size",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="PDF: размер, байт"),
        ),
        migrations.RunPython(requeue_unchecked, migrations.RunPython.noop),
    ]
