"""The folded search text of each organisation, and on PostgreSQL its GIN full-text index.

The index expression is the one ``directory.search.text_search`` queries with, so
that PostgreSQL uses it: ``to_tsvector('maillage_french', COALESCE(search_text, ''))``."""

from django.db import migrations, models

INDEX = "directory_organisation_search_gin"


def fill(apps, schema_editor):
    from maillage.core.models.reference import search_key

    Organisation = apps.get_model("directory", "Organisation")
    changed = []
    for organisation in Organisation.objects.select_related("commune").iterator(chunk_size=2000):
        commune = organisation.commune.name if organisation.commune_id else ""
        parts = (organisation.name, organisation.acronym, commune, organisation.description)
        organisation.search_text = " " + search_key(" ".join(part for part in parts if part)) + " "
        changed.append(organisation)
    Organisation.objects.bulk_update(changed, ["search_text"], batch_size=2000)


def index_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_organisation "
            "USING gin (to_tsvector('maillage_french'::regconfig, COALESCE(search_text, '')))"
        )


def index_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_import_run")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="search_text",
            field=models.TextField(blank=True, editable=False, verbose_name="search text"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index_forward, index_backward),
    ]
