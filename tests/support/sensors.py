"""Sensors test support: push envelopes, an OIDC signer with a key the tests make (standing in
for Google's), and the sample CSV read independently of the application's seed code."""

from __future__ import annotations

import base64
import csv
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt
from google.auth import jwt as google_jwt

PUSH = "/api/v1/sensors/pubsub"
TOKEN = "test-verification-token"
AUDIENCE = "https://mosaic.example/api/v1/sensors/pubsub"
SERVICE_ACCOUNT = "pubsub-push@mosaic-test.iam.gserviceaccount.com"
ISSUER = "https://accounts.google.com"


def payload(sensor_id: int = 100013, dwell_time: Any = 2.72, **fields: Any) -> dict[str, Any]:
    return {
        "serial": "000100000100",
        "application": 11,
        "Time": "2022-11-08T04:00:04.317801",
        "Type": "xkgw",
        "device": "TestDevice",
        "v0": sensor_id,
        "v18": dwell_time,
        **fields,
    }


def encoded(document: Any) -> str:
    return base64.b64encode(json.dumps(document).encode()).decode()


def envelope(
    message_id: str, data: Any = None, *, raw_data: str | None = None, snake: bool = False
) -> dict[str, Any]:
    """A wrapped push envelope; `raw_data` is sent as message.data verbatim."""
    message: dict[str, Any] = {
        "data": raw_data if raw_data is not None else encoded(data or payload()),
        "attributes": {"key": "value"},
        "messageId" if not snake else "message_id": message_id,
        "publishTime" if not snake else "publish_time": "2022-11-08T04:00:05.000Z",
    }
    return {"message": message, "subscription": "projects/p/subscriptions/s"}


def unwrapped_headers(message_id: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Goog-Pubsub-Message-Id": message_id,
        "X-Goog-Pubsub-Publish-Time": "2022-11-08T04:00:05.000Z",
        "X-Goog-Pubsub-Subscription-Name": "projects/p/subscriptions/s",
    }


@dataclass
class Signer:
    """An RSA key and its self-signed certificate, published as Google publishes its own."""

    key_id: str
    private_pem: bytes
    certificate_pem: str

    @classmethod
    def make(cls, key_id: str = "test-key") -> Signer:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mosaic-test")])
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256())
        )
        private_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cls(
            key_id, private_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()
        )

    def certificates(self) -> dict[str, str]:
        return {self.key_id: self.certificate_pem}

    def publish(self, folder: Path) -> str:
        """The certificates as a file:// URL (PUBSUB_OIDC_CERTS_URL)."""
        path = folder / "certs.json"
        path.write_text(json.dumps(self.certificates()))
        return path.as_uri()

    def token(self, **claims: Any) -> str:
        now = int(time.time())
        body = {
            "aud": AUDIENCE,
            "iss": ISSUER,
            "email": SERVICE_ACCOUNT,
            "email_verified": True,
            "iat": now,
            "exp": now + 600,
            "sub": "1234567890",
            **claims,
        }
        body = {k: v for k, v in body.items() if v is not None}
        signer = crypt.RSASigner.from_string(self.private_pem, key_id=self.key_id)
        return google_jwt.encode(signer, body).decode()


def sample_path() -> Path:
    folder = os.environ.get("SEED_DATA_DIR") or str(Path.cwd() / ".." / "shared" / "data")
    return Path(folder) / "sensor_readings.csv"


def sample_dwell_times(day: str) -> dict[int, list[float]]:
    """Dwell times (v18) by sensor (v0) of the sample rows whose Time falls on `day`."""
    found: dict[int, list[float]] = {}
    with sample_path().open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Time"].startswith(day):
                found.setdefault(int(row["v0"]), []).append(float(row["v18"]))
    return found
