"""A screen shows what it shows in its first frame: no frame of an empty screen before its
data, no frame drawn and thrown away after a screen's key, and no screen under it drawn
again beneath each of its frames."""

from __future__ import annotations

import pytest

from planner_tui.services.context import Session
from tests.conftest import live_app, settle


@pytest.mark.parametrize("key", ["1", "6"])
async def test_a_screen_is_drawn_on_its_own_background(demo_session: Session, key: str) -> None:
    """A mixin that was a DOMNode hid Screen's styles from every screen here: no background
    of its own, so each frame of a screen shown over another (a retro board over the
    retro list) drew the one under it again beneath it."""
    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(key)
        await settle(pilot)
        for screen in app.screen_stack:
            assert screen.styles.background.a == 1, type(screen).__name__
