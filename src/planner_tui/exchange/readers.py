"""Reading import files: bytes to text, which format a file is in, and text to imported items.

The readers are pure: file text in, `Parsed` (items and problems) out. They
never touch the workspace, so a dry run, a report of bad rows and the real
import all start from the same answer. Our own lossless JSON (`json`) is only
detected here; the workspace importer reads it.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable

from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.exchange import BACKLOG_COLUMNS, Parsed
from planner_tui.exchange.read_common import (
    CsvTable,
    ProgressCallback,
    collector_paused,
    csv_separator,
)
from planner_tui.exchange.read_csv import read_backlog_csv
from planner_tui.exchange.read_github import read_github_json
from planner_tui.exchange.read_jira import read_jira_csv
from planner_tui.exchange.read_linear import read_linear_csv

FORMATS = ("jira-csv", "github-json", "linear-csv", "csv", "json")
"""Every import format, as `--format` names them."""

_READERS: dict[str, Callable[[str, ProgressCallback | None], Parsed]] = {
    "jira-csv": read_jira_csv,
    "github-json": read_github_json,
    "linear-csv": read_linear_csv,
    "csv": read_backlog_csv,
}

_FORMAT_LIST = "jira-csv, github-json, linear-csv, csv and json"

_SAVE_AS_UTF8 = "save it as UTF-8 and try again"

_NON_SPACE = re.compile(r"\S")
_JSON = json.JSONDecoder()
_OUR_JSON_START = re.compile(r'\{\s*"format"\s*:\s*"planner-tui"')


def decode(data: bytes) -> str:
    """The text of an import file: UTF-8 (with or without a BOM), or UTF-16 with a BOM.

    The BOM is dropped. Anything else (Latin-1, a spreadsheet's binary format, an
    image) is refused rather than guessed at, since a wrong guess imports garbled titles.

    Raises:
        InvalidInput: the bytes are not such text; the message says where and what to do.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
        codecs.BOM_UTF32_LE
    ):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InvalidInput(
                f"the file is not UTF-8 text (it starts like UTF-16 but breaks off): {_SAVE_AS_UTF8}"
            ) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            byte = data[error.start]
            raise InvalidInput(
                f"the file is not UTF-8 text (byte 0x{byte:02X} on line {line}; "
                f"it may be Latin-1 or Windows-1252): {_SAVE_AS_UTF8}"
            ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InvalidInput(
            f"the file is not UTF-8 text (a NUL character on line {line}; is it a binary file?): "
            f"{_SAVE_AS_UTF8}"
        )
    return text


def detect(name: str, text: str) -> str:
    """Which of `FORMATS` the text is in, from its content (the name is only used in messages).

    JSON: a list of objects with `number` and `title` (or an empty list) is
    github-json; an object with `"format": "planner-tui"` is json. CSV, by its
    header: `Issue key` or `Summary` is jira-csv; `ID`, `Team` and `Title` is
    linear-csv; `title` with our other columns is csv.

    Raises:
        InvalidInput: the file is empty or in none of the formats; the message lists them.
    """
    text = text.lstrip("\ufeff")
    if not text or text.isspace():
        raise InvalidInput(f"{name} is empty: there is nothing to import")
    cannot_tell = (
        f"cannot tell which format {name} is in: planner reads {_FORMAT_LIST}; "
        "pass --format to say which"
    )
    start = _first_non_space(text, 0)
    if text[start] in ("[", "{"):
        found, json_error = _detect_json(text, start)
        if found:
            return found
        if json_error:
            raise InvalidInput(
                f"cannot tell which format {name} is in: it starts like JSON but {json_error}; "
                f"planner reads {_FORMAT_LIST}; pass --format to say which"
            )
    header = _csv_header(text)
    if header is None:
        raise InvalidInput(cannot_tell)
    if "issue key" in header or "summary" in header:
        return "jira-csv"
    if {"id", "team", "title"} <= header:
        return "linear-csv"
    if "title" in header and ("key" in header or header <= set(BACKLOG_COLUMNS)):
        return "csv"
    raise InvalidInput(cannot_tell)


def read(text: str, fmt: str, progress: ProgressCallback | None = None) -> Parsed:
    """The items in `text` read as `fmt`, and a problem for each row that cannot be an item.

    A file that cannot be read at all gives one problem at line 0 and no items.

    Args:
        text: the whole file, decoded (see `decode`).
        fmt: one of `FORMATS` other than `json`.
        progress: called with the rows read so far, about every thousand rows and at the end.

    Raises:
        InvalidInput: `fmt` is not a format read here.
    """
    reader = _READERS.get(fmt)
    if reader is None:
        if fmt == "json":
            raise InvalidInput("planner-tui JSON is read by the workspace import, not by read()")
        raise InvalidInput(f"there is no import format '{fmt}': choose one of {_FORMAT_LIST}")
    with collector_paused():
        parsed = reader(text, progress)
    if fmt.endswith("csv"):
        parsed = parsed.model_copy(update={"separator": csv_separator(text)})
    return parsed


def _detect_json(text: str, start: int) -> tuple[str | None, str | None]:
    """(github-json or json, None) for a JSON document in one of those shapes.

    (None, what is wrong) when the text is not JSON; (None, None) for JSON of another
    shape. A list is known by its first record, and our JSON by its opening
    `"format"`, so a large file is not parsed twice; the reader reports what is
    wrong further on.
    """
    try:
        if text[start] == "[":
            first_at = _first_non_space(text, start + 1)
            if text[first_at : first_at + 1] == "]":
                return "github-json", None
            first, _ = _JSON.raw_decode(text, first_at)
            if isinstance(first, dict) and "number" in first and "title" in first:
                return "github-json", None
            return None, None
        if _OUR_JSON_START.match(text, start):
            return "json", None
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return None, f"is not JSON (line {error.lineno}, column {error.colno}: {error.msg})"
    except ValueError:  # the only other refusal: a number with thousands of digits
        return None, "is not JSON a reader can follow (a number has thousands of digits)"
    except RecursionError:
        return None, "is nested too deeply to read"
    if isinstance(document, dict) and document.get("format") == "planner-tui":
        return "json", None
    return None, None


def _first_non_space(text: str, position: int) -> int:
    """Where the first character after `position` that is not white space is (`len(text)` if none)."""
    found = _NON_SPACE.search(text, position)
    return found.start() if found else len(text)


_HEADER_SPAN = 256 * 1024
"""How much of a file's start detection reads for the CSV header: far more than any header."""


def _csv_header(text: str) -> set[str] | None:
    """The first row's names, trimmed and case-folded; None when the text is not CSV."""
    table = CsvTable(text[:_HEADER_SPAN])
    if table.read_header() is not None:
        return None
    return {name.casefold() for name in table.header}
