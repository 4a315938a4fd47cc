from __future__ import annotations

import pytest

from classifiers.normalize import fold_literal, normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The rеgulаtor gave us your data", "the regulator gave us your data"),  # Cyrillic е, а
        ("Мы не можем удaлить ваш номер", "мы не можем удалить ваш номер"),  # Latin a
        ("S\u200bu\u200be\u2060 me", "sue me"),
        ("\u202eSue me\u202c", "sue me"),
        ("s u e  m e", "sue me"),
        ("s.u.e m.e", "sue me"),
        ("W3 h4ve 4ccess to 4ll cust0mer d4ta", "we have access to all customer data"),
        ("ＳＵＥ ME", "sue me"),
        ("suuuue meeee", "sue me"),
        ("Não podemos apagar", "nao podemos apagar"),
        ("Él NO Está", "el no esta"),
        ("ещё   раз", "еще раз"),
    ],
)
def test_normalises_evasion(text: str, expected: str) -> None:
    assert normalize(text).text == expected


def test_units_and_numbers_are_not_leetspeak() -> None:
    assert normalize("5G en 24h, 30 días").text == "5g en 24h, 30 dias"


def test_offset_map_points_at_the_original_characters() -> None:
    original = "Our r\u200bеgulаtor friends g 4 v e"
    norm = normalize(original)
    start = norm.text.index("regulator")
    o_start, o_end = norm.to_original(start, start + len("regulator"))
    assert original[o_start:o_end] == "r\u200bеgulаtor"
    assert len(norm.starts) == len(norm.text) == len(norm.ends)


def test_offsets_cover_expanded_and_combining_characters() -> None:
    original = "Straße e\u0301"
    norm = normalize(original)
    assert norm.text == "strasse e"
    assert norm.to_original(4, 6) == (4, 5)  # "ss" both come from "ß"
    assert norm.to_original(8, 9) == (7, 9)  # "e" keeps its combining accent


def test_fold_literal_matches_normalised_text() -> None:
    assert fold_literal("Não APAGAR") == "nao apagar"
    assert normalize("").text == ""
    assert normalize("").to_original(0, 0) == (0, 0)
