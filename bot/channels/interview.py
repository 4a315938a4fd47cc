"""The guided evidence conversation: which playbook question a chat is answering.

Pure state, one entry per private chat. It lives in the process that owns the chat's
updates (one poller per bot token, see `lease.py`); after a restart an unanswered question
is simply asked again by the next acknowledgement, and every answer already given is on
the ticket.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.desk import EvidenceQuestion


@dataclass(frozen=True, slots=True)
class PendingQuestion:
    ticket_id: int
    reference: str
    language: str
    question: EvidenceQuestion
    remaining: tuple[EvidenceQuestion, ...]


class EvidenceInterview:
    def __init__(self) -> None:
        self._pending: dict[str, PendingQuestion] = {}

    def start(
        self,
        chat: str,
        ticket_id: int,
        reference: str,
        language: str,
        questions: tuple[EvidenceQuestion, ...],
    ) -> EvidenceQuestion | None:
        """Begin asking `questions` in `chat`; returns the first, or None if there are none."""
        if not questions:
            self._pending.pop(chat, None)
            return None
        first, *rest = questions
        self._pending[chat] = PendingQuestion(ticket_id, reference, language, first, tuple(rest))
        return first

    def awaiting(self, chat: str) -> PendingQuestion | None:
        return self._pending.get(chat)

    def answered(self, chat: str) -> EvidenceQuestion | None:
        """The pending question was answered; returns the next question or None when done."""
        pending = self._pending.pop(chat, None)
        if pending is None or not pending.remaining:
            return None
        following, *rest = pending.remaining
        self._pending[chat] = PendingQuestion(
            pending.ticket_id, pending.reference, pending.language, following, tuple(rest)
        )
        return following

    def forget(self, chat: str) -> None:
        self._pending.pop(chat, None)
