"""Key-to-frame timing inside a headless app: when did the screen draw after a key?"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any


def note_frames(shows: Callable[[], bool] | None = None) -> list[float]:
    """Start noting the time of every frame the screens draw; the list fills as they do.
    With `shows`, the first frame drawn while `shows()` holds is noted in `FIRST_SHOWN`."""
    from textual.screen import Screen

    painted: list[float] = []
    draw = Screen._compositor_refresh

    def draw_and_note(screen: Screen[Any]) -> None:
        draw(screen)
        painted.append(time.perf_counter())
        if shows is not None and not FIRST_SHOWN and shows():
            FIRST_SHOWN.append(painted[-1])

    Screen._compositor_refresh = draw_and_note  # type: ignore[method-assign]
    return painted


FIRST_SHOWN: list[float] = []
"""The time of the first frame drawn while `note_frames`'s `shows()` held."""


async def key_to_paint(
    app: Any, painted: list[float], key: str, character: str | None = None
) -> float:
    """Milliseconds from a key entering the app to the next frame drawn after it."""
    from textual import events

    await asyncio.sleep(0.02)  # let earlier work settle
    started = time.perf_counter()
    app.post_message(events.Key(key, character))  # handled later: no frame comes between
    return await next_frame(painted, started)


async def next_frame(painted: list[float], started: float, after: int | None = None) -> float:
    """Milliseconds from `started` to the next frame drawn from now on (or after the
    first `after` frames: the first frame after a key sent when there were that many).

    Raises:
        TimeoutError: no frame in 10 s (a key that changes nothing draws nothing: a
            page down at the end of the list).
    """
    frames = len(painted) if after is None else after
    while len(painted) <= frames:
        if time.perf_counter() - started > FRAME_DEADLINE:
            raise TimeoutError(f"no frame within {FRAME_DEADLINE:g} s of the key")
        await asyncio.sleep(0)
    return (painted[frames] - started) * 1000


FRAME_DEADLINE = 10.0


def p95(values: list[float]) -> float:
    """The 95th percentile of `values` (the largest, with fewer than two)."""
    import statistics

    if len(values) < 2:
        return max(values)
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


async def settle(app: Any, pilot: Any) -> None:
    """Let a write, the read it starts, and one asked for meanwhile finish and draw."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def rereads_ms(
    app: Any,
    pilot: Any,
    painted: list[float],
    screen: Any,
    shown: str,
    repeat: int,
    change: Callable[[int], object] | None = None,
) -> list[float]:
    """Milliseconds from `screen.load()` (what a teammate's change does: a read in a worker)
    to the frame after `screen.<shown>` was replaced by what it read, `repeat` times.

    With `change`: from `change(n)`, a teammate's change made from this process, to the
    frame that shows it, read when the app noticed it by itself. (A read of what is
    already shown draws nothing, so has no frame to time.)"""
    times = []
    for n in range(repeat):
        await settle(app, pilot)
        await asyncio.sleep(0.02)
        before = getattr(screen, shown)
        started = time.perf_counter()
        if change is None:
            screen.load()
        else:
            change(n)
        while getattr(screen, shown) is before:
            await asyncio.sleep(0)
        times.append(await next_frame(painted, started))
    return times


def floor_key_ms(repeat: int = 30) -> float:
    """The floor: median milliseconds from a key to its frame in the bare Textual app of
    bench/minimal_app.py (120x40, headless, as the benches run planner), where each key
    rewrites its one line. Print it beside a bench's figures, measured in the same run."""
    import statistics

    from minimal_app import MinimalApp
    from textual import events
    from textual.widgets import Static

    class KeyedApp(MinimalApp):
        def on_key(self, event: events.Key) -> None:
            self.query_one(Static).update(f"{event.key} at {time.perf_counter():.6f}")

    painted = note_frames()
    app = KeyedApp()

    async def run() -> list[float]:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return [await key_to_paint(app, painted, "down") for _ in range(repeat)]

    return statistics.median(asyncio.run(run()))


def print_floor() -> float:
    """Measure the floor and print it with the targets keys are held to."""
    floor = floor_key_ms()
    print(
        f"floor: a key in a bare Textual app to its frame {floor:.1f} ms; targets: open "
        f"<= 150 ms, keys median <= {2 * floor:.1f} ms (2x the floor), p95 <= 50 ms"
    )
    return floor
