"""Typed access to a parsed TOML table, turning every mistake into an error naming file and field.

Both loaders (jurisdictions and playbooks) read through this so their messages look alike.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from playbooks.errors import PlaybookDataError

ErrorFactory = Callable[[Path, str, str], PlaybookDataError]


def read_toml(path: Path, error: ErrorFactory) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise error(path, "", "file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(path, "", f"invalid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise error(path, "", f"not UTF-8 text: {exc}") from exc
    except OSError as exc:
        raise error(path, "", f"cannot read file: {exc}") from exc


class Fields:
    """A TOML table plus where it lives (file and dotted prefix), for precise errors."""

    def __init__(
        self, data: Mapping[str, Any], path: Path, prefix: str, error: ErrorFactory
    ) -> None:
        self.data = data
        self.path = path
        self.prefix = prefix
        self.error = error

    def name(self, key: str) -> str:
        if not key:
            return self.prefix
        return f"{self.prefix}.{key}" if self.prefix else key

    def fail(self, key: str, problem: str) -> NoReturn:
        raise self.error(self.path, self.name(key), problem)

    def has(self, key: str) -> bool:
        return key in self.data

    def reject_unknown(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.fail(key, f"unknown field (allowed: {', '.join(sorted(allowed))})")

    def _get(self, key: str) -> Any:
        if key not in self.data:
            self.fail(key, "missing required field")
        return self.data[key]

    def text(self, key: str, *, allow_empty: bool = False) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {type(value).__name__}")
        if not allow_empty and not value.strip():
            self.fail(key, "must not be empty")
        return value

    def opt_text(self, key: str) -> str | None:
        return self.text(key) if key in self.data else None

    def integer(self, key: str, *, minimum: int | None = None) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected an integer, got {type(value).__name__}")
        if minimum is not None and value < minimum:
            self.fail(key, f"must be >= {minimum}, got {value}")
        return value

    def opt_integer(self, key: str, *, minimum: int | None = None) -> int | None:
        return self.integer(key, minimum=minimum) if key in self.data else None

    def number(self, key: str) -> float:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"expected a number, got {type(value).__name__}")
        return float(value)

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {type(value).__name__}")
        return value

    def day(self, key: str) -> date:
        value = self._get(key)
        if not isinstance(value, date) or isinstance(value, datetime):
            self.fail(key, f"expected a TOML date (YYYY-MM-DD), got {type(value).__name__}")
        return value

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        if key not in self.data and not required:
            return ()
        value = self._get(key)
        if not isinstance(value, list):
            self.fail(key, f"expected a list of strings, got {type(value).__name__}")
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{key}[{index}]", "expected a non-empty string")
        return tuple(value)

    def days(self, key: str) -> frozenset[date]:
        if key not in self.data:
            return frozenset()
        value = self._get(key)
        if not isinstance(value, list):
            self.fail(key, f"expected a list of dates, got {type(value).__name__}")
        for index, item in enumerate(value):
            if not isinstance(item, date) or isinstance(item, datetime):
                self.fail(f"{key}[{index}]", "expected a TOML date (YYYY-MM-DD)")
        return frozenset(value)

    def table(self, key: str) -> Fields:
        value = self._get(key)
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, got {type(value).__name__}")
        return Fields(value, self.path, self.name(key), self.error)

    def opt_table(self, key: str) -> Fields | None:
        return self.table(key) if key in self.data else None

    def tables(self, key: str, *, required: bool = True) -> list[Fields]:
        if key not in self.data and not required:
            return []
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail(key, "expected an array of tables ([[...]])")
        return [
            Fields(item, self.path, f"{self.name(key)}[{index}]", self.error)
            for index, item in enumerate(value)
        ]
