"""The published shape of exported recommendations (JSON Schema 2020-12).

Version 1. Adding an optional field keeps the version; renaming or removing
one, or changing a type, makes version 2 (served next to version 1 for a year).
The JSON export, the JSON API and its OpenAPI description all use these."""

SCHEMA_VERSION = 1
SCHEMA_ID = "urn:warsztat:recommendations:1"

_text = {"type": "string"}
_timestamp = {"type": "string", "format": "date-time"}

RECOMMENDATION = {
    "type": "object",
    "description": "A recommendation of the subgroup, as it is now (or as it was sent).",
    "required": [
        "id",
        "reference",
        "problem_area",
        "category",
        "number",
        "title",
        "summary",
        "body",
        "addressee",
        "expected_impact",
        "status",
        "authors",
        "challenges",
        "support",
        "strategies",
        "answers",
        "created_at",
        "updated_at",
        "url",
    ],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "reference": {
            "type": "string",
            "description": "Stable number: problem area / category / sequence, e.g. G03/R2/5.",
            "pattern": "^G[0-9]{2}/R[0-9]+/[0-9]+$",
        },
        "problem_area": {
            "type": "object",
            "required": ["code", "title"],
            "additionalProperties": False,
            "properties": {"code": _text, "title": _text},
        },
        "category": {
            "type": "object",
            "required": ["code", "name"],
            "additionalProperties": False,
            "properties": {"code": _text, "name": _text},
        },
        "number": {"type": "integer"},
        "title": _text,
        "summary": _text,
        "body": {"type": "string", "description": "Markdown."},
        "addressee": {"type": "string", "description": "The institution expected to act."},
        "expected_impact": _text,
        "status": {
            "type": "string",
            "enum": [
                "draft",
                "discussion",
                "agreed",
                "submitted",
                "answered",
                "withdrawn",
                "merged",
            ],
        },
        "authors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "organisation", "sector"],
                "additionalProperties": False,
                "properties": {
                    "name": _text,
                    "organisation": {"type": ["string", "null"]},
                    "sector": {"type": ["string", "null"]},
                },
            },
        },
        "challenges": {"type": "array", "items": _text},
        "support": {
            "type": "object",
            "required": ["total", "by_sector"],
            "additionalProperties": False,
            "properties": {
                "total": {"type": "integer", "minimum": 0},
                "by_sector": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["sector", "count"],
                        "additionalProperties": False,
                        "properties": {"sector": _text, "count": {"type": "integer"}},
                    },
                },
            },
        },
        "strategies": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title", "place", "country", "relation", "sdgs"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "integer"},
                    "title": _text,
                    "place": _text,
                    "country": _text,
                    "relation": {
                        "type": "string",
                        "enum": ["good_practice", "evidence", "implements"],
                    },
                    "sdgs": {
                        "type": "array",
                        "items": {"type": "integer", "minimum": 1, "maximum": 17},
                    },
                },
            },
        },
        "answers": {
            "type": "array",
            "description": "Published official answers of ministries.",
            "items": {
                "type": "object",
                "required": ["ministry", "verdict", "reasoning", "published_at"],
                "additionalProperties": False,
                "properties": {
                    "ministry": _text,
                    "verdict": {
                        "type": "string",
                        "enum": ["accepted", "under_analysis", "partly_accepted", "rejected"],
                    },
                    "reasoning": _text,
                    "published_at": _timestamp,
                },
            },
        },
        "created_at": _timestamp,
        "updated_at": _timestamp,
        "url": {"type": "string", "format": "uri"},
    },
}

#: The whole JSON export file.
EXPORT_DOCUMENT = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "Warsztat recommendations export",
    "type": "object",
    "required": ["$schema", "schema_version", "generated_at", "selection", "recommendations"],
    "properties": {
        "$schema": {"const": SCHEMA_ID},
        "schema_version": {"const": SCHEMA_VERSION},
        "generated_at": _timestamp,
        "selection": {
            "type": "object",
            "description": "The filters the export was made with.",
            "additionalProperties": {"type": ["string", "integer"]},
        },
        "recommendations": {"type": "array", "items": RECOMMENDATION},
    },
}
