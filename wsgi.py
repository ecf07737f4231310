"""Entry point for gunicorn and `flask --app wsgi`: `gunicorn wsgi:app`."""

import gc

from app import create_app

app = create_app()

# What the app built at start (routes, mappers, compiled statements, templates) lives as
# long as the process: out of the collector's way, a full collection walks only what
# requests leave behind.
gc.collect()
gc.freeze()
