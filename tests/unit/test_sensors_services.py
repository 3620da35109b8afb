"""Ingestion with a fake unit of work, and push authentication with real google-auth checks of
tokens signed by a key the test makes."""

from __future__ import annotations

import json
import time
from types import TracebackType

import pytest

from mosaic.platform.errors import BadRequest, Forbidden, Unauthorized
from mosaic.sensors.domain.push import PushMessage
from mosaic.sensors.domain.reading import PoisonMessage, Reading
from mosaic.sensors.services.ingestion import Delivery, IngestionService, Outcome
from mosaic.sensors.services.push_auth import CertificateCache, PushAuthenticator, PushCredentials
from tests.support.sensors import AUDIENCE, SERVICE_ACCOUNT, TOKEN, Signer, envelope

pytestmark = pytest.mark.unit


class FakeReadings:
    def __init__(self) -> None:
        self.rows: dict[str, Reading] = {}

    def add_many(self, readings: list[Reading]) -> set[str]:
        new = {r.message_id: r for r in readings if r.message_id not in self.rows}
        self.rows.update(new)
        return set(new)


class FakeQuarantine:
    def __init__(self) -> None:
        self.rows: dict[str, tuple[PushMessage, PoisonMessage]] = {}

    def add(self, message: PushMessage, poison: PoisonMessage) -> bool:
        return self.rows.setdefault(message.message_id, (message, poison))[0] is message


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.readings, self.quarantine = FakeReadings(), FakeQuarantine()
        self.commits = 0

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        pass

    def commit(self) -> None:
        self.commits += 1


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer.make()


def authenticator(signer: Signer | None = None, *, token: str | None = TOKEN) -> PushAuthenticator:
    certs = signer.certificates() if signer else {}
    return PushAuthenticator(
        verification_token=token,
        audience=AUDIENCE if signer else None,
        service_account=SERVICE_ACCOUNT if signer else None,
        certificates=CertificateCache("unused", fetch=lambda _url: certs),
    )


def delivery(message_id: str, *, token: str | None = TOKEN, **fields: object) -> Delivery:
    body = json.dumps(envelope(message_id, **fields)).encode()  # type: ignore[arg-type]
    return Delivery(body=body, credentials=PushCredentials(token=token))


def test_a_message_is_stored_once_and_a_redelivery_is_told_apart() -> None:
    uow = FakeUnitOfWork()
    ingestion = IngestionService(lambda: uow, authenticator=authenticator())  # type: ignore[arg-type,return-value]
    assert ingestion.receive(delivery("1")).outcome is Outcome.STORED
    assert ingestion.receive(delivery("1")).outcome is Outcome.ALREADY_STORED
    assert list(uow.readings.rows) == ["1"]


def test_poison_is_quarantined_once_with_its_reason() -> None:
    uow = FakeUnitOfWork()
    ingestion = IngestionService(lambda: uow, authenticator=authenticator())  # type: ignore[arg-type,return-value]
    for _ in range(3):
        receipt = ingestion.receive(delivery("p", raw_data="%%"))
        assert (receipt.outcome, receipt.kind) == (Outcome.QUARANTINED, "bad-base64")
    assert list(uow.quarantine.rows) == ["p"]
    assert uow.readings.rows == {}


def test_a_body_that_is_no_envelope_is_a_bad_request_and_stores_nothing() -> None:
    uow = FakeUnitOfWork()
    ingestion = IngestionService(lambda: uow, authenticator=authenticator())  # type: ignore[arg-type,return-value]
    for body in (b"not json", b"[]", b'{"message": {"data": "e30="}}'):
        with pytest.raises(BadRequest):
            ingestion.receive(Delivery(body=body, credentials=PushCredentials(token=TOKEN)))
    assert uow.commits == 0


def test_unauthenticated_pushes_store_nothing() -> None:
    uow = FakeUnitOfWork()
    ingestion = IngestionService(lambda: uow, authenticator=authenticator())  # type: ignore[arg-type,return-value]
    for token in (None, "", "test-verification-tokem", TOKEN + "x"):
        with pytest.raises(Unauthorized):
            ingestion.receive(delivery("1", token=token))
    assert uow.commits == 0


def test_with_nothing_configured_every_push_is_refused() -> None:
    closed = authenticator(token=None)
    for credentials in (PushCredentials(), PushCredentials(token="x"), PushCredentials(bearer="y")):
        with pytest.raises(Unauthorized, match="not configured"):
            closed.check(credentials)


def test_a_google_token_for_us_is_accepted(signer: Signer) -> None:
    authenticator(signer).check(PushCredentials(bearer=signer.token()))


def test_either_way_works_when_both_are_configured(signer: Signer) -> None:
    both = authenticator(signer)
    both.check(PushCredentials(token=TOKEN))
    both.check(PushCredentials(bearer=signer.token()))


BAD_CLAIMS = {
    "wrong audience": ({"aud": "https://elsewhere.example/push"}, Unauthorized),
    "wrong issuer": ({"iss": "https://evil.example"}, Unauthorized),
    "expired": ({"iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}, Unauthorized),
    "no expiry": ({"exp": None}, Unauthorized),
    "wrong email": ({"email": "someone@else.iam.gserviceaccount.com"}, Forbidden),
    "email not verified": ({"email_verified": False}, Forbidden),
    "no email": ({"email": None}, Forbidden),
}


@pytest.mark.parametrize("case", list(BAD_CLAIMS))
def test_tokens_with_wrong_claims_are_refused(signer: Signer, case: str) -> None:
    claims, refusal = BAD_CLAIMS[case]
    with pytest.raises(refusal):
        authenticator(signer, token=None).check(PushCredentials(bearer=signer.token(**claims)))


def test_a_token_signed_by_another_key_is_refused(signer: Signer) -> None:
    impostor = Signer.make(key_id=signer.key_id)  # same key id, different key
    with pytest.raises(Unauthorized, match="invalid"):
        authenticator(signer).check(PushCredentials(bearer=impostor.token()))


def test_a_token_of_an_unknown_key_is_refused(signer: Signer) -> None:
    stranger = Signer.make(key_id="unknown-key")
    with pytest.raises(Unauthorized, match="invalid"):
        authenticator(signer).check(PushCredentials(bearer=stranger.token()))


@pytest.mark.parametrize("bearer", ["", "garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_malformed_tokens_are_refused(signer: Signer, bearer: str) -> None:
    with pytest.raises(Unauthorized):
        authenticator(signer).check(PushCredentials(bearer=bearer))


def test_a_tampered_token_is_refused(signer: Signer) -> None:
    header, claims, signature = signer.token().split(".")
    forged = json.dumps({"aud": AUDIENCE, "email": SERVICE_ACCOUNT}).encode()
    import base64

    tampered = base64.urlsafe_b64encode(forged).decode().rstrip("=")
    with pytest.raises(Unauthorized):
        authenticator(signer).check(PushCredentials(bearer=f"{header}.{tampered}.{signature}"))
    assert claims


def test_certificates_are_fetched_once_an_hour_not_per_push(signer: Signer) -> None:
    fetched: list[str] = []

    def fetch(url: str) -> dict[str, str]:
        fetched.append(url)
        return signer.certificates()

    checker = PushAuthenticator(
        verification_token=None,
        audience=AUDIENCE,
        service_account=SERVICE_ACCOUNT,
        certificates=CertificateCache("https://certs.example", fetch=fetch),
    )
    for _ in range(3):
        checker.check(PushCredentials(bearer=signer.token()))
    assert fetched == ["https://certs.example"]
