"""OpenAPI operations of the geo API (YAML read by apispec), kept apart so the views stay thin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

ERRORS = """
    400: {$ref: "#/components/responses/BadRequest"}
    401: {$ref: "#/components/responses/Unauthorized"}
    429: {$ref: "#/components/responses/TooManyRequests"}
"""
AMOUNTS = "Amounts are JSON strings with exactly two decimals (exact NUMERIC, never a float)."

POSTAL_CODES = f"""Choropleth.
---
get:
  tags: [geo]
  summary: Every postal code with its turnover and legend class (GeoJSON FeatureCollection)
  description: >-
    Postal codes without paystats have turnover "0.00" and legend class 0; classes 1..n are
    quantiles over the others, and `legend.breaks` holds min, the n-1 breaks and max.
    Filters narrow the paystats counted (from/to/age/gender) or the postal codes (bbox).
    {AMOUNTS}
  parameters:
    - {{in: query, schema: ChoroplethQuery}}
  responses:
    200:
      description: A FeatureCollection
      content:
        application/geo+json:
          example: {{"type": "FeatureCollection", "legend": {{"method": "quantile", "classes": 5,
            "breaks": ["1035.21", "50211.90", "90121.33", "150000.00", "260000.10", "900000.01"]}},
            "features": [{{"type": "Feature", "id": 6055, "properties": {{"code": "28001",
            "turnover": "123456.78", "legend_class": 3}}, "geometry": {{"type": "MultiPolygon",
            "coordinates": [[[[-3.68, 40.42], [-3.67, 40.42], [-3.67, 40.43],
            [-3.68, 40.42]]]]}}}}]}}
{ERRORS}"""

POSTAL_CODE = f"""One postal code.
---
get:
  tags: [geo]
  summary: One postal code with its total and its breakdowns by month and by age x gender
  description: {AMOUNTS}
  parameters:
    - {{in: path, schema: PostalCodePath}}
    - {{in: query, schema: PostalCodeQuery}}
  responses:
    200:
      description: A Feature
      content:
        application/geo+json:
          example: {{"type": "Feature", "id": 6055, "properties": {{"code": "28001",
            "turnover": "123456.78", "by_month": [{{"month": "2015-01", "turnover": "10000.00"}}],
            "by_age_gender": [{{"age": "25-34", "gender": "F", "turnover": "5000.00"}}]}},
            "geometry": {{"type": "MultiPolygon", "coordinates": [[[[-3.68, 40.42], [-3.67, 40.42],
            [-3.67, 40.43], [-3.68, 40.42]]]]}}}}
    404: {{$ref: "#/components/responses/NotFound"}}
{ERRORS}"""

TURNOVER = f"""Turnover.
---
get:
  tags: [geo]
  summary: Total turnover and turnover grouped by any of month, gender, age, postal_code
  description: >-
    The one aggregate behind every widget. Without group_by, `groups` is empty.
    {AMOUNTS}
  parameters:
    - {{in: query, schema: TurnoverQuery}}
  responses:
    200:
      description: The total and one entry per group, ordered by the keys
      content:
        application/json:
          example: {{"total": "15000.00", "groups": [{{"month": "2015-01", "gender": "F",
            "turnover": "7000.00"}}, {{"month": "2015-01", "gender": "M", "turnover": "8000.00"}}]}}
{ERRORS}"""

MADRID = f"""Madrid.
---
get:
  tags: [geo]
  summary: The union of every postal code, with turnover by month, age group and gender
  description: The geometry is a valid MultiPolygon; the totals count the paystats that the
    filters keep (months, age groups, genders). {AMOUNTS}
  parameters:
    - {{in: query, schema: RegionQuery}}
  responses:
    200:
      description: A Feature
      content:
        application/geo+json:
          example: {{"type": "Feature", "properties": {{"name": "Madrid", "turnover": "9.00",
            "by_month": [{{"month": "2015-01", "turnover": "9.00"}}], "by_age": [{{"age": "25-34",
            "turnover": "9.00"}}], "by_gender": [{{"gender": "F", "turnover": "9.00"}}]}},
            "geometry": {{"type": "MultiPolygon", "coordinates": [[[[-3.8, 40.3], [-3.6, 40.3],
            [-3.6, 40.5], [-3.8, 40.3]]]]}}}}
{ERRORS}"""

TILE = f"""Vector tile.
---
get:
  tags: [geo]
  summary: A Mapbox Vector Tile of postal codes (layer postal_codes, code and turnover)
  description: >-
    XYZ scheme, EPSG:3857, extent 4096. `turnover` is text with two decimals (exact).
    Tiles with no postal code are 204 with no body.
  parameters:
    - {{in: path, schema: TilePath}}
    - {{in: query, schema: FilterQuery}}
  responses:
    200:
      description: The tile
      content:
        application/vnd.mapbox-vector-tile:
          example: "(binary protobuf)"
    204:
      description: Nothing to draw in this tile
{ERRORS}"""

TILEJSON = """TileJSON.
---
get:
  tags: [geo]
  summary: TileJSON 3.0 describing the postal-code vector tiles
  responses:
    200:
      description: TileJSON
      content:
        application/json:
          example: {"tilejson": "3.0.0", "name": "postal_codes", "description": "Madrid postal
            codes with their turnover", "scheme": "xyz", "tiles":
            ["http://localhost/api/v1/tiles/postal-codes/{z}/{x}/{y}.mvt"], "minzoom": 8,
            "maxzoom": 16, "bounds": [-3.88896, 40.31206, -3.51796, 40.56406], "center":
            [-3.70346, 40.43806, 11], "vector_layers": [{"id": "postal_codes", "fields": {"code":
            "String", "turnover": "String"}}]}
"""
