"""The bytes a terminal sends, as text Textual's input parser can take whole.

Textual's drivers decode what the terminal sends with a strict UTF-8 decoder, so a
single invalid byte (a Latin-1 terminal, a paste of binary junk, `send-keys -H ff`)
raised in its input thread and ended planner with a traceback. And its parser reads
an ESC inside a bracketed paste as the start of a key: a pasted `\\e[31mred` arrived
partly as keys typed before the paste, partly as the paste, in the wrong order.

Nor does any field keep what it is given from being drawn: a pasted ESC or
right-to-left override went to the terminal as it was, with every redraw of the field.

`TerminalDecoder` decodes with replacement (an invalid byte becomes U+FFFD) and hands
the parser a paste's text as `visible` makes it (ESC as ␛, a bidi override as
a named mark, line ends as new lines): what a field would show for it once saved, shown
from the start, for every field at once. `lenient_input` puts it in the place of the
decoder of the driver planner runs with.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable
from typing import ClassVar

from planner_tui.domain.text import visible

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


class TerminalDecoder:
    """An incremental UTF-8 decoder for terminal input (the interface Textual's drivers use).

    The parser is given every character as it comes; only a paste's text is changed, so
    the decoder follows the paste markers across reads: the start of one may end a read
    (the parser gets it as it is and waits for the rest), the start of a paste's end is
    kept back until the next read tells whether it is one.
    """

    on_end: ClassVar[Callable[[], object] | None] = None
    """Called (from the input thread) when the terminal is gone: a read found its end."""

    def __init__(self) -> None:
        self._ended = False
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pasting = False
        self._tail = ""  # outside a paste: the end of the last read, if it began a paste
        self._held = ""  # in a paste: what may begin its end (or a CR before an LF)

    def decode(self, data: bytes, final: bool = False) -> str:
        on_end = TerminalDecoder.on_end  # (a plain function is not this decoder's method)
        if not data and not final and not self._ended and on_end is not None:
            # The terminal hung up, and no SIGHUP ended us (ignored, or not sent: `su` in
            # a pane that closed). Textual reads the end again and again, a core's worth.
            self._ended = True
            on_end()
        text = self._held + self._utf8.decode(data, final)
        self._held = ""
        out: list[str] = []
        while text:
            if not self._pasting:
                seen = self._tail + text
                start = seen.find(PASTE_START)
                if start < 0:
                    out.append(text)
                    self._tail = seen[len(seen) - _begins(PASTE_START, seen) :]
                    break
                cut = start + len(PASTE_START) - len(self._tail)
                out.append(text[:cut])
                text = text[cut:]
                self._tail = ""
                self._pasting = True
                continue
            end = _paste_end(text)
            if end < 0:
                kept = 0 if final else max(_begins(PASTE_END, text), text.endswith("\r"))
                out.append(_pasted(text[: len(text) - kept]))
                self._held = text[len(text) - kept :]
                break
            out.append(_pasted(text[:end]) + PASTE_END)
            text = text[end + len(PASTE_END) :]
            self._pasting = False
        return "".join(out)


def _paste_end(text: str) -> int:
    """Where the paste's end marker is in `text` (-1: not in it). A terminal that lets
    pasted text hold the marker itself (tmux does) sends it twice or more: one that
    another follows, with no paste starting between, was pasted, and would have made
    the rest of the paste keys (a ctrl+q in it quit planner). Only what one read holds
    can be looked at: a marker in a paste longer than that still ends it."""
    end = text.find(PASTE_END)
    while end >= 0:
        later = text.find(PASTE_END, end + len(PASTE_END))
        if later < 0 or text.find(PASTE_START, end, later) >= 0:
            break
        end = later
    return end


def _pasted(text: str) -> str:
    """Pasted text as the parser should pass it on: visible, terminals' CR line ends as LF."""
    return visible(text.replace("\r\n", "\n").replace("\r", "\n"))


def _begins(marker: str, text: str) -> int:
    """How many characters at the end of `text` are the start of `marker` (not all of it)."""
    for length in range(min(len(marker) - 1, len(text)), 0, -1):
        if text.endswith(marker[:length]):
            return length
    return 0


def _terminal_decoder(encoding: str) -> Callable[[], TerminalDecoder]:
    """Stands in for `codecs.getincrementaldecoder` in a driver's module (which asks for
    UTF-8, the encoding of every terminal Textual supports)."""
    return TerminalDecoder


def lenient_input(driver_class: type, on_end: Callable[[], object] | None = None) -> type:
    """`driver_class`, decoding its input with `TerminalDecoder` (Textual's Linux, inline
    and web drivers look the decoder up in their module when input starts); `on_end` is
    called if the terminal goes away."""
    TerminalDecoder.on_end = on_end
    module = sys.modules[driver_class.__module__]
    if getattr(module, "getincrementaldecoder", None) is codecs.getincrementaldecoder:
        module.getincrementaldecoder = _terminal_decoder  # type: ignore[attr-defined]
    return driver_class
