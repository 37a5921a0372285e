"""Benchmark of the directory's reads on the national dataset (``bench.generate``), PostgreSQL only.

    DATABASE_URL=postgres://…/maillage_bench .venv/bin/python -m bench.directory [--runs 50]

Each case runs the directory's own code (the search of ``directory.search``, the filters and
facets of ``directory.filters`` when they exist, plain ORM queries otherwise) and the
equivalent SQL written by hand, run directly on the same connection; it prints p50 and p95
over ``--runs`` runs (after 3 warm-up runs) and the ratio ORM/SQL of the medians. The last
rows time whole pages through Django's test client (one client, no network, no concurrency)."""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

TERM = "eau"
DEPARTEMENT = "31"

# The document of directory.search (PostgreSQL): the folded search text, GIN-indexed.
DOCUMENT = """to_tsvector('maillage_french', COALESCE(o.search_text, ''))
    @@ to_tsquery('maillage_french', %(tsquery)s)"""
FROM = """FROM directory_organisation o
LEFT JOIN core_commune c ON c.code = o.commune_id
LEFT JOIN directory_category k ON k.id = o.category_id"""
WHERE = f"o.status = 'published' AND {DOCUMENT}"
WHERE_DEPARTEMENT = f"{WHERE} AND c.departement_id = %(departement)s"

SQL = {
    "list": [
        f"SELECT COUNT(*) {FROM} WHERE {WHERE_DEPARTEMENT}",
        f"""SELECT o.id, o.name, o.acronym, o.slug, o.college, o.countries, o.latitude, o.longitude,
                   c.code, c.name, k.slug, k.name_fr {FROM} WHERE {WHERE_DEPARTEMENT}
            ORDER BY o.name, o.id LIMIT 20""",
    ],
    "college": [f"SELECT o.college, COUNT(*) {FROM} WHERE {WHERE_DEPARTEMENT} GROUP BY o.college"],
    "departement": [
        f"""SELECT c.departement_id, d.name, COUNT(*) {FROM}
            JOIN core_departement d ON d.code = c.departement_id
            WHERE {WHERE} GROUP BY c.departement_id, d.name"""
    ],
    "map": [f"SELECT o.id, o.name, o.slug, o.latitude, o.longitude {FROM} WHERE {WHERE_DEPARTEMENT}"],
    # The SQL counterparts of the other pages timed by ``bench.load``.
    "list all": [
        f"SELECT COUNT(*) {FROM} WHERE o.status = 'published'",
        f"""SELECT o.id, o.name, o.acronym, o.slug, o.college, o.countries, o.latitude, o.longitude,
                   c.code, c.name, k.slug, k.name_fr {FROM} WHERE o.status = 'published'
            ORDER BY o.name, o.id LIMIT 20""",
    ],
    "map q": [f"SELECT o.id, o.name, o.slug, o.latitude, o.longitude {FROM} WHERE {WHERE}"],
    "profile": [
        f"""SELECT o.*, c.name, k.name_fr {FROM} WHERE o.slug = %(slug)s AND o.status = 'published'"""
    ],
}
PARAMS = {"tsquery": f"{TERM}:*", "departement": DEPARTEMENT}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    import django

    django.setup()


def measure(function: Callable[[], Any], runs: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    for _warm_up in range(3):
        function()
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]


def sql_case(statements: list[str], params: dict[str, str] | None = None) -> Callable[[], Any]:
    """The statements run directly on Django's connection (no ORM), their rows fetched."""
    from django.db import connection

    def run() -> Any:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, PARAMS | (params or {}))
                cursor.fetchall()

    return run


def orm_cases() -> tuple[str, dict[str, Callable[[], Any]]]:
    """The directory's reads, through its own code where it exists."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from maillage.directory.selectors import organisations_visible_to

    try:
        from maillage.directory.search import text_search as organisations_search
    except ImportError:  # before directory.search: a plain ORM approximation

        def organisations_search(queryset, text):  # type: ignore[no-untyped-def]
            return queryset.filter(name__icontains=text)

    def searched() -> Any:
        return organisations_search(organisations_visible_to(AnonymousUser()), TERM)

    def in_departement() -> Any:
        return searched().filter(commune__departement_id=DEPARTEMENT)

    def listing() -> Any:
        queryset = in_departement().select_related("commune", "category").order_by("name", "pk")
        return queryset.count(), list(queryset[:20])

    cases = {
        "list": listing,
        "college": lambda: list(in_departement().order_by().values("college").annotate(n=Count("pk"))),
        "departement": lambda: list(
            searched()
            .filter(commune__isnull=False)
            .order_by()
            .values("commune__departement", "commune__departement__name")
            .annotate(n=Count("pk"))
        ),
        "map": lambda: list(in_departement().values_list("pk", "name", "slug", "latitude", "longitude")),
    }
    try:
        from maillage.directory.filters import OrganisationFilter, facets_counted
        from maillage.directory.views import directory_organisations
    except ImportError:
        return "plain ORM queries with directory.search", cases

    def all_facets() -> Any:
        data = {"q": TERM, "departement": [DEPARTEMENT]}
        return facets_counted(OrganisationFilter(data, queryset=directory_organisations()))  # not cached

    cases["all facets"] = all_facets
    return "directory.search, and directory.filters.facets_counted for all facets", cases


def page_cases() -> dict[str, Callable[[], Any]]:
    from django.test import Client

    client = Client()
    pages = {}
    for label, url in (
        ("GET /annuaire/?q=eau&departement=31", f"/annuaire/?q={TERM}&departement={DEPARTEMENT}"),
        ("GET /annuaire/ (first page, no filter)", "/annuaire/"),
    ):
        if client.get(url).status_code == 200:
            pages[label] = lambda url=url: client.get(url)
    return pages


LABELS = {
    "list": f"list: q={TERM} département={DEPARTEMENT}, count + page of 20",
    "college": f"facet collège (q={TERM}, département={DEPARTEMENT})",
    "departement": f"facet département (q={TERM})",
    "map": f"map points (q={TERM}, département={DEPARTEMENT})",
    "all facets": "all facets of the directory, counted (filters)",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.directory", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--without-cache", action="store_true", help="a dummy cache: the pages count their facets each time"
    )
    args = parser.parse_args(argv)
    _setup()
    if args.without_cache:
        from django.test.utils import override_settings

        override_settings(
            CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        ).enable()
    from django.db import connection

    from maillage.directory.models import Organisation

    if connection.vendor != "postgresql":
        print("This benchmark runs on PostgreSQL (DATABASE_URL).", file=sys.stderr)
        return 1
    how, cases = orm_cases()
    print(f"{Organisation.objects.count()} organisations; {args.runs} runs per case; ORM side: {how}.\n")
    header = (
        f"| {'case':<50} | {'ORM p50':>8} | {'ORM p95':>8} | {'SQL p50':>8} | {'SQL p95':>8} | {'ratio':>5} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    rows = [(LABELS[key], case, SQL.get(key)) for key, case in cases.items()]
    rows += [(label, case, None) for label, case in page_cases().items()]
    for label, case, statements in rows:
        orm50, orm95 = measure(case, args.runs)
        if statements:
            sql50, sql95 = measure(sql_case(statements), args.runs)
            sql = f"{sql50:>8.1f} | {sql95:>8.1f} | {orm50 / sql50:>5.2f}"
        else:
            sql = f"{'—':>8} | {'—':>8} | {'—':>5}"
        print(f"| {label:<50} | {orm50:>8.1f} | {orm95:>8.1f} | {sql} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
