"""The national dataset for the benchmarks: regional actors over every région of France (weighted
by population, in real communes), partners abroad and their people, written in bulk.

    DATABASE_URL=postgres://…/maillage_bench .venv/bin/python -m bench.generate [--reset]

The database must be migrated and hold the reference data (``maillage load_reference``). The
generators are those of the demo (``maillage.directory.demo.names``), with another seed."""

import argparse
import os
import random
import sys
import time
from datetime import date


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    import django

    django.setup()


def generate(
    *,
    organisations: int = 15_000,
    partners: int = 600,
    people: int = 40_000,
    seed: int = 2027,
    history: bool = False,
) -> dict[str, int]:
    """Create ``organisations`` regional actors, ``partners`` partners abroad and ``people``
    people (each organisation has a legal representative; the others are spread at random)."""
    from django.db import connection, transaction

    from maillage.directory import services
    from maillage.directory.demo import check_reference_data, places_by_departement, theme_sectors
    from maillage.directory.demo.names import Fabricator, pick_places, spread
    from maillage.directory.demo.writer import write_organisations

    check_reference_data()
    services.categories_ensure()
    rng = random.Random(seed)
    fabricator = Fabricator(rng, theme_sectors=theme_sectors())
    places = places_by_departement()
    population = {code: float(sum(place.population for place in rows)) for code, rows in places.items()}
    specs = []
    for departement, count in spread(organisations, population).items():
        specs += [fabricator.regional(place) for place in pick_places(rng, places[departement], count)]
    specs += [fabricator.partner() for _index in range(partners)]
    rng.shuffle(specs)

    # Exactly ``people`` people: trim the extra ones (keeping the legal representative), or add
    # staff, volunteers and contacts to organisations drawn at random.
    total = sum(len(spec.people) for spec in specs)
    for spec in specs:
        while total > people and len(spec.people) > 1:
            spec.people.pop()
            total -= 1
    while total < people:
        spec = rng.choice(specs)
        role = rng.choice(("staff", "volunteer", "contact"))
        origin = "FR" if spec.fields["kind"] == "regional" else str(spec.fields["country"])
        founded = int(spec.fields["year_founded"])
        person = fabricator.person(
            origin=origin,
            domain=spec.slug[:40].strip("-"),
            job_title={"staff": "Chargé·e de projets", "volunteer": "Bénévole", "contact": "Contact"}[role],
            roles=[(role, date(rng.randint(max(founded, 2005), 2025), 1, 1))],
        )
        spec.people.append(person)
        total += 1
    with transaction.atomic():
        written = write_organisations(specs, history=history, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "organisations": written.organisations,
        "people": written.people,
        "affiliations": written.affiliations,
    }


def reset() -> None:
    """Delete every organisation, affiliation and person (a bench database only): TRUNCATE on
    PostgreSQL (which also empties the tables that refer to them), the ORM elsewhere."""
    from django.db import connection, transaction

    from maillage.directory.filters import directory_changed
    from maillage.directory.models import Affiliation, Organisation, Person

    with transaction.atomic():
        if connection.vendor == "postgresql":
            tables = [model._meta.db_table for model in (Affiliation, Organisation, Person)]
            tables += [model.history.model._meta.db_table for model in (Affiliation, Organisation, Person)]
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            directory_changed()
            return
        Affiliation.objects.all().delete()
        Organisation.objects.all().delete()
        Person.objects.all().delete()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=15_000, help="regional actors (15,000)")
    parser.add_argument("--partners", type=int, default=600, help="partners abroad (600)")
    parser.add_argument("--people", type=int, default=40_000, help="people (40,000)")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--history", action="store_true", help="also write historical records (slower)")
    parser.add_argument(
        "--reset", action="store_true", help="first delete the directory's organisations and people"
    )
    args = parser.parse_args(argv)
    _setup()
    from maillage.directory.models import Organisation

    if args.reset:
        reset()
    elif Organisation.objects.exists():
        print("The directory is not empty: use --reset (on a bench database only).", file=sys.stderr)
        return 1
    started = time.perf_counter()
    counts = generate(
        organisations=args.organisations,
        partners=args.partners,
        people=args.people,
        seed=args.seed,
        history=args.history,
    )
    print(
        ", ".join(f"{kind}: {count}" for kind, count in counts.items()),
        f"in {time.perf_counter() - started:.1f} s",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
