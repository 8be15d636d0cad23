"""`make bench`: every benchmark of the project in one run, on PostgreSQL and Redis.

Each module bench/bench_<name>.py defines `run(ctx) -> list[dict]` returning figures as
{"name", "value", "unit", "target", "met"} (see issue 8 for the agreed names). This runner
prepares a fresh PostgreSQL database, runs the modules in name order (or those named on the
command line), and writes bench/results.json, bench/results.md and the table in README.md.
Only 127.0.0.1 is ever contacted.
"""

import datetime as dt
import importlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB", "tuanhang_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


class Context:
    """What a benchmark gets: the environment for subprocesses and a Django set up on the bench DB."""

    def __init__(self):
        self.root = ROOT
        self.database_url = f"{PG}/{DB_NAME}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": REDIS_URL,
            "DEBUG": "on",
            "DJANGO_SETTINGS_MODULE": "tuanhang.settings",
            "PYTHONPATH": str(ROOT),
        }

    def manage(self, *args, **kwargs):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, **kwargs)


def figure(name, value, unit, target=None, met=None):
    """One result row; `met` is computed from `target` when given as ("<=", x) or (">=", x)."""
    shown_target = None
    if isinstance(target, tuple):
        op, limit = target
        met = value <= limit if op == "<=" else value >= limit
        shown_target = f"{op} {limit}"
    elif target is not None:
        shown_target = str(target)
    return {"name": name, "value": value, "unit": unit, "target": shown_target, "met": met}


def prepare(ctx):
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    subprocess.run(["redis-cli", "-n", REDIS_URL.rsplit("/", 1)[1], "flushdb"], check=True, capture_output=True)
    ctx.manage("migrate", "--noinput", "-v", "0")
    os.environ.update({k: ctx.env[k] for k in ("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def markdown(results, started):
    lines = [
        f"Measured {started:%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL + Redis on 127.0.0.1.",
        "",
        "| Figure | Value | Unit | Target | Met |",
        "| --- | ---: | --- | --- | :---: |",
    ]
    for r in results:
        value = f"{r['value']:.3g}" if isinstance(r["value"], float) else str(r["value"])
        met = {True: "yes", False: "**no**", None: "–"}[r["met"]]
        lines.append(f"| `{r['name']}` | {value} | {r['unit']} | {r['target'] or '–'} | {met} |")
    return "\n".join(lines) + "\n"


def write_readme(table):
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
        readme.write_text(f"{head}{README_START}\n{table}{README_END}{tail}", encoding="utf-8")


def main(argv):
    started = dt.datetime.now(dt.UTC)
    wanted = set(argv)
    modules = sorted(p.stem for p in BENCH.glob("bench_*.py"))
    modules = [m for m in modules if not wanted or m.removeprefix("bench_") in wanted or m in wanted]
    ctx = Context()
    prepare(ctx)
    results, failures = [], []
    for name in modules:
        print(f"==> {name}", flush=True)
        t0 = time.perf_counter()
        try:
            rows = importlib.import_module(f"bench.{name}").run(ctx)
        except Exception:
            traceback.print_exc()
            failures.append(name)
            continue
        for row in rows:
            print(f"    {row['name']}: {row['value']} {row['unit']} (target {row['target']}, met {row['met']})")
        results.extend(rows)
        print(f"    ({time.perf_counter() - t0:.1f} s)", flush=True)
    (BENCH / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    table = markdown(results, started)
    (BENCH / "results.md").write_text(table, encoding="utf-8")
    if not wanted:
        write_readme(table)
    if failures:
        print(f"benchmarks that failed to run: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
