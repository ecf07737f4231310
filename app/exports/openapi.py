"""The OpenAPI 3.1 description of the JSON API, built from the same schema as the export."""

from sqlalchemy import select

from app.exports.schema import RECOMMENDATION
from app.extensions import db
from app.mail import absolute_url
from app.problems.models import ProblemArea, RecommendationCategory
from app.recommendations.models import STATUSES

_error = {"$ref": "#/components/responses/Error"}
_unauthorised = {"$ref": "#/components/responses/Unauthorised"}


def _paging_parameters():
    return [
        {
            "name": "page",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1},
        },
        {
            "name": "per_page",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
        },
    ]


def _paged(item_ref: str) -> dict:
    return {
        "type": "object",
        "required": ["data", "meta", "links"],
        "properties": {
            "data": {"type": "array", "items": {"$ref": item_ref}},
            "meta": {"$ref": "#/components/schemas/PageMeta"},
            "links": {"$ref": "#/components/schemas/PageLinks"},
        },
    }


def _ok(schema: dict, description: str) -> dict:
    return {
        "200": {"description": description, "content": {"application/json": {"schema": schema}}},
        "400": _error,
        "401": _unauthorised,
    }


def describe() -> dict:
    areas = list(db.session.scalars(select(ProblemArea.code).order_by(ProblemArea.position)))
    categories = list(
        db.session.scalars(
            select(RecommendationCategory.code).order_by(RecommendationCategory.position)
        )
    )
    text = {"type": "string"}
    nullable_text = {"type": ["string", "null"]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Warsztat API",
            "version": "1.0.0",
            "description": (
                "Read-only access to the recommendations, problem areas, meetings and V4 "
                "smart-city strategies of the KPM subgroup for the economy and the labour "
                "market. Authenticate with a personal token made on /account/. Each answer "
                "holds only what the token's owner may see."
            ),
        },
        "servers": [{"url": absolute_url("/api/v1")}],
        "security": [{"token": []}],
        "paths": {
            "/problem-areas": {
                "get": {
                    "operationId": "listProblemAreas",
                    "summary": "Problem areas G01-G07 with their challenges",
                    "responses": _ok(
                        {
                            "type": "object",
                            "required": ["data"],
                            "properties": {
                                "data": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/ProblemArea"},
                                }
                            },
                        },
                        "The problem areas in order.",
                    ),
                }
            },
            "/recommendations": {
                "get": {
                    "operationId": "listRecommendations",
                    "summary": "Recommendations, filtered like the list page, in report order",
                    "parameters": [
                        {
                            "name": "area",
                            "in": "query",
                            "schema": {"type": "string", "enum": areas},
                        },
                        {
                            "name": "category",
                            "in": "query",
                            "schema": {"type": "string", "enum": categories},
                        },
                        {
                            "name": "status",
                            "in": "query",
                            "description": "Reviewers see agreed, submitted and answered only.",
                            "schema": {"type": "string", "enum": list(STATUSES)},
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "description": "Full-text search.",
                            "schema": {"type": "string", "maxLength": 200},
                        },
                        {
                            "name": "author",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 999999999},
                        },
                        {
                            "name": "organisation",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 999999999},
                        },
                        *_paging_parameters(),
                    ],
                    "responses": _ok(
                        _paged("#/components/schemas/Recommendation"), "One page of them."
                    ),
                }
            },
            "/recommendations/{id}": {
                "get": {
                    "operationId": "getRecommendation",
                    "summary": "One recommendation",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
                        }
                    ],
                    "responses": {
                        **_ok(
                            {
                                "type": "object",
                                "required": ["data"],
                                "properties": {
                                    "data": {"$ref": "#/components/schemas/Recommendation"}
                                },
                            },
                            "The recommendation.",
                        ),
                        "404": _error,
                    },
                }
            },
            "/meetings": {
                "get": {
                    "operationId": "listMeetings",
                    "summary": "Meetings of the subgroup, newest first",
                    "parameters": _paging_parameters(),
                    "responses": _ok(_paged("#/components/schemas/Meeting"), "One page."),
                }
            },
            "/strategies": {
                "get": {
                    "operationId": "listStrategies",
                    "summary": "V4 smart-city strategies with their SDG classification",
                    "parameters": [
                        {
                            "name": "country",
                            "in": "query",
                            "schema": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
                        },
                        *_paging_parameters(),
                    ],
                    "responses": _ok(_paged("#/components/schemas/Strategy"), "One page."),
                }
            },
        },
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from /account/ (starts with wt_).",
                }
            },
            "responses": {
                "Error": {
                    "description": "The request cannot be answered; the message says why.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "Unauthorised": {
                    "description": "No token, or a token that is not valid.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "status"],
                    "properties": {"error": text, "status": {"type": "integer"}},
                },
                "PageMeta": {
                    "type": "object",
                    "required": ["page", "per_page", "total", "pages"],
                    "properties": {
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "total": {"type": "integer"},
                        "pages": {"type": "integer"},
                    },
                },
                "PageLinks": {
                    "type": "object",
                    "required": ["self", "next", "prev"],
                    "properties": {
                        "self": text,
                        "next": nullable_text,
                        "prev": nullable_text,
                    },
                },
                "ProblemArea": {
                    "type": "object",
                    "required": [
                        "code",
                        "title_pl",
                        "title_en",
                        "description_pl",
                        "description_en",
                        "challenges",
                    ],
                    "properties": {
                        "code": text,
                        "title_pl": text,
                        "title_en": text,
                        "description_pl": text,
                        "description_en": text,
                        "challenges": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["id", "title"],
                                "properties": {"id": {"type": "integer"}, "title": text},
                            },
                        },
                    },
                },
                "Recommendation": RECOMMENDATION,
                "Meeting": {
                    "type": "object",
                    "required": ["id", "title", "starts_at", "ends_at", "mode", "status", "url"],
                    "properties": {
                        "id": {"type": "integer"},
                        "title": text,
                        "starts_at": {"type": "string", "format": "date-time"},
                        "ends_at": {"type": "string", "format": "date-time"},
                        "mode": {"type": "string", "enum": ["in_person", "online", "hybrid"]},
                        "status": {
                            "type": "string",
                            "enum": ["planned", "in_progress", "held", "cancelled"],
                        },
                        "place": nullable_text,
                        "url": text,
                    },
                },
                "Strategy": {
                    "type": "object",
                    "required": ["id", "title", "place", "country", "level", "sdgs", "url"],
                    "properties": {
                        "id": {"type": "integer"},
                        "title": text,
                        "title_original": text,
                        "place": text,
                        "country": text,
                        "level": text,
                        "adopted_year": {"type": ["integer", "null"]},
                        "horizon_year": {"type": ["integer", "null"]},
                        "language": text,
                        "summary": text,
                        "source_url": nullable_text,
                        "classification": {
                            "type": "string",
                            "enum": ["unclassified", "proposed", "reviewed"],
                        },
                        "sdgs": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["goal", "relevance"],
                                "properties": {
                                    "goal": {"type": "integer", "minimum": 1, "maximum": 17},
                                    "relevance": text,
                                },
                            },
                        },
                        "url": text,
                    },
                },
            },
        },
    }
