"""Key-to-frame timing inside a headless app: when did the screen draw after a key?"""

from __future__ import annotations

import asyncio
import time
from typing import Any


def note_frames() -> list[float]:
    """Start noting the time of every frame the screens draw; the list fills as they do."""
    from textual.screen import Screen

    painted: list[float] = []
    draw = Screen._compositor_refresh

    def draw_and_note(screen: Screen[Any]) -> None:
        draw(screen)
        painted.append(time.perf_counter())

    Screen._compositor_refresh = draw_and_note  # type: ignore[method-assign]
    return painted


async def key_to_paint(
    app: Any, painted: list[float], key: str, character: str | None = None
) -> float:
    """Milliseconds from a key entering the app to the next frame drawn after it."""
    from textual import events

    await asyncio.sleep(0.02)  # let earlier work settle
    started = time.perf_counter()
    app.post_message(events.Key(key, character))  # handled later: no frame comes between
    return await next_frame(painted, started)


async def next_frame(painted: list[float], started: float) -> float:
    """Milliseconds from `started` to the next frame drawn from now on."""
    frames = len(painted)
    while len(painted) == frames:
        await asyncio.sleep(0)
    return (painted[frames] - started) * 1000
