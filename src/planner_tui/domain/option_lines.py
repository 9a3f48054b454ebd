"""An item's options as lines of text, for editing them with the keyboard."""

from __future__ import annotations

from planner_tui.domain.enums import Level
from planner_tui.domain.models import Option

OPTIONS_HELP = (
    "One per line: description | effort | risk (low, medium, high). Start the chosen one with *."
)


def options_to_text(options: tuple[Option, ...]) -> str:
    """Options as the lines the editor shows."""
    return "\n".join(
        f"{'* ' if option.chosen else ''}{option.description} | {option.effort} | {option.risk.value}"
        for option in options
    )


def options_from_text(text: str) -> tuple[Option, ...]:
    """Parse the options lines; raises ValueError naming the line that is wrong."""
    options = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        chosen = line.lstrip().startswith("*")
        parts = [part.strip() for part in line.lstrip().removeprefix("*").split("|")]
        if len(parts) > 3:
            raise ValueError(f"line {number}: at most three parts, split by |")
        description, effort, risk = [*parts, "", ""][:3]
        if risk and risk.lower() not in {level.value for level in Level}:
            raise ValueError(f"line {number}: risk must be low, medium or high, not {risk!r}")
        if not description:
            raise ValueError(f"line {number}: an option needs a description")
        options.append(
            Option(
                description=description,
                effort=effort,
                risk=Level(risk.lower()) if risk else Level.MEDIUM,
                chosen=chosen,
            )
        )
    return tuple(options)
