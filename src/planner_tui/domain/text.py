"""Making user text safe to draw: shown literally, never able to steer a terminal.

`visible` is the one place stored text becomes something a terminal may be sent:
every screen, dialog, toast and CLI line draws user text through it (or through
`one_line`, its single-line form). Files keep the exact text; only what a reader
would render (Markdown) is passed through here too.
"""

from __future__ import annotations

import unicodedata

_BIDI_NAMES = {
    0x061C: "ALM",
    0x200E: "LRM",
    0x200F: "RLM",
    0x202A: "LRE",
    0x202B: "RLE",
    0x202C: "PDF",
    0x202D: "LRO",
    0x202E: "RLO",
    0x2066: "LRI",
    0x2067: "RLI",
    0x2068: "FSI",
    0x2069: "PDI",
}
"""Bidirectional controls: they can reorder what a reader sees (a `Trojan Source` title)."""

_VISIBLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
"""C0 controls as their Control Pictures (ESC as ␛, BEL as ␇, NUL as ␀), DEL as ␡,
C1 controls (0x80-0x9F, CSI and OSC among them) as ‹9B›, bidi controls by name."""
_VISIBLE[0x7F] = "\u2421"
_VISIBLE.update({code: f"\u2039{code:02X}\u203a" for code in range(0x80, 0xA0)})
_VISIBLE.update({code: f"\u2039{name}\u203a" for code, name in _BIDI_NAMES.items()})
_VISIBLE[0x09] = "    "
_VISIBLE[0x2028] = "\n"  # line and paragraph separators: a new line, as a reader means it
_VISIBLE[0x2029] = "\n"

_ONE_LINE = dict(_VISIBLE)
_ONE_LINE.update({0x0A: " ", 0x09: " ", 0x2028: " ", 0x2029: " "})

_MULTI_LINE = dict(_VISIBLE)
_MULTI_LINE[0x0A] = "\n"
_MULTI_LINE[0x0D] = ""  # a Windows line end is a line end, not a visible ␍


def visible(text: str) -> str:
    """Text that may reach a terminal: line breaks kept, every other control made visible.

    Escape (␛), the other C0 and C1 controls, DEL and bidirectional overrides can
    neither move the cursor, set a window title, write the clipboard nor reorder
    what a reader sees: they are drawn as symbols instead. Brackets, emoji and
    right-to-left letters are left as they are.
    """
    return text.translate(_MULTI_LINE)


def one_line(text: str, limit: int | None = None) -> str:
    """`visible` text for a single screen line: newlines and tabs become spaces.

    With `limit`, long text is cut and ends in an ellipsis.
    """
    shown = text.translate(_ONE_LINE)
    if limit is not None and len(shown) > limit:
        return shown[: max(limit - 1, 0)] + "…"
    return shown


def as_edited(typed: str, stored: str, *, multiline: bool = False) -> str:
    """What to save from a field that was pre-filled with `stored` as the screen shows it.

    While the field still holds the shown form (`one_line`, or `visible` with
    `multiline`), that is the stored text itself, exact: saving an unchanged field
    changes nothing. Once edited, the field holds what the user typed, with the
    stored text's controls (shown as symbols) as they were.
    """
    table = _MULTI_LINE if multiline else _ONE_LINE
    if typed == stored.translate(table):
        return stored
    # Edited: the symbols shown for the stored text's controls are those controls again,
    # so changing one word of a title keeps its right-to-left mark (a tab or a line
    # separator, shown as plain white space, cannot be told from typed spaces).
    for control in {char for char in stored if ord(char) in table}:
        symbol = table[ord(control)]
        if symbol and not symbol.isspace():
            typed = typed.replace(symbol, control)
    return typed


def cells(text: str) -> int:
    """How many terminal columns `text` takes: wide letters and emoji two, marks none."""
    return sum(
        0 if unicodedata.combining(char) or char == "\u200d" else
        2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )  # fmt: skip


def padded(text: str, width: int) -> str:
    """`text` and spaces to fill `width` columns, and one at least: a column of a plain
    table for a terminal, aligned whatever the text (emoji, CJK, a name too long)."""
    return text + " " * max(1, width - cells(text))


def count_of(number: int, noun: str, plural: str | None = None) -> str:
    """`1 card`, `3 cards`, `2 people` (with `plural` for nouns without an s)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def sentence(text: str) -> str:
    """`text` with its first letter upper case and the rest as it was (names keep their case)."""
    return text[:1].upper() + text[1:]


NAME_RULE = "a name needs 1 to 64 printable characters, none of them invisible"


JOINERS = frozenset("\u200c\u200d")
"""Zero-width (non-)joiners: invisible, yet part of an emoji sequence (👩‍💻) or of a
Persian or Indic word."""

_SELECTORS = frozenset(map(chr, [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]))
"""Variation selectors: they pick how the character before them looks (❤️ in colour)."""

_UNSEEN = frozenset(
    map(
        chr,
        [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, *range(0x180B, 0x1810), 0x2800, 0x3164,
         0xFFA0, *range(0x1BCA0, 0x1BCA4), *range(0x1D173, 0x1D17B)],
    )
)  # fmt: skip
"""Printable to Python, yet nothing to see: the combining grapheme joiner, Hangul and
Mongolian fillers and selectors, the blank Braille pattern, musical formatting marks."""


def _joins(char: str) -> bool:
    """Whether a joiner may stand beside `char`: not ASCII, not a cased letter."""
    return not char.isascii() and unicodedata.category(char) not in ("Lu", "Ll", "Lt")


def name_key(value: str) -> str:
    """A name as kept and compared: trimmed, and composed (NFC), so that an `é` typed as
    `e` and an accent is the same name as `é`, not a second person who looks the same."""
    return unicodedata.normalize("NFC", value.strip())


def is_name(value: str) -> bool:
    """Whether `value` may be a person's name: 1 to 64 characters, not all spaces, each
    one printable and seen. Controls, bidi overrides, zero-width and no-break spaces,
    fillers (none of them anything to see) would let `bo\u200bb` pass for `bob`. A
    joiner is taken between two characters that may need one (in an emoji sequence, a
    Persian or Indic word; never between Latin, Greek or Cyrillic letters), a variation
    selector after a character beyond ASCII (❤️)."""
    if not (0 < len(value) <= 64 and value.strip()):
        return False
    for at, char in enumerate(value):
        before, after = value[at - 1 : at], value[at + 1 : at + 2]
        if char in JOINERS:
            if not (before and after and _joins(before) and _joins(after)):
                return False
        elif char in _SELECTORS:
            if not before or before.isascii():
                return False
        elif char in _UNSEEN or not char.isprintable():
            return False
    return True
