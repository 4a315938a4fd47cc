"""Run pip-audit and say plainly what it could and could not check.

On a network where only package registries answer, pip-audit's databases may be out of
reach: OSV (api.osv.dev) does not resolve, and the PyPI JSON API mirror serves project
pages but not the per-version pages pip-audit queries, so every package comes back
"not found on PyPI". That is not a clean bill of health, and this script says so:
"vulnerability database unreachable" with the count, exit 0 (the gate cannot be failed
by the network), unless --strict. Known vulnerabilities always fail (exit 1).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SERVICES = ("osv", "pypi")
UNREACHABLE_MARKERS = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Temporary failure in name resolution",
    "timed out",
)


@dataclass
class Outcome:
    service: str
    audited: int = 0
    skipped: int = 0
    unreachable: bool = False
    vulnerable: dict[str, list[str]] = field(default_factory=dict)
    detail: str = ""

    @property
    def exit_code(self) -> int:
        return 1 if self.vulnerable else 0

    def summary(self) -> str:
        if self.vulnerable:
            found = "; ".join(f"{name}: {', '.join(ids)}" for name, ids in self.vulnerable.items())
            return f"pip-audit ({self.service}): KNOWN VULNERABILITIES: {found}"
        if self.unreachable and not self.audited + self.skipped:
            return f"pip-audit ({self.service}): vulnerability database unreachable ({self.detail})"
        if self.unreachable:
            return (
                f"pip-audit ({self.service}): vulnerability database unreachable — "
                f"{self.skipped} of {self.audited + self.skipped} packages could not be "
                f"checked ({self.detail}); this is NOT a clean result"
            )
        return f"pip-audit ({self.service}): no known vulnerabilities in {self.audited} packages"


def assess(service: str, returncode: int, stdout: str, stderr: str) -> Outcome:
    """Turn one pip-audit run (JSON format) into an Outcome."""
    outcome = Outcome(service)
    try:
        report = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    if not isinstance(report, dict):
        outcome.unreachable = True
        marker = next((m for m in UNREACHABLE_MARKERS if m in stderr), None)
        outcome.detail = marker or f"pip-audit exited {returncode} without a report"
        return outcome
    for dependency in report.get("dependencies", []):
        name = f"{dependency.get('name')}=={dependency.get('version')}"
        if dependency.get("skip_reason"):
            outcome.skipped += 1
            continue
        outcome.audited += 1
        ids = [str(v.get("id")) for v in dependency.get("vulns", [])]
        if ids:
            outcome.vulnerable[name] = ids
    if outcome.skipped and not outcome.vulnerable:
        # Editable/local packages are skipped legitimately; most of the tree skipped is not.
        outcome.unreachable = outcome.skipped > outcome.audited
        outcome.detail = "packages reported as not found by the vulnerability service"
    return outcome


def run_pip_audit(pip_audit: Path, service: str, timeout: float) -> Outcome:
    command = [
        str(pip_audit), "--local", "--skip-editable", "--format", "json",
        "--progress-spinner", "off", "--vulnerability-service", service,
        "--timeout", "15",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Outcome(service, unreachable=True, detail=f"no answer within {timeout:.0f}s")
    return assess(service, done.returncode, done.stdout, done.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pip-audit", type=Path, default=Path(".venv/bin/pip-audit"))
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument(
        "--strict", action="store_true", help="also fail when no database could be reached"
    )
    args = parser.parse_args(argv)
    outcomes = []
    for service in SERVICES:
        outcome = run_pip_audit(args.pip_audit, service, args.timeout)
        outcomes.append(outcome)
        print(outcome.summary())
        if not outcome.unreachable:
            return outcome.exit_code
    print("audit: vulnerability database unreachable from this network (tried: "
          + ", ".join(SERVICES) + ")")  # fmt: skip
    return 1 if args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
