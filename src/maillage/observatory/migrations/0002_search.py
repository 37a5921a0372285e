"""On PostgreSQL, the GIN full-text index of the projects' folded search text.

The index expression is the one ``directory.search.text_search`` queries with, so that
PostgreSQL uses it: ``to_tsvector('maillage_french', COALESCE(search_text, ''))`` (the text
search configuration comes from ``directory.0002_search``). Nothing on SQLite."""

from django.db import migrations

INDEX = "observatory_project_search_gin"


def index_forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON observatory_project "
            "USING gin (to_tsvector('maillage_french'::regconfig, COALESCE(search_text, '')))"
        )


def index_backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("observatory", "0001_initial"), ("directory", "0002_search")]

    operations = [migrations.RunPython(index_forward, index_backward)]
