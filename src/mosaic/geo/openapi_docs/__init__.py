"""OpenAPI operations of geo (YAML read by apispec): `rest` for /api/v1, `ogc` for /ogc."""
