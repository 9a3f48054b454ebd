"""What the room reads while estimating: the problem, acceptance criteria, options, risks, notes."""

from __future__ import annotations

from rich.text import Text

from planner_tui.domain.estimation import ItemContext
from planner_tui.domain.risk import severity
from planner_tui.domain.text import one_line

_SEVERITY_STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "green"}


def _multiline(text: str) -> Text:
    """User text over several lines: each line shown literally, control characters made visible."""
    return Text("\n").join(Text(one_line(line)) for line in text.strip().splitlines())


def _heading(title: str) -> Text:
    return Text(title, style="bold underline")


def context_text(item: ItemContext) -> Text:
    """The item's context, section by section; empty sections are left out."""
    blocks: list[Text] = []
    if item.problem.strip():
        blocks.append(Text("\n").join([_heading("Problem"), _multiline(item.problem)]))
    if item.acceptance.strip():
        criteria = [
            Text.assemble("• ", one_line(line.strip().lstrip("-*• ")))
            for line in item.acceptance.strip().splitlines()
            if line.strip()
        ]
        blocks.append(Text("\n").join([_heading("Acceptance criteria"), *criteria]))
    if item.metric:
        blocks.append(Text("\n").join([_heading("Success metric"), Text(one_line(item.metric))]))
    if item.options:
        options = [
            Text.assemble(
                ("* " if option.chosen else "  ", "bold"),
                one_line(option.description),
                (f"  effort {one_line(option.effort)}" if option.effort else "", "dim"),
                (f"  risk {option.risk.value}", "dim"),
            )
            for option in item.options
        ]
        blocks.append(Text("\n").join([_heading("Options"), *options]))
    if item.risks:
        risks = []
        for risk in item.risks:
            level = severity(risk.score).value
            risks.append(
                Text.assemble(
                    (f"{level:<8}", _SEVERITY_STYLES[level]),
                    one_line(risk.title),
                    (f"  {risk.category}", "dim"),
                    # (both: voting goes on, but a blocked item gets no final estimate)
                    (" · blocks its estimate and commitment" if risk.blocking else "", "bold red"),
                )
            )
        blocks.append(Text("\n").join([_heading(f"Open risks ({len(item.risks)})"), *risks]))
    if item.description.strip() and not item.problem.strip():
        blocks.append(Text("\n").join([_heading("Description"), _multiline(item.description)]))
    if item.notes.strip():
        blocks.append(Text("\n").join([_heading("Notes"), _multiline(item.notes)]))
    if item.earlier_notes:
        earlier = [Text(one_line(note), style="italic") for note in item.earlier_notes]
        blocks.append(Text("\n").join([_heading("From earlier sessions"), *earlier]))
    if not blocks:
        return Text("No problem statement, criteria or options yet. o adds notes.", style="dim")
    return Text("\n\n").join(blocks)
