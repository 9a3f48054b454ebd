"""Time from a vote committed in one process to it being drawn by `planner` in another.

Usage: python bench/sync.py [--votes 50]

A real `planner` runs in a pseudo-terminal on the Estimation screen of a
running session. This process, the facilitator, enters one vote at a time
through the same service the app uses, each after a random pause (so commits
land at every phase of the other process's poll), and stops the clock when
the other terminal has been sent the new "N of M voted" line. Prints the
median, 95th percentile and worst of the delays.

Targets (issue 16): median at most 100 ms, 95th percentile at most 200 ms.
"""

from __future__ import annotations

import argparse
import compileall
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _terminal import Terminal

import planner_tui
from planner_tui.domain.estimation import PokerSettings
from planner_tui.domain.models import NewItem
from planner_tui.services import poker
from planner_tui.services.context import open_session
from planner_tui.store.items import add_items

PLANNER = str(Path(sys.executable).parent / "planner")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=50)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    compileall.compile_dir(Path(planner_tui.__file__).parent, quiet=1)
    pauses = random.Random(args.seed)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "team.db"
        facilitator = open_session(path, "facilitator")
        ids = add_items(facilitator.workspace, [NewItem(title="Story to estimate")])
        voters = [f"v{number:02d}" for number in range(1, args.votes + 1)]
        session_id = poker.start(
            facilitator,
            "Sync bench",
            ids,
            PokerSettings(auto_reveal=False, timer_seconds=0),
            facilitator_votes=False,
            voters=voters,
        )
        # The watching terminal joins as a voter when it opens the session: one more voter.
        total = args.votes + 1
        terminal = Terminal([PLANNER, str(path), "--as", "watcher"], cols=200, rows=60)
        try:
            terminal.wait_for(b"Open items")
            terminal.send(b"3")
            terminal.wait_for(f"0 of {total} voted".encode())
            delays: list[float] = []
            for number, voter in enumerate(voters, start=1):
                time.sleep(pauses.uniform(0.05, 0.3))
                terminal.forget()
                poker.vote(facilitator, session_id, "5", voter=voter)
                committed = time.perf_counter()
                drawn = terminal.wait_for(f"{number} of {total} voted".encode(), timeout=10)
                delays.append(drawn - committed)
        finally:
            terminal.close()
            facilitator.workspace.close()

    delays_ms = sorted(delay * 1000 for delay in delays)
    p95 = delays_ms[max(0, round(0.95 * len(delays_ms)) - 1)]
    print(f"vote committed in one process -> drawn by planner in another, {len(delays_ms)} votes")
    print(f"  median {statistics.median(delays_ms):6.0f} ms   (target ≤ 100 ms)")
    print(f"  p95    {p95:6.0f} ms   (target ≤ 200 ms)")
    print(f"  min    {delays_ms[0]:6.0f} ms")
    print(f"  max    {delays_ms[-1]:6.0f} ms")


if __name__ == "__main__":
    main()
