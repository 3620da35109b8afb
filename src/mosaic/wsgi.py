"""The WSGI entry point for gunicorn: `gunicorn mosaic.wsgi:app`."""

from mosaic import create_app

app = create_app()
