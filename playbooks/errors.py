"""Errors raised when playbook or jurisdiction data is malformed or looked up wrongly."""

from __future__ import annotations

from pathlib import Path


class PlaybookDataError(ValueError):
    """A data file under playbooks/data is malformed; names the file and the field."""

    def __init__(self, path: Path | str, field: str, problem: str) -> None:
        self.path = Path(path)
        self.field = field
        self.problem = problem
        where = f"{self.path}: {field}" if field else str(self.path)
        super().__init__(f"{where}: {problem}")


class PlaybookError(PlaybookDataError):
    """A playbook file (playbooks/data/playbooks/<category>.toml) is malformed or missing."""


class JurisdictionError(PlaybookDataError):
    """The jurisdiction table (playbooks/data/jurisdictions.toml) is malformed."""


class UnknownJurisdictionError(LookupError):
    """A jurisdiction code that the table does not define."""

    def __init__(self, code: str, known: tuple[str, ...]) -> None:
        self.code = code
        self.known = known
        super().__init__(f"unknown jurisdiction {code!r}; known codes: {', '.join(known)}")

    def __str__(self) -> str:
        # LookupError would otherwise repr() the message.
        return str(self.args[0])
