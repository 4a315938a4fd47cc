"""The dependency-audit wrapper: vulnerabilities fail, an unreachable database is reported."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_report.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_report", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit_report"] = module
    spec.loader.exec_module(module)
    return module


audit = load()


def report(*dependencies: dict[str, object]) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def dep(name: str, vulns: tuple[str, ...] = (), skip: str | None = None) -> dict[str, object]:
    entry: dict[str, object] = {"name": name, "version": "1.0"}
    if skip:
        entry["skip_reason"] = skip
    else:
        entry["vulns"] = [{"id": v, "fix_versions": []} for v in vulns]
    return entry


def test_known_vulnerability_fails_the_gate() -> None:
    outcome = audit.assess("pypi", 1, report(dep("jinja2", ("PYSEC-1",)), dep("httpx")), "")
    assert outcome.exit_code == 1
    assert "jinja2==1.0: PYSEC-1" in outcome.summary()


def test_every_package_not_found_means_unreachable_not_clean() -> None:
    skipped = [dep(f"p{i}", skip="Dependency not found on PyPI") for i in range(5)]
    outcome = audit.assess("pypi", 0, report(*skipped), "")
    assert outcome.unreachable and outcome.exit_code == 0
    assert "vulnerability database unreachable" in outcome.summary()
    assert "5 of 5" in outcome.summary()


def test_connection_error_without_a_report_is_unreachable() -> None:
    stderr = "requests.exceptions.ConnectionError: ... NameResolutionError(...)"
    outcome = audit.assess("osv", 1, "", stderr)
    assert outcome.unreachable
    assert "ConnectionError" in outcome.summary()


def test_clean_audit_with_one_editable_skip_is_clean() -> None:
    outcome = audit.assess(
        "pypi", 0, report(dep("httpx"), dep("numpy"), dep("caretriage", skip="editable")), ""
    )
    assert not outcome.unreachable and outcome.exit_code == 0
    assert "no known vulnerabilities in 2 packages" in outcome.summary()


def test_main_tries_the_next_service_and_passes_unless_strict(tmp_path: Path) -> None:
    fake = tmp_path / "pip-audit"
    fake.write_text("#!/bin/sh\necho 'ConnectionError: Failed to resolve' >&2\nexit 1\n")
    fake.chmod(0o755)
    assert audit.main(["--pip-audit", str(fake)]) == 0
    assert audit.main(["--pip-audit", str(fake), "--strict"]) == 1
