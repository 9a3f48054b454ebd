"""Services: what screens and the CLI call. They speak domain models, never SQL."""
