"""The sensors domain: push messages as Pub/Sub delivers them, readings, and series windows.

Plain Python: no SQLAlchemy, Flask or marshmallow.
"""
