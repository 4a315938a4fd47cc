"""Dashboard access: users and roles, password hashes, signed session cookies, CSRF tokens.

Roles and what they may see: `viewer` and `agent` see pseudonyms only; `manager` and `dpo`
may also see the contact handle a reply goes to, because they act on escalations and data
rights. Only `manager` may acknowledge breaches or override the reply guard.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.clock import Clock

Role = Literal["viewer", "agent", "manager", "dpo"]
ROLES: tuple[Role, ...] = ("viewer", "agent", "manager", "dpo")
PBKDF2_ITERATIONS = 200_000
SESSION_LIFETIME = timedelta(hours=12)
# The login form takes at most 100 characters of user name and 500 of password; a longer
# one could be configured but never typed in. Names also cannot hold the `:` and `,` that
# separate the fields and entries of CARETRIAGE_DASHBOARD_USERS.
USER_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
# "token" is what the login form calls the holder of CARETRIAGE_DASHBOARD_TOKEN.
RESERVED_USER_NAMES = frozenset({"token"})
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 500


class AuthConfigError(ValueError):
    """The dashboard user list is malformed; the message says which entry."""


@dataclass(frozen=True, slots=True)
class DashboardUser:
    name: str
    role: Role
    password_hash: str = ""

    @property
    def sees_contacts(self) -> bool:
        return self.role in ("manager", "dpo")

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ITERATIONS)
    salt_b64 = base64.urlsafe_b64encode(salt).decode()
    digest_b64 = base64.urlsafe_b64encode(digest).decode()
    return f"pbkdf2_sha256${PBKDF2_ITERATIONS}${salt_b64}${digest_b64}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, iterations, salt_b64, digest_b64 = encoded.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        salt = base64.urlsafe_b64decode(salt_b64)
        expected = base64.urlsafe_b64decode(digest_b64)
        actual = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def check_user_name(name: str) -> None:
    """Raises AuthConfigError unless `name` can be configured and typed into the login form."""
    if not USER_NAME_PATTERN.fullmatch(name):
        raise AuthConfigError(
            f"user name {name!r} must be 1-64 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit"
        )
    if name.lower() in RESERVED_USER_NAMES:
        raise AuthConfigError(f"user name {name!r} is reserved for the dashboard token login")


def check_new_password(password: str) -> None:
    """Raises AuthConfigError for a password too short to resist guessing, or too long for
    the login form."""
    if not password.strip():
        raise AuthConfigError("the password is empty")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthConfigError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AuthConfigError(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")


def user_entry(name: str, role: Role, password: str) -> str:
    """One `name:role:hash` entry of CARETRIAGE_DASHBOARD_USERS, checked as parse_users
    will read it."""
    check_user_name(name)
    check_new_password(password)
    entry = f"{name}:{role}:{hash_password(password)}"
    parse_users(entry)
    return entry


def parse_users(spec: str) -> dict[str, DashboardUser]:
    """Parse `name:role:hash,name:role:hash` (CARETRIAGE_DASHBOARD_USERS)."""
    users: dict[str, DashboardUser] = {}
    for position, entry in enumerate((e.strip() for e in spec.split(",")), start=1):
        if not entry:
            continue
        parts = entry.split(":", 2)
        if len(parts) != 3 or not parts[0] or not parts[2]:
            raise AuthConfigError(
                f"dashboard user #{position} must look like name:role:pbkdf2_sha256$..."
            )
        name, role, password_hash = parts
        if role not in ROLES:
            raise AuthConfigError(
                f"dashboard user {name!r} has unknown role {role!r} (one of {', '.join(ROLES)})"
            )
        if not password_hash.startswith("pbkdf2_sha256$"):
            raise AuthConfigError(f"dashboard user {name!r} needs a pbkdf2_sha256 hash")
        users[name] = DashboardUser(name, role, password_hash)
    return users


class SessionSigner:
    """Stateless signed cookies: `payload.signature`, expiring after SESSION_LIFETIME."""

    def __init__(self, secret: bytes, clock: Clock) -> None:
        if len(secret) < 16:
            raise ValueError("session secret must be at least 16 bytes")
        self._secret = secret
        self._clock = clock

    def _sign(self, body: bytes) -> str:
        mac = hmac.new(self._secret, body, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def issue(self, user: DashboardUser) -> str:
        expires = self._clock.now() + SESSION_LIFETIME
        payload = {
            "u": user.name,
            "r": user.role,
            "e": int(expires.timestamp()),
            "n": secrets.token_urlsafe(8),
        }
        body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
        return f"{body}.{self._sign(body.encode())}"

    def verify(self, cookie: str) -> DashboardUser | None:
        body, _, signature = cookie.partition(".")
        if not body or not hmac.compare_digest(signature, self._sign(body.encode())):
            return None
        try:
            padded = body + "=" * (-len(body) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded))
            name, role, expires = str(payload["u"]), str(payload["r"]), int(payload["e"])
        except (ValueError, KeyError, TypeError):
            return None
        if role not in ROLES or self._clock.now() >= datetime.fromtimestamp(
            expires, tz=self._clock.now().tzinfo
        ):
            return None
        return DashboardUser(name, role)

    def csrf_token(self, cookie: str) -> str:
        """Bound to the session cookie: a form from another site cannot know it."""
        return self._sign(b"csrf:" + cookie.encode())

    def check_csrf(self, cookie: str, token: str) -> bool:
        return hmac.compare_digest(self.csrf_token(cookie), token)
