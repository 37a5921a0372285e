"""Fictitious but plausible directory records: names, identifiers, descriptions and people.

Everything here is pure Python driven by a ``random.Random`` (no database access), so that the
demo (``directory.demo``) and the national benchmark dataset (``bench.generate``) share the same
generators and stay deterministic for a given seed."""

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.text import slugify
from stdnum import luhn

from maillage.directory.demo.words import (
    ABROAD_AREAS,
    ACTIVITIES,
    BUDGETS,
    CATEGORY_COLLEGE,
    CATEGORY_MIX,
    CAUSES,
    COMPANY_ENDS,
    COMPANY_STEMS,
    COUNTRIES,
    COUNTRY_IN,
    COUNTRY_LANGUAGES,
    FOREIGN_PREFIXES,
    FOUNDATION_CAUSES,
    FOUNDERS,
    FRENCH_FIRST,
    FRENCH_LAST,
    HEADS,
    MAGHREB_FIRST,
    MAGHREB_LAST,
    MALAGASY_FIRST,
    MALAGASY_LAST,
    NGO_WORDS,
    PARTNER_COUNTRIES,
    RESEARCH_TOPICS,
    STAFF_BRACKETS,
    STREETS,
    THEME_PHRASES,
    THEME_SDGS,
    THEME_WEIGHTS,
    TOWNS,
    WEST_AFRICAN_FIRST,
    WEST_AFRICAN_LAST,
)

CONSENT_WORDING = "J'accepte que mes coordonnées professionnelles figurent dans l'annuaire public du réseau."
TODAY = date(2026, 1, 15)  # the demo's "today": fixed, so that runs are deterministic


@dataclass(frozen=True)
class Place:
    """A commune (or a town abroad) an organisation is based in."""

    code: str  # INSEE code, or "" abroad
    name: str
    departement: str  # code, or "" abroad
    departement_name: str
    population: int
    latitude: float | None
    longitude: float | None


@dataclass
class PersonSpec:
    first_name: str
    last_name: str
    email: str
    phone: str
    job_title: str
    consent: bool
    roles: list[tuple[str, date]]  # (affiliation role, start)


@dataclass
class OrganisationSpec:
    """The field values of an organisation (attnames ready for the model) and its relations."""

    fields: dict[str, Any]
    category: str  # category slug, "" for a partner
    themes: list[str]  # theme slugs
    sdgs: list[int]
    dac_sectors: list[str]
    people: list[PersonSpec] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return str(self.fields["slug"])


def of(name: str) -> str:
    """ "de Podor", "d’Agadir"."""
    return f"d’{name}" if name[:1] in "AEIOUYÉÈÂÎ" else f"de {name}"


MASCULINE_IN_E = {"Rhône", "Finistère", "Calvados", "Doubs", "Gers", "Paris"}


def of_departement(name: str) -> str:
    """ "du Gers", "de la Lozère", "de l’Hérault", "des Hautes-Pyrénées", from the name's form."""
    first = name.replace("-", " ").split()[0]
    if first.endswith("s") and first not in MASCULINE_IN_E:
        return f"des {name}"
    if name == "Paris":
        return "de Paris"
    if name[:1] in "AEIOUYÉÈÂÎ" or name.startswith("Hé"):
        return f"de l’{name}"
    if first.endswith("e") and first not in MASCULINE_IN_E:
        return f"de la {name}"
    return f"du {name}"


def weighted(rng: random.Random, items: Sequence[Any], weights: Sequence[float]) -> Any:
    return rng.choices(items, weights=weights)[0]


def siren_number(rng: random.Random) -> str:
    """A random SIREN with a valid Luhn key (and not La Poste's special range)."""
    body = str(rng.randint(10_000_000, 99_999_999))
    return body + luhn.calc_check_digit(body)


def siret_number(rng: random.Random, siren: str) -> str:
    """A SIRET of establishment ``siren``: its 9 digits, a 4-digit NIC and a Luhn key on all 14."""
    body = siren + f"{rng.randint(1, 999):04d}"
    return body + luhn.calc_check_digit(body)


def rna_number(rng: random.Random, departement: str) -> str:
    """An RNA number, ``W`` + the prefecture's 3 digits + 6 digits (W313012345 for Toulouse)."""
    prefix = departement if len(departement) == 3 else departement.replace("2A", "20").replace("2B", "20")
    prefix = prefix if len(prefix) == 3 else prefix + str(rng.randint(0, 9))
    return f"W{prefix}{rng.randint(0, 999_999):06d}"


def acronym_of(name: str) -> str:
    small = {"de", "du", "des", "la", "le", "les", "et", "pour", "en", "au", "aux", "l", "d", "à"}
    words = [word for word in slugify(name).split("-") if word and word not in small]
    return "".join(word[0] for word in words).upper()[:8]


def ascii_word(text: str) -> str:
    return slugify(text).replace("-", "")


class Fabricator:
    """Makes organisations and people. ``used`` keeps slugs and identifiers unique within a run."""

    def __init__(self, rng: random.Random, *, theme_sectors: dict[str, list[str]]) -> None:
        self.rng = rng
        self.theme_sectors = {slug: sectors for slug, sectors in theme_sectors.items() if slug in THEME_SDGS}
        self.theme_slugs = sorted(self.theme_sectors)
        self.used_slugs: set[str] = set()
        self.used_identifiers: set[str] = set()
        self.used_emails: set[str] = set()

    # --- identifiers ---
    def _unique(self, make: Any) -> str:
        while True:
            value = str(make())
            if value not in self.used_identifiers:
                self.used_identifiers.add(value)
                return value

    def _slug(self, name: str, place: Place) -> str:
        base = slugify(name)[:200]
        candidates = itertools.chain(
            (base, f"{base}-{slugify(place.name)}"[:210]),
            (f"{base}-{number}" for number in itertools.count(2)),
        )
        slug = next(slug for slug in candidates if slug not in self.used_slugs)
        self.used_slugs.add(slug)
        return slug

    # --- names ---
    def regional_name(self, category: str, place: Place) -> str:
        rng = self.rng
        local = rng.choice((place.name, place.name, place.departement_name))
        country_code = weighted(rng, [c[0] for c in COUNTRIES], [c[2] for c in COUNTRIES])
        town = rng.choice(TOWNS.get(country_code, TOWNS["SN"]))[0]
        if category in ("association", "collectif", "federation") or (
            category == "ess" and rng.random() < 0.3
        ):
            patterns = {
                "association": (
                    lambda: f"{rng.choice(HEADS)} {rng.choice(ABROAD_AREAS)} {local}",
                    lambda: f"Les Amis {of(town)}",
                    lambda: f"{local} – {town} Solidarité",
                    lambda: (
                        f"Coopération {rng.choice(CAUSES)} "
                        f"{place.departement_name}-{rng.choice(ABROAD_AREAS)}"
                    ),
                    lambda: f"{rng.choice(CAUSES)} pour {town}",
                    lambda: f"Comité de jumelage {place.name} – {town}",
                    lambda: f"{rng.choice(HEADS)} {local}",
                ),
                "collectif": (
                    lambda: f"Collectif {rng.choice(HEADS).lower()} {local}",
                    lambda: f"Collectif {place.name} pour la solidarité internationale",
                ),
                "federation": (
                    lambda: (
                        f"Fédération des associations solidaires {of_departement(place.departement_name)}"
                    ),
                    lambda: f"Union {rng.choice(HEADS)} {place.departement_name}",
                ),
                "ess": (lambda: f"Coopérative {rng.choice(HEADS)} {local}",),
            }[category]
            return str(rng.choice(patterns)())
        stem = rng.choice(COMPANY_STEMS) + rng.choice(COMPANY_ENDS)
        names = {
            "collectivite-territoriale": (
                f"Commune de {place.name}",
                f"Commune de {place.name}",
                f"Communauté d’agglomération du Grand {place.name}",
                f"Communauté de communes du Pays de {place.name}",
            ),
            "etablissement-scolaire": (
                f"Lycée {rng.choice(FOUNDERS)} de {place.name}",
                f"Lycée agricole de {place.name}",
                f"Lycée professionnel {rng.choice(FOUNDERS)} ({place.name})",
                f"Collège {rng.choice(FOUNDERS)} de {place.name}",
            ),
            "universite": (
                f"Institut universitaire de coopération de {place.name}",
                f"École supérieure d’agronomie tropicale de {place.name}",
                f"Pôle universitaire {place.name} Sud",
            ),
            "recherche": (
                f"Laboratoire Territoires et Développement {place.name}",
                f"Institut de recherche sur {rng.choice(RESEARCH_TOPICS)} ({place.name})",
            ),
            "etablissement-sante": (
                f"Centre hospitalier de {place.name}",
                f"Centre hospitalier intercommunal {place.name}",
            ),
            "chambre-consulaire": (
                f"Chambre de métiers et de l’artisanat {of_departement(place.departement_name)}",
                f"Chambre d’agriculture {of_departement(place.departement_name)}",
                f"CCI {place.departement_name}",
            ),
            "agence-publique": (f"Agence départementale de l’eau {place.departement_name}",),
            "pme": (
                f"{stem} {rng.choice(ACTIVITIES)}",
                f"{stem} {place.departement_name}",
                stem.capitalize(),
            ),
            "ess": (f"SCOP {stem}", f"Ressourcerie {place.name}", f"SCIC {rng.choice(CAUSES)} {local}"),
            "fondation": (
                f"Fondation {rng.choice(FRENCH_LAST)} {rng.choice(FOUNDATION_CAUSES)}",
                f"Fonds {rng.choice(HEADS)} {place.departement_name}",
            ),
            "groupement-entreprises": (
                f"Club des entreprises {place.departement_name} International",
                f"Cluster {stem} Occitanie",
            ),
        }[category]
        return str(rng.choice(names))

    def partner_name(self, country: str, town: str) -> str:
        rng = self.rng
        patterns = (
            f"Association des femmes {of(town)}",
            f"Union des groupements {of(town)}",
            f"Groupement d’intérêt économique des maraîchers {of(town)}",
            f"Association des parents d’élèves {of(town)}",
            f"Comité de santé {of(town)}",
            f"Coopérative agricole {of(town)}",
            f"Association pour le développement {of(town)}",
            f"Réseau des jeunes {of(town)}",
            f"Commune {of(town)}",
            f"ONG {rng.choice(NGO_WORDS)} {town}",
        )
        return rng.choice(patterns)

    # --- pieces ---
    def _countries(self) -> list[str]:
        codes = [c[0] for c in COUNTRIES]
        weights = [c[2] for c in COUNTRIES]
        count = weighted(self.rng, (1, 1, 1, 2, 2, 3), (1, 1, 1, 1, 1, 1))
        chosen: list[str] = []
        while len(chosen) < count:
            code = weighted(self.rng, codes, weights)
            if code not in chosen:
                chosen.append(code)
        return chosen

    def _themes(self) -> list[str]:
        weights = [THEME_WEIGHTS.get(slug, 1) for slug in self.theme_slugs]
        count = weighted(self.rng, (1, 2, 3), (3, 4, 2))
        chosen: list[str] = []
        while len(chosen) < min(count, len(self.theme_slugs)):
            slug = weighted(self.rng, self.theme_slugs, weights)
            if slug not in chosen:
                chosen.append(slug)
        return chosen

    def _sdgs(self, themes: list[str]) -> list[int]:
        sdgs: list[int] = []
        for theme in themes:
            for number in THEME_SDGS[theme]:
                if number not in sdgs:
                    sdgs.append(number)
        if self.rng.random() < 0.3 and 17 not in sdgs:
            sdgs.append(17)
        return sorted(sdgs[:3])

    def _dac_sectors(self, themes: list[str]) -> list[str]:
        sectors: list[str] = []
        for theme in themes[:2]:
            candidates = self.theme_sectors.get(theme) or []
            if candidates:
                sector = self.rng.choice(candidates)
                if sector not in sectors:
                    sectors.append(sector)
        return sorted(sectors)

    def _description(
        self, name: str, place: Place, countries: list[str], themes: list[str], year: int
    ) -> str:
        rng = self.rng
        where = ", ".join(COUNTRY_IN[code] for code in countries if code in COUNTRY_IN) or "à l’international"
        topics = " et ".join(THEME_PHRASES[theme] for theme in themes[:2])
        if not place.departement:  # a partner abroad
            first = rng.choice(
                (
                    f"Créée en {year} à {place.name}, {name} œuvre pour {topics} auprès des habitants.",
                    f"{name} agit depuis {year} dans la région de {place.name} pour {topics}.",
                )
            )
            return f"{first} Elle travaille avec des collectivités et des associations d’Occitanie."
        first = rng.choice(
            (
                f"Fondée en {year} à {place.name}, {name} œuvre pour {topics} {where}.",
                f"Basée à {place.name}, {name} agit depuis {year} pour {topics} {where}.",
                f"{name} réunit depuis {year} des habitants {of_departement(place.departement_name)} "
                f"engagés pour {topics} {where}.",
            )
        )
        second = rng.choice(
            (
                "Elle mène ses projets avec des partenaires locaux, qui en définissent les priorités.",
                "Ses actions reposent sur des partenariats durables avec des associations et des "
                "collectivités.",
                "Elle accompagne des projets portés par des groupements villageois et des "
                "associations de femmes.",
                "Elle envoie chaque année des volontaires et accueille des partenaires en Occitanie.",
            )
        )
        third = rng.choice(
            (
                "",
                " Elle anime aussi des actions d’éducation à la citoyenneté dans les écoles de la région.",
                " Elle participe aux travaux du réseau régional multi-acteurs.",
                " Les rapports d’activité sont disponibles sur demande.",
            )
        )
        return f"{first} {second}{third}"

    def _phone(self, place: Place) -> str:
        rng = self.rng
        if not place.departement:
            return f"+{rng.choice(FOREIGN_PREFIXES)} {rng.randint(100, 999)} {self._pairs(2)}"
        prefix = "04" if place.departement in ("30", "34", "48", "66", "13", "84", "06", "83") else "05"
        return f"{prefix} {self._pairs(4)}"

    def _street_name(self) -> str:
        return str(self.rng.choice(FOUNDERS)).replace("-", " ")

    def _pairs(self, count: int) -> str:
        return " ".join(str(self.rng.randint(10, 99)) for _index in range(count))

    def _status(self) -> str:
        return str(weighted(self.rng, ("published", "draft", "submitted", "archived"), (86, 5, 5, 4)))

    # --- organisations ---
    def regional(self, place: Place, category: str | None = None) -> OrganisationSpec:
        rng = self.rng
        if category is None:
            category = weighted(rng, [c[0] for c in CATEGORY_MIX], [c[1] for c in CATEGORY_MIX])
        _slug, _weight, legal_forms, head_title = next(c for c in CATEGORY_MIX if c[0] == category)
        name = self.regional_name(category, place)
        slug = self._slug(name, place)
        college = CATEGORY_COLLEGE[category]
        associative = category in ("association", "collectif", "federation") or (
            category == "ess" and rng.random() < 0.3
        )
        siren = siret = rna = ""
        if college != "associative" or rng.random() < 0.4:
            siren = self._unique(lambda: siren_number(rng))
            siret = self._unique(lambda: siret_number(rng, siren))
        if associative and rng.random() < 0.85:
            rna = self._unique(lambda: rna_number(rng, place.departement))
        acronym = ""
        if rng.random() < (0.35 if associative else 0.15):
            acronym = acronym_of(name)
            acronym = acronym if 2 <= len(acronym) <= 8 else ""
        countries = self._countries()
        themes = self._themes()
        year = rng.randint(1960, 2023) if associative else rng.randint(1900, 2020)
        domain = slug[:40].strip("-")
        languages = ["fr"]
        for code in countries:
            for language in COUNTRY_LANGUAGES.get(code, ()):
                if language not in languages and rng.random() < 0.5:
                    languages.append(language)
        staff_weights = (5, 4, 1, 0, 0) if associative else (0, 2, 3, 3, 3)
        status = self._status()
        fields: dict[str, Any] = {
            "kind": "regional",
            "name": name,
            "acronym": acronym,
            "slug": slug,
            "college": college,
            "legal_form": rng.choice(legal_forms),
            "siren": siren,
            "siret": siret,
            "rna": rna,
            "description": self._description(name, place, countries, themes, year),
            "website": f"https://www.{domain}.example.org/",
            "email": f"contact@{domain}.example.org",
            "phone": self._phone(place),
            "address": f"{rng.randint(1, 120)} {rng.choice(STREETS)} {self._street_name()}",
            "commune_id": place.code,
            "country": "FR",
            "latitude": place.latitude,
            "longitude": place.longitude,
            "countries": countries,
            "languages": languages,
            "year_founded": year,
            "staff": weighted(rng, STAFF_BRACKETS, staff_weights),
            "volunteers": weighted(rng, STAFF_BRACKETS, (1, 3, 4, 2, 1) if associative else (6, 2, 1, 0, 0)),
            "budget": weighted(rng, BUDGETS, (4, 4, 3, 1, 0) if associative else (0, 1, 3, 3, 3)),
            "status": status,
            "source": weighted(rng, ("manual", "self", "import", "survey"), (3, 3, 2, 2)),
            "verified_on": TODAY - timedelta(days=rng.randint(10, 900)) if status == "published" else None,
        }
        spec = OrganisationSpec(fields, category, themes, self._sdgs(themes), self._dac_sectors(themes))
        spec.people = self.people(spec, place=place, head_title=head_title, origin="FR")
        return spec

    def partner(self, country: str | None = None) -> OrganisationSpec:
        rng = self.rng
        if country is None:
            country = weighted(rng, [c[0] for c in PARTNER_COUNTRIES], [c[1] for c in PARTNER_COUNTRIES])
        town, latitude, longitude = rng.choice(TOWNS[country])
        place = Place("", town, "", "", 0, latitude, longitude)
        name = self.partner_name(country, town)
        slug = self._slug(name, place)
        themes = self._themes()
        year = rng.randint(1985, 2022)
        languages = ["fr", *COUNTRY_LANGUAGES.get(country, ())]
        status = self._status()
        fields: dict[str, Any] = {
            "kind": "partner",
            "name": name,
            "acronym": "",
            "slug": slug,
            "college": "",
            "legal_form": rng.choice(("Association", "Groupement", "ONG", "Coopérative")),
            "siren": "",
            "siret": "",
            "rna": "",
            "description": self._description(name, place, [], themes, year),
            "website": f"https://{slug[:40].strip('-')}.example.org/" if rng.random() < 0.5 else "",
            "email": f"contact@{slug[:40].strip('-')}.example.org",
            "phone": self._phone(place),
            "address": town,
            "commune_id": None,
            "country": country,
            "latitude": round(latitude + rng.uniform(-0.02, 0.02), 5),
            "longitude": round(longitude + rng.uniform(-0.02, 0.02), 5),
            "countries": [country],
            "languages": languages,
            "year_founded": year,
            "staff": weighted(rng, STAFF_BRACKETS, (4, 4, 1, 0, 0)),
            "volunteers": weighted(rng, STAFF_BRACKETS, (1, 3, 4, 2, 1)),
            "budget": weighted(rng, BUDGETS, (5, 4, 1, 0, 0)),
            "status": status,
            "source": weighted(rng, ("manual", "import", "survey"), (5, 1, 1)),
            "verified_on": TODAY - timedelta(days=rng.randint(10, 900)) if status == "published" else None,
        }
        spec = OrganisationSpec(fields, "", themes, self._sdgs(themes), self._dac_sectors(themes))
        spec.people = self.people(spec, place=place, head_title="Président·e", origin=country)
        return spec

    # --- people ---
    def person_name(self, origin: str) -> tuple[str, str]:
        rng = self.rng
        if origin == "MG":
            return rng.choice(MALAGASY_FIRST), rng.choice(MALAGASY_LAST)
        if origin in ("MA", "TN"):
            return rng.choice(MAGHREB_FIRST), rng.choice(MAGHREB_LAST)
        if origin not in ("FR", "HT"):
            return rng.choice(WEST_AFRICAN_FIRST), rng.choice(WEST_AFRICAN_LAST)
        return rng.choice(FRENCH_FIRST), rng.choice(FRENCH_LAST)

    def person(
        self, *, origin: str, domain: str, job_title: str, roles: list[tuple[str, date]]
    ) -> PersonSpec:
        rng = self.rng
        first, last = self.person_name(origin)
        local = f"{ascii_word(first)}.{ascii_word(last)}"
        email, number = f"{local}@{domain}.example.org", 2
        while email in self.used_emails:
            email, number = f"{local}{number}@{domain}.example.org", number + 1
        self.used_emails.add(email)
        phone = ""
        if rng.random() < 0.6:
            phone = (
                f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
            )
        return PersonSpec(first, last, email, phone, job_title, rng.random() < 0.5, roles)

    def people(
        self, spec: OrganisationSpec, *, place: Place, head_title: str, origin: str
    ) -> list[PersonSpec]:
        rng = self.rng
        domain = spec.slug[:40].strip("-")
        regional = spec.fields["kind"] == "regional"
        founded = int(spec.fields["year_founded"])

        def start() -> date:
            return date(rng.randint(max(founded, 2005), 2025), rng.randint(1, 12), 1)

        count = weighted(rng, (1, 2, 3), (3, 4, 3))
        head_roles = [("legal", start())]
        if regional and count == 1 and rng.random() < 0.6:
            head_roles.append(("titulaire", start()))
        people = [self.person(origin=origin, domain=domain, job_title=head_title, roles=head_roles)]
        if count >= 2:
            if regional:
                roles, title = [("titulaire", start())], "Chargé·e de mission relations internationales"
            else:
                roles, title = [("contact", start())], "Coordinateur·rice"
            people.append(self.person(origin=origin, domain=domain, job_title=title, roles=roles))
        if count >= 3:
            role, title = weighted(
                rng,
                (
                    ("suppleant", "Trésorier·ère"),
                    ("staff", "Chargé·e de projets"),
                    ("contact", "Bénévole référent·e"),
                ),
                (2 if regional else 0, 2, 1),
            )
            people.append(self.person(origin=origin, domain=domain, job_title=title, roles=[(role, start())]))
        return people


def spread(total: int, weights: dict[str, float], *, minimum: int = 0) -> dict[str, int]:
    """Split ``total`` among the keys in proportion to ``weights`` (largest remainders), each
    getting at least ``minimum``."""
    keys = sorted(weights)
    rest = total - minimum * len(keys)
    whole = sum(weights.values()) or 1
    shares = {key: rest * weights[key] / whole for key in keys}
    counts = {key: minimum + int(shares[key]) for key in keys}
    left = total - sum(counts.values())
    for key in sorted(keys, key=lambda k: (-(shares[k] - int(shares[k])), k))[:left]:
        counts[key] += 1
    return counts


def pick_places(rng: random.Random, places: Sequence[Place], count: int) -> list[Place]:
    """``count`` places of a département, the bigger communes more often (weight population^0.6)."""
    weights = [max(place.population, 50) ** 0.6 for place in places]
    return rng.choices(list(places), weights=weights, k=count)
