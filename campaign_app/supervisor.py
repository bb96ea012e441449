"""Running several commands as one: what `flask worker` (a node per queue) and `flask start`
(the embedded default) do. Only the standard library and click: the process that supervises
holds none of the app (campaign_app/embedded_run.py)."""

import signal
import subprocess
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent


def supervise(commands: dict[str, list[str]], env: dict | None = None,
              stop_timeout: float = 25) -> int:
    """Run the commands until one exits or we are told to stop; then stop them all (SIGTERM:
    Celery's warm shutdown). Returns 1 if a process ended on its own, so the platform
    restarts us whole."""
    processes = {name: subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603
                 for name, command in commands.items()}
    stopping, failed = False, False

    def stop(*_):
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    click.echo(f"{name} exited with {process.returncode}; stopping", err=True)
                    stopping = failed = True
            time.sleep(0.5)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 1 if failed else 0
