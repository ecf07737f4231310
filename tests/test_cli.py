from sqlalchemy import select

from app.auth.models import User
from app.extensions import db


def test_users_create_with_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Cli@Example.org",
            "--name",
            "Cli Person",
            "--role",
            "facilitator",
            "--password",
            "a long cli password",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "cli@example.org"))
    assert user.role == "facilitator" and user.has_password


def test_users_create_refuses_duplicates_and_bad_roles(app):
    runner = app.test_cli_runner()
    args = ["users", "create", "--email", "dup@example.org", "--name", "Dup", "--role", "member"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "już istnieje" in again.output
    bad = runner.invoke(
        args=["users", "create", "--email", "x@example.org", "--name", "X", "--role", "emperor"]
    )
    assert bad.exit_code != 0 and "emperor" in bad.output
    short = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "y@example.org",
            "--name",
            "Y",
            "--role",
            "member",
            "--password",
            "short",
        ]
    )
    assert short.exit_code != 0 and "12 characters" in short.output


def test_seed_command_is_idempotent_and_prints_demo_passwords_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "--demo"])
    assert first.exit_code == 0, first.output
    assert "reference data: nothing to change." in first.output
    assert "admin@warsztat.example" in first.output
    second = runner.invoke(args=["seed", "--demo"])
    assert second.exit_code == 0
    assert "admin@warsztat.example" not in second.output


def test_seed_scale_generates_consistent_searchable_data(app):
    from sqlalchemy import func, select

    from app.recommendations.models import Recommendation, Revision
    from app.search import matching_recommendation_ids

    before = db.session.scalar(select(func.count()).select_from(Recommendation))
    result = app.test_cli_runner().invoke(args=["seed", "--scale", "50"])
    assert result.exit_code == 0, result.output
    assert "50 recommendations" in result.output
    assert db.session.scalar(select(func.count()).select_from(Recommendation)) == before + 50
    assert db.session.scalar(select(func.count()).select_from(Revision)) >= 50
    found = db.session.scalars(matching_recommendation_ids("miast")).all()
    assert len(found) >= 1
    numbers = db.session.execute(
        select(
            Recommendation.problem_area_id,
            Recommendation.category_id,
            func.count(),
            func.max(Recommendation.number),
        ).group_by(Recommendation.problem_area_id, Recommendation.category_id)
    ).all()
    assert all(count == highest for _, _, count, highest in numbers)


def test_seed_scale_follows_the_proportions_of_a_real_subgroup(app):
    from sqlalchemy import func, select

    from app.meetings.models import Meeting, Participant
    from app.recommendations.models import Comment
    from app.strategies.models import SmartStrategy, StrategySdg

    def count(model):
        return db.session.scalar(select(func.count()).select_from(model))

    before = {m: count(m) for m in (Comment, Meeting, SmartStrategy, Participant)}
    result = app.test_cli_runner().invoke(args=["seed", "--scale", "400"])
    assert result.exit_code == 0, result.output
    assert "Generating 400 recommendations" in result.output
    assert count(Comment) - before[Comment] == 2400  # six per recommendation
    assert count(Meeting) - before[Meeting] == 20
    assert count(SmartStrategy) - before[SmartStrategy] == 80
    assert count(Participant) - before[Participant] == 200
    assert count(StrategySdg) > 0
    # The pages built on the generated data work.
    client = app.test_client()
    from tests.conftest import Auth

    Auth(client).login("member")
    for url in ("/meetings/", "/strategies/", "/strategies/?country=CZ", "/recommendations/"):
        assert client.get(url).status_code == 200, url
