"""Domain models and pure rules: no SQLite, no Textual."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from pydantic import ValidationError

from planner_tui.domain.enums import RiskCategory
from planner_tui.domain.models import (
    NewCard,
    NewItem,
    NewRetroBoard,
    NewRisk,
    NewSprint,
    Option,
    Person,
)
from planner_tui.domain.risk import Severity, risk_score, severity
from planner_tui.domain.text import as_edited, one_line, visible


def test_item_title_is_kept_exactly() -> None:
    title = "  [WIP] login [/] 😀 שלום\x1b[31m  "
    assert NewItem(title=title).title == title


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_item_needs_a_title(title: str) -> None:
    with pytest.raises(ValidationError, match="title must not be empty"):
        NewItem(title=title)


def test_item_value_runs_from_one_to_ten() -> None:
    assert NewItem(title="x", value=10).value == 10
    with pytest.raises(ValidationError):
        NewItem(title="x", value=11)
    with pytest.raises(ValidationError):
        NewItem(title="x", value=0)


def test_item_accepts_a_ten_thousand_character_title() -> None:
    assert len(NewItem(title="x" * 10_000).title) == 10_000


def test_tags_drop_blanks_and_duplicates() -> None:
    assert NewItem(title="x", tags=("a", " ", "b", "a")).tags == ("a", "b")


def test_at_most_one_option_is_chosen() -> None:
    options = (Option(description="autofill", chosen=True), Option(description="save", chosen=True))
    with pytest.raises(ValidationError, match="at most one option"):
        NewItem(title="x", options=options)


def test_models_are_frozen() -> None:
    item = NewItem(title="x")
    with pytest.raises(ValidationError):
        item.title = "y"  # type: ignore[misc]


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        NewItem(title="x", colour="red")  # type: ignore[call-arg]


def test_sprint_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="cannot end before"):
        NewSprint(name="S1", start=date(2026, 1, 10), end=date(2026, 1, 9))


@pytest.mark.parametrize("name", ["", "a\x1bb", "x" * 65, "tab\there"])
def test_person_names_are_printable_and_short(name: str) -> None:
    with pytest.raises(ValidationError):
        Person(name=name)


def test_person_name_may_be_unicode() -> None:
    assert Person(name="zoë 😀").name == "zoë 😀"


def test_security_risks_block_by_default() -> None:
    security = NewRisk(title="OAuth", category=RiskCategory.SECURITY, likelihood=2, impact=5)
    technical = NewRisk(
        title="Rate limit", category=RiskCategory.DEPENDENCY, likelihood=4, impact=3
    )
    assert security.is_blocking
    assert not technical.is_blocking
    assert not NewRisk(
        title="x", category=RiskCategory.SECURITY, likelihood=1, impact=1, blocking=False
    ).is_blocking


@pytest.mark.parametrize("likelihood,impact", [(0, 3), (6, 1), (3, 0), (3, 6)])
def test_risk_scales_run_from_one_to_five(likelihood: int, impact: int) -> None:
    with pytest.raises(ValidationError):
        NewRisk(title="x", likelihood=likelihood, impact=impact)
    with pytest.raises(ValueError):
        risk_score(likelihood, impact)


@pytest.mark.parametrize(
    "likelihood,impact,expected",
    [
        (1, 1, Severity.LOW),
        (2, 2, Severity.LOW),
        (1, 5, Severity.MEDIUM),
        (3, 3, Severity.MEDIUM),
        (2, 5, Severity.HIGH),
        (3, 5, Severity.HIGH),
        (4, 4, Severity.CRITICAL),
        (5, 5, Severity.CRITICAL),
    ],
)
def test_severity_bands(likelihood: int, impact: int, expected: Severity) -> None:
    assert severity(risk_score(likelihood, impact)) is expected


def test_board_needs_columns() -> None:
    with pytest.raises(ValidationError):
        NewRetroBoard(template="custom", columns=())
    with pytest.raises(ValidationError):
        NewRetroBoard(template="custom", columns=("Went well", " "))


def test_card_needs_text() -> None:
    with pytest.raises(ValidationError):
        NewCard(column="Went well", text="  ")


def test_one_line_makes_control_characters_visible() -> None:
    shown = one_line("a\x1b[2Jb\x07c\nd\u202ee\x9b")
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\x9b" not in shown
    assert shown.startswith("a␛[2Jb␇c d")


def test_visible_keeps_lines_and_names_every_control() -> None:
    hostile = "title\x1b]0;owned\x07\nclip\x1b]52;c;aGk=\x07\x00\x9b2J\u202edaer\r\nend"
    shown = visible(hostile)
    assert shown == "title␛]0;owned␇\nclip␛]52;c;aGk=␇␀‹9B›2J‹RLO›daer\nend"
    assert all(ch == "\n" or ord(ch) >= 0x20 for ch in shown)


def test_one_line_keeps_brackets_emoji_and_rtl() -> None:
    text = "[bold]not bold[/] 😀 مرحبا"
    assert one_line(text) == text


def test_a_field_left_as_shown_keeps_the_stored_text_exactly() -> None:
    stored = "Pay\x1b]0;owned\x07 now\ttoday"
    assert as_edited(one_line(stored), stored) == stored
    assert as_edited("Pay now", stored) == "Pay now"
    lines = "first\x1b[2J\r\nsecond\u202e"
    assert as_edited(visible(lines), lines, multiline=True) == lines
    assert as_edited("", "") == ""


def test_an_edited_field_keeps_the_controls_it_did_not_touch() -> None:
    """Adding one word to a title with a right-to-left mark or an escape once saved the
    symbols the screen showed for them (RLM, ESC) as the title's own text."""
    title = "Pay \u200fnow\x1b[31m"
    assert as_edited(one_line(title) + " today", title) == title + " today"
    lines = "first\x1b[2J\r\nsecond\u202e"
    edited = as_edited(visible(lines) + "!", lines, multiline=True)
    assert edited == "first\x1b[2J\nsecond\u202e!"
    assert as_edited("typed ␛ by hand", "plain") == "typed ␛ by hand"


def test_one_line_cuts_with_an_ellipsis() -> None:
    assert one_line("abcdefgh", 5) == "abcd…"
    assert one_line("abc", 5) == "abc"


def test_domain_imports_no_textual_or_sqlite() -> None:
    import subprocess

    code = (
        "import sys, planner_tui.domain.models, planner_tui.domain.risk, planner_tui.domain.text,"
        " planner_tui.domain.overview;"
        "bad = [m for m in ('textual', 'sqlite3', 'sqlite_utils') if m in sys.modules];"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_a_plain_table_column_lines_up_whatever_the_text() -> None:
    """`planner people` and `planner share` once glued a long file name to the next column
    and pushed an emoji's row one column right."""
    from planner_tui.domain.text import cells, padded

    assert [cells(text) for text in ("sam", "🎉party", "日本", "e\u0301", "👩\u200d💻")] == [
        3,
        7,
        4,
        1,
        4,
    ]
    rows = [padded(name, 8) + "|" for name in ("sam", "🎉party", "日本")]
    assert {cells(row) for row in rows} == {9}
    assert padded("a-rather-long-workspace.db", 14).endswith(".db ")


@pytest.mark.parametrize(
    ("name", "taken"),
    [
        ("maya", True),
        ("Zoë [red]Q[/] 👩\u200d💻", True),  # a joiner inside an emoji sequence
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", True),  # and inside a Persian word
        ("bo\u200db", False),  # but not between letters it would hide between
        ("\u00fc\u200d\u00df", False),  # (Latin ones beyond ASCII too)
        ("\u0915\u094d\u200d\u0937", True),  # a Devanagari conjunct shown half-formed
        ("\u2764\ufe0f Lena", True),  # a variation selector after an emoji
        ("bob\ufe0f", False),  # not after a letter it would hide behind
        ("bob\u034f", False),  # the combining grapheme joiner
        ("bob\u3164", False),  # a Hangul filler
        ("bob\uffa0", False),
        ("bob\u2800", False),  # the blank Braille pattern
        ("\u200d👩", False),
        ("bo\u200bb", False),
        ("bo\u2060b", False),
        ("bo\u00adb", False),
        ("\u202ebob", False),
        ("bo\x9bb", False),
        ("a" * 64, True),
        ("a" * 65, False),
        ("   ", False),
    ],
)
def test_a_name_is_visible_letter_by_letter(name: str, taken: bool) -> None:
    from planner_tui.domain.text import is_name

    assert is_name(name) is taken
