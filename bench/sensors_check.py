"""After the push load: count the rows, then redeliver every message the load generated (some
were in flight when wrk stopped) and check each is stored exactly once.

    python bench/sensors_check.py DATABASE_URL BASE_URL TOKEN RESULT_LINE
"""

from __future__ import annotations

import http.client
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

PAYLOADS_PER_LINE = 1


def counts(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.scalar(text("SELECT count(*) FROM sensor_reading"))
        distinct = connection.scalar(text("SELECT count(DISTINCT message_id) FROM sensor_reading"))
    engine.dispose()
    return int(rows or 0), int(distinct or 0)


def redeliver(base_url: str, token: str, ids: list[str], payloads: list[str]) -> dict[int, int]:
    parts = urlsplit(base_url)

    def send(chunk: list[str]) -> dict[int, int]:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        statuses: dict[int, int] = {}
        for message_id in chunk:
            n = int(message_id.split("-")[1])
            body = json.dumps(
                {
                    "message": {
                        "data": payloads[n % len(payloads)],
                        "messageId": message_id,
                        "publishTime": "2026-01-01T00:00:00Z",
                    },
                    "subscription": "projects/bench/subscriptions/push",
                }
            )
            connection.request(
                "POST",
                f"/api/v1/sensors/pubsub?token={token}",
                body,
                {"Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            statuses[response.status] = statuses.get(response.status, 0) + 1
        return statuses

    chunks = [ids[i::8] for i in range(8)]
    total: dict[int, int] = {}
    with ThreadPoolExecutor(8) as pool:
        for found in pool.map(send, chunks):
            for status, count in found.items():
                total[status] = total.get(status, 0) + count
    return total


def main() -> None:
    database_url, base_url, token, result, payloads_file = sys.argv[1:6]
    fields = dict(item.split("=", 1) for item in result.split()[1:])
    payloads = json.loads(open(payloads_file).read())  # noqa: SIM115
    ids = [
        f"b{thread}-{n}"
        for pair in fields["ids"].split(",")
        for thread, generated in [pair.split(":")]
        for n in range(int(generated))
    ]
    rows, distinct = counts(database_url)
    acknowledged_unique = int(fields["acknowledged"]) - int(fields["duplicates"])
    print(
        f"after load: rows={rows} distinct={distinct} generated={len(ids)} "
        f"acknowledged_unique>={acknowledged_unique} doubled={rows - distinct}"
    )
    statuses = redeliver(base_url, token, ids, payloads)
    rows_after, distinct_after = counts(database_url)
    lost = len(ids) - distinct_after
    print(
        f"after redelivering all {len(ids)}: statuses={statuses} rows={rows_after} "
        f"lost={lost} doubled={rows_after - distinct_after} "
        f"stored_by_the_load={rows} (>= acknowledged: {rows >= acknowledged_unique})"
    )


if __name__ == "__main__":
    main()
