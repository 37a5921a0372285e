"""Load test of the directory: concurrent visitors against the site served by gunicorn, PostgreSQL only.

    DATABASE_URL=postgres://…/maillage_bench .venv/bin/python -m bench.load --users 20 --run-time 60s

The runner starts the site as in production (``MAILLAGE_MODE=production``, DEBUG off, static
files collected and served by WhiteNoise, the cache in Redis, gunicorn's sync workers), runs
locust headless on this file with ``--users`` visitors, then prints p50/p95 per page and the
ratio of each page's median to the median of its main query run directly in SQL (the
statements and timing of ``bench.directory``). The same file is the locustfile: the visitors
below request the pages in turn, as fast as the server answers unless ``--wait`` gives them
a time to read."""

import argparse
import csv
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.directory import DEPARTEMENT, SQL, TERM, measure, sql_case

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HTMX = {"HX-Request": "true", "HX-Current-URL": "/annuaire/"}
# label, path (the profile's slug is filled in by the runner), headers, SQL statements of bench.directory.
FILTERED = f"/annuaire/?q={TERM}&departement={DEPARTEMENT}"
PAGES: list[tuple[str, str, dict[str, str], str]] = [
    (FILTERED, FILTERED, {}, "list"),
    ("/annuaire/ (no filter)", "/annuaire/", {}, "list all"),
    (f"htmx partial {FILTERED}", FILTERED, HTMX, "list"),
    (f"/annuaire/carte/?q={TERM}", f"/annuaire/carte/?q={TERM}", {}, "map q"),
    ("profile /annuaire/<slug>/", "/annuaire/{slug}/", {}, "profile"),
]


def _path(path: str) -> str:
    return path.replace("{slug}", os.environ.get("BENCH_PROFILE_SLUG", ""))


# --- The locustfile --------------------------------------------------------------------------------

if __name__ != "__main__":  # imported by locust; the runner does not import it (gevent patches)
    from locust import HttpUser, between, constant, task

    _wait = [float(bound) for bound in os.environ.get("BENCH_WAIT", "0").split("-")]

    class Visitor(HttpUser):
        """A visitor going through the directory's pages in turn, from one drawn at random (so
        that visitors arriving together do not all ask for the same page)."""

        wait_time = between(_wait[0], _wait[-1]) if _wait[-1] else constant(0)

        def on_start(self) -> None:
            self.turn = random.randrange(len(PAGES))

        @task
        def page(self) -> None:
            label, path, headers, _sql = PAGES[self.turn % len(PAGES)]
            self.turn += 1
            with self.client.get(_path(path), headers=headers, name=label, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")


# --- The runner -----------------------------------------------------------------------------------


def _environment(args: argparse.Namespace, data_dir: str) -> dict[str, str]:
    """Production settings on this machine: HTTP only (no TLS in front), a secret made for the run."""
    return os.environ | {
        "MAILLAGE_MODE": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "MAILLAGE_DATA_DIR": data_dir,
        "REDIS_URL": args.redis_url,
        "DJANGO_SETTINGS_MODULE": "maillage.settings",
    }


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit code {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s.")


def _profile_slug() -> str:
    """A published organisation of the filtered list: a profile a visitor would open."""
    from maillage.directory.filters import OrganisationFilter
    from maillage.directory.views import directory_organisations

    data = {"q": TERM, "departement": [DEPARTEMENT]}
    organisation = OrganisationFilter(data, queryset=directory_organisations()).results().first()
    if organisation is None:
        raise SystemExit("No published organisation matches: run python -m bench.generate first.")
    return organisation.slug


def _sql_medians(runs: int, slug: str) -> dict[str, tuple[float, float]]:
    """p50 and p95 of each page's main query in SQL, timed by bench.directory."""
    keys = {key for _label, _path, _headers, key in PAGES}
    return {key: measure(sql_case(SQL[key], {"slug": slug}), runs) for key in sorted(keys)}


def _report(stats_csv: Path, sql: dict[str, tuple[float, float]]) -> str:
    with stats_csv.open() as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    header = (
        f"| {'page':<44} | {'requests':>8} | {'failures':>8} | {'req/s':>6} | {'p50':>5} | {'p95':>5} "
        f"| {'SQL p50':>7} | {'ratio':>5} |"
    )
    lines = [header, "|" + "|".join("-" * len(cell) for cell in header.split("|")[1:-1]) + "|"]
    for label, _path, _headers, key in [*PAGES, ("Aggregated", "", {}, "")]:
        row = rows.get(label)
        if row is None:
            continue
        p50, p95 = float(row["50%"]), float(row["95%"])
        sql50 = sql[key][0] if key else None
        ratio = f"{p50 / sql50:>5.0f}" if sql50 else f"{'—':>5}"
        sql_cell = f"{sql50:>7.1f}" if sql50 else f"{'—':>7}"
        lines.append(
            f"| {label:<44} | {row['Request Count']:>8} | {row['Failure Count']:>8} "
            f"| {float(row['Requests/s']):>6.1f} | {p50:>5.0f} | {p95:>5.0f} | {sql_cell} | {ratio} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent visitors (20)")
    parser.add_argument("--run-time", default="60s", help="locust's --run-time (60s)")
    parser.add_argument("--spawn-rate", type=float, default=4, help="visitors arriving per second (4)")
    parser.add_argument("--wait", default="0", help="seconds between two pages of a visitor: 0 or e.g. 1-5")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers (5: 2 × 2 cores + 1)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--sql-runs", type=int, default=50, help="runs of each SQL counterpart (50)")
    parser.add_argument("--cold", action="store_true", help="do not warm the cache before the run")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("This benchmark runs on PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="maillage-bench-") as data_dir:
        environment = _environment(args, data_dir)
        os.environ.update(environment)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from maillage.directory.filters import directory_changed

        call_command("collectstatic", interactive=False, verbosity=0)
        slug = os.environ["BENCH_PROFILE_SLUG"] = _profile_slug()
        directory_changed()  # start from an empty cache of facets
        connection.close()
        host = f"http://127.0.0.1:{args.port}"
        gunicorn = [str(BIN / "gunicorn"), "maillage.wsgi", "--bind", f"127.0.0.1:{args.port}"]
        gunicorn += ["--workers", str(args.workers), "--log-level", "warning"]
        server = subprocess.Popen(  # noqa: S603
            gunicorn,
            env=environment,
            cwd=ROOT,
        )
        try:
            _wait_for(f"{host}/healthz", server)
            if not args.cold:  # one request per page, as a first visitor would
                for _label, path, headers, _sql in PAGES:
                    request = urllib.request.Request(host + _path(path), headers=headers)  # noqa: S310
                    urllib.request.urlopen(request, timeout=60).close()  # noqa: S310
            prefix = Path(data_dir) / "locust"
            locust = [str(BIN / "locust"), "-f", __file__, "--headless", "--only-summary", "--host", host]
            locust += [
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.run_time,
            ]
            locust += ["--csv", str(prefix), "--loglevel", "WARNING"]
            subprocess.run(  # noqa: S603
                locust,
                env=os.environ | {"BENCH_WAIT": args.wait, "PYTHONPATH": str(ROOT)},
                cwd=ROOT,
                check=False,
                stdout=subprocess.DEVNULL,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        sql = _sql_medians(args.sql_runs, slug)
        print(
            f"{args.users} users, {args.run_time}, wait {args.wait} s, gunicorn {args.workers} sync workers, "
            f"{os.cpu_count()} CPUs (server, locust and PostgreSQL on this machine); times in ms.\n"
        )
        print(_report(Path(f"{prefix}_stats.csv"), sql))
        with Path(f"{prefix}_failures.csv").open() as failures:
            for row in csv.DictReader(failures):
                print(f"Failures: {row['Occurrences']} × {row['Name']}: {row['Error']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
