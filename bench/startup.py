"""Time to first paint of `planner` against a minimal Textual app, measured in the same run.

Usage: python bench/startup.py [--runs N]

Each run starts the program in a fresh 120x40 pseudo-terminal and stops the
clock when the first screen with data has been written (for planner, the
home screen's "Open items" line; for the yardstick, its only line). Runs are
interleaved so both see the same machine load. Prints medians and the ratio
planner / minimal for a demo workspace and for one with 100,000 backlog items.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _terminal import time_to_text

import planner_tui
from planner_tui.domain.models import NewItem
from planner_tui.exchange.demo import write_demo_workspace
from planner_tui.store.items import add_items
from planner_tui.store.workspace import Workspace

BIN = Path(sys.executable).parent
PLANNER = str(BIN / "planner")
MINIMAL = [sys.executable, str(Path(__file__).resolve().parent / "minimal_app.py")]
KINDS = ("story", "bug", "chore", "spike")


def build_large(path: Path, count: int) -> float:
    """A workspace with `count` backlog items, a third of them estimated; returns build seconds."""
    started = time.perf_counter()
    ws = Workspace.open(path, actor="bench")
    batch = [
        NewItem(
            title=f"Item {number}: tidy the checkout form step {number % 7}",
            kind=KINDS[number % 4],
            value=1 + number % 10,
            estimate=(1, 2, 3, 5, 8)[number % 5] if number % 3 == 0 else None,
            tags=(f"area-{number % 12}",),
            problem="Shoppers abandon the form when asked to retype their address.",
        )
        for number in range(count)
    ]
    add_items(ws, batch)
    ws.checkpoint()
    ws.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()

    # A pip install compiles the package's bytecode; an editable checkout run with
    # PYTHONDONTWRITEBYTECODE set would otherwise recompile every module on every start.
    compileall.compile_dir(Path(planner_tui.__file__).parent, quiet=1)

    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.db"
        large = Path(folder) / "large.db"
        write_demo_workspace(demo, replace=False, today=date.today())
        build_seconds = build_large(large, args.items)
        print(f"built {args.items:,} items in {build_seconds:.1f} s")

        commands = {
            "minimal Textual app": (MINIMAL, b"minimal-app-ready"),
            "planner, demo workspace": ([PLANNER, str(demo), "--as", "bench"], b"Open items"),
            f"planner, {args.items:,} items": (
                [PLANNER, str(large), "--as", "bench"],
                b"Open items",
            ),
        }
        for argv, marker in commands.values():  # warm the file cache and .pyc files
            time_to_text(argv, marker)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (argv, marker) in commands.items():
                samples[name].append(time_to_text(argv, marker))

    baseline = statistics.median(samples["minimal Textual app"])
    print(f"\ntime to first paint, median of {args.runs} runs (120x40 pty)")
    print(f"{'':28} {'median':>8} {'min':>8} {'max':>8} {'ratio':>7}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(
            f"{name:28} {median * 1000:7.0f}ms {min(values) * 1000:7.0f}ms "
            f"{max(values) * 1000:7.0f}ms {median / baseline:6.2f}x"
        )
    print("\ntarget: planner within 1.5x of the minimal app for both workspaces")


if __name__ == "__main__":
    main()
