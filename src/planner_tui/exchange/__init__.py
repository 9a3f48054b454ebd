"""Export and import formats: Markdown, JSON, CSV, Jira, GitHub and Linear."""
