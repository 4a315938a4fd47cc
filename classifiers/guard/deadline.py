"""`wrong_legal_deadline`: a stated answer period that the jurisdiction's law does not allow.

A deadline is a number (digits or a number word) plus a unit, in a sentence about a data
request or a complaint. It is compared with the statutory period from
``playbooks.jurisdictions`` (DSAR, or complaint response when the sentence is about a
complaint and the table has one). Promising LESS time than the law allows is fine; a
period whose shortest reading is longer than the law's longest reading is a violation.
An extension is only accepted when the sentence itself speaks of extending for cause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from playbooks.jurisdictions import Jurisdiction
from playbooks.periods import LegalPeriod

# When the draft does not name a jurisdiction: the jurisdiction the language's customers
# most often write from (seed cases: pt → Brazil, es → Spain; en → UK).
DEFAULT_JURISDICTION_BY_LANGUAGE: dict[str, str] = {
    "es": "ES",
    "pt": "BR",
    "it": "IT",
    "ru": "RU",
    "en": "UK",
    "fr": "FR",
    "de": "DE",
}

_NUMBER_WORDS: dict[str, int] = {
    # en
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
    "a": 1,
    "an": 1,
    # es / pt
    "un": 1,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "diez": 10,
    "quince": 15,
    "veinte": 20,
    "treinta": 30,
    "cuarenta y cinco": 45,
    "sesenta": 60,
    "noventa": 90,
    "um": 1,
    "uma": 1,
    "duas": 2,
    "quatro": 4,
    "dez": 10,
    "quinze": 15,
    "vinte": 20,
    "trinta": 30,
    "quarenta e cinco": 45,
    # it
    "due": 2,
    "tre": 3,
    "quattro": 4,
    "dieci": 10,
    "quindici": 15,
    "venti": 20,
    "trenta": 30,
    "quarantacinque": 45,
    "novanta": 90,
    # ru (normalised: no ё/й diacritics)
    "один": 1,
    "одного": 1,
    "одну": 1,
    "два": 2,
    "двух": 2,
    "три": 3,
    "трех": 3,
    "пять": 5,
    "десять": 10,
    "десяти": 10,
    "пятнадцать": 15,
    "пятнадцати": 15,
    "тридцать": 30,
    "тридцати": 30,
    "месяц": 1,
    # fr
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "dix": 10,
    "trente": 30,
    # de
    "ein": 1,
    "einem": 1,
    "einen": 1,
    "einer": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "funf": 5,
    "zehn": 10,
    "funfzehn": 15,
    "dreissig": 30,
}

_UNITS: tuple[tuple[str, str], ...] = (
    (
        r"(?:working|business|work) days?|dias? (?:uteis|habeis)|dias habiles|giorni (?:lavorativi|"
        r"feriali)|рабочих дн\w*|рабочего дня|рабочих суток|jours (?:ouvres|ouvrables)|werktag\w*"
        r"|arbeitstag\w*|geschaftstag\w*",
        "working_days",
    ),
    (
        r"calendar days?|days?|dias?(?: (?:naturales|corridos|calendario))?"
        r"|giorni(?: di calendario)?"
        r"|дн\w*|сут\w*|jours?(?: calendaires)?|tag\w*|kalendertag\w*",
        "calendar_days",
    ),
    (r"weeks?|semanas?|settimane?|недел\w*|semaines?|woche\w*", "weeks"),
    (r"months?|mes(?:es)?|meses|mesi|mese|месяц\w*|mois|monat\w*", "months"),
)

_NUMBER = (
    r"(?P<number>\d{1,3}|"
    + "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
    + ")"
)
_DURATION = re.compile(
    r"\b"
    + _NUMBER
    + r"\s+(?:\(\d+\)\s+)?(?P<unit>"
    + "|".join(f"(?:{pattern})" for pattern, _ in _UNITS)
    + r")\b"
)

_TOPIC = re.compile(
    r"\b(?:request\w*|respon\w*|answer\w*|repl\w*|access|erasure|deletion|complaint\w*|"
    r"solicitud\w*|peticion\w*|respuesta\w*|contest\w*|reclam\w*|derecho\w*|"
    r"pedido\w*|resposta\w*|respond\w*|solicitac\w*|requisic\w*|acesso|"
    r"richiest\w*|rispost\w*|rispond\w*|istanz\w*|accesso|"
    r"запрос\w*|ответ\w*|обращени\w*|жалоб\w*|претензи\w*|требовани\w*|"
    r"demande\w*|repon\w*|plainte\w*|"
    r"anfrage\w*|antrag\w*|auskunft\w*|antwort\w*|beantwort\w*|beschwerde\w*|ersuchen)\b"
)
_COMPLAINT = re.compile(
    r"\b(?:complaint\w*|reclamac\w*|reclamo\w*|reclamaci\w*|reclamo|reclamo|жалоб\w*|"
    r"претензи\w*|plainte\w*|reclamation\w*|beschwerde\w*)\b"
)
_EXTENSION = re.compile(
    r"\b(?:extend\w*|extension|prorrog\w*|prorog\w*|продл\w*|prolong\w*|verlanger\w*|"
    r"complex\w*|complej\w*|complicad\w*|сложн\w*|komplex\w*)\b"
)
# Durations that are about something else: "155 times", opening hours, history.
_IRRELEVANT_CONTEXT = re.compile(
    r"\b(?:ago|hace|atras|fa|назад|il y a|vor|since|desde|da|dal|с|depuis|seit)\s*$"
)


@dataclass(frozen=True, slots=True)
class StatedDeadline:
    start: int
    end: int
    amount: int
    unit: str  # calendar_days, working_days, weeks, months


def find_deadlines(text: str) -> list[StatedDeadline]:
    """Durations in sentences that talk about a request, a response or a complaint."""
    found: list[StatedDeadline] = []
    for match in _DURATION.finditer(text):
        sentence_start = max(text.rfind(c, 0, match.start()) for c in ".!?\n;") + 1
        sentence_end_candidates = [text.find(c, match.end()) for c in ".!?\n;"]
        sentence_end = min([e for e in sentence_end_candidates if e >= 0], default=len(text))
        sentence = text[sentence_start:sentence_end]
        if not _TOPIC.search(sentence):
            continue
        if _IRRELEVANT_CONTEXT.search(text[sentence_start : match.start()]):
            continue
        raw_number = match.group("number")
        amount = int(raw_number) if raw_number.isdigit() else _NUMBER_WORDS[raw_number]
        unit_text = match.group("unit")
        unit = next(name for pattern, name in _UNITS if re.fullmatch(pattern, unit_text))
        found.append(StatedDeadline(match.start(), match.end(), amount, unit))
    return found


def _shortest_days(amount: int, unit: str) -> float:
    """The shortest number of calendar days a stated period can mean."""
    if unit == "working_days":
        return amount * 7 / 5 - 2
    if unit == "weeks":
        return amount * 7
    if unit == "months":
        return amount * 28
    if unit == "hours":
        return amount / 24
    return amount


def _longest_days(amount: int, unit: str) -> float:
    """The longest number of calendar days a legal period can mean (holidays included)."""
    if unit == "working_days":
        return amount * 7 / 5 + 4
    if unit == "weeks":
        return amount * 7
    if unit == "months":
        return amount * 31
    if unit == "hours":
        return amount / 24
    return amount


def legal_limit_days(period: LegalPeriod, with_extension: bool) -> float:
    limit = _longest_days(period.amount, period.unit)
    if with_extension and period.extension_amount is not None and period.extension_unit:
        limit += _longest_days(period.extension_amount, period.extension_unit)
    return limit


def applicable_period(jurisdiction: Jurisdiction, text: str, today: date) -> LegalPeriod:
    if _COMPLAINT.search(text) and jurisdiction.complaint_response is not None:
        return jurisdiction.complaint_response
    return jurisdiction.dsar_for(today)


def wrong_deadlines(
    text: str, jurisdiction: Jurisdiction, today: date
) -> list[tuple[StatedDeadline, LegalPeriod]]:
    """Stated deadlines longer than the law allows, each with the period it contradicts."""
    wrong: list[tuple[StatedDeadline, LegalPeriod]] = []
    for stated in find_deadlines(text):
        sentence_start = max(text.rfind(c, 0, stated.start) for c in ".!?\n;") + 1
        sentence_end_candidates = [text.find(c, stated.end) for c in ".!?\n;"]
        sentence_end = min([e for e in sentence_end_candidates if e >= 0], default=len(text))
        sentence = text[sentence_start:sentence_end]
        period = applicable_period(jurisdiction, sentence, today)
        if period.amount == 0:
            continue  # "immediately": any stated period would be checked by a human
        extension = _EXTENSION.search(sentence) is not None
        if _shortest_days(stated.amount, stated.unit) > legal_limit_days(period, extension):
            wrong.append((stated, period))
    return wrong
