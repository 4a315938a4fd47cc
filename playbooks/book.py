"""Playbooks: one validated data file per category (playbooks/data/playbooks/<category>.toml).

Reply templates shared by all playbooks live in playbooks/data/templates.toml; a playbook
may override any of them. After loading, every playbook has every template kind in every
language, or loading fails naming the file and the field.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Final

from classifiers.taxonomy import LANGUAGES, Category, Severity
from playbooks.errors import PlaybookError
from playbooks.periods import DURATION_UNITS, Duration
from playbooks.tomlfields import Fields, read_toml

DEFAULT_PLAYBOOK_DIR: Final[Path] = Path(__file__).parent / "data" / "playbooks"
DEFAULT_TEMPLATES_PATH: Final[Path] = Path(__file__).parent / "data" / "templates.toml"

QUEUES: Final[tuple[str, ...]] = (
    "care", "privacy_dpo", "security_hr", "collections_vendor", "wholesale_compliance",
)  # fmt: skip
# Roles that appear in escalation chains besides the queues themselves.
ROLES: Final[tuple[str, ...]] = (
    "escalation_manager", "legal_regulatory", "marketing_ops", "billing", "vendor_manager",
)  # fmt: skip
PRIORITIES: Final[tuple[str, ...]] = ("P1", "P2", "P3", "P4")
LEGAL_CLOCKS: Final[tuple[str, ...]] = (
    "dsar", "dsar_acknowledgement", "breach_notification", "complaint_response",
)  # fmt: skip
TEMPLATE_KINDS: Final[tuple[str, ...]] = (
    "acknowledgement", "public_redirect", "evidence_request", "closure",
)  # fmt: skip
# Placeholders each kind may use, and those it must use. A public reply carries none: no
# personal data and no case details in public.
TEMPLATE_PLACEHOLDERS: Final[Mapping[str, frozenset[str]]] = {
    "acknowledgement": frozenset({"reference"}),
    "public_redirect": frozenset(),
    "evidence_request": frozenset({"reference", "questions"}),
    "closure": frozenset({"reference"}),
}
REQUIRED_PLACEHOLDERS: Final[Mapping[str, frozenset[str]]] = {
    "acknowledgement": frozenset({"reference"}),
    "public_redirect": frozenset(),
    "evidence_request": frozenset({"reference", "questions"}),
    "closure": frozenset({"reference"}),
}
FALLBACK_LANGUAGE: Final[str] = "en"
_WEEKDAYS: Final[tuple[str, ...]] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip
_HOURS_RE: Final[re.Pattern[str]] = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)$")


@dataclass(frozen=True)
class EvidenceQuestion:
    key: str
    prompts: Mapping[str, str]

    def prompt(self, lang: str) -> str:
        return self.prompts.get(lang, self.prompts[FALLBACK_LANGUAGE])


@dataclass(frozen=True)
class SlaPolicy:
    first_response: Duration
    next_response: Duration
    resolution: Duration
    # When set and the playbook has a DSAR clock, resolution = this share of the DSAR period.
    resolution_legal_fraction: float | None
    legal_clocks: tuple[str, ...]
    pausable: frozenset[str]
    warning_fraction: float
    opening_hours: Mapping[int, tuple[tuple[time, time], ...]]


@dataclass(frozen=True)
class Playbook:
    id: str
    category: Category
    title: str
    queue: str
    priority: Mapping[Severity, str]
    steps: tuple[str, ...]
    evidence: tuple[EvidenceQuestion, ...]
    rights: tuple[str, ...]
    escalation_chain: tuple[str, ...]
    sla: SlaPolicy
    templates: Mapping[str, Mapping[str, str]]
    source: Path


class PlaybookBook(Mapping[Category, Playbook]):
    """Every category's playbook; loading guarantees all seven are present."""

    def __init__(self, playbooks: Mapping[Category, Playbook]) -> None:
        self._by_category = dict(playbooks)

    def __getitem__(self, category: Category) -> Playbook:
        return self._by_category[category]

    def __iter__(self) -> Iterator[Category]:
        return iter(self._by_category)

    def __len__(self) -> int:
        return len(self._by_category)

    def by_id(self, playbook_id: str) -> Playbook:
        for playbook in self._by_category.values():
            if playbook.id == playbook_id:
                return playbook
        raise KeyError(f"unknown playbook id {playbook_id!r}")


class TemplateError(ValueError):
    """A template could not be rendered (unknown kind or a missing value)."""


def render_template(playbook: Playbook, kind: str, lang: str, **values: str) -> str:
    """Approved wording of `kind` in `lang` (English when the language is not covered)."""
    if kind not in playbook.templates:
        raise TemplateError(f"unknown template kind {kind!r}; expected one of {TEMPLATE_KINDS}")
    by_lang = playbook.templates[kind]
    text = by_lang.get(lang, by_lang[FALLBACK_LANGUAGE])
    needed = _placeholders(text)
    missing = needed - values.keys()
    if missing:
        raise TemplateError(
            f"template {playbook.id}/{kind}/{lang} needs values for {', '.join(sorted(missing))}"
        )
    return text.format_map({name: values[name] for name in needed})


def _placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def load_playbooks(
    directory: Path | None = None, templates_path: Path | None = None
) -> PlaybookBook:
    """Load and validate the seven playbooks (default: the bundled data files)."""
    folder = directory or DEFAULT_PLAYBOOK_DIR
    shared_path = templates_path or DEFAULT_TEMPLATES_PATH
    shared = _parse_templates(Fields(read_toml(shared_path, PlaybookError), shared_path, "",
                                     PlaybookError), complete=False)  # fmt: skip
    playbooks: dict[Category, Playbook] = {}
    for category in Category:
        path = folder / f"{category.value}.toml"
        if not path.exists():
            raise PlaybookError(path, "", f"missing playbook file for category {category.value}")
        fields = Fields(read_toml(path, PlaybookError), path, "", PlaybookError)
        playbooks[category] = _parse_playbook(category, fields, shared)
    ids = [p.id for p in playbooks.values()]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PlaybookError(folder, "id", f"duplicate playbook ids {duplicates}")
    return PlaybookBook(playbooks)


_PLAYBOOK_FIELDS: Final[set[str]] = {
    "id", "category", "title", "queue", "priority", "steps", "evidence", "rights",
    "escalation_chain", "sla", "templates",
}  # fmt: skip
_SLA_FIELDS: Final[set[str]] = {
    "first_response", "next_response", "resolution", "resolution_legal_fraction",
    "legal_clocks", "pausable", "warning_fraction", "business_hours",
}  # fmt: skip


def _parse_playbook(
    category: Category, fields: Fields, shared: Mapping[str, Mapping[str, str]]
) -> Playbook:
    fields.reject_unknown(_PLAYBOOK_FIELDS)
    if fields.text("category") != category.value:
        fields.fail("category", f"expected {category.value!r} (the file name's category)")
    queue = fields.text("queue")
    if queue not in QUEUES:
        fields.fail("queue", f"unknown queue {queue!r}; expected one of {', '.join(QUEUES)}")
    priority_fields = fields.table("priority")
    priority_fields.reject_unknown({s.value for s in Severity})
    priority: dict[Severity, str] = {}
    for severity in Severity:
        value = priority_fields.text(severity.value)
        if value not in PRIORITIES:
            priority_fields.fail(severity.value, f"expected one of {', '.join(PRIORITIES)}")
        priority[severity] = value
    chain = fields.texts("escalation_chain")
    for index, step in enumerate(chain):
        if step not in QUEUES and step not in ROLES:
            fields.fail(
                f"escalation_chain[{index}]",
                f"unknown queue or role {step!r}; expected one of {', '.join(QUEUES + ROLES)}",
            )
    evidence = tuple(_parse_evidence(item) for item in fields.tables("evidence", required=False))
    keys = [question.key for question in evidence]
    if len(keys) != len(set(keys)):
        fields.fail("evidence", f"duplicate evidence keys in {keys}")
    own_templates = fields.opt_table("templates")
    templates = {kind: dict(by_lang) for kind, by_lang in shared.items()}
    if own_templates is not None:
        for kind, by_lang in _parse_templates(own_templates, complete=False).items():
            templates.setdefault(kind, {}).update(by_lang)
    _check_complete(templates, fields)
    return Playbook(
        id=fields.text("id"),
        category=category,
        title=fields.text("title"),
        queue=queue,
        priority=priority,
        steps=fields.texts("steps"),
        evidence=evidence,
        rights=fields.texts("rights"),
        escalation_chain=chain,
        sla=_parse_sla(fields.table("sla")),
        templates=templates,
        source=fields.path,
    )


def _parse_evidence(fields: Fields) -> EvidenceQuestion:
    fields.reject_unknown({"key", "prompt"})
    key = fields.text("key")
    if not key.isidentifier():
        fields.fail("key", f"expected a snake_case key, got {key!r}")
    prompt_fields = fields.table("prompt")
    prompt_fields.reject_unknown(set(LANGUAGES))
    prompts = {lang: prompt_fields.text(lang) for lang in LANGUAGES}
    return EvidenceQuestion(key=key, prompts=prompts)


def _parse_templates(fields: Fields, *, complete: bool) -> dict[str, dict[str, str]]:
    fields.reject_unknown(set(TEMPLATE_KINDS))
    templates: dict[str, dict[str, str]] = {}
    for kind in TEMPLATE_KINDS:
        if not fields.has(kind):
            if complete:
                fields.fail(kind, "missing template kind")
            continue
        by_lang = fields.table(kind)
        by_lang.reject_unknown(set(LANGUAGES))
        templates[kind] = {}
        for lang in LANGUAGES:
            if not by_lang.has(lang):
                continue
            text = by_lang.text(lang)
            try:
                used = _placeholders(text)
            except ValueError as exc:
                by_lang.fail(lang, f"bad placeholder syntax: {exc}")
            unknown = used - TEMPLATE_PLACEHOLDERS[kind]
            if unknown:
                by_lang.fail(lang, f"placeholders not allowed in {kind}: {sorted(unknown)}")
            absent = REQUIRED_PLACEHOLDERS[kind] - used
            if absent:
                by_lang.fail(lang, f"{kind} must contain {{{'}, {'.join(sorted(absent))}}}")
            templates[kind][lang] = text
    return templates


def _check_complete(templates: Mapping[str, Mapping[str, str]], fields: Fields) -> None:
    for kind in TEMPLATE_KINDS:
        for lang in LANGUAGES:
            if lang not in templates.get(kind, {}):
                fields.fail(
                    f"templates.{kind}.{lang}",
                    "missing template (neither in the playbook nor in templates.toml)",
                )


def _duration(fields: Fields, key: str) -> Duration:
    text = fields.text(key)
    parts = text.split()
    if len(parts) != 2 or not parts[0].isdigit() or parts[1] not in DURATION_UNITS:
        fields.fail(
            key,
            f"bad duration {text!r}; expected '<whole number> <unit>' with unit one of "
            f"{', '.join(sorted(DURATION_UNITS))}",
        )
    return Duration(int(parts[0]), parts[1])


def _parse_sla(fields: Fields) -> SlaPolicy:
    fields.reject_unknown(_SLA_FIELDS)
    legal = fields.texts("legal_clocks", required=False)
    for index, name in enumerate(legal):
        if name not in LEGAL_CLOCKS:
            fields.fail(f"legal_clocks[{index}]", f"expected one of {', '.join(LEGAL_CLOCKS)}")
    pausable = fields.texts("pausable", required=False)
    for index, name in enumerate(pausable):
        if name not in ("first_response", "next_response", "resolution"):
            fields.fail(f"pausable[{index}]", "only internal clocks are set pausable here")
    warning = fields.number("warning_fraction")
    if not 0.0 < warning < 1.0:
        fields.fail("warning_fraction", f"expected a fraction between 0 and 1, got {warning}")
    fraction: float | None = None
    if fields.has("resolution_legal_fraction"):
        fraction = fields.number("resolution_legal_fraction")
        if not 0.0 < fraction <= 1.0:
            fields.fail("resolution_legal_fraction", f"expected (0, 1], got {fraction}")
    return SlaPolicy(
        first_response=_duration(fields, "first_response"),
        next_response=_duration(fields, "next_response"),
        resolution=_duration(fields, "resolution"),
        resolution_legal_fraction=fraction,
        legal_clocks=legal,
        pausable=frozenset(pausable),
        warning_fraction=warning,
        opening_hours=_parse_opening_hours(fields.table("business_hours")),
    )


def _parse_opening_hours(fields: Fields) -> dict[int, tuple[tuple[time, time], ...]]:
    fields.reject_unknown(set(_WEEKDAYS))
    hours: dict[int, tuple[tuple[time, time], ...]] = {}
    for weekday, name in enumerate(_WEEKDAYS):
        intervals: list[tuple[time, time]] = []
        for index, text in enumerate(fields.texts(name, required=False)):
            match = _HOURS_RE.match(text)
            try:
                if match is None:
                    raise ValueError(text)
                h1, m1, h2, m2 = (int(g) for g in match.groups())
                opens = time(h1, m1)
                closes = time(23, 59, 59) if (h2, m2) == (24, 0) else time(h2, m2)
            except ValueError:
                fields.fail(f"{name}[{index}]", f"expected HH:MM-HH:MM, got {text!r}")
            if closes <= opens or (intervals and opens < intervals[-1][1]):
                fields.fail(f"{name}[{index}]", "intervals must be sorted, non-empty, no overlap")
            intervals.append((opens, closes))
        if intervals:
            hours[weekday] = tuple(intervals)
    if not hours:
        fields.fail("", "at least one day needs opening hours")
    return hours
