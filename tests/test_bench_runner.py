"""bench/run.py, the runner of `make bench`, with fake benchmark modules (no real benchmark runs):
a crash is published, a partial run is merged and marked, medians are medians, and peak memory
is the measured process's own."""

import datetime as dt
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from bench import run as bench_run

ROOT = Path(__file__).resolve().parent.parent
STARTED = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
EARLIER = [
    {"name": "alpha_ms", "value": 12.0, "unit": "ms", "target": "<= 50", "met": True, "module": "alpha"},
    {"name": "alpha_count", "value": 3, "unit": "rows", "target": None, "met": None, "module": "alpha"},
    {"name": "beta_seconds", "value": 1.5, "unit": "s", "target": "<= 2", "met": True, "module": "beta"},
]
for row in EARLIER:
    row.update(run="full", measured_at="2026-12-03T12:19Z")


def fake(run, figures=None):
    module = types.SimpleNamespace(run=run)
    if figures is not None:
        module.FIGURES = figures
    return module


def crash(_ctx):
    raise RuntimeError("gunicorn did not start within a minute")


def ok_beta(_ctx):
    return [bench_run.figure("beta_seconds", 1.8, "s", target=("<=", 2))]


@pytest.fixture
def outputs(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nafter\n", encoding="utf-8")
    return tmp_path, readme


def publish(results, outputs):
    folder, readme = outputs
    bench_run.publish(results, STARTED, bench_dir=folder, readme=readme)
    return (
        json.loads((folder / "results.json").read_text(encoding="utf-8")),
        (folder / "results.md").read_text(encoding="utf-8"),
        readme.read_text(encoding="utf-8"),
    )


def test_crashed_module_publishes_every_declared_figure_not_met_with_the_error(outputs):
    modules = {"alpha": fake(crash, figures=("alpha_ms", "alpha_count")), "beta": fake(ok_beta)}
    fresh, failures = bench_run.run_all(
        None, ["alpha", "beta"], started=STARTED, partial=False, load=modules.__getitem__, previous=EARLIER
    )
    results, md, readme = publish(fresh, outputs)

    assert failures == ["alpha"]
    alpha = {r["name"]: r for r in results if r["module"] == "alpha"}
    assert set(alpha) == {"alpha_ms", "alpha_count"}
    for row in alpha.values():
        assert row["met"] is False
        assert row["value"] is None
        assert row["error"] == "RuntimeError: gunicorn did not start within a minute"
    assert alpha["alpha_ms"]["target"] == "<= 50"  # as last published
    assert [r["value"] for r in results if r["module"] == "beta"] == [1.8]
    line = next(line for line in md.splitlines() if "`alpha_ms`" in line)
    assert "ERROR" in line and "**no**: RuntimeError: gunicorn did not start" in line
    assert "**Failed:** `alpha`" in md
    assert md in readme and "old table" not in readme


def test_module_that_fails_to_import_publishes_its_last_known_figures_as_failed():
    def load(name):
        raise ImportError("No module named 'wrk'")

    fresh, failures = bench_run.run_all(None, ["alpha"], started=STARTED, partial=True, load=load, previous=EARLIER)

    assert failures == ["alpha"]
    assert [(r["name"], r["met"], r["error"]) for r in fresh] == [
        ("alpha_ms", False, "ImportError: No module named 'wrk'"),
        ("alpha_count", False, "ImportError: No module named 'wrk'"),
    ]


def test_declared_figure_the_module_does_not_return_is_published_as_failed():
    module = fake(ok_beta, figures=("beta_seconds", "beta_peak_mb"))

    fresh, failures = bench_run.run_all(None, ["beta"], started=STARTED, partial=False, load=lambda _n: module)

    assert failures == ["beta"]
    missing = next(r for r in fresh if r["name"] == "beta_peak_mb")
    assert missing["met"] is False and missing["error"] == "beta did not report beta_peak_mb"


def test_partial_run_merges_its_rows_and_keeps_the_others_marked_with_their_run(outputs):
    fresh, _ = bench_run.run_all(
        None, ["beta"], started=STARTED, partial=True, load=lambda _n: fake(ok_beta), previous=EARLIER
    )
    merged = bench_run.merge(EARLIER, fresh, {"beta"}, ["alpha", "beta"])
    results, md, readme = publish(merged, outputs)

    assert [(r["name"], r["value"], r["run"], r["measured_at"]) for r in results] == [
        ("alpha_ms", 12.0, "full", "2026-12-03T12:19Z"),
        ("alpha_count", 3, "full", "2026-12-03T12:19Z"),
        ("beta_seconds", 1.8, "partial", "2026-12-04T09:30Z"),
    ]
    assert "- **Partial run**: modules `beta` at 2026-12-04 09:30 UTC." in md
    assert "- Full run: modules `alpha` at 2026-12-03 12:19 UTC." in md
    beta_line = next(line for line in md.splitlines() if "`beta_seconds`" in line)
    assert beta_line.endswith("| 2026-12-04 09:30 UTC (partial) |")
    assert md in readme


def test_merge_drops_rows_of_modules_that_no_longer_exist():
    merged = bench_run.merge(EARLIER, [], {"beta"}, ["beta"])

    assert merged == []


def test_full_run_table_has_no_run_column():
    fresh, _ = bench_run.run_all(None, ["beta"], started=STARTED, partial=False, load=lambda _n: fake(ok_beta))

    md = bench_run.markdown(fresh, STARTED)

    assert "Partial run" not in md and "Measured |" not in md
    assert "| `beta_seconds` | 1.8 | – | – | s | <= 2 | yes |" in md


def test_table_shows_a_spread_figure_on_one_line_with_its_min_and_max_without_exponents():
    rows = [
        *bench_run.spread("selection_open_p99_ms", [4220.5, 3003.4, 4322.2], "ms", ("<=", 300)),
        bench_run.figure("allocation_preference", 584600, "points"),
        bench_run.figure("selection_write_ratio", 0.345, "fraction", target=(">=", 0.5)),
    ]

    md = bench_run.markdown(rows, STARTED)

    assert "| `selection_open_p99_ms` | 4,220 | 3,003 | 4,322 | ms | <= 300 | **no** |" in md
    assert "`selection_open_p99_ms_min`" not in md and "`selection_open_p99_ms_max`" not in md
    assert "| `allocation_preference` | 584,600 | – | – | points | – | – |" in md
    assert "| `selection_write_ratio` | 0.345 | – | – |" in md
    assert "e+" not in md


def test_spread_publishes_the_median_min_and_max():
    rows = bench_run.spread("selection_per_minute", [4100, 3372, 5236, 4800, 3900], "choices/min", (">=", 4000), 0)

    assert [(r["name"], r["value"], r["met"]) for r in rows] == [
        ("selection_per_minute", 4100, True),
        ("selection_per_minute_min", 3372, None),
        ("selection_per_minute_max", 5236, None),
    ]


def test_spread_median_of_an_even_count_is_the_mean_of_the_middle_two():
    # sorted(times)[1], the old "median", would say 2.0 here.
    rows = bench_run.spread("pdf_booth_map_seconds", [10.0, 1.0, 3.0, 2.0], "s", digits=2)

    assert rows[0]["value"] == 2.5


CHILD = """
import sys, resource
from bench.run import peak_rss_kb
data = b"x" * (100 * 1024 * 1024)
print(peak_rss_kb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_peak_rss_is_the_child_own_high_water_mark_not_the_parents():
    ballast = b"y" * (300 * 1024 * 1024)  # the parent's peak, well above the child's
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT)},
    )
    vmhwm_kb, ru_maxrss_kb = (int(v) for v in done.stdout.split())
    del ballast

    assert 100 * 1024 <= vmhwm_kb <= 160 * 1024
    # The control: getrusage in the same child inherits the parent's high-water mark through
    # fork and exec, which is why the printing figures all showed the runner's 333 MB.
    assert ru_maxrss_kb >= 300 * 1024


def test_every_benchmark_declares_its_figures_once():
    import importlib

    seen = {}
    for name in bench_run.available_modules():
        figures = importlib.import_module(f"bench.bench_{name}").FIGURES
        assert len(figures) == len(set(figures)), name
        for figure_name in figures:
            assert figure_name not in seen, (figure_name, name, seen.get(figure_name))
            seen[figure_name] = name
    assert {"selection_unplaced", "reminders_timed_out", "pdf_booth_signs_seconds_max"} <= set(seen)


def test_in_process_figures_are_timed_with_debug_off():
    from django.db import connection
    from django.test.utils import override_settings

    with override_settings(DEBUG=True):
        assert connection.queries_logged  # the runner's own setting
        with bench_run.debug_off():
            from django.conf import settings

            assert settings.DEBUG is False
            assert not connection.queries_logged
