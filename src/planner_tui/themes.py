"""Themes of our own: a high-contrast one for projectors and washed-out screen shares."""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR = Theme(
    name="projector",
    primary="#FFD700",
    secondary="#00BFFF",
    accent="#FFD700",
    warning="#FFA500",
    error="#FF4040",
    success="#00E000",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#262626",
    dark=True,
    luminosity_spread=0.1,
    text_alpha=1.0,
    variables={
        "footer-key-foreground": "#FFD700",
        "block-cursor-background": "#FFD700",
        "block-cursor-foreground": "#000000",
        "input-selection-background": "#FFD700 40%",
    },
)
"""Pure white on black with saturated yellow accents: legible from the back of a room."""

PROJECTOR_LIGHT = Theme(
    name="projector-light",
    primary="#0000B0",
    secondary="#7A0000",
    accent="#0000B0",
    warning="#A05000",
    error="#C00000",
    success="#006000",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#E8E8E8",
    boost="#DDDDDD",
    dark=False,
    luminosity_spread=0.1,
    text_alpha=1.0,
)
"""Black on white for bright rooms where projectors wash out dark backgrounds."""

OUR_THEMES = (PROJECTOR, PROJECTOR_LIGHT)
