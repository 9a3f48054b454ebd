"""Making user text safe to draw: shown literally, never able to steer a terminal."""

from __future__ import annotations

_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_CONTROL_PICTURES[0x7F] = "\u2421"
_CONTROL_PICTURES[0x0A] = " "
_CONTROL_PICTURES[0x09] = " "
for _code in range(0x80, 0xA0):
    _CONTROL_PICTURES[_code] = "\ufffd"
_CONTROL_PICTURES.update({0x200E: "", 0x200F: "", 0x202A: "", 0x202B: "", 0x202C: ""})
_CONTROL_PICTURES.update({0x202D: "", 0x202E: "", 0x2066: "", 0x2067: "", 0x2068: "", 0x2069: ""})


def one_line(text: str, limit: int | None = None) -> str:
    """Text for a single screen line: control characters become visible symbols.

    Escape (shown as ␛), other C0/C1 controls and bidirectional overrides can
    neither move the cursor nor recolour another user's terminal. Newlines and
    tabs become spaces. With `limit`, long text is cut and ends in an ellipsis.
    """
    shown = text.translate(_CONTROL_PICTURES)
    if limit is not None and len(shown) > limit:
        return shown[: max(limit - 1, 0)] + "…"
    return shown


def count_of(number: int, noun: str, plural: str | None = None) -> str:
    """`1 card`, `3 cards`, `2 people` (with `plural` for nouns without an s)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def sentence(text: str) -> str:
    """`text` with its first letter upper case and the rest as it was (names keep their case)."""
    return text[:1].upper() + text[1:]
