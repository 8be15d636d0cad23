"""`make bench`: every benchmark of the project in one run, on PostgreSQL and Redis.

Each module bench/bench_<name>.py declares the names of its figures in FIGURES and defines
`run(ctx) -> list[dict]` returning them as {"name", "value", "unit", "target", "met"} (see issue 8
for the agreed names; `figure` and `spread` below build them). This runner prepares a fresh
PostgreSQL database, runs the modules in name order (or those named on the command line), and
writes bench/results.json, bench/results.md and the table in README.md. Only 127.0.0.1 is ever
contacted.

Honest figures (issue 21): a module that crashes still publishes every figure it declares, not
met, with the error; a figure it declares but does not return is published the same way. A partial
run (`make bench BENCH_ARGS=x`) merges its modules' rows into results.json, keeps the others, and
every row says which module, run ("full" or "partial") and time it comes from; results.md and the
README say when the table mixes runs. Noisy timings are published as `<name>` (median),
`<name>_min` and `<name>_max` (`spread`); peak memory is the measured process's own VmHWM
(`peak_rss_kb`), never the runner's ru_maxrss, which survives fork and exec.
"""

import contextlib
import datetime as dt
import importlib
import json
import os
import platform
import statistics
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


def spread(name, samples, unit, target=None, digits=1):
    """A noisy timing as three rows: `name` (the median, judged against `target`), `name_min` and
    `name_max`, each rounded to `digits` (0: an int)."""
    samples = list(samples)
    if not samples:
        raise ValueError(f"{name}: no samples")

    def shown(value):
        return round(value) if digits == 0 else round(value, digits)

    return [
        figure(name, shown(statistics.median(samples)), unit, target=target),
        figure(f"{name}_min", shown(min(samples)), unit),
        figure(f"{name}_max", shown(max(samples)), unit),
    ]


def spread_names(*names):
    """The FIGURES entries of figures published with `spread`."""
    return tuple(f"{n}{suffix}" for n in names for suffix in ("", "_min", "_max"))


def peak_rss_kb(pid="self") -> int:
    """The process's own peak resident set (VmHWM, Linux), in KiB. Read it in the process that did
    the work, or from its /proc entry before it exits: getrusage's ru_maxrss of a child is not its
    own figure, since the high-water mark survives fork and exec (a child of a 300 MB runner
    reports at least 300 MB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM in /proc/{pid}/status")


@contextlib.contextmanager
def debug_off():
    """In-process measurements as production serves them: DEBUG off (no query log, templates
    without debug information). The runner itself keeps DEBUG on for its fixtures."""
    from django.db import connection
    from django.test.utils import override_settings

    with override_settings(DEBUG=False):
        assert not connection.queries_logged
        yield


def prepare(ctx):
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    subprocess.run(["redis-cli", "-n", REDIS_URL.rsplit("/", 1)[1], "flushdb"], check=True, capture_output=True)
    ctx.manage("migrate", "--noinput", "-v", "0")
    os.environ.update({k: ctx.env[k] for k in ("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- running the modules ---------------------------------------------------------------------------


def available_modules():
    return sorted(p.stem.removeprefix("bench_") for p in BENCH.glob("bench_*.py"))


def _error_text(exc):
    text = f"{type(exc).__name__}: {exc}".strip().replace("\n", " ")
    return text if len(text) <= 300 else text[:299] + "…"


def failed_rows(names, error, previous=()):
    """Rows for figures a module did not deliver: not met, with the error; unit and target as the
    last published row of that name gave them (none when it never ran)."""
    before = {r["name"]: r for r in previous}
    return [
        {
            "name": name,
            "value": None,
            "unit": before.get(name, {}).get("unit", ""),
            "target": before.get(name, {}).get("target"),
            "met": False,
            "error": error,
        }
        for name in names
    ]


def run_module(ctx, name, *, load, previous=()):
    """(rows of module `name`, error text or None). Never raises for the module's sake."""
    module = None
    try:
        module = load(name)
        rows = list(module.run(ctx))
    except Exception as exc:  # noqa: BLE001 - a crash is a result to publish, not a reason to stop
        traceback.print_exc()
        error = _error_text(exc)
        declared = getattr(module, "FIGURES", None) or [r["name"] for r in previous if r.get("module") == name]
        return failed_rows(declared or [f"{name}_benchmark"], error, previous), error
    declared = tuple(getattr(module, "FIGURES", ()))
    returned = {r["name"] for r in rows}
    missing = [n for n in declared if n not in returned]
    undeclared = sorted(returned - set(declared))
    if undeclared:
        print(f"    {name}: figures not in FIGURES: {', '.join(undeclared)}", file=sys.stderr)
    error = None
    if missing:
        error = f"{name} did not report {', '.join(missing)}"
        rows += failed_rows(missing, error, previous)
    return rows, error


def run_all(ctx, names, *, started, partial, load=None, previous=()):
    """Run the modules; (rows stamped with module, run and time, names of the modules that failed)."""
    load = load or (lambda name: importlib.import_module(f"bench.bench_{name}"))
    stamp = {"run": "partial" if partial else "full", "measured_at": started.strftime("%Y-%m-%dT%H:%MZ")}
    results, failures = [], []
    for name in names:
        print(f"==> bench_{name}", flush=True)
        t0 = time.perf_counter()
        rows, error = run_module(ctx, name, load=load, previous=previous)
        if error:
            failures.append(name)
        for row in rows:
            row.update({"module": name, **stamp})
            shown = f"ERROR {row['error']}" if row.get("error") else f"{row['value']} {row['unit']}"
            print(f"    {row['name']}: {shown} (target {row['target']}, met {row['met']})")
        results.extend(rows)
        print(f"    ({time.perf_counter() - t0:.1f} s)", flush=True)
    return results, failures


def merge(previous, fresh, ran, modules):
    """results.json after a run: the fresh rows of the modules that ran, the earlier rows of the
    others (of modules that still exist), in module order."""
    kept = [r for r in previous if r.get("module") not in ran and r.get("module") in modules]
    fresh_names = {r["name"] for r in fresh}
    kept = [r for r in kept if r["name"] not in fresh_names]
    order = {m: i for i, m in enumerate(modules)}
    return sorted([*kept, *fresh], key=lambda r: order.get(r.get("module"), len(order)))


# --- publishing -------------------------------------------------------------------------------------


def _runs(results):
    """[(measured_at, run, [modules])], newest first."""
    runs = {}
    for r in results:
        key = (r.get("measured_at") or "an earlier run", r.get("run") or "full")
        modules = runs.setdefault(key, [])
        if r.get("module") not in modules:
            modules.append(r.get("module"))
    unknown_last = sorted(runs.items(), key=lambda item: (item[0][0] != "an earlier run", item[0][0]), reverse=True)
    return [(at, run, mods) for (at, run), mods in unknown_last]


def _when(stamp):
    return stamp.replace("T", " ").removesuffix("Z") + " UTC" if "T" in stamp else stamp


def _number(value):
    """A figure as the table shows it: thousands grouped, never in exponent notation."""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _folded(results):
    """[(row, its _min row or None, its _max row or None)]: a figure published with `spread` is
    one line of the table, its median with its min and max."""
    names = {r["name"] for r in results}
    by_name = {r["name"]: r for r in results}
    lines = []
    for r in results:
        base = next((r["name"].removesuffix(s) for s in ("_min", "_max") if r["name"].endswith(s)), None)
        if base and base in names and f"{base}_min" in names and f"{base}_max" in names:
            continue  # shown on its median's line
        lines.append((r, by_name.get(f"{r['name']}_min"), by_name.get(f"{r['name']}_max")))
    return lines


def markdown(results, started):
    runs = _runs(results)
    lines = [
        f"Measured {started:%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL + Redis on 127.0.0.1. "
        "Where Min and Max are given, Value is the median of the runs (results.json has them as "
        "`<name>`, `<name>_min` and `<name>_max`).",
        "",
    ]
    mixed = len(runs) > 1 or any(run == "partial" for _, run, _ in runs)
    if mixed:
        for at, run, modules in runs:
            names = ", ".join(f"`{m}`" for m in modules)
            label = "**Partial run**" if run == "partial" else "Full run"
            lines.append(f"- {label}: modules {names} at {_when(at)}.")
        lines.append("")
    failed = sorted({r.get("module") or "?" for r in results if r.get("error")})
    if failed:
        lines += [f"**Failed:** {', '.join(f'`{m}`' for m in failed)} (figures below marked ERROR).", ""]
    header = "| Figure | Value | Min | Max | Unit | Target | Met |" + (" Measured |" if mixed else "")
    lines += [header, "| --- | ---: | ---: | ---: | --- | --- | :---: |" + (" --- |" if mixed else "")]
    for r, low, high in _folded(results):
        if r.get("error"):
            value = "ERROR"
            met = f"**no**: {r['error'].replace('|', '/')}"
        else:
            value = _number(r["value"])
            met = {True: "yes", False: "**no**", None: "–"}[r["met"]]
        low, high = (_number(x["value"]) if x and not x.get("error") else "–" for x in (low, high))
        line = f"| `{r['name']}` | {value} | {low} | {high} | {r['unit'] or '–'} | {r['target'] or '–'} | {met} |"
        if mixed:
            line += f" {_when(r.get('measured_at') or 'earlier')} ({r.get('run') or 'full'}) |"
        lines.append(line)
    return "\n".join(lines) + "\n"


def write_readme(table, readme):
    text = readme.read_text(encoding="utf-8")
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
        readme.write_text(f"{head}{README_START}\n{table}{README_END}{tail}", encoding="utf-8")


def load_results(path):
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def publish(results, started, *, bench_dir, readme):
    (bench_dir / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    table = markdown(results, started)
    (bench_dir / "results.md").write_text(table, encoding="utf-8")
    write_readme(table, readme)


def main(argv):
    started = dt.datetime.now(dt.UTC)
    modules = available_modules()
    wanted = [a.removeprefix("bench_") for a in argv]
    unknown = [w for w in wanted if w not in modules]
    if unknown:
        print(f"no such benchmark: {', '.join(unknown)} (there are: {', '.join(modules)})", file=sys.stderr)
        return 2
    names = [m for m in modules if not wanted or m in wanted]
    previous = load_results(BENCH / "results.json")
    ctx = Context()
    prepare(ctx)
    partial = set(names) != set(modules)
    fresh, failures = run_all(ctx, names, started=started, partial=partial, previous=previous)
    results = merge(previous, fresh, set(names), modules) if partial else fresh
    publish(results, started, bench_dir=BENCH, readme=ROOT / "README.md")
    if failures:
        print(f"benchmarks that failed to run: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
