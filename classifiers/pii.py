"""Find and mask personal data in free text (seven languages, several national id formats).

Used to mask ticket cards and logs, and by the reply guard for `pii_in_public`. The
detectors are deliberately conservative about what counts as a number worth masking:
phone candidates need at least 8 digits, card numbers must pass the Luhn check, IBANs the
mod-97 check, so amounts, dates and deadlines ("30 días", "10 рабочих дней") stay visible.

Kinds: ``phone``, ``email``, ``contract_id`` (contract / account / customer numbers, only
next to such a keyword), ``national_id`` (DNI/NIE/NIF, CPF, codice fiscale, Russian
passport, SNILS, Chilean RUT, UK NI number, US SSN), ``address`` (street + house number),
``card`` (payment-card numbers and IBANs).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

PiiKind = Literal["phone", "email", "contract_id", "national_id", "address", "card"]

PII_KINDS: tuple[PiiKind, ...] = (
    "phone",
    "email",
    "contract_id",
    "national_id",
    "address",
    "card",
)


@dataclass(frozen=True, slots=True)
class PiiSpan:
    kind: PiiKind
    start: int
    end: int


_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])",
)

# IBAN: country code, check digits, 11-30 alphanumerics, optionally grouped by 4.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")

# 13-19 digits, optionally grouped by spaces or dashes.
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")

_NATIONAL_IDS: tuple[re.Pattern[str], ...] = (
    # Spain: DNI/NIF (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter).
    re.compile(r"\b\d{8}[ -]?[A-HJ-NP-TV-Z]\b"),
    re.compile(r"\b[XYZ][ -]?\d{7}[ -]?[A-HJ-NP-TV-Z]\b"),
    # Brazil: CPF 000.000.000-00 (formatted) or 11 digits after the keyword.
    re.compile(r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b"),
    re.compile(r"(?i)\bcpf\W{0,3}\d{11}\b"),
    # Italy: codice fiscale (letters may be replaced by omocodia letters in digit slots).
    re.compile(
        r"(?i)\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}"
        r"[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b"
    ),
    # Russia: SNILS 000-000-000 00 and passport series + number (45 06 123456).
    re.compile(r"\b\d{3}-\d{3}-\d{3}[ -]\d{2}\b"),
    re.compile(r"\b\d{2}[ ]?\d{2}[ ]?(?:№[ ]?)?\d{6}\b"),
    # Chile: RUT 12.345.678-9 / 12345678-K.
    re.compile(r"(?i)\b\d{1,2}\.?\d{3}\.?\d{3}-[\dK]\b"),
    # UK National Insurance number and US SSN.
    re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]\b"),
    re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),
)

_CONTRACT_KEYWORDS = (
    r"contract|account|customer|client|contrato|contratto|contrat|vertrag|vertrags"
    r"|kunden|kundennummer|vertragsnummer|cuenta|conta|cliente|abbonato|abonné|abonne"
    r"|договор|договора|лицевой\s+сч[её]т|лицевого\s+сч[её]та|сч[её]т|абонент"
    r"|invoice|factura|fatura|fattura|facture|rechnung|сч[её]т-фактура"
)
_CONTRACT = re.compile(
    r"(?i)\b(?:" + _CONTRACT_KEYWORDS + r")\w*"
    r"(?:\s+(?:id|no\.?|nr\.?|n[°º.]|number|número|numero|numéro|nummer|номер))?"
    r"\s*(?:[:#№]|n[°º]|nº)?\s*"
    r"(?P<id>(?=[A-Z0-9-]*\d{4})[A-Z0-9][A-Z0-9-]{3,24})\b"
)

_PHONE = re.compile(
    r"(?<![\w+(])"
    r"(?:\+|00)?(?:\(\d{1,5}\)|\d{1,4})"  # country code, area code or first group
    r"(?:[ .\-/]?\(\d{1,5}\)|[ .\-/]?\d{1,6}){1,6}"
    r"(?![\w])"
)

_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
_NAME = rf"[{_UPPER}][\w'’.-]*"
_PARTICLE = r"(?:de|del|da|do|dos|das|di|della|dei|du|des|la|le|von|van|der)"
_NAME_SEQ = rf"{_NAME}(?:\s+{_PARTICLE}?\s*{_NAME}){{0,3}}"
_HOUSE_NUMBER = r"\d{1,5}(?:\s?[a-zA-Z]\b|\s?bis\b)?"
_ADDRESSES: tuple[re.Pattern[str], ...] = (
    # es / pt / it: street type, name, optional comma, number ("Calle Mayor 12").
    re.compile(
        r"(?i:\b(?:calle|c/|avenida|avda\.?|av\.|paseo|plaza|pza\.|camino|carrera|ronda"
        r"|rua|r\.|travessa|praça|alameda|estrada|largo"
        r"|via|viale|piazza|p\.zza|corso|vicolo|piazzale|strada))"
        rf"\s+{_NAME_SEQ},?\s+(?:n[°º.]?\s*)?{_HOUSE_NUMBER}"
    ),
    # fr / en: number first ("12 rue de la Paix", "221B Baker Street").
    re.compile(
        rf"\b\d{{1,5}}\s?(?:[a-zA-Z]\b|bis\b|ter\b)?,?\s+"
        r"(?i:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route)"
        r"\s+(?:(?i:de|du|des|de\s+la|de\s+l'|d')\s*)?"
        rf"{_NAME_SEQ}"
    ),
    re.compile(
        rf"\b\d{{1,5}}[a-zA-Z]?\s+{_NAME_SEQ}\s+"
        r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?"
        r"|Way|Court|Ct\.?|Close|Crescent|Terrace|Place|Square|Gardens)\b"
    ),
    # de: "Hauptstraße 5", "Berliner Str. 12a", "Am Markt 3" is too ambiguous and skipped.
    re.compile(
        rf"\b[{_UPPER}][\w-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer)"
        rf"\s+{_HOUSE_NUMBER}"
    ),
    re.compile(rf"\b{_NAME}\s+(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse)\s+{_HOUSE_NUMBER}"),
    # ru: "ул. Ленина, д. 5", "улица Пушкина 10", "пр-т Мира, 12".
    re.compile(
        r"(?i:\b(?:ул\.|улица|улице|проспект|пр-т|пр\.|пер\.|переулок|шоссе|бульвар|б-р"
        r"|наб\.|набережная|пл\.|площадь))"
        r"\s*[\w.-]+(?:\s+[\w.-]+){0,2}?,?\s*(?i:д\.|дом)?\s*\d{1,4}(?:\s?[а-яa-z]\b)?"
        r"(?:,?\s*(?i:кв\.|квартира)\s*\d{1,4})?"
    ),
)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _iban_ok(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _phone_ok(candidate: str) -> bool:
    digits = _digits(candidate)
    if not 8 <= len(digits) <= 15:
        return False
    # Dates and times written with separators (2024-05-01, 12.05.2024) are not phones.
    if re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}", candidate):
        return False
    # A single unseparated run of 8 digits is more often a reference than a phone.
    return not (len(digits) < 9 and not candidate.startswith(("+", "00")) and " " not in candidate)


def _collect(
    pattern: re.Pattern[str],
    text: str,
    kind: PiiKind,
    check: Callable[[str], bool] | None = None,
    group: str | int = 0,
) -> list[PiiSpan]:
    spans: list[PiiSpan] = []
    for match in pattern.finditer(text):
        value = match.group(group)
        if check is not None and not check(value):
            continue
        start = match.start(group)
        value = value.rstrip(" .,-")
        spans.append(PiiSpan(kind, start, start + len(value)))
    return spans


def _overlaps(span: PiiSpan, taken: list[PiiSpan]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in taken)


def find_pii(text: str) -> list[PiiSpan]:
    """All personal-data spans in ``text``, sorted by start, never overlapping.

    Detectors run from the most specific to the least (e-mail, IBAN/card, national ids,
    contract ids, addresses, phones); a later detector never claims characters an earlier
    one already took.
    """
    candidates: list[list[PiiSpan]] = [
        _collect(_EMAIL, text, "email"),
        _collect(_IBAN, text, "card", _iban_ok),
        _collect(_CARD, text, "card", lambda v: _luhn_ok(_digits(v))),
    ]
    candidates.append([s for p in _NATIONAL_IDS for s in _collect(p, text, "national_id")])
    candidates.append(_collect(_CONTRACT, text, "contract_id", group="id"))
    candidates.append([s for p in _ADDRESSES for s in _collect(p, text, "address")])
    candidates.append(_collect(_PHONE, text, "phone", _phone_ok))
    taken: list[PiiSpan] = []
    for group in candidates:
        for span in sorted(group, key=lambda s: (s.start, -(s.end - s.start))):
            if span.end > span.start and not _overlaps(span, taken):
                taken.append(span)
    return sorted(taken, key=lambda s: s.start)


def mask_pii(text: str) -> str:
    """``text`` with every personal-data span replaced by ``[kind]``."""
    pieces: list[str] = []
    cursor = 0
    for span in find_pii(text):
        pieces.append(text[cursor : span.start])
        pieces.append(f"[{span.kind}]")
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)
