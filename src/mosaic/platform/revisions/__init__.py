"""Revision counters pushed to every worker: PostgreSQL LISTEN/NOTIFY, one listener per process.

A trigger on each revision table (migration 0007) announces every new value on the channel
`mosaic_revision` when the writing transaction commits (never for a rolled-back one). Each
worker process keeps one dedicated psycopg2 connection, outside the pool, in a daemon thread:
it LISTENs and applies each announced value to the `Revision`s that follow that counter. Every
quarter of the liveness bound it beats: `SELECT 1` on its connection, then a read of every
counter it follows. A `Revision` trusts the pushed value only while `trusted()` holds: the
connection is up, a beat began within the liveness bound, and nothing has reached the socket
that the thread has not applied yet. Otherwise reads are strict (they read the counter) and the
thread reconnects with backoff; after LISTEN it makes every followed revision read once more.

The bound this gives: a committed write is seen by a read on any worker that starts after its
notification reached that worker (median 0.15 ms, p99 4 ms after the COMMIT returned, on a busy
2-core host: docs/performance.md), and by any read that starts REVISION_PUSH_LIVENESS_MS after
the commit whatever happened to the notification (a beat that began after the commit has read
it, or no beat began within the bound and reads are strict).

The listener starts lazily in the process that serves (after gunicorn forks, preload or not);
a connection is never shared across a fork.
"""

from mosaic.platform.revisions.channel import (
    APPLICATION_NAME,
    CHANNEL,
    Liveness,
    RevisionChannel,
)
from mosaic.platform.revisions.revision import Revision, RevisionFeed

__all__ = ["APPLICATION_NAME", "CHANNEL", "Liveness", "Revision", "RevisionChannel", "RevisionFeed"]
