"""Themes of our own: a high-contrast one for projectors and washed-out screen shares."""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter
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


# --- NO_COLOR ----------------------------------------------------------------------------

MIN_CONTRAST = 0.35
"""How far apart (in brightness, 0 to 1) a grey text and its grey background stay."""


class ReadableMonochrome(LineFilter):
    """What NO_COLOR draws: greys, as Textual's Monochrome does, but no text is lost. A
    warning in red became grey 237 on 233; a grey too close to its background's is drawn
    at the far end instead (white on a dark background, black on a light one). The
    backgrounds keep their greys, so a list's cursor row still stands out."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, _readable(style, background) if style else style, None)
            for text, style, _ in segments
        ]


@lru_cache(1024)
def _readable(style: Style, background: Color) -> Style:
    grey_background = (
        Color.from_rich_color(style.bgcolor).monochrome if style.bgcolor else background.monochrome
    )
    foreground = (
        Color.from_rich_color(style.color).monochrome
        if style.color
        else grey_background.get_contrast_text(1.0)
    )
    if abs(foreground.brightness - grey_background.brightness) < MIN_CONTRAST:
        foreground = WHITE if grey_background.brightness < 0.5 else BLACK
    return style + Style.from_color(
        foreground.rich_color, grey_background.rich_color if style.bgcolor else None
    )


WHITE = Color(255, 255, 255)
BLACK = Color(0, 0, 0)
READABLE_MONOCHROME = ReadableMonochrome()
