"""Reply guard: blocks false or forbidden statements in agents' drafts (see guard.py)."""

from classifiers.guard.guard import ReplyGuard

__all__ = ["ReplyGuard"]
