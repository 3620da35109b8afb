"""platform: every revision counter's change is announced on one channel (LISTEN/NOTIFY)

A trigger on each revision table calls pg_notify('mosaic_revision', payload) with the
counter's name and its new value, so every writer (services, seeds, the CLI, psql) is covered.
PostgreSQL delivers a notification when its transaction commits, never for a rolled-back one.
Payload: {"counter": "<table>" or "<table>/<key>", "revision": <new value>}.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Table -> the column that tells its rows apart in the counter's name (None: one row).
COUNTERS = {"geo_revision": "dataset", "phone_number_revision": None, "expense_revision": None}

NOTIFY_FUNCTION = """
CREATE FUNCTION notify_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    counter text := TG_TABLE_NAME;
BEGIN
    IF TG_NARGS > 0 THEN
        counter := counter || '/' || (to_jsonb(NEW) ->> TG_ARGV[0]);
    END IF;
    PERFORM pg_notify(
        'mosaic_revision',
        json_build_object('counter', counter, 'revision', NEW.revision)::text
    );
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.execute(NOTIFY_FUNCTION)
    for table, key in COUNTERS.items():
        argument = f"'{key}'" if key else ""
        op.execute(
            f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION notify_revision({argument})"
        )


def downgrade() -> None:
    for table in COUNTERS:
        op.execute(f"DROP TRIGGER {table}_notify ON {table}")
    op.execute("DROP FUNCTION notify_revision()")
