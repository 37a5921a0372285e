"""Benchmark of the IATI import: throughput (activities/s, MB/s) and peak memory on a generated
file, beside a bare lxml ``iterparse`` pass over the same file (the floor) and iatikit (a peer).

    .venv/bin/python -m bench.iati [--activities 100000] [--steps floor,iatikit,check,import]

The file (``--file``, default in the temporary directory, kept between runs) is written by the
export's own code (``observatory.iati.writer.activity_element``) from projects made in memory
with a fixed seed. Each step runs in a subprocess of its own, whose peak resident memory is read
by ``os.wait4`` (as ``/usr/bin/time`` does); the time is the step's alone, measured in the
subprocess after Python and Django have started:

- ``baseline``: Python and Django started, nothing read (the memory every step starts from);
- ``floor``: ``lxml.etree.iterparse`` over the activities, each cleared with its preceding
  siblings after reading its identifier;
- ``iatikit``: ``iatikit.Dataset(path).activities``, reading identifier, title and planned
  start of each (iatikit parses the whole file into one tree first);
- ``check``: ``observatory.iati.importer.iati_check`` (parse, schema and codelists, organisations
  looked up in the bench database; no write);
- ``import``: ``iati_import(path, status=published)`` into a fresh PostgreSQL database
  ``maillage_bench_iati`` (``--database-url``), dropped and created by the script, migrated,
  with the reference data and the regional actors the file names (partners abroad are created by
  the import, as with a real file). The preparation is not timed."""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STEPS = ("baseline", "floor", "iatikit", "check", "import")
DATABASE = "maillage_bench_iati"
SERVER = "postgres://postgres@127.0.0.1:5432"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    import django

    django.setup()


# --- The steps, each run in its own process ----------------------------------------------------------


def step_floor(path: Path) -> int:
    from lxml import etree

    count = 0
    for _event, element in etree.iterparse(str(path), tag="iati-activity", huge_tree=True):
        if element.findtext("iati-identifier"):
            count += 1
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    return count


def step_iatikit(path: Path) -> int:
    import iatikit

    count = 0
    for activity in iatikit.Dataset(str(path)).activities:
        if activity.iati_identifier and activity.title and activity.planned_start:
            count += 1
    return count


def step_check(path: Path) -> int:
    from maillage.observatory.iati.importer import iati_check

    outcome = iati_check(path)
    if outcome.error or outcome.rejected:
        raise SystemExit(f"check: {outcome.error} {outcome.rejected[:3]}")
    return outcome.activities


def step_import(path: Path) -> int:
    from maillage.observatory.iati.importer import iati_import
    from maillage.observatory.models import Project

    outcome = iati_import(path, status=Project.Status.PUBLISHED)
    if not outcome.committed:
        raise SystemExit(f"import: {outcome.error} {outcome.rejected[:3]}")
    return outcome.created + outcome.updated


def step_prepare(path: Path, activities: int, seed: int) -> int:
    """Create the database, migrate it, load the reference data and the regional actors."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    _setup()
    from django.core.management import call_command

    from bench.iati_data import regional_actors
    from maillage.core.reference import reference_load
    from maillage.directory.models import Category, Organisation
    from maillage.directory.services import categories_ensure, organisation_create

    call_command("migrate", verbosity=0, interactive=False)
    reference_load()
    categories_ensure()
    actors = regional_actors(seed)
    for name, ref, college, category in actors:
        organisation_create(
            name=name,
            kind=Organisation.Kind.REGIONAL,
            college=college,
            category=Category.objects.get(slug=category),
            iati_identifier=ref,
            status=Organisation.Status.PUBLISHED,
        )
    return len(actors)


def step_generate(path: Path, activities: int, seed: int) -> int:
    from bench.iati_data import write_file

    return write_file(path, activities=activities, seed=seed)


def child(step: str, path: Path, activities: int, seed: int) -> None:
    """Run one step and print its figures as one line of JSON."""
    if step not in ("floor", "iatikit"):  # the floor and the peer run without Django
        _setup()
    started = time.perf_counter()
    if step in ("prepare", "generate"):
        count = {"prepare": step_prepare, "generate": step_generate}[step](path, activities, seed)
    elif step == "baseline":
        count = 0
    else:
        count = {"floor": step_floor, "iatikit": step_iatikit, "check": step_check, "import": step_import}[
            step
        ](path)
    print(json.dumps({"step": step, "activities": count, "seconds": time.perf_counter() - started}))


# --- The run -------------------------------------------------------------------------------------------


def run_step(step: str, path: Path, args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.iati", "--child", step, "--file", str(path)]
    command += ["--activities", str(args.activities), "--seed", str(args.seed)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=env)  # noqa: S603
    output = process.stdout.read().decode() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"step {step} failed ({process.returncode})")
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    figures["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return figures


def report(results: list[dict[str, Any]], size: int) -> None:
    megabytes = size / 1_000_000
    floor = next((r for r in results if r["step"] == "floor"), None)
    print(f"\nfile: {megabytes:,.1f} MB")
    print("| step | activities | seconds | activities/s | MB/s | peak MB | time / floor | peak / floor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        seconds = r["seconds"]
        if r["step"] == "baseline":
            print(f"| baseline | — | — | — | — | {r['peak_mb']:,.0f} | — | — |")
            continue
        rate = r["activities"] / seconds if seconds else 0
        ratios = ("—", "—")
        if floor and r is not floor:
            ratios = (f"{seconds / floor['seconds']:,.1f}", f"{r['peak_mb'] / floor['peak_mb']:,.1f}")
        figures = f"{r['activities']:,} | {seconds:,.1f} | {rate:,.0f} | {megabytes / seconds:,.2f}"
        print(f"| {r['step']} | {figures} | {r['peak_mb']:,.0f} | {ratios[0]} | {ratios[1]} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.iati", description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000, help="activities in the file (100,000)")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--file", type=Path, help="the generated file (default: in the temporary directory)")
    parser.add_argument("--regenerate", action="store_true", help="write the file even if it exists")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"among {', '.join(STEPS)}")
    parser.add_argument(
        "--database-url", default=f"{SERVER}/{DATABASE}", help="for the import (dropped first)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path = args.file or Path(tempfile.gettempdir()) / f"maillage-bench-iati-{args.activities}-{args.seed}.xml"
    if args.child:
        child(args.child, path, args.activities, args.seed)
        return 0
    env = dict(os.environ)
    if not path.exists() or args.regenerate:
        generated = run_step("generate", path, args, env)
        print(f"generated {generated['activities']:,} activities in {generated['seconds']:.1f} s: {path}")
    steps = [step for step in args.steps.split(",") if step]
    results = []
    env_database = env | {"DATABASE_URL": args.database_url}
    if {"check", "import"} & set(steps):
        prepared = run_step("prepare", path, args, env_database)
        print(
            f"prepared {args.database_url} ({prepared['activities']} actors) in {prepared['seconds']:.0f} s"
        )
    for step in steps:
        # The check looks the organisations up in the directory: the same database as the import.
        results.append(run_step(step, path, args, env_database if step in ("check", "import") else env))
        print(json.dumps(results[-1]), flush=True)
    report(results, path.stat().st_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
