"""A meeting's search document: what finds it in the meetings' search."""

from sqlalchemy import select

from app import search
from app.attachments import text as materials_text
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting


def reindex(meeting_id: int) -> None:
    """Refresh the document: title, place, description, and once the agenda is
    published (until then only facilitators see it) the items, their speakers and the
    text of their materials; the text of the meeting's own materials always. The
    caller commits."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return
    parts = [meeting.title, meeting.place, meeting.description]
    parts += materials_text.texts_of("meeting", [meeting_id])
    if meeting.agenda_published_at is not None:
        items = db.session.execute(
            select(AgendaItem.id, AgendaItem.title, AgendaItem.speaker_name).where(
                AgendaItem.meeting_id == meeting_id
            )
        ).all()
        parts += [text for item in items for text in (item.title, item.speaker_name)]
        parts += materials_text.texts_of("agenda-item", [item.id for item in items])
    search.index_meeting(meeting_id, parts)


def reindex_item(item_id: int) -> None:
    """Refresh the document of the meeting an agenda item belongs to."""
    meeting_id = db.session.scalar(select(AgendaItem.meeting_id).where(AgendaItem.id == item_id))
    if meeting_id is not None:
        reindex(meeting_id)


def matching(query: str, limit: int = 50) -> list[Meeting] | None:
    """Meetings whose text has every word of ``query``, newest first; None when the
    query has nothing to search for."""
    ids = search.matching_meeting_ids(query)
    if ids is None:
        return None
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.id.in_(ids))
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
            .limit(limit)
        )
    )
