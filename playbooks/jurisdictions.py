"""The jurisdiction table: authorities, legal clocks, opt-out registers, holidays, time zone.

Loaded from playbooks/data/jurisdictions.toml. A jurisdiction may `inherit` another one
(Italy and Spain inherit the EU GDPR baseline): the child's fields replace the parent's.
Every legal number comes from reference/domain-facts.md with its source; items the fact
sheet marks ❓ are loaded with verified = false.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from playbooks.errors import JurisdictionError, UnknownJurisdictionError
from playbooks.holidays import HolidayCalendar, NthWeekday
from playbooks.periods import LegalPeriod
from playbooks.tomlfields import Fields, read_toml

DEFAULT_JURISDICTIONS_PATH: Final[Path] = Path(__file__).parent / "data" / "jurisdictions.toml"

_WEEKDAYS: Final[dict[str, int]] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip

_JURISDICTION_FIELDS: Final[set[str]] = {
    "inherit", "name", "dpa", "dpa_changes", "telecom_regulator", "timezone", "holidays",
    "dsar", "dsar_changes", "dsar_acknowledgement", "complaint_response",
    "breach_notification", "optout_register", "optout_effect", "collector_limits",
}  # fmt: skip
_PERIOD_FIELDS: Final[set[str]] = {
    "amount", "unit", "extension_amount", "extension_unit", "source", "verified",
    "basis", "note", "pausable",
}  # fmt: skip


@dataclass(frozen=True)
class DatedPeriod:
    """A legal period that replaces the previous one from `effective_from` (inclusive)."""

    effective_from: date
    period: LegalPeriod


@dataclass(frozen=True)
class DatedText:
    effective_from: date
    text: str


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    dpa: str
    telecom_regulator: str
    dsar: LegalPeriod
    complaint_response: LegalPeriod | None
    breach_notification: LegalPeriod | None
    optout_register: str | None
    optout_effect: LegalPeriod | None
    collector_limits: str | None
    holidays: HolidayCalendar
    timezone: str
    dsar_acknowledgement: LegalPeriod | None = None
    dsar_changes: tuple[DatedPeriod, ...] = ()
    dpa_changes: tuple[DatedText, ...] = ()
    inherits: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def dsar_for(self, at: date) -> LegalPeriod:
        """The DSAR period in force on `at` (Chile: Ley 19.628 until 2026-11-30, then 21.719)."""
        current = self.dsar
        for change in self.dsar_changes:
            if change.effective_from <= at:
                current = change.period
        return current

    def dpa_for(self, at: date) -> str:
        current = self.dpa
        for change in self.dpa_changes:
            if change.effective_from <= at:
                current = change.text
        return current


class JurisdictionTable:
    """Jurisdictions by code. An unknown code is always an error, never a silent default."""

    def __init__(self, jurisdictions: Mapping[str, Jurisdiction], source: Path) -> None:
        self._by_code = dict(jurisdictions)
        self.source = source

    def get(self, code: str) -> Jurisdiction:
        """The jurisdiction for `code`; raises UnknownJurisdictionError naming the code."""
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownJurisdictionError(code, self.codes()) from None

    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def __getitem__(self, code: str) -> Jurisdiction:
        return self.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)


def load_jurisdictions(path: Path | None = None) -> JurisdictionTable:
    """Load and validate the jurisdiction table (default: the bundled data file)."""
    source = path or DEFAULT_JURISDICTIONS_PATH
    raw = read_toml(source, JurisdictionError)
    resolved: dict[str, dict[str, Any]] = {}
    for code in raw:
        _resolve(code, raw, resolved, source, ())
    jurisdictions: dict[str, Jurisdiction] = {}
    for code, data in resolved.items():
        fields = Fields(data, source, code, JurisdictionError)
        jurisdictions[code] = _parse_jurisdiction(code, fields, raw[code].get("inherit"))
    return JurisdictionTable(jurisdictions, source)


def _resolve(
    code: str,
    raw: Mapping[str, Any],
    resolved: dict[str, dict[str, Any]],
    source: Path,
    chain: tuple[str, ...],
) -> dict[str, Any]:
    if code in resolved:
        return resolved[code]
    if code in chain:
        raise JurisdictionError(source, f"{code}.inherit", f"inheritance cycle {(*chain, code)}")
    table = raw[code]
    if not isinstance(table, dict):
        raise JurisdictionError(source, code, "expected a table [CODE]")
    merged: dict[str, Any] = {}
    parent = table.get("inherit")
    if parent is not None:
        if not isinstance(parent, str) or parent not in raw:
            raise JurisdictionError(
                source, f"{code}.inherit", f"unknown parent jurisdiction {parent!r}"
            )
        merged.update(_resolve(parent, raw, resolved, source, (*chain, code)))
    merged.update(table)
    resolved[code] = merged
    return merged


def _parse_jurisdiction(code: str, fields: Fields, inherits: object) -> Jurisdiction:
    fields.reject_unknown(_JURISDICTION_FIELDS)
    timezone = fields.text("timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        fields.fail("timezone", f"unknown IANA time zone {timezone!r}")
    dsar_changes = tuple(
        DatedPeriod(change.day("effective_from"), _parse_period(change, dated=True))
        for change in fields.tables("dsar_changes", required=False)
    )
    if list(dsar_changes) != sorted(dsar_changes, key=lambda c: c.effective_from):
        fields.fail("dsar_changes", "changes must be listed in date order")
    dpa_changes = tuple(
        DatedText(change.day("effective_from"), change.text("dpa"))
        for change in fields.tables("dpa_changes", required=False)
    )
    return Jurisdiction(
        code=code,
        name=fields.text("name"),
        dpa=fields.text("dpa"),
        telecom_regulator=fields.text("telecom_regulator"),
        dsar=_parse_period(fields.table("dsar")),
        complaint_response=_opt_period(fields, "complaint_response"),
        breach_notification=_opt_period(fields, "breach_notification"),
        optout_register=fields.opt_text("optout_register"),
        optout_effect=_opt_period(fields, "optout_effect"),
        collector_limits=fields.opt_text("collector_limits"),
        holidays=_parse_holidays(fields.table("holidays")),
        timezone=timezone,
        dsar_acknowledgement=_opt_period(fields, "dsar_acknowledgement"),
        dsar_changes=dsar_changes,
        dpa_changes=dpa_changes,
        inherits=inherits if isinstance(inherits, str) else None,
    )


def _opt_period(fields: Fields, key: str) -> LegalPeriod | None:
    table = fields.opt_table(key)
    return None if table is None else _parse_period(table)


def _parse_period(fields: Fields, *, dated: bool = False) -> LegalPeriod:
    fields.reject_unknown(_PERIOD_FIELDS | ({"effective_from"} if dated else set()))
    verified = fields.flag("verified")
    source = fields.text("source", allow_empty=not verified)
    if verified and not source.startswith(("http://", "https://")):
        fields.fail("source", "a verified period needs the source URL from domain-facts")
    amount = fields.integer("amount", minimum=0)
    unit = fields.text("unit")
    extension_amount = fields.opt_integer("extension_amount", minimum=1)
    extension_unit = fields.opt_text("extension_unit")
    basis = fields.opt_text("basis") or ""
    note = fields.opt_text("note") or ""
    pausable = fields.flag("pausable") if fields.has("pausable") else False
    try:
        return LegalPeriod(
            amount, unit, extension_amount, extension_unit, source, verified, basis, note, pausable
        )
    except ValueError as exc:
        raise JurisdictionError(fields.path, fields.prefix, str(exc)) from exc


def _parse_holidays(fields: Fields) -> HolidayCalendar:
    fields.reject_unknown({"name", "fixed", "easter", "nth_weekday", "dates", "removed"})
    fixed: list[tuple[int, int]] = []
    for index, text in enumerate(fields.texts("fixed", required=False)):
        try:
            month_text, day_text = text.split("-")
            month, day = int(month_text), int(day_text)
            date(2000, month, day)  # a leap year, so 02-29 is accepted
        except ValueError:
            fields.fail(f"fixed[{index}]", f"expected MM-DD, got {text!r}")
        fixed.append((month, day))
    easter = fields.data.get("easter", [])
    if not isinstance(easter, list) or not all(
        isinstance(x, int) and not isinstance(x, bool) for x in easter
    ):
        fields.fail("easter", "expected a list of day offsets from Easter Sunday")
    rules: list[NthWeekday] = []
    for rule in fields.tables("nth_weekday", required=False):
        weekday = rule.text("weekday").lower()
        if weekday not in _WEEKDAYS:
            rule.fail("weekday", f"expected a weekday name, got {weekday!r}")
        n = rule.integer("n")
        if n == 0 or not -5 <= n <= 5:
            rule.fail("n", "expected 1..5, or -1 for the last")
        month = rule.integer("month", minimum=1)
        if month > 12:
            rule.fail("month", f"expected 1..12, got {month}")
        rules.append(NthWeekday(n=n, weekday=_WEEKDAYS[weekday], month=month))
    return HolidayCalendar(
        name=fields.text("name"),
        fixed=tuple(fixed),
        easter_offsets=tuple(easter),
        nth_weekdays=tuple(rules),
        dates=fields.days("dates"),
        removed=fields.days("removed"),
    )
