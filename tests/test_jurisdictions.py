from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from playbooks.errors import JurisdictionError, UnknownJurisdictionError
from playbooks.holidays import easter_sunday, nth_weekday
from playbooks.jurisdictions import load_jurisdictions
from playbooks.periods import LegalPeriod

ALL_CODES = {"EU", "IT", "ES", "DE", "FR", "PT", "UK", "BR", "RU", "CL", "US_CA"}


def test_bundled_table_has_every_code() -> None:
    table = load_jurisdictions()
    assert set(table.codes()) == ALL_CODES
    assert "IT" in table
    assert len(table) == len(ALL_CODES)


def test_unknown_code_names_the_code_and_the_known_ones() -> None:
    table = load_jurisdictions()
    with pytest.raises(UnknownJurisdictionError) as info:
        table.get("MX")
    assert "'MX'" in str(info.value)
    assert "US_CA" in str(info.value)


@pytest.mark.parametrize(
    ("code", "amount", "unit", "extension"),
    [
        ("EU", 1, "months", (2, "months")),
        ("IT", 1, "months", (2, "months")),
        ("ES", 1, "months", (2, "months")),
        ("DE", 1, "months", (2, "months")),
        ("UK", 1, "months", (2, "months")),
        ("BR", 15, "calendar_days", None),
        ("RU", 10, "working_days", (5, "working_days")),
        ("US_CA", 45, "calendar_days", (45, "calendar_days")),
    ],
)
def test_dsar_periods_match_the_fact_sheet(
    code: str, amount: int, unit: str, extension: tuple[int, str] | None
) -> None:
    dsar = load_jurisdictions().get(code).dsar
    assert (dsar.amount, dsar.unit) == (amount, unit)
    got = None if dsar.extension_amount is None else (dsar.extension_amount, dsar.extension_unit)
    assert got == extension
    assert dsar.verified
    assert dsar.source.startswith("http")


def test_italy_and_spain_inherit_the_gdpr_breach_clock() -> None:
    table = load_jurisdictions()
    eu_breach = table.get("EU").breach_notification
    assert eu_breach == LegalPeriod(
        72, "hours", None, None, eu_breach.source if eu_breach else "", True,
        eu_breach.basis if eu_breach else "", eu_breach.note if eu_breach else "",
    )  # fmt: skip
    assert table.get("IT").breach_notification == eu_breach
    assert table.get("ES").breach_notification == eu_breach
    assert table.get("IT").dpa.startswith("Garante")
    assert table.get("IT").inherits == "EU"


def test_chile_switches_law_on_2026_12_01() -> None:
    chile = load_jurisdictions().get("CL")
    before = chile.dsar_for(date(2026, 11, 30))
    after = chile.dsar_for(date(2026, 12, 1))
    assert (before.amount, before.unit) == (2, "working_days")
    assert (after.amount, after.unit) == (30, "calendar_days")
    assert after.extension_amount is None  # the extension length is unverified: not invented
    assert "Agencia" in chile.dpa_for(date(2026, 12, 1))
    assert "courts" in chile.dpa_for(date(2026, 11, 30))


def test_unverified_items_are_flagged() -> None:
    table = load_jurisdictions()
    italy_complaints = table.get("IT").complaint_response
    assert italy_complaints is not None and not italy_complaints.verified
    assert "[unverified]" in italy_complaints.label()
    assert table.get("CL").breach_notification is None
    us_breach = table.get("US_CA").breach_notification
    assert us_breach is not None and not us_breach.verified


def test_holiday_rules() -> None:
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2027) == date(2027, 3, 28)
    assert nth_weekday(2026, 5, 0, -1) == date(2026, 5, 25)
    assert nth_weekday(2026, 11, 3, 4) == date(2026, 11, 26)
    table = load_jurisdictions()
    assert table.get("IT").holidays.is_holiday(date(2026, 4, 6))  # Pasquetta
    assert table.get("RU").holidays.is_holiday(date(2026, 6, 12))
    assert table.get("UK").holidays.is_holiday(date(2026, 8, 31))
    assert not table.get("IT").holidays.is_holiday(date(2026, 4, 7))
    assert table.get("RU").zone.key == "Europe/Moscow"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "jurisdictions.toml"
    path.write_text(text, encoding="utf-8")
    return path


_VALID = """
[XX]
name = "Test"
dpa = "Test DPA"
telecom_regulator = "Test NRA"
timezone = "Europe/Rome"
[XX.holidays]
name = "none"
[XX.dsar]
amount = 1
unit = "months"
source = "https://example.org"
verified = true
"""


def test_a_minimal_custom_table_loads(tmp_path: Path) -> None:
    table = load_jurisdictions(_write(tmp_path, _VALID))
    assert table.codes() == ("XX",)


@pytest.mark.parametrize(
    ("edit", "field", "problem"),
    [
        (('unit = "months"', 'unit = "fortnights"'), "XX.dsar", "fortnights"),
        (('timezone = "Europe/Rome"', 'timezone = "Mars/Olympus"'), "XX.timezone", "time zone"),
        (("amount = 1", 'amount = "one"'), "XX.dsar.amount", "integer"),
        (('source = "https://example.org"', 'source = "domain facts"'), "XX.dsar.source", "URL"),
        (('name = "Test"\n', ""), "XX.name", "missing"),
        (("[XX.dsar]", '[XX.dsar]\ncolour = "red"'), "XX.dsar.colour", "unknown field"),
        (
            ('[XX.holidays]\nname = "none"', '[XX.holidays]\nname = "x"\nfixed = ["13-40"]'),
            "XX.holidays.fixed[0]",
            "MM-DD",
        ),
        (('name = "Test"', 'name = "Test"\ninherit = "YY"'), "XX.inherit", "YY"),
    ],
)
def test_malformed_tables_name_file_and_field(
    tmp_path: Path, edit: tuple[str, str], field: str, problem: str
) -> None:
    path = _write(tmp_path, _VALID.replace(*edit, 1))
    with pytest.raises(JurisdictionError) as info:
        load_jurisdictions(path)
    assert info.value.field == field
    assert problem in str(info.value)
    assert str(path) in str(info.value)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "[XX\nname = ")
    with pytest.raises(JurisdictionError, match="invalid TOML") as info:
        load_jurisdictions(path)
    assert info.value.path == path
