"""Shared set-up for export and package tests."""

import re

from sqlalchemy import select

from app.auth.models import Organisation
from app.extensions import db
from tests import factories
from tests.recommendations.helpers import make_rec

MINISTRY = "Ministerstwo Funduszy i Polityki Regionalnej"
OTHER_MINISTRY = "Ministerstwo Rozwoju, Pracy i Technologii"


def ministry(name: str = MINISTRY) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def agreed_set():
    """Three agreed recommendations in two areas and a draft, made through the services."""
    author = factories.make_user("member", organisation="krk UrbanHub")
    facilitator = factories.make_user("facilitator")
    recs = [
        make_rec(
            author,
            area="G03",
            category="R2",
            title="Fundusz powrotów",
            status="agreed",
            facilitator=facilitator,
        ),
        make_rec(
            author,
            area="G01",
            category="R4",
            title="Żłobki przy parkach",
            status="agreed",
            facilitator=facilitator,
        ),
        make_rec(
            author,
            area="G03",
            category="R1",
            title="Ulga dla startupów",
            status="agreed",
            facilitator=facilitator,
        ),
    ]
    draft = make_rec(author, area="G01", category="R1", title="Szkic tajny")
    return author, facilitator, recs, draft


def fingerprint(client, **filters) -> str:
    """The selection fingerprint the form carries, read from the page like a browser."""
    page = client.get("/exports/packages/new", query_string=filters).get_data(as_text=True)
    return re.search(r'name="selection" type="hidden" value="([^"]*)"', page).group(1)


def send_package(auth, facilitator, **filters):
    """Send the agreed recommendations matching ``filters`` as ``facilitator``, through
    the form as a browser would."""
    auth.login_as(facilitator)
    response = auth.post(
        "/exports/packages/new",
        {
            "title": "Rekomendacje 2026",
            "organisation": ministry().id,
            "cover_letter": "Szanowni Państwo,\n\nprzekazujemy **rekomendacje**.",
            "selection": fingerprint(auth.client, **filters),
            **filters,
        },
    )
    return response
