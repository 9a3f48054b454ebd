"""planner-tui: sprint planning, planning poker, risk flags and retros in the terminal."""

__version__ = "0.1.0"
