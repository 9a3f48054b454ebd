"""Running one measurement in a fresh Python process, so each size's figures are its own."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path


def measure_fresh(script: str, path: Path, repeat: int) -> dict[str, float]:
    """Run `script --measure PATH --repeat N` and read the JSON line it prints last."""
    result = subprocess.run(
        [sys.executable, script, "--measure", str(path), "--repeat", str(repeat)],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"{script} --measure {path} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def peak_mib() -> float:
    """This process's peak resident memory since its exec, in MiB.

    getrusage's ru_maxrss would do, but Linux carries it over from the parent
    across exec, and the parent built the workspace; VmHWM starts afresh.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
