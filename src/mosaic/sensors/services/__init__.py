"""Use cases of the sensors context: ingestion (with push authentication) and the read side."""
