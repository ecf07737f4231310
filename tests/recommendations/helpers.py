"""Shared set-up for recommendation tests: a recommendation made through the services."""

from app.recommendations import services
from app.recommendations.services import TextFields
from tests import factories


def make_rec(
    author,
    *,
    area="G03",
    category="R2",
    title="Fundusz powrotów",
    summary="Wsparcie dla wracających absolwentów.",
    body="Treść **rekomendacji**.",
    status="draft",
    facilitator=None,
):
    rec = services.create_recommendation(
        author,
        area=factories.area(area),
        category=factories.category(category),
        text=TextFields(title=title, summary=summary, body=body),
    )
    if status in ("discussion", "agreed"):
        services.change_status(rec, author, "discussion")
    if status == "agreed":
        services.change_status(rec, facilitator or factories.make_user("facilitator"), "agreed")
    return rec


def text(**changes) -> TextFields:
    base = {
        "title": "Fundusz powrotów",
        "summary": "Wsparcie dla wracających absolwentów.",
        "body": "Treść **rekomendacji**.",
    }
    base.update(changes)
    return TextFields(**base)


def edit_form(rec, version=None, **changes):
    data = {
        "title": rec.title,
        "summary": rec.summary,
        "body": rec.body,
        "addressee": rec.addressee,
        "expected_impact": rec.expected_impact,
        "base_version": str(rec.version if version is None else version),
        "note": "Poprawki redakcyjne.",
    }
    data.update(changes)
    return data
