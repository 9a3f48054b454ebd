"""Running one measurement in a fresh Python process, so each size's figures are its own."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Callable
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


def run_by_size(
    script: str,
    description: str,
    sizes: str,
    repeat: int,
    what: str,
    prepare: Callable[[Path, int], None],
    measure: Callable[[str, int], dict[str, float]],
    columns: list[tuple[str, str]],
) -> None:
    """A bench's command line: with --measure, measure one workspace in this process and
    print its JSON; else the floor, then a row per size, each size's workspace built here
    and measured in a fresh process. `columns` are (heading, figure key); a key ending in
    `_mib` is memory, the rest milliseconds."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", default=sizes)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat)))
        return
    from _paint import print_floor

    print_floor()
    print(f"{what:>8} " + " ".join(f"{heading:>9}" for heading, _ in columns))
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"{what}-{size}.db"
            prepare(path, size)
            f = measure_fresh(script, path, args.repeat)
            cells = [
                f"{f[key]:>6.0f}MiB" if key.endswith("_mib") else f"{f[key]:>7.1f}ms"
                for _, key in columns
            ]
            print(f"{size:>8,} " + " ".join(cells))
