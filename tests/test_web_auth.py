from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.web.auth import (
    AuthConfigError,
    DashboardUser,
    SessionSigner,
    hash_password,
    parse_users,
    verify_password,
)

SECRET = b"0123456789abcdef0123456789abcdef"


def test_password_hash_round_trip() -> None:
    encoded = hash_password("s3cret", salt=b"fixedsaltfixedsa")
    assert verify_password("s3cret", encoded)
    assert not verify_password("wrong", encoded)
    assert not verify_password("s3cret", "garbage")


def test_parse_users_and_roles() -> None:
    h = hash_password("pw", salt=b"fixedsaltfixedsa")
    users = parse_users(f"alice:manager:{h}, bob:agent:{h}")
    assert users["alice"].is_manager and users["alice"].sees_contacts
    assert not users["bob"].sees_contacts


@pytest.mark.parametrize(
    ("spec", "message"),
    [("alice:boss:pbkdf2_sha256$1$a$b", "unknown role"), ("alice", "must look like")],
)
def test_parse_users_rejects_bad_entries(spec: str, message: str) -> None:
    with pytest.raises(AuthConfigError, match=message):
        parse_users(spec)


def test_session_cookie_round_trip_tamper_and_expiry() -> None:
    clock = FakeClock(datetime(2026, 11, 25, 9, tzinfo=UTC))
    signer = SessionSigner(SECRET, clock)
    cookie = signer.issue(DashboardUser("alice", "manager"))
    user = signer.verify(cookie)
    assert user is not None and user.name == "alice" and user.role == "manager"
    assert signer.verify(cookie[:-2] + "xx") is None
    body, sig = cookie.split(".")
    assert signer.verify(body[::-1] + "." + sig) is None
    clock.advance(timedelta(hours=13))
    assert signer.verify(cookie) is None


def test_csrf_token_is_bound_to_the_session() -> None:
    signer = SessionSigner(SECRET, FakeClock(datetime(2026, 11, 25, tzinfo=UTC)))
    a = signer.issue(DashboardUser("a", "agent"))
    b = signer.issue(DashboardUser("b", "agent"))
    assert signer.check_csrf(a, signer.csrf_token(a))
    assert not signer.check_csrf(b, signer.csrf_token(a))
