"""OpenAPI operations of OGC API - Features under /ogc (YAML read by apispec)."""

from __future__ import annotations

ERRORS = """
    400: {$ref: "#/components/responses/BadRequest"}
    401: {$ref: "#/components/responses/Unauthorized"}
    429: {$ref: "#/components/responses/TooManyRequests"}
"""
FORMAT = """
    - {in: query, schema: FormatQuery}
"""
COLLECTION_ID = """
    - {in: path, name: collection_id, required: true, description: "The collection.",
       schema: {type: string, enum: [postal-codes, madrid], example: postal-codes}}
"""
COLLECTION_EXAMPLE = """{"id": "postal-codes", "title": "Madrid postal codes",
            "description": "The 101 postal codes of Madrid", "itemType": "feature", "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
            "extent": {"spatial": {"bbox": [[-3.89, 40.31, -3.52, 40.64]],
            "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}, "temporal": {"interval":
            [["2015-01-01T00:00:00Z", "2015-12-31T23:59:59Z"]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}},
            "links": [{"href": "http://localhost/ogc/collections/postal-codes/items",
            "rel": "items", "type": "application/geo+json", "title": "Madrid postal codes"}]}"""
LINK = """{"href": "http://localhost/ogc/collections", "rel": "data", "type": "application/json",
            "title": "The collections"}"""
FEATURE_EXAMPLE = """{"type": "Feature", "id": "28001", "properties": {"code": "28001",
            "turnover": "123456.78", "legend_class": 3, "period_start": "2015-01-01",
            "period_end": "2015-12-31"}, "geometry": {"type": "MultiPolygon",
            "coordinates": [[[[-3.68, 40.42], [-3.67, 40.42], [-3.67, 40.43], [-3.68, 40.42]]]]}}"""

LANDING_PAGE = """OGC landing page.
---
get:
  tags: [ogc]
  summary: OGC API - Features landing page (links to the API definition, conformance, data)
  description: >-
    Add `<server>/ogc` in QGIS (Layer > Add Layer > Add WFS / OGC API - Features Layer) or open
    `OAPIF:<server>/ogc` with GDAL.
  parameters:
    - {in: query, schema: FormatQuery}
  responses:
    200:
      description: The landing page
      content:
        application/json:
          example: {"title": "Mosaic: Madrid postal codes and turnover", "description":
            "OGC API - Features over Mosaic's geo data.", "links": [{"href":
            "http://localhost/ogc/collections", "rel": "data", "type": "application/json",
            "title": "The collections"}]}
"""

CONFORMANCE = """OGC conformance.
---
get:
  tags: [ogc]
  summary: The conformance classes met (Part 1 core and GeoJSON)
  parameters:
    - {in: query, schema: FormatQuery}
  responses:
    200:
      description: The classes
      content:
        application/json:
          example: {"conformsTo": ["http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"]}
"""

COLLECTIONS = f"""OGC collections.
---
get:
  tags: [ogc]
  summary: The collections postal-codes (101 features) and madrid (their union)
  description: Each with its extent, in CRS84 and over the paystat months.
  parameters:{FORMAT}  responses:
    200:
      description: The collections
      content:
        application/json:
          example: {{"links": [{LINK}], "collections": [{COLLECTION_EXAMPLE}]}}
"""

COLLECTION = f"""OGC collection.
---
get:
  tags: [ogc]
  summary: One collection's description and extent
  parameters:{COLLECTION_ID}
  responses:
    200:
      description: The collection
      content:
        application/json:
          example: {COLLECTION_EXAMPLE}
    404: {{$ref: "#/components/responses/NotFound"}}
"""

ITEMS = f"""OGC items.
---
get:
  tags: [ogc]
  summary: A page of a collection's features (GeoJSON), with numberMatched and next/prev links
  description: >-
    `limit` 1 to 1000 (default 10; larger values mean 1000), `offset` (carried by the next/prev
    links), `bbox` (CRS84, features intersecting it), `datetime` (an instant or an interval
    start/end, `..` open: the turnover sums the paystat months it touches), and on postal-codes
    `code` (one postal code). Feature ids are the postal codes (`madrid` for the union);
    `turnover` is a string with two decimals; `legend_class` is the quantile class (0 none,
    1-5) over every postal code for the same months. Any other parameter is a 400.
  parameters:{COLLECTION_ID}
    - {{in: query, schema: PostalCodeItemsQuery}}
  responses:
    200:
      description: A FeatureCollection
      content:
        application/geo+json:
          example: {{"type": "FeatureCollection", "numberMatched": 101, "numberReturned": 1,
            "timeStamp": "2026-01-01T00:00:00Z", "links": [{{"href":
            "http://localhost/ogc/collections/postal-codes/items?limit=1&offset=1",
            "rel": "next", "type": "application/geo+json", "title": "Next page"}}],
            "features": [{FEATURE_EXAMPLE}]}}
    404: {{$ref: "#/components/responses/NotFound"}}
{ERRORS}"""

ITEM = f"""OGC item.
---
get:
  tags: [ogc]
  summary: One feature (a postal code, or madrid), or a 404
  parameters:{COLLECTION_ID}
    - {{in: path, name: feature_id, required: true, schema: {{type: string, example: "28001"}},
       description: "A postal code, or madrid in the madrid collection."}}
    - {{in: query, schema: ItemQuery}}
  responses:
    200:
      description: A Feature
      content:
        application/geo+json:
          example: {FEATURE_EXAMPLE}
    404: {{$ref: "#/components/responses/NotFound"}}
{ERRORS}"""
