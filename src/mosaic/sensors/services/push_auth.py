"""Who may push: Google's OIDC push tokens (google-auth) or a shared verification token.

Neither configured means every push is refused: the endpoint is never open by default.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from google.auth import exceptions as google_errors
from google.auth import jwt as google_jwt

from mosaic.platform.errors import Forbidden, Unauthorized

GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")
CERTS_TTL_S = 3600
MIN_REFRESH_INTERVAL_S = 60  # an unknown key id refetches at most this often
log = logging.getLogger("mosaic.sensors.auth")


@dataclass(frozen=True)
class PushCredentials:
    """What a push request presented: `Authorization: Bearer` and/or `?token=`."""

    bearer: str | None = None
    token: str | None = None


def fetch_certificates(url: str) -> Mapping[str, str]:
    """{key id: PEM certificate} from Google's endpoint, or from a file:// URL (tests, offline)."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return json.loads(Path(parsed.path).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    from google.auth.transport.requests import Request

    response = Request()(url, method="GET", timeout=5)
    if response.status != 200:
        raise google_errors.TransportError(  # type: ignore[no-untyped-call]
            f"certificates answered {response.status}"
        )
    return json.loads(response.data)  # type: ignore[no-any-return]


class CertificateCache:
    """Google's signing certificates, fetched once an hour (and when an unknown key id shows)."""

    def __init__(self, url: str, *, fetch: Callable[[str], Mapping[str, str]] = fetch_certificates):
        self.url, self.fetch = url, fetch
        self._certs: Mapping[str, str] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def get(self, *, refresh: bool = False) -> Mapping[str, str]:
        with self._lock:
            age = time.monotonic() - self._fetched_at
            if age > CERTS_TTL_S or (refresh and age > MIN_REFRESH_INTERVAL_S):
                self._certs = self.fetch(self.url)
                self._fetched_at = time.monotonic()
            return self._certs


class PushAuthenticator:
    def __init__(
        self,
        *,
        verification_token: str | None,
        audience: str | None,
        service_account: str | None,
        certificates: CertificateCache,
        issuers: Sequence[str] = GOOGLE_ISSUERS,
    ) -> None:
        self.verification_token = verification_token or None
        self.audience, self.service_account = audience or None, service_account or None
        self.certificates, self.issuers = certificates, tuple(issuers)

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.audience and self.service_account)

    def check(self, credentials: PushCredentials) -> None:
        """Return when the push is authentic; raise Unauthorized (401) or Forbidden (403)."""
        if not self.oidc_enabled and not self.verification_token:
            raise Unauthorized(
                "Push authentication is not configured (PUBSUB_OIDC_AUDIENCE and "
                "PUBSUB_OIDC_SERVICE_ACCOUNT, or PUBSUB_VERIFICATION_TOKEN): pushes are refused."
            )
        if credentials.bearer is not None and self.oidc_enabled:
            self._check_oidc(credentials.bearer)
        elif credentials.token is not None and self.verification_token:
            if not hmac.compare_digest(
                credentials.token.encode(), self.verification_token.encode()
            ):
                raise Unauthorized("The verification token is wrong.")
        else:
            raise Unauthorized(f"Send {self._accepted()}.")

    def _accepted(self) -> str:
        ways = []
        if self.oidc_enabled:
            ways.append("a Google OIDC token as 'Authorization: Bearer ...'")
        if self.verification_token:
            ways.append("the verification token as ?token=")
        return " or ".join(ways)

    def _check_oidc(self, token: str) -> None:
        claims = self._verified_claims(token)
        if claims.get("iss") not in self.issuers:
            raise Unauthorized("The token's issuer is not Google.")
        if claims.get("email") != self.service_account:
            raise Forbidden("The token's service account may not push here.")
        if claims.get("email_verified") is not True:
            raise Forbidden("The token's email is not verified.")

    def _verified_claims(self, token: str) -> dict[str, Any]:
        for refresh in (False, True):
            try:
                certs = self.certificates.get(refresh=refresh)
                return google_jwt.decode(  # type: ignore[no-untyped-call,no-any-return]
                    token, certs=certs, audience=self.audience, clock_skew_in_seconds=10
                )
            except google_errors.TransportError as error:
                log.error("cannot fetch Google's certificates: %s", error)
                raise Unauthorized("The token cannot be checked right now.") from error
            except (ValueError, google_errors.GoogleAuthError) as error:
                if refresh or "not found" not in str(error).lower():
                    raise Unauthorized(f"The token is invalid: {_reason(error)}") from error
        raise AssertionError("unreachable")  # pragma: no cover


def _reason(error: Exception) -> str:
    text = str(error).split("\n", maxsplit=1)[0]
    return text[:200].rstrip(".") + "."
