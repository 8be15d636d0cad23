"""The site under gunicorn for the benchmarks that load it over HTTP (self-selection, public site):
production-like settings (DEBUG off, whitenoise's manifest, no HTTPS redirect since there is no
proxy here), on a free port of 127.0.0.1, stopped when the benchmark ends."""

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


class Server:
    """gunicorn (gthread workers by default) with DEBUG off, on a free port of 127.0.0.1; always
    stopped. Each benchmark chooses the worker class, counts and maybe a settings module of its own."""

    def __init__(self, ctx, *, workers, threads, worker_class="gthread", settings=None):
        self.ctx = ctx
        self.worker_class, self.settings = worker_class, settings
        self.workers, self.threads = workers, threads
        self.port = _free_port()
        self.tmp = tempfile.TemporaryDirectory(prefix="bench-server-")
        self.log = Path(self.tmp.name) / "gunicorn.log"
        self.process = None

    def __enter__(self):
        from django.conf import settings

        env = {
            **self.ctx.env,
            "DEBUG": "off",
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions were signed with it
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "off",
            "SECURE_COOKIES": "off",
            "STATIC_ROOT": str(Path(self.tmp.name) / "static"),
            "LOG_LEVEL": "WARNING",
            **({"DJANGO_SETTINGS_MODULE": self.settings} if self.settings else {}),
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=self.ctx.root,
            env=env,
            check=True,
        )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "tuanhang.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--keep-alive",
            "30",
        ]
        if self.worker_class == "gthread":
            command += ["--threads", str(self.threads)]
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            command, cwd=self.ctx.root, env=env, stdout=self._log_file, stderr=self._log_file
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start within a minute")

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log_file", None):
            self._log_file.close()
            tail = self.log.read_text(errors="replace")
            if "Traceback" in tail:
                print(tail[-4000:], file=sys.stderr)
        self.tmp.cleanup()
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
