"""`make run` as a developer uses it: it serves on the PORT given, the seed's printed addresses use
that port, and Ctrl-C or SIGTERM leaves no web server, worker or beat process behind within 10 s.

Each test starts the real `make run` (install check, migrate, seed, compile messages, then the
three processes) on a free port, with a fresh SQLite database and the filesystem broker under a
temporary directory, so it takes half a minute or so. The processes are read from /proc: every
descendant of make once /healthz answers, each recognised by its pid and start time (a pid reused
by a new process does not count as the old one still running).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 240  # migrate + seed on a fresh database, on a busy machine
STOP_SECONDS = 10  # what the README promises

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or not Path("/proc/self/stat").exists(), reason="needs make and /proc"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state, start time) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], fields[19]


def _descendants(root: int) -> dict[int, tuple[str, str]]:
    """Every process below `root`: pid → (start time, command line)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))):
            parents[int(entry.name)] = stat
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _state, started) in parents.items():
            if ppid == parent and pid not in found:
                try:
                    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                except OSError:
                    command = ""
                found[pid] = (started, command)
                frontier.append(pid)
    return found


def _running(processes: dict[int, tuple[str, str]]) -> list[str]:
    """The command lines of those still alive (a zombie has exited: it only waits to be reaped)."""
    alive = []
    for pid, (started, command) in processes.items():
        stat = _stat(pid)
        if stat and stat[2] == started and stat[1] != "Z":
            alive.append(f"{pid}: {command}")
    return alive


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
            return json.load(response).get("database") == "ok"
    except (OSError, ValueError):
        return False


@pytest.fixture
def make_run(tmp_path):
    """`make run` on a free port; yields (process, port, log path, the processes it started)."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    for key in ("DATABASE_URL", "REDIS_URL", "SITE_URL", "HOST", "PORT", "MAKEFLAGS", "MFLAGS"):
        env.pop(key, None)
    env.update(TUANHANG_VAR_DIR=str(tmp_path / "var"), DEBUG="on")
    venv = Path(sys.executable).parent.parent
    log_path = tmp_path / "make-run.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}", f"VENV={venv}"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives it
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _healthy(port):
            assert process.poll() is None, f"make run ended early:\n{log_path.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"no /healthz answer:\n{log_path.read_text()[-3000:]}"
            time.sleep(1)
        # The worker and beat start alongside the web server; wait until both have said so.
        while "beat: Starting" not in log_path.read_text() or "ready." not in log_path.read_text():
            assert time.monotonic() < deadline, f"worker or beat did not start:\n{log_path.read_text()[-3000:]}"
            time.sleep(0.5)
        started = _descendants(process.pid)
        yield process, port, log_path, started
    finally:
        # Whatever a failed test leaves behind: make's group, then each process it started.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        for line in _running(locals().get("started", {})):
            os.kill(int(line.split(":", 1)[0]), signal.SIGKILL)


def _assert_all_gone(process, processes, log_path):
    commands = " | ".join(command for _started, command in processes.values())
    assert "runserver" in commands, commands
    assert "worker" in commands, commands
    assert " beat" in commands, commands
    deadline = time.monotonic() + STOP_SECONDS
    while (_running(processes) or process.poll() is None) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _running(processes) == [], log_path.read_text()[-2000:]
    assert process.poll() is not None, "make itself is still running"


def test_make_run_stops_web_worker_and_beat_on_sigterm(make_run):
    process, port, log_path, processes = make_run
    # The seed's printed addresses follow the PORT it serves on (SITE_URL follows PORT in development).
    assert f"http://127.0.0.1:{port}/staff/" in log_path.read_text()
    assert "127.0.0.1:8000" not in log_path.read_text()

    process.send_signal(signal.SIGTERM)

    _assert_all_gone(process, processes, log_path)
    assert not _healthy(port)


def test_make_run_stops_web_worker_and_beat_on_ctrl_c(make_run):
    process, _port, log_path, processes = make_run

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does

    _assert_all_gone(process, processes, log_path)
