"""`python -m planner_tui` runs the `planner` command."""

from planner_tui.cli import main

main()
