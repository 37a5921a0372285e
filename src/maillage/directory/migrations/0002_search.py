"""Full-text search of the directory on PostgreSQL: the ``unaccent`` extension and a ``french``
text search configuration that ignores accents (``maillage_french``). Nothing on SQLite, where
``maillage.directory.search`` folds accents itself."""

from django.db import migrations

FORWARD = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'maillage_french') THEN
            CREATE TEXT SEARCH CONFIGURATION maillage_french (COPY = pg_catalog.french);
            ALTER TEXT SEARCH CONFIGURATION maillage_french
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END
    $$
    """,
)
BACKWARD = ("DROP TEXT SEARCH CONFIGURATION IF EXISTS maillage_french",)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
