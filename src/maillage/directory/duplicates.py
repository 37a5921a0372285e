"""Duplicates in the directory: the candidate pairs, and the merge of two organisations.

Candidates share a SIREN, an RNA number, or have similar names in the same commune (names
folded without accents, case or punctuation, compared with ``difflib`` commune by commune so
that the cost stays that of the largest commune, not of the whole directory)."""

from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.models.reference import search_key
from maillage.directory.models import Affiliation, Organisation
from maillage.directory.services import organisation_update

SIMILARITY = 0.85
SAME_SIREN, SAME_RNA, SIMILAR_NAME = "siren", "rna", "name"

# Copied from the duplicate when the survivor has none.
FILLED_FIELDS = (
    "acronym",
    "legal_form",
    "siren",
    "siret",
    "rna",
    "iati_identifier",
    "description",
    "website",
    "email",
    "phone",
    "address",
    "year_founded",
    "staff",
    "volunteers",
    "budget",
    "verified_on",
    "logo",
)
M2M_FIELDS = ("themes", "sdgs", "dac_sectors", "editors", "tags")


@dataclass
class Candidate:
    first: Organisation
    second: Organisation
    reasons: list[str] = field(default_factory=list)

    def reason_labels(self) -> list[str]:
        labels = {
            SAME_SIREN: _("same SIREN"),
            SAME_RNA: _("same RNA number"),
            SIMILAR_NAME: _("similar names in the same commune"),
        }
        return [labels[reason] for reason in self.reasons]


def _similar(a: str, b: str) -> bool:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= SIMILARITY
        and matcher.quick_ratio() >= SIMILARITY
        and matcher.ratio() >= SIMILARITY
    )


def duplicate_pairs() -> dict[tuple[int, int], list[str]]:
    """(smaller id, larger id) → the reasons to think they are the same organisation."""
    pairs: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key, reason in (("siren", SAME_SIREN), ("rna", SAME_RNA)):
        shared = (
            Organisation.objects.exclude(**{key: ""})
            .values(key)
            .annotate(count=Count("pk"))
            .filter(count__gt=1)
            .values_list(key, flat=True)
        )
        groups: dict[str, list[int]] = defaultdict(list)
        for pk, value in Organisation.objects.filter(**{f"{key}__in": shared}).values_list("pk", key):
            groups[value].append(pk)
        for ids in groups.values():
            ids.sort()
            for index, first in enumerate(ids):
                for second in ids[index + 1 :]:
                    pairs[(first, second)].append(reason)

    crowded = (
        Organisation.objects.exclude(commune=None)
        .values("commune")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("commune", flat=True)
    )
    by_commune: dict[str, list[tuple[int, str]]] = defaultdict(list)
    rows = (
        Organisation.objects.filter(commune__in=crowded).values_list("commune", "pk", "name").order_by("pk")
    )
    for commune, pk, name in rows.iterator():
        by_commune[commune].append((pk, search_key(name)))
    for members in by_commune.values():
        for index, (first, first_name) in enumerate(members):
            for second, second_name in members[index + 1 :]:
                if _similar(first_name, second_name):
                    pairs[(first, second)].append(SIMILAR_NAME)
    return dict(pairs)


def duplicate_candidates() -> list[Candidate]:
    """The candidate pairs with their organisations, by name of the first."""
    pairs = duplicate_pairs()
    ids = {pk for pair in pairs for pk in pair}
    organisations = Organisation.objects.select_related("commune").in_bulk(ids)
    candidates = [
        Candidate(organisations[first], organisations[second], reasons)
        for (first, second), reasons in pairs.items()
    ]
    candidates.sort(
        key=lambda candidate: (search_key(candidate.first.name), candidate.first.pk, candidate.second.pk)
    )
    return candidates


def _move_relations(*, survivor: Organisation, duplicate: Organisation) -> None:
    """Point every record that refers to ``duplicate`` at ``survivor`` (affiliations without
    creating a second identical one; a record the database refuses to move — a second pending
    claim by the same account — goes with the duplicate)."""
    for affiliation in Affiliation.objects.filter(organisation=duplicate).order_by("pk"):
        twin = Affiliation.objects.filter(
            organisation=survivor, person_id=affiliation.person_id, role=affiliation.role
        ).exists()
        if twin:
            affiliation.delete()
        else:
            affiliation.organisation = survivor
            affiliation.save(update_fields=["organisation", "updated_at"])
    for relation in Organisation._meta.related_objects:
        model = relation.related_model
        if model is Affiliation or isinstance(model, str):
            continue
        if relation.many_to_many:
            accessor = relation.get_accessor_name() or ""
            for item in getattr(duplicate, accessor).all():
                getattr(item, relation.field.name).add(survivor)
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        for item in model._base_manager.filter(**{relation.field.name: duplicate}):
            setattr(item, relation.field.name, survivor)
            try:
                with transaction.atomic():
                    item.save()
            except IntegrityError:
                pass


@transaction.atomic
def organisation_merge(*, survivor: Organisation, duplicate: Organisation, user: User | None) -> Organisation:
    """Merge ``duplicate`` into ``survivor``: empty fields of the survivor are filled from the
    duplicate, the lists are united, affiliations and every other relation move, the duplicate
    is deleted. The survivor's history records the merge; the duplicate's remains under its id."""
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("An organisation cannot be merged with itself."))
    locked = Organisation.objects.select_for_update().in_bulk([survivor.pk, duplicate.pk])
    if len(locked) != 2:
        raise ValidationError(_("One of these organisations no longer exists."))
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]

    fields: dict[str, Any] = {
        name: getattr(duplicate, name)
        for name in FILLED_FIELDS
        if not getattr(survivor, name) and getattr(duplicate, name)
    }
    if survivor.kind == duplicate.kind and survivor.commune_id is None and duplicate.commune_id:
        fields["commune"] = duplicate.commune
        if survivor.latitude is None:
            fields["latitude"], fields["longitude"] = duplicate.latitude, duplicate.longitude
    if survivor.category_id is None and duplicate.category and duplicate.category.college == survivor.college:
        fields["category"] = duplicate.category
    countries = {country.code for country in survivor.countries} | {
        country.code for country in duplicate.countries
    }
    if countries != {country.code for country in survivor.countries}:
        fields["countries"] = sorted(countries)
    languages = list(dict.fromkeys([*survivor.languages, *duplicate.languages]))
    if languages != survivor.languages:
        fields["languages"] = languages
    for name in M2M_FIELDS:
        fields[name] = list({*getattr(survivor, name).all(), *getattr(duplicate, name).all()})

    _move_relations(survivor=survivor, duplicate=duplicate)
    reason = _("Merged with “%(name)s” (#%(id)s)") % {"name": duplicate.name, "id": duplicate.pk}
    duplicate._change_reason = _("Merged into “%(name)s” (#%(id)s)") % {  # type: ignore[attr-defined]
        "name": survivor.name,
        "id": survivor.pk,
    }
    if user is not None:
        duplicate._history_user = user  # type: ignore[attr-defined]
        survivor._history_user = user  # type: ignore[attr-defined]
    duplicate.delete()
    survivor._change_reason = reason  # type: ignore[attr-defined]
    return organisation_update(organisation=survivor, **fields)
