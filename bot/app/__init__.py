"""The application layer: the use cases every entry point shares, with no transport in it."""
