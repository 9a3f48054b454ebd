"""Keys in a real terminal, each screen at three sizes, beside a bare Textual app's key.

Usage: python bench/keys.py [--sizes 1000,10000,100000] [--repeat 15] [--keys filter,poker]

Each size gets three workspaces: the demo with that many backlog items, a tenth as
many risks and a twentieth as many action items (bench/screens.py's); a running retro
with a fifth as many cards (bench/retro.py's: 200 / 2,000 / 20,000); and a poker
session with a twentieth as many items queued and 50 voters (bench/poker.py's: 50 /
500 / 5,000). `planner` runs in a 120x40 pseudo-terminal that reports synchronized
output, so every frame it draws ends with a marker. Round by round the same key goes
to planner and to three floors, bare Textual apps (bench/minimal_app.py) in their own
120x40 pseudo-terminals, each timed from the key written to the end of its first frame
and to the end of its last frame before 150 ms of quiet (settled):

- own frame: the bare app showing the two screens planner's key went between (read off
  planner's terminal at a warm-up key), each key the other, drawing again only the
  `lines` that differ: that key's frame, with nothing to work out first;
- one line: the bare app's key rewriting one line (the least any key costs);
- list: the bare app's key rewriting 36 lines of 118 columns (a list narrowing).

Prints, per key and size, planner's median and p95 settled times and the ratio of
the median to each floor's median; then how many keys are within 2x of each floor.

Keys: a cursor move (down) on Backlog, Sprint, Risks and Action items, in a retro
column and in the poker queue; a Backlog filter keystroke and a Sprint find keystroke
(a letter, then backspace, alternately), and the same after a piece few items hold
("rare": every item must be searched, so only an index keeps it quick); a dot vote on the retro board (space, then x taking it back); a poker
vote (enter on the card a digit picked, untimed backspace taking it back first); the
facilitator's decisions on a round of 50 cards: reveal (r, once the 49 others have put
their cards down) and re-vote (v, once the cards are turned), the moves before each made
untimed from another process.

Issue 16 targets: every key's median <= 2x the floor, p95 <= 50 ms, at every size. The
last summary line holds each key to the bare app doing what the key shows: a cursor
move to one line; a key that changes a list or a table (filter, find, dot, vote,
reveal, re-vote) to the list. Such a key also does work no bare app does (a search, a
write and its read): its ratio to its own frame says how much of its time that is.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _terminal import FramedTerminal, Run

BIN = Path(sys.executable).parent
PLANNER = str(BIN / "planner")
FLOOR = [sys.executable, str(Path(__file__).resolve().parent / "minimal_app.py"), "--keyed"]
LIST_FLOOR = [*FLOOR[:2], "--list"]
REPLAY = [*FLOOR[:2], "--replay"]
DOWN, UP = b"\x1b[B", b"\x1b[A"


@dataclass
class Case:
    """One key on one screen: what to type to get there, then the timed keys in turn, with
    untimed keys typed before each (`between`)."""

    name: str
    workspace: str
    setup: list[bytes]
    keys: Callable[[int], bytes]
    between: Callable[[int], bytes | None] = lambda _: None
    arrange: Callable[[Path, int], None] | None = None
    """Untimed, before each key: what teammates do meanwhile (from this process)."""
    settled: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)
    list_floors: list[float] = field(default_factory=list)
    same_frames: list[float] = field(default_factory=list)
    lines: int = 0
    """Lines of the screen the key changed (the same-frame floor redraws these)."""


def _cursor(n: int) -> bytes:
    return DOWN if n // 8 % 2 == 0 else UP  # eight down, eight up: no scrolling past the end


def _cases() -> list[Case]:
    return [
        Case("backlog cursor", "items", [b"2"], _cursor),
        Case(
            "backlog filter key", "items", [b"2", b"/"], lambda n: b"e" if n % 2 == 0 else b"\x7f"
        ),
        Case("sprint cursor", "items", [b"4"], _cursor),
        Case("sprint find key", "items", [b"4", b"/"], lambda n: b"e" if n % 2 == 0 else b"\x7f"),
        Case("backlog rare filter", "items", [b"2", b"/", RARE], _rare),
        Case("sprint rare find", "items", [b"4", b"/", RARE], _rare),
        Case("risks cursor", "items", [b"5"], _cursor),
        Case("actions cursor", "items", [b"7"], _cursor),
        Case("retro cursor", "retro", [b"6"], _cursor),
        Case(
            "retro dot",
            "retro",
            [b"6"],
            lambda n: b" " if n % 2 == 0 else b"x",
            between=lambda n: DOWN if n % 2 == 0 else None,
        ),
        Case("poker queue cursor", "poker", [b"3", b"l"], _cursor),
        Case("poker vote", "poker", [b"3"], lambda n: b"\r", between=_unvote),
        Case("poker reveal", "poker", [b"3"], lambda n: b"r", arrange=_before_reveal),
        Case("poker re-vote", "poker", [b"3"], lambda n: b"v", arrange=_before_revote),
    ]


def _before_reveal(path: Path, n: int) -> None:
    """Before a reveal: a round of cards face down, the other 49 voters' among them."""
    _as_facilitator(path, turned=False)
    _teammates_vote(path, n)


def _before_revote(path: Path, n: int) -> None:
    """Before a re-vote: the other 49 voters' cards down, and all turned."""
    _before_reveal(path, n)
    _as_facilitator(path, turned=True)


def _as_facilitator(path: Path, *, turned: bool) -> None:
    """`bench`, the facilitator, turns the cards or starts a new round, from this process,
    unless the round on the table is as wanted (`turned` or not)."""
    from planner_tui.store import poker_rounds
    from planner_tui.store.workspace import Workspace

    ws = Workspace.open(path, actor="bench")
    try:
        session_id = ws.row("SELECT max(id) FROM sessions WHERE status = 'open'")[0]
        row = ws.row(
            "SELECT revealed_at IS NOT NULL FROM estimation_rounds WHERE session_id = ?"
            " ORDER BY id DESC LIMIT 1",
            [session_id],
        )
        if bool(row[0]) != turned:
            (poker_rounds.reveal if turned else poker_rounds.revote)(ws, session_id)
    finally:
        ws.close()


def _teammates_vote(path: Path, n: int) -> None:
    """The other 49 voters put their cards down in the round on the table."""
    import poker

    from planner_tui.store import poker_rounds
    from planner_tui.store.workspace import Workspace

    for number in range(1, poker.VOTERS):
        name = f"voter{number:02d}"
        ws = Workspace.open(path, actor=name)
        try:
            session_id = ws.row("SELECT max(id) FROM sessions WHERE status = 'open'")[0]
            poker_rounds.cast_vote(ws, session_id, name, poker.CARDS[(number + n) % 3])
        finally:
            ws.close()


RARE = b"Item 424"
"""Held by a few items at every size (1 / 11 / 111 titles, of "Item N: ..."); a 2 typed
after it narrows them to 0 / 1 / 11: a search no early stop can cut short."""


def _rare(n: int) -> bytes:
    return b"2" if n % 2 == 0 else b"\x7f"


def _unvote(n: int) -> bytes:
    """Take my card back, and pick the next card with its digit (untimed)."""
    return b"\x7f" + b"358"[n % 3 : n % 3 + 1]


def _prepare(folder: Path, size: int) -> dict[str, Path]:
    import poker
    import retro
    import screens

    paths = {name: folder / f"{name}-{size}.db" for name in ("items", "retro", "poker")}
    screens._prepare(paths["items"], size, size // 10, size // 20)
    retro._prepare(paths["retro"], size // 5)
    poker._prepare(paths["poker"], size // 20)
    return paths


def _measure(paths: dict[str, Path], repeat: int, folder: Path, only: list[str]) -> list[Case]:
    floor, list_floor = FramedTerminal(FLOOR), FramedTerminal(LIST_FLOOR)
    results = []
    try:
        floor.start()
        list_floor.start()
        for case in _cases():
            if only and not any(part in case.name for part in only):
                continue
            app = FramedTerminal(
                [PLANNER, str(paths[case.workspace]), "--as", "bench"], mirror=True
            )
            replay: FramedTerminal | None = None
            try:
                app.start()
                for key in case.setup:
                    app.send(key)
                    app.quiet(0.4)
                for n in range(repeat + 2):  # the first two warm up
                    if case.arrange is not None:
                        case.arrange(paths[case.workspace], n)
                        app.quiet()
                    before = case.between(n)
                    if before is not None:
                        app.send(before)
                        app.quiet()
                    same_frame = 0.0
                    if replay is None:
                        shown = app.mirror.rows() if app.mirror else []
                    else:
                        same_frame = replay.key_frames(b"a")[1]
                    _, floor_settled = floor.key_frames(b"a")
                    _, list_settled = list_floor.key_frames(b"ab"[n % 2 : n % 2 + 1])
                    first, settled = app.key_frames(case.keys(n))
                    if n >= 2:
                        case.floors.append(floor_settled)
                        case.list_floors.append(list_settled)
                        case.same_frames.append(same_frame)
                        case.first.append(first)
                        case.settled.append(settled)
                    elif n == 1 and app.mirror is not None:
                        replay = _replay(case, folder, [shown, app.mirror.rows()])
            finally:
                app.close()
                if replay is not None:
                    replay.close()
            results.append(case)
    finally:
        floor.close()
        list_floor.close()
    return results


def _replay(case: Case, folder: Path, screens: list[list[list[Run]]]) -> FramedTerminal:
    """The bare app showing the two screens a warm-up key went between, each key the other."""
    path = folder / f"{case.name.replace(' ', '-')}.json"
    path.write_text(json.dumps(screens))
    case.lines = sum(a != b for a, b in zip(*screens, strict=True))
    replay = FramedTerminal([*REPLAY, str(path)])
    replay.start()
    return replay


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keys", default="", help="only keys whose names hold one of these")
    args = parser.parse_args()
    print(
        f"{'size':>8} {'key':<20} {'lines':>5} {'first':>8} {'settled':>8} {'p95':>8}"
        f" {'own frame':>8} {'ratio':>6}  {'one line':>8} {'ratio':>6}  {'list':>8} {'ratio':>6}"
    )
    floors = ("own frame", "one line", "list")
    within = dict.fromkeys(floors, 0)
    keys = slow = within_own = 0
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            paths = _prepare(Path(folder), size)
            only = [part for part in args.keys.split(",") if part]
            for case in _measure(paths, args.repeat, Path(folder), only):
                settled, p95 = statistics.median(case.settled), _p95(case.settled)
                medians = [
                    statistics.median(values)
                    for values in (case.same_frames, case.floors, case.list_floors)
                ]
                ratios = "  ".join(f"{floor:>6.1f}ms {settled / floor:>5.2f}x" for floor in medians)
                print(
                    f"{size:>8,} {case.name:<20} {case.lines:>5} "
                    f"{statistics.median(case.first):>6.1f}ms {settled:>6.1f}ms {p95:>6.1f}ms "
                    f"{ratios}",
                    flush=True,
                )
                keys += 1
                slow += p95 > 50
                for name, floor in zip(floors, medians, strict=True):
                    within[name] += settled <= 2 * floor
                within_own += settled <= 2 * medians[1 if "cursor" in case.name else 2]
    print(f"p95 <= 50 ms: {keys - slow} of {keys} keys")
    for name in floors:
        print(f"median <= 2x {name}: {within[name]} of {keys} keys")
    print(
        f"median <= 2x the bare app doing what the key shows (a cursor: one line; the rest:"
        f" the list): {within_own} of {keys} keys"
    )


if __name__ == "__main__":
    main()
