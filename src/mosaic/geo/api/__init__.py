"""geo's blueprints: the JSON API under /api/v1 (`rest`) and OGC API - Features under /ogc."""
