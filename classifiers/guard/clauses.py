"""Clause segmentation and rule evidence per clause: shared by the rule path and the model.

A clause here is one segment of ``scope.sentences`` (split at . ! ? ; line breaks and
spaced dashes) of the normalised draft, mapped back to the ORIGINAL text. Segments keep
their commas and conjunctions, so "X, but that is not true" stays one unit: the encoder
sees the correction together with the claim it corrects.

For every clause the rule modules contribute evidence the sentence encoder cannot see
reliably: which claim cues matched, whether a matched cue was cleared by a negator, a
belief / correction frame or a following denial, and whether the clause holds a negator
or a frame at all. The model uses these as features; the combiner uses them to keep
negations and corrections allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifiers.guard.lexicon import CUES, NEGATOR_PATTERN
from classifiers.guard.scope import (
    condition_leads,
    conditional_refusal,
    denied_next,
    framed_as_belief,
    in_question,
    negated,
    not_yet,
    quoted,
    secret_denied,
    sentences,
)
from classifiers.normalize import NormalizedText, normalize
from classifiers.taxonomy import Claim

# Claims with cue patterns, in a fixed order (feature columns and model classes).
CUE_CLAIMS: tuple[Claim, ...] = tuple(dict.fromkeys(cue.claim for cue in CUES))
# A negator among a clause's first words is its subject or quantifier ("Nobody here can…",
# "Nicht jeder…"); later ones may govern only part of it ("…will never fix it, switch to us").
LEADING_WORDS = 2
# A refusal bounded by a condition ("…while the contract is active") gives a legal reason.
_CONDITIONAL_CLAIMS = frozenset({Claim.REFUSE_ERASURE})
# Refusals that "not yet" turns into a pending step rather than a refusal.
_PENDING_CLAIMS = frozenset({Claim.REFUSE_ERASURE, Claim.SOURCE_SECRET})
# Asking whether the customer consented (or whether their number is public) is how it gets
# checked, not a claim of it.
_ASKABLE_CLAIMS = frozenset({Claim.FAKE_CONSENT, Claim.BLAME_CUSTOMER_DATA_PUBLIC})
POSITIVE_CLAIMS: frozenset[Claim] = frozenset(c.claim for c in CUES if c.polarity == "positive")


@dataclass(frozen=True, slots=True)
class CueMatch:
    """One cue pattern match, in normalised and original offsets."""

    claim: Claim
    norm_start: int
    norm_end: int
    start: int
    end: int
    cleared: bool  # a negator, belief frame or denial takes the claim back


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of a draft with the rule evidence found in it."""

    text: str  # the ORIGINAL text of the clause, stripped
    norm_text: str  # the same clause normalised (what the encoder reads: evasion folded)
    start: int  # offsets into the original draft
    end: int
    has_negator: bool
    leading_negator: bool  # "Nobody here…", "Not every agent…", "Никто не…": governs it all
    has_frame: bool  # a belief / reported-speech / correction frame before its end
    denied: bool  # followed by a short denial ("That is not true.")
    is_question: bool
    matches: tuple[CueMatch, ...]

    def cue_claims(self, cleared: bool) -> frozenset[Claim]:
        return frozenset(m.claim for m in self.matches if m.cleared is cleared)


def _leads_with_negator(clause: str) -> bool:
    return NEGATOR_PATTERN.search(" ".join(clause.split()[:LEADING_WORDS])) is not None


def cue_matches(norm: NormalizedText) -> list[CueMatch]:
    """Every cue match in the draft, with whether negation scope or a frame clears it."""
    found: list[CueMatch] = []
    for cue in CUES:
        for match in cue.pattern.finditer(norm.text):
            start, end = match.span()
            cleared = (
                (cue.polarity == "positive" and negated(norm.text, start, end))
                or framed_as_belief(norm.text, start)
                or denied_next(norm.text, start)
                or quoted(norm.text, start, end)
                or (
                    cue.claim in _CONDITIONAL_CLAIMS
                    and (conditional_refusal(norm.text, end) or condition_leads(norm.text, start))
                )
                or (cue.claim in _ASKABLE_CLAIMS and in_question(norm.text, start))
                or (cue.claim in _PENDING_CLAIMS and not_yet(norm.text, start, end))
                or (cue.claim is Claim.SOURCE_SECRET and secret_denied(norm.text, start, end))
            )
            o_start, o_end = norm.to_original(start, end)
            found.append(CueMatch(cue.claim, start, end, o_start, o_end, cleared))
    return found


def split_clauses(text: str, norm: NormalizedText | None = None) -> list[Clause]:
    """The clauses of ``text`` with their rule evidence; offsets point into ``text``."""
    norm = norm if norm is not None else normalize(text)
    matches = cue_matches(norm)
    clauses: list[Clause] = []
    for span in sentences(norm.text):
        segment = norm.text[span.start : span.end]
        lead = len(segment) - len(segment.lstrip())
        trail = len(segment.rstrip())
        if trail <= lead:
            continue
        n_start, n_end = span.start + lead, span.start + trail
        start, end = norm.to_original(n_start, n_end)
        inside = tuple(m for m in matches if n_start <= m.norm_start < n_end)
        clauses.append(
            Clause(
                text=text[start:end],
                norm_text=norm.text[n_start:n_end],
                start=start,
                end=end,
                has_negator=NEGATOR_PATTERN.search(norm.text, n_start, n_end) is not None,
                leading_negator=_leads_with_negator(norm.text[n_start:n_end]),
                has_frame=framed_as_belief(norm.text, max(n_end - 1, n_start)),
                denied=denied_next(norm.text, n_start),
                is_question="?" in norm.text[n_start : span.end],
                matches=inside,
            )
        )
    return clauses
