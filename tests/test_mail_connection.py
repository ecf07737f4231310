"""A delivery round shares one SMTP connection; a refused message drops it, is retried
later, and the rest of the round goes on over a new one."""

from sqlalchemy import select

from app.extensions import db
from app.mailqueue import PENDING, SENT, OutgoingMail, deliver_due, enqueue


def queue(*recipients):
    for n, to in enumerate(recipients):
        enqueue(f"test:{n}", kind="test", to=to, subject=f"Wiadomość {n}", text="Treść.")
    db.session.commit()


def test_a_round_sends_every_message_over_one_connection(app, smtp_server):
    queue("a@example.org", "b@example.org", "c@example.org", "d@example.org")
    assert deliver_due() == {"sent": 4, "retry": 0, "failed": 0, "skipped": 0}
    assert [m["To"] for m in smtp_server.messages] == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
        "d@example.org",
    ]
    assert len(set(smtp_server.peers)) == 1


def test_a_refused_message_is_retried_and_the_round_goes_on_over_a_new_connection(app, smtp_server):
    smtp_server.refuse_once.add("b@example.org")
    queue("a@example.org", "b@example.org", "c@example.org")
    assert deliver_due() == {"sent": 2, "retry": 1, "failed": 0, "skipped": 0}
    assert [m["To"] for m in smtp_server.messages] == ["a@example.org", "c@example.org"]
    assert len(set(smtp_server.peers)) == 2
    rows = {m.recipient: m for m in db.session.scalars(select(OutgoingMail))}
    assert rows["b@example.org"].status == PENDING
    assert "451" in rows["b@example.org"].last_error
    assert rows["a@example.org"].status == rows["c@example.org"].status == SENT
