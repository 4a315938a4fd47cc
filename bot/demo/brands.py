"""The demo operator's country brands: one Telegram bot and one X account each.

An operator with several country brands runs one bot and one X account per brand, and the
law a ticket falls under follows the brand the customer wrote to. The adapters report that
brand as the account the message reached (the bot's username, the X account id), so the
jurisdiction comes from `account_jurisdictions` keyed by those identities, exactly as a
deployment configures it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.demo.stream import DEMO_DIR


class BrandFileError(ValueError):
    """accounts.toml is malformed; the message names the brand and the key."""


@dataclass(frozen=True, slots=True)
class Brand:
    label: str  # what stream.jsonl's `account` says, e.g. "wom-cl"
    jurisdiction: str
    telegram_bot: str  # the bot's username, which the Telegram adapter reports
    x_account_id: str  # which the X adapter reports
    x_handle: str  # what customers @-mention

    @property
    def account_jurisdictions(self) -> dict[str, str]:
        return {self.telegram_bot: self.jurisdiction, self.x_account_id: self.jurisdiction}


_FIELDS = ("jurisdiction", "telegram_bot", "x_account_id", "x_handle")


def load_brands(path: Path | None = None) -> dict[str, Brand]:
    """The brands by label, in file order."""
    path = path or DEMO_DIR / "accounts.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8")).get("brands", {})
    brands: dict[str, Brand] = {}
    for label, entry in raw.items():
        values: dict[str, str] = {}
        for key in _FIELDS:
            value = entry.get(key) if isinstance(entry, dict) else None
            if not isinstance(value, str) or not value:
                raise BrandFileError(f"{path}: brand {label!r} needs a non-empty {key!r}")
            values[key] = value
        brands[label] = Brand(label=label, **values)
    return brands


def account_jurisdictions(brands: dict[str, Brand]) -> dict[str, str]:
    """The `account_jurisdictions` setting for these brands' bots and X accounts."""
    mapping: dict[str, str] = {}
    for brand in brands.values():
        mapping.update(brand.account_jurisdictions)
    return mapping
