# ruff: noqa: E501  (regex tables: one alternative per line reads better than wrapped strings)
"""Sentence/clause segmentation, negation scope and correction frames (seven languages).

All functions work on normalised text (classifiers.normalize) and return offsets in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.guard.lexicon import NEGATOR_PATTERN

_SENTENCE_END = re.compile(r"[.!?;\n]+|\s[—–-]\s")
# Clause boundaries inside a sentence: commas, colons, dashes and contrastive conjunctions.
_CLAUSE_BREAK = re.compile(
    r",|:|\(|\)|\s[—–]\s|\b(?:but|however|although|pero|sin embargo|mas|porem|ma|pero|pero"
    r"|tuttavia|però|но|однако|а|mais|cependant|aber|jedoch|sondern|instead|en cambio|invece)\b"
)

# "you were told / you think / it is not true that…": what follows is the customer's
# belief or a statement being corrected, not the agent's own assertion.
_BELIEF_FRAME = re.compile(
    r"\b(?:you (?:were|have been|had been) (?:told|informed)|(?:someone|somebody|an agent|the agent|our agent|a colleague|they) (?:told|said to) you"
    r"|you (?:think|believe|thought|heard|read|say|said|mention\w*|wrote|suspect\w*|assum\w*|ask\w*|wonder\w*|understood|fear|worry)"
    r"|(?:it is|it['’]s|that is|that['’]s) (?:not true|untrue|false|a myth|incorrect|wrong) that|contrary to what|despite what|if (?:anyone|someone|somebody|an agent) (?:told|said)"
    # "the fact that your number is online does not excuse…": a premise, not an assertion
    r"|the fact that|el hecho de que|o fato de|le fait que|il fatto che|то,? что|die tatsache,? dass"
    r"|whether|(?:who|someone|somebody|anyone) (?:said|claimed|told you)"
    r"|le (?:dijeron|han dicho|dijo|informaron|comentaron)|(?:usted )?(?:cree|piensa|creia|pensaba|entendio|menciona|comenta|dice|dijo|pregunta|teme|sospecha) (?:que|si)"
    r"|no es (?:cierto|verdad) que|es falso que|contrariamente a lo que|aunque le (?:hayan|haya) dicho|si (?:alguien|un agente) le dijo"
    r"|(?:lhe|te) (?:disseram|falaram|informaram|disse)|(?:voce )?(?:acha|acham|pensa|pensam|acredita|acreditam|entendeu|diz|dizem|disse|menciona|pergunta|teme|suspeita) (?:que|se)"
    r"|nao e verdade que|e falso que|ao contrario do que|se (?:alguem|um atendente) (?:lhe|te) disse"
    r"|le (?:hanno detto|ha detto|e stato detto)|(?:lei )?(?:pensa|crede|ritiene|dice|ha detto|scrive|chiede|teme|sospetta) (?:che|se)"
    r"|non e vero che|e falso che|contrariamente a quanto|se qualcuno le ha detto"
    r"|вам (?:сказали|сообщили|говорили|сказал)|(?:вы )?(?:думаете|считаете|пишете|говорите|полагаете|спрашиваете|опасаетесь|подозреваете),? (?:что|ли)"
    r"|неправда,? что|не соответствует действительности|вопреки|если вам сказали"
    r"|on vous a dit|quelqu['’]un vous a dit|vous (?:pensez|croyez|dites|avez entendu|ecrivez|demandez|craignez|soupconnez) (?:que|si)"
    r"|il est faux que|il n['’]est pas vrai que|contrairement a ce que|si quelqu['’]un vous a dit"
    r"|(?:man )?(?:hat )?ihnen (?:wurde )?gesagt|(?:wurde )?ihnen gesagt|sie (?:denken|glauben|meinen|schreiben|sagen|fragen|befurchten|vermuten),? (?:dass|ob)"
    r"|es (?:ist|stimmt) nicht,? dass|es ist (?:nicht wahr|falsch),? dass|entgegen|falls (?:ihnen )?jemand gesagt|behauptet (?:wurde|wird|hat|haben)|(?:wurde|wird) behauptet"
    # Reported speech of a named third party (colleague, caller, seller) or the customer's
    # own report of it: the words that follow are theirs, quoted to be corrected.
    r"|(?:colleague|caller|agent|rep|representative|salesperson|seller|engineer|employee)s? (?:said|claimed|told you|stated|insisted)"
    r"|did (?:someone|somebody|anyone|they|we) (?:say|tell you|claim)|quoting your"
    r"|hiess es|(?:kolleg\w*|mitarbeiter\w*) (?:hatte|hat) (?:\w+ )?(?:geschrieben|gesagt|behauptet)|hatte ihnen nicht sagen durfen|die aussage,? (?:wir|dass|sie)"
    r"|si le (?:respondieron|contestaron|escribieron)|(?:vendedor|agente|operador|empleado) (?:dijo|afirmo|aseguro) que"
    r"|voce (?:contou|relatou|informou)|(?:vendedor|atendente|operador|funcionario) (?:disse|afirmou|alegou) que"
    r"|vous rapportez|(?:on|qui) vous a (?:affirme|assure|dit)|pretendre que|pretendait|si l['’]agent vous a dit"
    r"|ci ha (?:riferito|detto|scritto)|dire che|secondo l['’](?:operatore|addetto|agente)"
    r"|не должен был (?:говорить|писать|утверждать))\b"
)

# A short sentence after the claim that denies it: "That is not true." / "No es así."
_DENIAL = re.compile(
    r"^\W*(?:and|y|e|et|und|и|but|pero|mas|ma|mais|aber|но)?\W*"
    r"(?:no\b|nao\b|non\b|нет\b|non,|nein\b)?\W*(?:"
    r"(?:it|that|this|they|he|she) (?:did|does|do|is|was|were|are)(?:n['’]t| not)|that['’]s not (?:true|the case|correct|so)|not true|false|this is false|that is false"
    r"|(?:eso|esto) no es (?:cierto|verdad|asi)|no es (?:cierto|verdad|asi)|es falso|no (?:lo )?(?:hizo|hace|es asi)"
    r"|(?:isso|isto) nao e (?:verdade|correto)|nao e (?:verdade|assim)|e falso|nao (?:fez|faz)"
    r"|non e (?:vero|cosi|corretto)|e falso|non (?:lo )?(?:ha fatto|fa)"
    r"|это не так|это неправда|это ложь|неправда|это не соответствует"
    r"|c['’]est faux|ce n['’]est pas (?:vrai|le cas|exact)|ce n['’]est pas ainsi"
    r"|das (?:stimmt|ist) nicht|das ist falsch|stimmt nicht|das ist nicht (?:wahr|richtig|der fall))"
)


_BARE_NO = re.compile(r"^\W*(?:no|nao|non|нет|nein)\b\s*[,.!:;—–-]")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    cursor = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > cursor:
            spans.append(Span(cursor, match.end()))
        cursor = match.end()
    if cursor < len(text):
        spans.append(Span(cursor, len(text)))
    return [s for s in spans if text[s.start : s.end].strip()]


def _sentence_of(text: str, position: int) -> tuple[int, Span]:
    spans = sentences(text)
    for index, span in enumerate(spans):
        if span.start <= position < span.end:
            return index, span
    return len(spans) - 1, spans[-1] if spans else Span(0, len(text))


def _clause_start(text: str, sentence: Span, position: int) -> int:
    start = sentence.start
    for match in _CLAUSE_BREAK.finditer(text, sentence.start, position):
        start = match.end()
    return start


def negated(text: str, start: int, end: int) -> bool:
    """Whether a negator governs the cue text[start:end] (positive-polarity claims).

    Scope: from the start of the clause holding the cue to a few words after it, so a
    post-verbal "nicht"/"pas" ("gibt Ihre Daten nicht weiter") counts too.
    """
    _, sentence = _sentence_of(text, start)
    scope_start = _clause_start(text, sentence, start)
    tail = re.match(r"(?:\s*[\w'’-]+){0,3}", text[end : sentence.end])
    scope_end = end + (tail.end() if tail else 0)
    return NEGATOR_PATTERN.search(text, scope_start, scope_end) is not None


def framed_as_belief(text: str, start: int) -> bool:
    """The cue follows a belief / reported-speech / denial frame in the same sentence."""
    _, sentence = _sentence_of(text, start)
    return _BELIEF_FRAME.search(text, sentence.start, start) is not None


def denied_next(text: str, start: int) -> bool:
    """The sentence after the cue's sentence (or a clause after it) is a short denial."""
    spans = sentences(text)
    index, sentence = _sentence_of(text, start)
    # A denial clause later in the same sentence: "…gave us your data? No, it did not."
    rest = text[start : sentence.end]
    for piece in re.split(r"[,:—–]", rest)[1:]:
        if _DENIAL.search(piece.strip()):
            return True
    if index + 1 < len(spans):
        following = spans[index + 1]
        candidate = text[following.start : following.end].strip()
        if len(candidate.split()) <= 8 and _DENIAL.search(candidate):
            return True
        # "Is it true the regulator gave you my data? No, it does not give…": a question
        # answered by a bare "no" is the customer's belief being corrected.
        if text[sentence.start : sentence.end].rstrip().endswith("?") and _BARE_NO.match(
            candidate
        ):
            return True
    return False


# Paired quotation marks: what sits between them is someone else's words (usually the
# customer's), quoted to be corrected. ASCII apostrophes are not quotes (l'AGCOM, don't).
_QUOTED = re.compile(r'"[^"\n]{3,}?"|«[^»\n]{3,}?»|„[^“”\n]{3,}?[“”]|“[^”\n]{3,}?”|‚[^‘’\n]{3,}?[‘’]')
_QUOTED_MIN_WORDS = 3

# A refusal to erase bounded by a condition ("…while the contract is active, because it is
# needed for billing") states a legal reason, which the law allows; a bare refusal does not.
_REFUSAL_CONDITION = re.compile(
    r"[^.!?;\n]{0,40}?\b(?:while|as long as|until|mientras|hasta que|enquanto|ate que|finche|fintanto che"
    r"|пока|до тех пор|solange|tant que|jusqu['’]a ce que)\b"
)


def quoted(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends inside a quotation of at least a few words."""
    for match in _QUOTED.finditer(text):
        inner_start, inner_end = match.start() + 1, match.end() - 1
        if match.start() >= end:
            break
        # the cue ends inside the quote: a cue may reach back to the frame before it
        if (
            inner_start < end <= inner_end
            and len(text[inner_start:inner_end].split()) >= _QUOTED_MIN_WORDS
        ):
            return True
    return False


def conditional_refusal(text: str, end: int) -> bool:
    """The refusal ending at ``end`` is bounded by a condition in the same sentence."""
    return _REFUSAL_CONDITION.match(text, end) is not None


# The same bound stated first: "While the dispute is open, the record cannot be deleted".
_LEADING_CONDITION = re.compile(
    r"^\W*(?:while|as long as|until|mientras|hasta que|enquanto|ate que|finche|fintanto che"
    r"|пока|до тех пор|solange|tant que|jusqu['’]a ce que)\b"
)


def condition_leads(text: str, start: int) -> bool:
    """The sentence holding the refusal at ``start`` opens with a bounding condition."""
    _, sentence = _sentence_of(text, start)
    return _LEADING_CONDITION.match(text[sentence.start : start]) is not None


def in_question(text: str, start: int) -> bool:
    """The position sits in a sentence that ends with a question mark."""
    _, sentence = _sentence_of(text, start)
    return text[sentence.start : sentence.end].rstrip().endswith("?")


# "Not yet" marks a pending step, not a refusal: "we have not yet been able to remove it,
# but the order is given" / "I can't tell you yet where it came from, the check is running".
_NOT_YET = re.compile(
    r"\b(?:not yet|yet to|noch nicht|todavia no|aun no|ainda nao|pas encore|non ancora|non (?:\w+ )?ancora|ещ[её] не|пока не)\b"
)


def not_yet(text: str, start: int, end: int) -> bool:
    """A "not yet" adverb sits in the cue's clause, before or right after the cue."""
    _, sentence = _sentence_of(text, start)
    scope_start = _clause_start(text, sentence, start)
    tail = re.match(r"(?:\s*[\w'’-]+){0,4}", text[end : sentence.end])
    scope_end = end + (tail.end() if tail else 0)
    return _NOT_YET.search(text, scope_start, scope_end) is not None


# Litotes: "the source is no secret" / "kein Geheimnis" / "не секрет" says the opposite of
# calling it secret, even though the cue's negator-near-disclosure pattern matches it.
_NOT_SECRET = re.compile(
    r"\b(?:no|not an?|kein\w*|не|no es (?:un |ningun )?|nao e (?:um |nenhum )?|n['’]est pas (?:un )?|non e (?:un )?)\W*"
    r"(?:secret|secreto|segredo|segreto|geheimnis|секрет)\b"
)


def secret_denied(text: str, start: int, end: int) -> bool:
    """The matched source-secret cue itself says "no secret"."""
    return _NOT_SECRET.search(text, start, min(len(text), end + 20)) is not None
