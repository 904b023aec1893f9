"""The WSGI entry point for gunicorn or waitress: ``gunicorn intake_function.wsgi:app``."""

from .app import create_app

app = create_app()
