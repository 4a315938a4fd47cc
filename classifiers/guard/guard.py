"""The reply guard: decides whether an agent's draft may be sent.

How a draft is decided (pure; no I/O after loading):

1. ``normalize`` folds evasion (zero-width, homoglyphs, leetspeak, odd spacing, case,
   accents) and keeps a map back to the original characters.
2. Each claim's cue pattern (classifiers.guard.lexicon) is searched in the normalised text.
3. A cue of a positive claim ("the regulator gave us your data") is dropped when a
   negator governs it in its clause ("Subtel no entrega datos…"). Any cue is dropped when
   it sits inside a belief / reported-speech / correction frame ("you were told that…",
   "no es cierto que…") or is followed by a short denial ("That is not true.").
3b. The trained clause model (classifiers.guard.model) reads every clause (embedding +
   the rule evidence above) and adds claims the lexicon has no cue for. Where the rules
   found a negation, frame, denial or question around the claim it needs a much higher
   probability (classifiers.guard.combine), so corrections stay allowed.
4. Deadlines in sentences about a request or complaint are compared with the
   jurisdiction's statutory period (classifiers.guard.deadline).
5. With ``public=True`` any personal data (classifiers.pii) is a violation.

Each violation carries its span in the ORIGINAL text and the reason and compliant wording
in the draft's language from the claim knowledge base (playbooks.claims).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

from classifiers.guard.clauses import Clause, split_clauses
from classifiers.guard.combine import GuardMode, model_hits
from classifiers.guard.deadline import DEFAULT_JURISDICTION_BY_LANGUAGE, wrong_deadlines
from classifiers.guard.model import ClauseModel, load_default_model
from classifiers.langid import LanguageModelError, detect_language
from classifiers.normalize import NormalizedText, normalize
from classifiers.pii import find_pii
from classifiers.taxonomy import LANGUAGES, Claim
from classifiers.verdict import Verdict, Violation
from playbooks.claims import ClaimKnowledgeBase, load_claims
from playbooks.jurisdictions import Jurisdiction, JurisdictionTable, load_jurisdictions
from playbooks.periods import LegalPeriod

FALLBACK_LANGUAGE = "en"

_UNIT_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    # language → unit → (singular, plural)
    "en": {
        "calendar_days": ("day", "days"),
        "working_days": ("working day", "working days"),
        "months": ("month", "months"),
        "hours": ("hour", "hours"),
    },
    "es": {
        "calendar_days": ("día", "días"),
        "working_days": ("día hábil", "días hábiles"),
        "months": ("mes", "meses"),
        "hours": ("hora", "horas"),
    },
    "pt": {
        "calendar_days": ("dia", "dias"),
        "working_days": ("dia útil", "dias úteis"),
        "months": ("mês", "meses"),
        "hours": ("hora", "horas"),
    },
    "it": {
        "calendar_days": ("giorno", "giorni"),
        "working_days": ("giorno lavorativo", "giorni lavorativi"),
        "months": ("mese", "mesi"),
        "hours": ("ora", "ore"),
    },
    "ru": {
        "calendar_days": ("календарный день", "календарных дней"),
        "working_days": ("рабочий день", "рабочих дней"),
        "months": ("месяц", "месяцев"),
        "hours": ("час", "часов"),
    },
    "fr": {
        "calendar_days": ("jour", "jours"),
        "working_days": ("jour ouvré", "jours ouvrés"),
        "months": ("mois", "mois"),
        "hours": ("heure", "heures"),
    },
    "de": {
        "calendar_days": ("Tag", "Tage"),
        "working_days": ("Werktag", "Werktage"),
        "months": ("Monat", "Monate"),
        "hours": ("Stunde", "Stunden"),
    },
}


def describe_period(period: LegalPeriod, language: str) -> str:
    names = _UNIT_NAMES.get(language, _UNIT_NAMES[FALLBACK_LANGUAGE])
    singular, plural = names[period.unit]
    return f"{period.amount} {singular if period.amount == 1 else plural}"


def _utc_today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True, slots=True)
class _Hit:
    claim: Claim
    start: int  # original-text offsets
    end: int
    period: LegalPeriod | None = None


class ReplyGuard:
    """Blocks false or forbidden statements in agents' draft replies.

    ``mode`` picks the claim detectors: "rules" (cue lexicon + negation scope), "model"
    (the trained clause model alone) or "combined" (both; the default when a model is
    given). Deadlines and personal data are rule checks in every mode.
    """

    def __init__(
        self,
        claims: ClaimKnowledgeBase,
        jurisdictions: JurisdictionTable,
        today: Callable[[], date] = _utc_today,
        model: ClauseModel | None = None,
        mode: GuardMode | None = None,
    ) -> None:
        chosen = mode or ("combined" if model is not None else "rules")
        if chosen != "rules" and model is None:
            raise ValueError(f"guard mode {chosen!r} needs a clause model")
        self._claims = claims
        self._jurisdictions = jurisdictions
        self._today = today
        self._model = model
        self._mode: GuardMode = chosen

    @classmethod
    def load(
        cls, today: Callable[[], date] | None = None, mode: GuardMode = "combined"
    ) -> ReplyGuard:
        """The guard with the shipped knowledge base, jurisdiction table and clause model.

        Raises GuardModelError when a mode that needs the model cannot load it.
        """
        if today is None:
            return _default_guard(mode)
        model = load_default_model() if mode != "rules" else None
        return cls(load_claims(), load_jurisdictions(), today, model, mode)

    @property
    def mode(self) -> GuardMode:
        return self._mode

    @property
    def jurisdiction_codes(self) -> frozenset[str]:
        return frozenset(self._jurisdictions.codes())

    def _jurisdiction(self, code: str | None, language: str) -> Jurisdiction:
        chosen = code or DEFAULT_JURISDICTION_BY_LANGUAGE.get(language, "EU")
        return self._jurisdictions.get(chosen)

    def check(
        self,
        text: str,
        lang: str | None = None,
        jurisdiction: str | None = None,
        public: bool = False,
    ) -> Verdict:
        language = lang if lang in LANGUAGES else _guess_language(text)
        where = self._jurisdiction(jurisdiction, language)
        norm = normalize(text)
        clauses = split_clauses(text, norm)
        hits = self._claim_hits(clauses) + self._deadline_hits(norm, where)
        if public:
            hits.extend(_Hit(Claim.PII_IN_PUBLIC, s.start, s.end) for s in find_pii(text))
        violations = []
        for hit in sorted(hits, key=lambda h: (h.start, h.claim.value)):
            period = describe_period(hit.period, language) if hit.period else None
            text_for = self._claims.explain(hit.claim, language, where, period)
            violations.append(
                Violation(hit.claim, hit.start, hit.end, text_for.reason, text_for.suggestion)
            )
        return Verdict(tuple(violations), language)

    def _claim_hits(self, clauses: list[Clause]) -> list[_Hit]:
        hits: dict[Claim, _Hit] = {}
        if self._mode != "model":
            for clause in clauses:
                for match in clause.matches:
                    # one violation per claim is enough to block and explain
                    if not match.cleared and match.claim not in hits:
                        hits[match.claim] = _Hit(match.claim, match.start, match.end)
        if self._model is not None and self._mode != "rules":
            probabilities = self._model.probabilities(clauses)
            respect_rules = self._mode == "combined"
            for found in model_hits(clauses, probabilities, self._model.thresholds, respect_rules):
                if found.claim not in hits:
                    # the span is the clause that fired, in the original text
                    hits[found.claim] = _Hit(found.claim, found.clause.start, found.clause.end)
        return list(hits.values())

    def _deadline_hits(self, norm: NormalizedText, where: Jurisdiction) -> list[_Hit]:
        hits = []
        for stated, period in wrong_deadlines(norm.text, where, self._today()):
            o_start, o_end = norm.to_original(stated.start, stated.end)
            hits.append(_Hit(Claim.WRONG_LEGAL_DEADLINE, o_start, o_end, period))
        return hits


def _guess_language(text: str) -> str:
    """The shipped language identifier; without its artifact, a script-based guess."""
    if not text.strip():
        return FALLBACK_LANGUAGE
    try:
        detected = detect_language(text)
    except LanguageModelError:
        cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
        detected = "ru" if cyrillic * 2 > sum(1 for c in text if c.isalpha()) else "und"
    return detected if detected in LANGUAGES else FALLBACK_LANGUAGE


@lru_cache(maxsize=4)
def _default_guard(mode: GuardMode) -> ReplyGuard:
    model = load_default_model() if mode != "rules" else None
    return ReplyGuard(load_claims(), load_jurisdictions(), model=model, mode=mode)
