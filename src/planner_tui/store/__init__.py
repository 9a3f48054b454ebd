"""The store: the only layer that knows SQLite. One connection per process."""
