"""Idle cost and presence: what a team of idle `planner`s costs, and how soon a dead one leaves.

Usage: python bench/presence.py [--seconds S] [--team N] [--rounds R]

1. Idle CPU of one `planner` on each screen in --screens, each beside a bare
   Textual app (bench/minimal_app.py), both in their own 120x40 pseudo-terminal,
   measured from /proc over the same S seconds (they idle side by side).
2. Idle CPU of N `planner`s on one demo workspace (a team on a box), together.
3. Presence after kill -9: two teammates on Home; one is killed; the clock runs
   until the other's Team panel has redrawn without them. R rounds, median and max.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _terminal import Terminal

from planner_tui.exchange.demo import write_demo_workspace

SCREEN_KEYS = {
    "home": "1",
    "backlog": "2",
    "estimation": "3",
    "sprint": "4",
    "risks": "5",
    "retro": "6",
    "actions": "7",
    "board": "6",  # the running retro's board, with --board-cards cards on it
    "poker": "3",  # the running poker table, with --queued items in its queue
}
BIN = Path(sys.executable).parent
PLANNER = str(BIN / "planner")
MINIMAL = [sys.executable, str(Path(__file__).resolve().parent / "minimal_app.py")]


def cpu_seconds(pid: int) -> float:
    """CPU seconds the process's threads have run, to the nanosecond.

    /proc/PID/stat counts in clock ticks (10 ms): an idle app uses a few ticks a
    minute, too coarse to compare. Each thread's schedstat counts nanoseconds (a
    thread that ends while measuring is missed; idle apps keep theirs).
    """
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total / 1e9


def idle_share(terminals: list[Terminal], seconds: float) -> list[float]:
    """Each process's CPU over `seconds` of idling, as a share of one core (percent)."""
    for terminal in terminals:
        terminal.drain()
    before = [cpu_seconds(t.pid) for t in terminals]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for terminal in terminals:
            terminal.drain()  # keep the pty from filling, as a terminal emulator would
        time.sleep(0.2)
    after = [cpu_seconds(t.pid) for t in terminals]
    return [100 * (b - a) / seconds for a, b in zip(before, after, strict=True)]


def _running_retro(path: Path, cards: int) -> None:
    """A retro in its Vote phase with `cards` cards, so the Retro key opens its board."""
    from planner_tui.domain.retro import BUILTIN_TEMPLATES, Phase
    from planner_tui.services import retro
    from planner_tui.services.context import open_session
    from planner_tui.store import retro as store

    columns = BUILTIN_TEMPLATES["Went well / To improve / Actions"]
    session = open_session(path, "maya")
    sid = retro.start(session, "Big retro", "Went well / To improve / Actions", columns)
    store.set_phase(session.workspace, sid, Phase.WRITE)
    for n in range(cards):
        retro.write(session, sid, columns[n % 2], f"Card {n}: something worth saying")
    store.set_phase(session.workspace, sid, Phase.VOTE)
    session.close()


def _running_poker(path: Path, queued: int) -> None:
    """An estimation session with `queued` new items, so the Estimation key opens its table."""
    from planner_tui.domain.models import NewItem
    from planner_tui.services import poker
    from planner_tui.services.context import open_session
    from planner_tui.store.items import add_items

    session = open_session(path, "maya")
    ids = add_items(session.workspace, [NewItem(title=f"Queued {n}") for n in range(queued)])
    poker.start(session, "Big estimation", ids)
    session.close()


def planner(path: Path, name: str) -> Terminal:
    terminal = Terminal([PLANNER, str(path), "--as", name])
    terminal.wait_for(b"Open items", 60)
    return terminal


def _left(watcher: Terminal, name: bytes) -> float:
    """perf_counter() when the watcher's Team panel redraws its "Here now" line without `name`."""
    while True:
        seen = watcher.wait_for(b"Here now", 90)
        while b"\n" not in watcher.seen.split(b"Here now", 1)[1]:
            watcher.drain()  # the rest of the line
        line = watcher.seen.split(b"Here now", 1)[1].split(b"\n", 1)[0]
        watcher.seen = watcher.seen.split(b"Here now", 1)[1]
        if name not in line:
            return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--team", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--screens", default="home,backlog,sprint,risks,retro,actions,board,poker")
    parser.add_argument("--board-cards", type=int, default=2000)
    parser.add_argument("--queued", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        write_demo_workspace(path, replace=False, today=date.today())
        if "board" in args.screens.split(","):
            _running_retro(path, args.board_cards)
        if "poker" in args.screens.split(","):
            _running_poker(path, args.queued)

        print(f"idle over {args.seconds:g} s, % of one core, each beside a bare Textual app:")
        for screen in args.screens.split(","):
            bare = Terminal(MINIMAL)
            bare.wait_for(b"minimal-app-ready", 60)
            one = planner(path, "maya")
            one.send(SCREEN_KEYS[screen].encode())
            time.sleep(3)  # past start-up work (first beat, first look at who is here)
            floor, ours = idle_share([bare, one], args.seconds)
            bare.close()
            one.close()
            print(
                f"  planner on {screen:<10} {ours:6.3f}   bare app {floor:6.3f}   "
                f"({ours / max(floor, 1e-9):.2f}x; target 1.5x)"
            )

        if args.team:
            names = ["maya", "li", "sam", "priya", "dev", "ana", "tom", "kai", "lee", "ola"]
            team = [planner(path, names[i % len(names)] + str(i)) for i in range(args.team)]
            time.sleep(3)
            shares = idle_share(team, args.seconds)
            for terminal in team:
                terminal.close()
            print(
                f"  {args.team} idle teammates     {sum(shares):6.3f} together "
                f"(each {statistics.median(shares):.3f}, most {max(shares):.3f})"
            )

        gone: list[float] = []
        for round_ in range(args.rounds):
            watcher = planner(path, "maya")
            leaver = planner(path, f"gone{round_}")
            watcher.wait_for(f"gone{round_}".encode(), 30)  # the watcher sees them arrive
            watcher.forget()
            killed = time.perf_counter()
            os.kill(leaver.pid, signal.SIGKILL)
            os.waitpid(leaver.pid, 0)
            os.close(leaver.fd)
            gone.append(_left(watcher, f"gone{round_}".encode()) - killed)
            watcher.close()
        if gone:
            print(
                f"kill -9 to leaving another's Here now: median {statistics.median(gone):.2f} s, "
                f"max {max(gone):.2f} s over {args.rounds} rounds (target 2 s)"
            )


if __name__ == "__main__":
    main()
