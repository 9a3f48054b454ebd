"""The domain: pydantic models and pure rules. No Textual, no SQL, no I/O."""
