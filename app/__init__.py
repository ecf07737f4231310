"""Warsztat: the application factory.

The factory imports the features inside its functions, on purpose: every import of an
``app.*`` module runs this file first, so importing features here at the top would make
``from app.extensions import db`` drag in every view. This is the one place (with the
CLI and the model registry) where the core reaches the features."""

import logging
from pathlib import Path

from flask import Flask

from app.extensions import csrf, db, htmx, login_manager, migrate


def create_app(config=None) -> Flask:
    """Build the app. ``config`` is a config class, its name, or None for WARSZTAT_ENV."""
    from config import CONFIGS, config_from_env

    if config is None:
        config = config_from_env()
    elif isinstance(config, str):
        config = CONFIGS[config]

    app = Flask(
        __name__,
        instance_path=str(config.INSTANCE_DIR),
        template_folder="../templates",
    )
    app.config.from_object(config)
    config.init_app(app)
    app.config["INSTANCE_DIR"].mkdir(parents=True, exist_ok=True)

    from app.security import BoundedIntConverter, Request

    app.request_class = Request
    app.url_map.converters["int"] = BoundedIntConverter
    _init_extensions(app)
    _register_rules()
    _register_blueprints(app)

    from app import cli, errors, i18n, kept, security, templating
    from app.digests import listeners

    i18n.init_app(app)
    kept.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    listeners.connect()
    if app.config.get("SCHEDULER_IN_PROCESS") and not app.testing:
        from app.scheduler import start_in_process

        app.extensions["scheduler"] = start_in_process(app)

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def _init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every mapper registered before first use)
    from app.database import configure_sqlite

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)


def _register_rules() -> None:
    """Each feature's rules for its own objects, registered with ``permissions.can``
    before anything can ask (the views import them too; this makes it explicit)."""
    from app.attachments import rules as _attachments  # noqa: F401
    from app.exports import rules as _exports  # noqa: F401
    from app.meetings import rules as _meetings  # noqa: F401
    from app.permissions import check_object_rules
    from app.problems import rules as _problems  # noqa: F401
    from app.recommendations import rules as _recommendations  # noqa: F401
    from app.strategies import rules as _strategies  # noqa: F401

    check_object_rules()


def _register_blueprints(app: Flask) -> None:
    from app.admin.routes import bp as admin_bp
    from app.attachments.views import bp as materials_bp
    from app.auth.routes import account_bp
    from app.auth.routes import bp as auth_bp
    from app.digests.views import bp as notifications_bp
    from app.exports.api import bp as api_bp
    from app.exports.job_views import bp as export_jobs_bp
    from app.exports.views import bp as exports_bp
    from app.main.areas import bp as problems_bp
    from app.main.areas import challenges_bp
    from app.main.views import bp as main_bp
    from app.meetings.calendar import bp as calendar_bp
    from app.meetings.routes import bp as meetings_bp
    from app.recommendations.discussion import comments_bp
    from app.recommendations.evidence_views import bp as strategy_links_bp
    from app.recommendations.routes import bp as recommendations_bp
    from app.strategies.views import bp as strategies_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(account_bp, url_prefix="/account")
    app.register_blueprint(problems_bp, url_prefix="/problems")
    app.register_blueprint(challenges_bp, url_prefix="/challenges")
    app.register_blueprint(recommendations_bp, url_prefix="/recommendations")
    app.register_blueprint(comments_bp, url_prefix="/comments")
    app.register_blueprint(meetings_bp, url_prefix="/meetings")
    app.register_blueprint(calendar_bp)
    app.register_blueprint(strategies_bp, url_prefix="/strategies")
    app.register_blueprint(strategy_links_bp, url_prefix="/recommendations")
    app.register_blueprint(materials_bp, url_prefix="/materials")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(exports_bp, url_prefix="/exports")
    app.register_blueprint(export_jobs_bp, url_prefix="/exports/jobs")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
