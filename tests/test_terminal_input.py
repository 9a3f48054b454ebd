"""What the terminal sends, decoded for Textual's parser: bad bytes replaced, pastes whole."""

from __future__ import annotations

import pytest

from planner_tui.terminal_input import PASTE_END, PASTE_START, TerminalDecoder

from .hostile import ALL_CONTROLS, FORBIDDEN

KEYS = "a\x1b[A\x1bx\x1b[1;5C"
"""Typed before and after the paste: a letter, Up, alt+x, ctrl+Right, left as they are."""
PASTE = f"one{ALL_CONTROLS}two\r\nthree\rfour\u202e"


def test_a_paste_reaches_the_parser_as_visible_text_between_its_markers() -> None:
    sent = f"{KEYS}{PASTE_START}{PASTE}{PASTE_END}{KEYS}".encode()
    decoded = TerminalDecoder().decode(sent)
    before, _, rest = decoded.partition(PASTE_START)
    pasted, _, after = rest.partition(PASTE_END)
    assert before == KEYS and after == KEYS
    assert pasted.startswith("one␛]0;PWNED␇␛]2;PWNED␛\\␛]52;")
    assert "two\nthree\nfour‹RLO›" in pasted
    assert not FORBIDDEN.search(pasted.replace("\n", ""))


def test_bytes_that_are_not_utf8_become_replacement_characters() -> None:
    decoder = TerminalDecoder()
    assert decoder.decode(b"ab\xffc") == "ab\ufffdc"
    assert decoder.decode(b"\xe2\x82") == ""  # the start of €, waiting for its end
    assert decoder.decode(b"\xac!") == "€!"
    assert decoder.decode(PASTE_START.encode() + b"x\xc3(") == f"{PASTE_START}x\ufffd("


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64])
def test_reads_split_anywhere_decode_as_one_read(size: int) -> None:
    """A read may end inside a paste marker, a CR LF or a UTF-8 letter."""
    sent = f"{KEYS}{PASTE_START}{PASTE}€{PASTE_END}{KEYS}{PASTE_START}\x1b{PASTE_END}x".encode()
    whole = TerminalDecoder().decode(sent)
    decoder = TerminalDecoder()
    pieces = [decoder.decode(sent[at : at + size]) for at in range(0, len(sent), size)]
    assert "".join(pieces) == whole
    assert whole.endswith(f"{KEYS}{PASTE_START}␛{PASTE_END}x")


def test_the_drivers_planner_runs_with_read_input_with_it() -> None:
    """In a terminal (Linux driver) and served to a browser (web driver): each driver
    looks its decoder up in its module when its input starts."""
    from textual.drivers import linux_driver, web_driver

    from planner_tui.terminal_input import lenient_input

    for module, driver in (
        (linux_driver, linux_driver.LinuxDriver),
        (web_driver, web_driver.WebDriver),
    ):
        assert lenient_input(driver) is driver
        decoder = module.getincrementaldecoder("utf-8")()
        assert isinstance(decoder, TerminalDecoder)
        assert decoder.decode(b"a\xff") == "a\ufffd"


def test_a_paste_end_marker_inside_the_pasted_text_is_text() -> None:
    """tmux lets pasted text hold the end-of-paste marker: pasting `x ESC[201~ ctrl+q`
    sent START x END ^Q END, and the ^Q after the first END quit planner. A marker that
    another follows, with no paste starting between, was pasted."""
    sent = f"{PASTE_START}x{PASTE_END}\x11q{PASTE_END}y".encode()
    assert TerminalDecoder().decode(sent) == f"{PASTE_START}x␛[201~␑q{PASTE_END}y"
    two = f"{PASTE_START}a{PASTE_END}{PASTE_START}b{PASTE_END}q".encode()
    assert TerminalDecoder().decode(two) == two.decode()  # two pastes stay two


def test_the_end_of_the_terminal_is_told_once(monkeypatch: pytest.MonkeyPatch) -> None:
    ends: list[str] = []
    monkeypatch.setattr(TerminalDecoder, "on_end", lambda: ends.append("gone"))
    decoder = TerminalDecoder()
    assert decoder.decode(b"q") == "q" and ends == []
    assert decoder.decode(b"") == "" and decoder.decode(b"") == ""  # read again and again
    assert ends == ["gone"]
    assert decoder.decode(b"", final=True) == "" and ends == ["gone"]  # (Textual's last read)
