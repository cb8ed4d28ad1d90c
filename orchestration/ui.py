"""`make ui`: `dagster dev` (webserver, daemon, code server) that stops with its parent.

`dagster dev` runs in its own process group; SIGINT or SIGTERM to this wrapper is forwarded
to the whole group, and whatever is still alive after the grace period is killed, so stopping
`make ui` (Ctrl-C, or a supervisor's SIGTERM) leaves no webserver, daemon or code server behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil

GRACE_SECONDS = 15


def _stop(proc: subprocess.Popen[bytes]) -> int:
    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        code = proc.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        code = -signal.SIGKILL
    _, alive = psutil.wait_procs(family, timeout=GRACE_SECONDS)
    for leftover in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            leftover.kill()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    return code


def main(argv: list[str] | None = None) -> int:
    dagster = Path(sys.executable).parent / "dagster"
    command = [str(dagster if dagster.exists() else "dagster"), "dev",
               "-m", "orchestration.definitions", *(argv if argv is not None else sys.argv[1:])]
    proc = subprocess.Popen(command, start_new_session=True)
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        _stop(proc)
        return 0 if stopping else 130


if __name__ == "__main__":
    raise SystemExit(main())
