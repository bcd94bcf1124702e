"""On PostgreSQL the database itself refuses to change an issued document — only the PDF columns
may be filled in later — and to delete one. SQLite relies on the model and queryset guards."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION documents_issueddocument_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'documents_issueddocument rows cannot be deleted';
    END IF;
    IF (NEW.kind, NEW.title, NEW.number, NEW.sequence, NEW.year, NEW.issued_on, NEW.organization_id,
        NEW.person_id, NEW.signatory_name, NEW.signatory_position, NEW.template_id, NEW.artefact_type_id,
        NEW.artefact_id, NEW.process_type_id, NEW.process_id, NEW.data::text, NEW.file, NEW.sha256,
        NEW.size, NEW.issued_by_id, NEW.created_at)
       IS DISTINCT FROM
       (OLD.kind, OLD.title, OLD.number, OLD.sequence, OLD.year, OLD.issued_on, OLD.organization_id,
        OLD.person_id, OLD.signatory_name, OLD.signatory_position, OLD.template_id, OLD.artefact_type_id,
        OLD.artefact_id, OLD.process_type_id, OLD.process_id, OLD.data::text, OLD.file, OLD.sha256,
        OLD.size, OLD.issued_by_id, OLD.created_at) THEN
        RAISE EXCEPTION 'documents_issueddocument is immutable except for its PDF columns';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER documents_issueddocument_immutable
    BEFORE UPDATE OR DELETE ON documents_issueddocument
    FOR EACH ROW EXECUTE FUNCTION documents_issueddocument_immutable();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS documents_issueddocument_immutable ON documents_issueddocument;
DROP FUNCTION IF EXISTS documents_issueddocument_immutable();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
