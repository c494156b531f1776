"""The application layer: what ties analysis, storage and the chat front-ends together."""
