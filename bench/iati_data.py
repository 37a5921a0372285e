"""The generated IATI file of ``bench.iati``: realistic activities of the network's actors, made
in memory with a fixed seed and written by the export's own code
(``observatory.iati.writer.activity_element``), streamed with ``lxml.etree.xmlfile``.

Each activity: a reporting regional actor (accountable), one or two funders, a partner abroad
(implementing), sometimes a second regional actor (extending); one or two recipient countries,
one to three DAC sectors, SDGs and targets, a budget a year, two to six transactions, often a
location and a document; a third have an English title and description besides the French."""

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

# The French actors the file names: (name, IATI identifier, collège, category slug); created in
# the bench database before the import (partners abroad are created by the import).
FUNDERS = (
    ("Région Occitanie", "FR-SIRET-20005379700015", "public", "collectivite-territoriale"),
    ("Agence française de développement", "FR-3", "public", "agence-publique"),
    ("Ministère de l’Europe et des Affaires étrangères", "FR-6", "public", "agence-publique"),
    ("Agence de l’eau Adour-Garonne", "FR-SIRET-18310005000051", "public", "agence-publique"),
    ("Département de la Haute-Garonne", "FR-SIRET-22310001700013", "public", "collectivite-territoriale"),
    ("Fondation Solidarités Sud", "FR-RNA-W313009876", "economic", "fondation"),
)
REGIONAL = 400
PARTNERS = 1500
SECTORS = (
    ("14030", "eau-assainissement"),
    ("14031", "eau-assainissement"),
    ("14081", "eau-assainissement"),
    ("12220", "sante"),
    ("12261", "sante"),
    ("11220", "education-formation"),
    ("11330", "education-formation"),
    ("31120", "agriculture-securite-alimentaire"),
    ("31163", "agriculture-securite-alimentaire"),
    ("23230", "energie"),
    ("41010", "environnement-climat"),
    ("15150", "gouvernance-decentralisation"),
    ("16020", "developpement-economique-insertion"),
    ("43040", "developpement-economique-insertion"),
    ("99820", "ecsi"),
)
TARGETS = {2: ("2.3", "2.4"), 3: ("3.8",), 4: ("4.1", "4.4"), 6: ("6.1", "6.2"), 7: ("7.1",), 8: ("8.3",)}
CATEGORIES = ("association",) * 6 + ("collectif", "federation", "collectivite-territoriale", "ess", "pme")


def regional_actors(seed: int) -> list[tuple[str, str, str, str]]:
    """The funders and ``REGIONAL`` regional actors with unique names and identifiers."""
    from maillage.directory.demo.words import CAUSES, FOUNDERS, HEADS

    rng = random.Random(seed)
    names = [f"{head} {cause} {founder}" for head in HEADS for cause in CAUSES for founder in FOUNDERS]
    actors = list(FUNDERS)
    for index, name in enumerate(rng.sample(names, REGIONAL)):
        category = rng.choice(CATEGORIES)
        college = {"ess": "economic", "pme": "economic", "collectivite-territoriale": "public"}.get(
            category, "associative"
        )
        actors.append((name, f"FR-RNA-W31{index:07d}", college, category))
    return actors


def partners(rng: random.Random) -> list[tuple[str, str, str, str, float, float]]:
    """Partners abroad: (name, identifier, country, town, latitude, longitude)."""
    from maillage.directory.demo.words import CAUSES, HEADS, TOWNS

    places = [(country, *town) for country, towns in TOWNS.items() for town in towns]
    combos = [(head, cause, place) for head in HEADS for cause in CAUSES for place in places]
    chosen = rng.sample(combos, PARTNERS)
    return [
        (f"{head} {cause} de {town}", f"{country}-ASSO-{index:05d}", country, town, lat, lon)
        for index, (head, cause, (country, town, lat, lon)) in enumerate(chosen)
    ]


def _organisation(name: str, ref: str, college: str = "") -> Any:
    """An organisation in memory (its IATI type then comes from its collège)."""
    from maillage.directory.models import Organisation

    return Organisation(name=name, iati_identifier=ref, college=college, slug=ref.lower())


def _shares(rng: random.Random, count: int) -> list[Decimal | None]:
    if count == 1:
        return [None]
    cut = rng.choice((50, 60, 70, 80))
    return [Decimal(cut), Decimal(100 - cut)] if count == 2 else [Decimal(50), Decimal(30), Decimal(20)]


def activity_data(rng: random.Random, index: int, context: dict[str, Any]) -> tuple[Any, str]:
    """One activity's ``ProjectData`` and identifier."""
    from maillage.core.models import Sdg, SdgTarget
    from maillage.directory.demo.words import COUNTRY_IN, THEME_PHRASES, THEME_SDGS
    from maillage.observatory.services import ProjectData

    reporter = rng.choice(context["regional"])
    partner, (_name, _ref, country, town, lat, lon) = rng.choice(context["partners"])
    funders = rng.sample(context["funders"], rng.choice((1, 1, 2)))
    participations = [(funder, 1) for funder in funders] + [(reporter, 2), (partner, 4)]
    if rng.random() < 0.2:
        other = rng.choice(context["regional"])
        if other is not reporter:
            participations.append((other, 3))
    sectors = rng.sample(SECTORS, rng.choice((1, 1, 2, 3)))
    theme = sectors[0][1]
    phrase = THEME_PHRASES[theme]
    countries = [country] + ([rng.choice(("ML", "MR", "BF", "GN"))] if rng.random() < 0.2 else [])
    countries = list(dict.fromkeys(countries))
    start = date(rng.randint(2018, 2026), rng.choice((1, 3, 4, 6, 9)), 1)
    years = rng.choice((1, 2, 3))
    end = date(start.year + years, start.month, 1) - timedelta(days=1)
    status = 1 if start.year >= 2026 else (4 if end.year < 2025 else 2)
    sdgs = list(dict.fromkeys(THEME_SDGS[theme]))
    data = ProjectData(
        title=f"{phrase[0].upper()}{phrase[1:]} à {town} ({index + 1})",
        description=(
            f"Ce projet porté par {reporter.name} avec {partner.name} œuvre pour {phrase} "
            f"{COUNTRY_IN.get(country, '')}, avec les habitants et les autorités locales de {town}. "
            "Il finance des travaux, des formations et le suivi des comités de gestion."
        ),
        reporting_organisation=reporter,
        iati_identifier=f"{reporter.iati_identifier}-{index + 1:06d}",
        activity_status=status,
        planned_start=start,
        planned_end=end,
        actual_start=start + timedelta(days=rng.randint(0, 60)) if status != 1 else None,
        actual_end=end if status == 4 else None,
        participations=participations,
        countries=list(zip(countries, _shares(rng, len(countries)), strict=True)),
        sectors=[
            ("1", code, share) for (code, _t), share in zip(sectors, _shares(rng, len(sectors)), strict=True)
        ],
        sdgs=[Sdg(number=number) for number in sdgs],
        sdg_targets=[SdgTarget(code=code) for number in sdgs[:1] for code in TARGETS.get(number, ())],
    )
    if rng.random() < 0.33:
        data.narratives = {
            "title": {"en": f"Project {index + 1} in {town}"},
            "description": {"en": f"A project of {reporter.name} with {partner.name} in {town}."},
        }
    if rng.random() < 0.6:
        data.locations.append({"name": town, "latitude": lat, "longitude": lon})
    total = Decimal(rng.randrange(5_000, 400_000, 500))
    for year in range(years):
        first = date(start.year + year, start.month, 1)
        data.budgets.append(
            {
                "kind": 1,
                "state": 2,
                "period_start": first,
                "period_end": date(first.year + 1, first.month, 1) - timedelta(days=1),
                "value": (total / years).quantize(Decimal("0.01")),
                "value_date": first,
            }
        )
    for number in range(rng.randint(2, 6)):
        day = start + timedelta(days=30 + 90 * number)
        kind = 1 if number == 0 else rng.choice((3, 3, 4))
        data.transactions.append(
            {
                "kind": kind,
                "date": day,
                "value": (total / rng.choice((2, 4, 5))).quantize(Decimal("0.01")),
                "value_date": day,
                "provider": funders[0] if kind == 1 else reporter,
                "receiver": reporter if kind == 1 else partner,
                "description": "",
            }
        )
    if rng.random() < 0.3:
        data.documents.append(
            {
                "url": f"https://example.org/projets/{index + 1}/rapport.pdf",
                "title": f"Rapport d’activité {start.year}",
                "category": "A07",
                "format": "application/pdf",
                "language": "fr",
                "document_date": end,
            }
        )
    return data, data.iati_identifier


def write_file(path: Path, *, activities: int, seed: int) -> int:
    """Write ``activities`` activities to ``path``; their number."""
    from lxml import etree

    from maillage.observatory.iati.writer import IATI_VERSION, activity_element

    rng = random.Random(seed)
    actors = regional_actors(seed)
    organisations = [_organisation(name, ref, college) for name, ref, college, _category in actors]
    context = {
        "funders": organisations[: len(FUNDERS)],
        "regional": organisations[len(FUNDERS) :],
        "partners": [(_organisation(p[0], p[1]), p) for p in partners(rng)],
    }
    updated = datetime(2026, 11, 1, tzinfo=UTC)
    root = {"version": IATI_VERSION, "generated-datetime": updated.isoformat()}
    with open(path, "wb") as out, etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-activities", root):
            xf.write("\n")
            for index in range(activities):
                data, identifier = activity_data(rng, index, context)
                xf.write(
                    activity_element(data, identifier=identifier, last_updated=updated), pretty_print=True
                )
    return activities
