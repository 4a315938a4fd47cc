from __future__ import annotations

import pytest

from classifiers.pii import PiiSpan, find_pii, mask_pii


def kinds(text: str) -> list[str]:
    return [span.kind for span in find_pii(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me at +34 612 345 678", ["phone"]),
        ("fone (11) 91234-5678", ["phone"]),
        ("тел. 8 (912) 345-67-89", ["phone"]),
        ("tel 333 1234567", ["phone"]),
        ("tél 06 12 34 56 78", ["phone"]),
        ("Tel. 0151 23456789", ["phone"]),
        ("write to ana.lopez@example.es", ["email"]),
        ("Mi DNI es 12345678Z", ["national_id"]),
        ("NIE X1234567L", ["national_id"]),
        ("CPF 123.456.789-09", ["national_id"]),
        ("codice fiscale RSSMRA85T10A562S", ["national_id"]),
        ("паспорт 45 06 123456", ["national_id"]),
        ("СНИЛС 112-233-445 95", ["national_id"]),
        ("RUT 12.345.678-9", ["national_id"]),
        ("IBAN ES91 2100 0418 4502 0005 1332", ["card"]),
        ("card 4111 1111 1111 1111", ["card"]),
        ("contrato nº 2023-00981", ["contract_id"]),
        ("Vertragsnummer: 12345678", ["contract_id"]),
        ("номер договора 77123456", ["contract_id"]),
        ("Calle Mayor 12, Madrid", ["address"]),
        ("Rua Augusta, 1500", ["address"]),
        ("via Roma 12", ["address"]),
        ("ул. Ленина, д. 5, кв. 12", ["address"]),
        ("221B Baker Street", ["address"]),
        ("12 rue de la Paix", ["address"]),
        ("Hauptstraße 5", ["address"]),
    ],
)
def test_detects_each_kind_in_several_formats(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Responderemos en 30 días.",
        "Ответим в течение 10 рабочих дней.",
        "On 12.05.2024 at 10:30 we charged 1500 euros.",
        "Deadline 2024-05-01, case #4411",
        "we will reply via email within one month",
        "card 4111 1111 1111 1112",  # fails the Luhn check
        "uno stesso numero chiamato 155 volte",
    ],
)
def test_leaves_numbers_that_are_not_personal_data(text: str) -> None:
    assert find_pii(text) == []


def test_spans_point_at_the_original_text() -> None:
    text = "Escríbame a ana@example.es o al +34 612 345 678."
    spans = find_pii(text)
    assert [text[s.start : s.end] for s in spans] == ["ana@example.es", "+34 612 345 678"]
    assert spans[0] == PiiSpan("email", 12, 26)


def test_mask_replaces_each_span_with_its_kind() -> None:
    text = "Vertragsnummer: 12345678, Hauptstraße 5, Tel. 0151 23456789"
    assert mask_pii(text) == "Vertragsnummer: [contract_id], [address], Tel. [phone]"
    assert mask_pii("nothing personal here") == "nothing personal here"
