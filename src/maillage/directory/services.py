"""Writes on the directory. Every function runs in a transaction and validates the records."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.accounts.services import user_grant_role
from maillage.core.roles import Role
from maillage.directory.models import Affiliation, Category, College, Organisation, Person, Tag
from maillage.directory.search import search_text

# The statutory categories of each collège (administrators may add others).
CATEGORIES: tuple[tuple[str, str, str, str], ...] = (
    ("collectivite-territoriale", College.PUBLIC, "Collectivité territoriale", "Local authority"),
    ("agence-publique", College.PUBLIC, "Agence publique", "Public agency"),
    ("etablissement-sante", College.PUBLIC, "Établissement de santé", "Health institution"),
    ("etablissement-scolaire", College.PUBLIC, "Établissement scolaire", "School"),
    ("universite", College.PUBLIC, "Université", "University"),
    ("recherche", College.PUBLIC, "Institut ou laboratoire de recherche", "Research institute or laboratory"),
    (
        "chambre-consulaire",
        College.PUBLIC,
        "Chambre consulaire",
        "Chamber of commerce, trades or agriculture",
    ),
    ("association", College.ASSOCIATIVE, "Association", "Association"),
    ("collectif", College.ASSOCIATIVE, "Collectif", "Collective"),
    ("federation", College.ASSOCIATIVE, "Fédération", "Federation"),
    ("pme", College.ECONOMIC, "PME", "Small or medium-sized enterprise"),
    (
        "ess",
        College.ECONOMIC,
        "Acteur de l’économie sociale et solidaire",
        "Social and solidarity economy actor",
    ),
    ("fondation", College.ECONOMIC, "Fondation", "Foundation"),
    ("groupement-entreprises", College.ECONOMIC, "Groupement d’entreprises", "Business group"),
)

M2M_FIELDS = ("themes", "sdgs", "dac_sectors", "editors", "tags")


def categories_ensure() -> None:
    """Create the statutory categories that do not exist yet (idempotent)."""
    for position, (slug, college, name_fr, name_en) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            slug=slug,
            defaults={"college": college, "name_fr": name_fr, "name_en": name_en, "position": position},
        )


# Paths of the directory that a profile's address must not take (/annuaire/<slug>/).
RESERVED_SLUGS = frozenset({"carte", "espace", "export-csv", "export-xlsx"})


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, suffix = base, 2
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def organisation_errors(organisation: Organisation) -> dict[str, Any]:
    """The rules that span several fields of an organisation: field name → message."""
    errors: dict[str, Any] = {}
    if organisation.kind == Organisation.Kind.REGIONAL:
        if not organisation.college:
            errors["college"] = _("A regional actor belongs to a collège.")
        elif organisation.category and organisation.category.college != organisation.college:
            errors["category"] = _("This category belongs to another collège.")
        if str(organisation.country) != "FR":
            errors["country"] = _("A regional actor is in France; a partner abroad is not.")
    else:
        if organisation.college or organisation.category_id:
            errors["college"] = _("A partner abroad belongs to no collège.")
        if str(organisation.country) == "FR":
            errors["country"] = _("A partner abroad is outside France.")
    if organisation.siret and organisation.siren and not organisation.siret.startswith(organisation.siren):
        errors["siret"] = _("The SIRET number must begin with the SIREN number.")
    unknown = set(organisation.languages) - {code for code, _label in Organisation.LANGUAGES}
    if unknown:
        errors["languages"] = _("Unknown language: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
    return errors


def _check(organisation: Organisation) -> None:
    """The field validators, our rules, then the database constraints."""
    errors = organisation_errors(organisation)
    try:
        # The constraints repeat the rules above in the database's words: ours come first.
        organisation.full_clean(validate_constraints=not errors)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors[field] = [errors[field], *messages] if field in errors else messages
    if errors:
        raise ValidationError(errors)


def _default_point(organisation: Organisation) -> bool:
    """Put the organisation on its commune's point when it has none; True if it moved."""
    if organisation.commune_id and organisation.latitude is None:
        commune = organisation.commune
        organisation.latitude, organisation.longitude = commune.latitude, commune.longitude  # type: ignore[union-attr]
        return True
    return False


def _save(organisation: Organisation, m2m: dict[str, Iterable[Any]]) -> Organisation:
    if organisation.siret and not organisation.siren:
        organisation.siren = organisation.siret[:9]
    _default_point(organisation)
    _check(organisation)
    organisation.search_text = search_text(organisation)
    organisation.save()
    for field, values in m2m.items():
        getattr(organisation, field).set(values)
    return organisation


@transaction.atomic
def organisation_create(*, name: str, **fields: Any) -> Organisation:
    """Create an organisation (a draft unless ``status`` says otherwise) with a unique slug."""
    m2m = {field: fields.pop(field) for field in M2M_FIELDS if field in fields}
    organisation = Organisation(name=name.strip(), **fields)
    organisation.slug = fields.get("slug") or _unique_slug(name)
    return _save(organisation, m2m)


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields: Any) -> Organisation:
    m2m = {field: fields.pop(field) for field in M2M_FIELDS if field in fields}
    if "commune" in fields and fields["commune"] != organisation.commune and "latitude" not in fields:
        organisation.latitude = organisation.longitude = None  # the new commune's point
    for field, value in fields.items():
        setattr(organisation, field, value)
    return _save(organisation, m2m)


@transaction.atomic
def organisation_locate(*, organisation: Organisation) -> Organisation:
    """Give an organisation saved without a map point (by the administration) its commune's."""
    if _default_point(organisation):
        organisation.save(update_fields=["latitude", "longitude", "updated_at"])
    return organisation


@transaction.atomic
def organisation_set_status(*, organisation: Organisation, status: str) -> Organisation:
    organisation.status = Organisation.Status(status)
    organisation.save(update_fields=["status", "updated_at"])
    return organisation


@transaction.atomic
def person_create(*, first_name: str, last_name: str, user: User | None = None, **fields: Any) -> Person:
    person = Person(first_name=first_name.strip(), last_name=last_name.strip(), user=user, **fields)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_give_consent(*, person: Person, wording: str) -> Person:
    """Record that ``person`` agreed to the publication of their contact details, in these words."""
    if not wording.strip():
        raise ValidationError({"public_consent_wording": _("The wording of the consent is required.")})
    person.public_consent_at = timezone.now()
    person.public_consent_wording = wording.strip()
    person.save(update_fields=["public_consent_at", "public_consent_wording", "updated_at"])
    return person


@transaction.atomic
def person_withdraw_consent(*, person: Person) -> Person:
    person.public_consent_at = None
    person.public_consent_wording = ""
    person.save(update_fields=["public_consent_at", "public_consent_wording", "updated_at"])
    return person


@transaction.atomic
def affiliation_add(*, person: Person, organisation: Organisation, role: str, **fields: Any) -> Affiliation:
    affiliation = Affiliation(person=person, organisation=organisation, role=role, **fields)
    affiliation.full_clean()
    affiliation.save()
    return affiliation


@transaction.atomic
def tag_get_or_create(*, name: str) -> Tag:
    """The tag named ``name`` (whatever its case), created if it does not exist yet."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("The name of the tag is required.")})
    existing = Tag.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    base = slugify(name)[:80] or "etiquette"
    slug, suffix = base, 2
    while Tag.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    tag = Tag(name=name, slug=slug)
    tag.full_clean()
    tag.save()
    return tag


@transaction.atomic
def organisations_tag(organisations: Iterable[Organisation], tag: Tag, add: bool = True) -> int:
    """Put ``tag`` on (or take it off) each organisation; returns how many changed. Each change
    goes through the organisation's ``tags`` manager, so that its history records it."""
    organisations = list(organisations)
    tagged = set(
        Organisation.tags.through.objects.filter(
            tag=tag, organisation__in=[organisation.pk for organisation in organisations]
        ).values_list("organisation_id", flat=True)
    )
    changed = 0
    for organisation in organisations:
        if add and organisation.pk not in tagged:
            organisation.tags.add(tag)
        elif not add and organisation.pk in tagged:
            organisation.tags.remove(tag)
        else:
            continue
        changed += 1
    return changed


@transaction.atomic
def organisation_editor_add(*, organisation: Organisation, user: User) -> None:
    """Let an account edit an organisation's profile (and give it the editor role)."""
    organisation.editors.add(user)
    user_grant_role(user=user, role=Role.ORGANISATION_EDITOR)


@transaction.atomic
def affiliation_end(*, affiliation: Affiliation, on: datetime.date | None = None) -> Affiliation:
    """End a person's role in an organisation (the record stays, with its dates)."""
    affiliation.end = on or timezone.localdate()
    affiliation.full_clean()
    affiliation.save(update_fields=["end", "updated_at"])
    return affiliation


@transaction.atomic
def organisation_set_member(*, organisation: Organisation, member: bool) -> None:
    """Record whether the organisation is a member of the network (called by the membership)."""
    if organisation.is_member != member:
        organisation.is_member = member
        organisation.save(update_fields=["is_member", "updated_at"])
