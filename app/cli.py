"""Command-line interface: `flask seed`, `flask users create`, and the rest.

Each command imports what it runs inside its function: a command loads only its own
feature, and ``flask --help`` stays quick."""

import click
from flask import Flask
from flask.cli import AppGroup

from app.auth import services as account_services
from app.auth.models import ROLES
from app.i18n import LANGUAGES


def _print_report(report, title: str) -> None:
    if not report.changed:
        click.echo(f"{title}: nothing to change.")
        return
    for kind, counts in (("created", report.created), ("updated", report.updated)):
        for table, n in sorted(counts.items()):
            click.echo(f"{title}: {kind} {n} in {table}")


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also add demo users, challenges and recommendations.")
@click.option(
    "--scale",
    type=click.IntRange(min=1, max=1_000_000),
    default=None,
    help="Also generate this many synthetic recommendations (for benchmarks).",
)
def seed_command(demo: bool, scale: int | None) -> None:
    """Load the reference data from seeds/ (safe to run again)."""
    from seeds.loader import SeedError, load_demo, load_reference

    try:
        _print_report(load_reference(), "reference data")
        if demo:
            report = load_demo()
            _print_report(report, "demo data")
            if report.passwords:
                click.echo("\nDemo accounts (passwords are shown only now; write them down):")
                for email, role, password in report.passwords:
                    click.echo(f"  {role:<12} {email:<32} {password}")
        if scale:
            from seeds.scale import STEPS, generate

            with click.progressbar(
                length=STEPS, label=f"Generating {scale} recommendations"
            ) as bar:
                counts = generate(scale, progress=lambda: bar.update(1))
            click.echo("synthetic data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    except SeedError as exc:
        raise click.ClickException(str(exc)) from exc


users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option(
    "--password",
    default=None,
    help="Set a password now; without it, send an invitation from the admin page.",
)
def create_user_command(email: str, name: str, role: str, password: str | None) -> None:
    """Create an account."""
    from flask import current_app

    if password is not None and len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise click.BadParameter(
            f"use at least {current_app.config['PASSWORD_MIN_LENGTH']} characters",
            param_hint="--password",
        )
    try:
        user = account_services.create_user(email, name, role, password=password)
    except account_services.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")
    if not password:
        click.echo("No password set: invite the person from /admin/users.")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(deliver_mail_command)
    app.cli.add_command(strategies_cli)
    app.cli.add_command(digests_cli)
    app.cli.add_command(export_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(files_cli)
    app.cli.add_command(comments_cli)


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the job scheduler in the foreground (one dedicated process in a deployment)."""
    from flask import current_app

    from app.scheduler import run_forever

    run_forever(current_app._get_current_object())


jobs_cli = AppGroup("jobs", help="Scheduled jobs, by hand.")


@jobs_cli.command("run")
@click.option("--force", is_flag=True, help="Run even if another scheduler holds the lease.")
def run_jobs_command(force: bool) -> None:
    """Run every scheduled job once (reminders, mail delivery)."""
    from flask import current_app

    from app.scheduler import JOBS, holder_name, tick

    if force:
        for name, job in JOBS.items():
            click.echo(f"{name}: {job()}")
        return
    ran = tick(current_app._get_current_object(), holder_name())
    click.echo("jobs ran" if ran else "another scheduler holds the lease; nothing ran")


@click.command("deliver-mail")
def deliver_mail_command() -> None:
    """Send the queued mail that is due."""
    from app.mailqueue import deliver_due

    click.echo(", ".join(f"{k}: {v}" for k, v in deliver_due().items()))


digests_cli = AppGroup("digests", help="Scheduled digest mails.")


@digests_cli.command("send")
@click.option(
    "--frequency", type=click.Choice(["daily", "weekly"]), help="Only this kind of digest."
)
@click.option("--dry-run", is_flag=True, help="Print who would get what; send nothing.")
def send_digests_command(frequency: str | None, dry_run: bool) -> None:
    """Run a digest round now: queue what is due, then deliver the queue."""
    from app.digests.digest import plan_round, queue_round
    from app.mailqueue import deliver_due

    if dry_run:
        plan = plan_round(frequency=frequency)
        for digest in plan.digests:
            click.echo(
                f"{digest.user.email}\t{digest.frequency} {digest.period}\t"
                f"{len(digest.actions)} to act on, {digest.item_count} items, "
                f"{len(digest.meetings)} upcoming meetings"
            )
        click.echo(
            f"{len(plan.digests)} digests would be sent, {len(plan.empty)} members have"
            " nothing new; nothing was sent."
        )
        return
    queued = queue_round(frequency=frequency)
    delivered = deliver_due(limit=10_000)
    click.echo(f"queued: {queued}; " + ", ".join(f"{k}: {v}" for k, v in delivered.items()))


comments_cli = AppGroup("comments", help="The discussions' stored HTML.")


@comments_cli.command("render")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Render every comment, not only those from before or from another renderer.",
)
def render_comments_command(everything: bool) -> None:
    """Store the HTML of comments: after an upgrade, or (with --all) after a change of
    the sanitiser's allowlist that did not raise app.text.RENDER_VERSION."""
    from app.recommendations.services import render_stored

    count = render_stored(everything=everything)
    click.echo(f"{count} comments rendered")


strategies_cli = AppGroup("strategies", help="The V4 strategy catalogue.")


@strategies_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option(
    "--as-user",
    "email",
    default=None,
    help="Record the rows as created (and classifications as proposed) by this account.",
)
def import_strategies_command(path: str, dry_run: bool, email: str | None) -> None:
    """Import strategies from a CSV file (the template: app/static/strategies-template.csv)."""
    from app.strategies import importer, services

    actor = account_services.find_user_by_email(email) if email else None
    if email and actor is None:
        raise click.ClickException(f"no account for {email}")
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        preview = importer.parse(data)
    except services.StrategyError as exc:
        raise click.ClickException(str(exc)) from exc
    for error in preview.errors:
        click.echo(f"line {error.line}, {error.column or '-'}: {error.message}", err=True)
    if preview.errors:
        raise click.ClickException(f"{len(preview.errors)} problems; nothing was imported.")
    if dry_run:
        click.echo(f"{len(preview.rows)} rows are ready to import (dry run: nothing written).")
        return
    with click.progressbar(length=len(preview.rows), label="Importing") as bar:
        count = importer.commit(preview, actor, progress=bar.update)
    click.echo(f"Imported {count} strategies.")


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["docx", "xlsx", "csv", "json", "pdf"]), required=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--area", default=None, help="Problem area code, e.g. G03.")
@click.option("--category", default=None, help="Category code, e.g. R2.")
@click.option("--status", default=None, help="draft, discussion, agreed, submitted, answered ...")
@click.option("--q", default=None, help="Full-text search.")
@click.option("--author", default=None, help="Author's account id.")
@click.option("--organisation", default=None, help="Authors' organisation id.")
@click.option("--language", type=click.Choice(LANGUAGES), default="pl", show_default=True)
def export_command(fmt, output, language, **filters) -> None:
    """Export recommendations (the same filters as the list) to FILE, recorded in the audit log."""
    import os

    from flask import current_app
    from flask_babel import force_locale

    from app.exports import selection, services
    from app.extensions import db

    args = {k: v for k, v in filters.items() if v}
    base_url = current_app.config.get("BASE_URL", "http://127.0.0.1:5000")
    with current_app.test_request_context(base_url=base_url), force_locale(language):
        try:
            chosen = selection.parse(args, None)
            ids = services.selected_ids(chosen)
        except (selection.SelectionError, services.EmptySelection) as error:
            raise click.ClickException(str(error)) from error
        report = services.report_for(ids, chosen.describe())
        # Written under a temporary name and renamed when whole: a full disk or a crash
        # never leaves a file that looks like a finished export.
        partial = f"{output}.part"
        try:
            with open(partial, "w+b") as out:
                sha = services.write_file(fmt, report, len(ids), chosen.as_args(), out)
            os.replace(partial, output)
        except OSError as error:
            raise click.ClickException(
                f"could not write {output}: {error.strerror or error}"
            ) from error
        finally:
            if os.path.exists(partial):
                os.remove(partial)
        services.record_export(None, fmt, chosen, len(ids), sha, via="cli")
        db.session.commit()
    click.echo(f"{len(ids)} recommendations written to {output} (SHA-256 {sha}).")


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="The backup file (SQLite: a database file; PostgreSQL: pg_dump's custom format).",
)
@click.option(
    "--files",
    "files_dir",
    type=click.Path(file_okay=False, writable=True),
    default=None,
    help="Where the materials' files are copied (default: OUTPUT.files next to the "
    "backup). Files already there are not copied again.",
)
def backup_command(output: str, files_dir: str | None) -> None:
    """Copy the database, then the materials' files, while the app keeps running (see
    the README for restoring)."""
    from pathlib import Path

    from app import filestore
    from app.backup import BackupError, backup
    from app.extensions import db

    try:
        counts = backup(db.engine, Path(output))
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    rows = sum(n for n in counts.values() if n >= 0)
    detail = f"{len(counts)} tables, {rows} rows" if rows else f"{len(counts)} tables"
    click.echo(f"Backup written to {output} ({detail}).")
    # After the database: every file its copy names was stored before that copy was
    # taken, and stored files never change or go, so this copy holds them all.
    target = Path(files_dir) if files_dir else Path(output + ".files")
    try:
        copied = filestore.store().copy_to(target)
    except OSError as error:
        raise click.ClickException(
            f"could not copy the files to {target}: {error.strerror or error}"
        ) from error
    click.echo(f"Files copied to {target} ({copied} new).")


files_cli = AppGroup("files", help="The materials' file store.")


@files_cli.command("check")
def files_check_command() -> None:
    """Report files that are missing from the store or changed on disk (exit code 1)."""
    from app.attachments.integrity import check

    report = check()
    for label, found in (("missing", report.missing), ("changed", report.changed)):
        for sha256, places in found.items():
            click.echo(f"{label}: {sha256} ({'; '.join(places)})")
    for sha256 in report.unreferenced:
        click.echo(f"not in any record (harmless): {sha256}")
    click.echo(
        f"{report.checked} files checked: {len(report.missing)} missing, "
        f"{len(report.changed)} changed, {len(report.unreferenced)} not in any record."
    )
    if not report.sound:
        raise SystemExit(1)
