"""A logging filter that keeps secrets out of every log line, traceback included.

Tokens leak into logs in ordinary ways: httpx logs each request URL, and the Telegram Bot
API puts the bot token in the URL path (`/bot123456:AA.../getUpdates`); a database error
may echo its connection URL with the password. The filter replaces every configured
secret value, and anything shaped like a bot token or a URL password, with `***`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from bot.settings import Settings, secret_field_names

MASK = "***"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words

# Telegram bot tokens: "<bot id>:<35 url-safe characters>".
_BOT_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}")
# user:password@host in any URL.
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]+:)(?P<password>[^@\s/]+)@")


def settings_secrets(settings: Settings) -> list[str]:
    values: list[str] = []
    for name in secret_field_names():
        secret = getattr(settings, name)
        if secret is not None:
            values.append(secret.get_secret_value())
    return values


def mask_url_password(text: str) -> str:
    """`scheme://user:password@host` with the password replaced by MASK."""
    return _URL_PASSWORD.sub(lambda m: f"{m.group('head')}{MASK}@", text)


class SecretRedactingFilter(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted(
            {s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True
        )

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return mask_url_password(_BOT_TOKEN.sub(MASK, text))

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install_secret_filter(settings: Settings, logger: logging.Logger | None = None) -> None:
    """Attach the filter to every handler of `logger` (default: root), where records
    from all loggers pass; a filter on a logger would miss propagated records."""
    target = logger or logging.getLogger()
    redactor = SecretRedactingFilter(settings_secrets(settings))
    for handler in target.handlers:
        for existing in list(handler.filters):
            if isinstance(existing, SecretRedactingFilter):
                handler.removeFilter(existing)
        handler.addFilter(redactor)
