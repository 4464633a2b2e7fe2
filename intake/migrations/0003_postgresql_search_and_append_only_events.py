"""PostgreSQL-only pieces: trigram search on applicant names, and an events table that refuses
UPDATE and DELETE whatever the code path. SQLite skips both (its own search is a plain LIKE)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS dossier_name_trgm ON intake_dossier "
    "USING gin (applicant_name_search gin_trgm_ops)",
    """
    CREATE OR REPLACE FUNCTION intake_dossierevent_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'intake_dossierevent is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS dossierevent_append_only ON intake_dossierevent",
    "CREATE TRIGGER dossierevent_append_only BEFORE UPDATE OR DELETE ON intake_dossierevent "
    "FOR EACH ROW EXECUTE FUNCTION intake_dossierevent_append_only()",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS dossierevent_append_only ON intake_dossierevent",
    "DROP FUNCTION IF EXISTS intake_dossierevent_append_only()",
    "DROP INDEX IF EXISTS dossier_name_trgm",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A plain cursor: the function body's "%" must reach PostgreSQL unformatted.
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_dossiers")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
