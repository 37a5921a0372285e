"""The search text now splits words at typographic apostrophes (« l’eau » → "l eau"):
recompute it for the organisations whose texts have one."""

from django.db import migrations
from django.db.models import Q

APOSTROPHES = ("\u2019", "\u2018", "\u02bc")


def recompute(apps, schema_editor):  # type: ignore[no-untyped-def]
    from maillage.core.models.reference import search_key

    Organisation = apps.get_model("directory", "Organisation")
    has_one = Q()
    for apostrophe in APOSTROPHES:
        for field in ("name", "acronym", "description"):
            has_one |= Q(**{f"{field}__contains": apostrophe})
    changed = []
    for organisation in Organisation.objects.filter(has_one).select_related("commune").iterator():
        commune = organisation.commune.name if organisation.commune_id else ""
        parts = (organisation.name, organisation.acronym, commune, organisation.description)
        organisation.search_text = " " + search_key(" ".join(part for part in parts if part)) + " "
        changed.append(organisation)
    Organisation.objects.bulk_update(changed, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_organisation_is_member")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
