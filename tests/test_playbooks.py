from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from classifiers.taxonomy import LANGUAGES, Category, Severity
from playbooks.book import (
    DEFAULT_PLAYBOOK_DIR,
    DEFAULT_TEMPLATES_PATH,
    QUEUES,
    TEMPLATE_KINDS,
    TemplateError,
    load_playbooks,
    render_template,
)
from playbooks.errors import PlaybookError

BOOK = load_playbooks()


def test_all_seven_categories_have_a_playbook() -> None:
    assert set(BOOK) == set(Category)
    assert {p.queue for p in BOOK.values()} == set(QUEUES)
    assert BOOK.by_id("staff_misuse.v1").category is Category.STAFF_MISUSE
    assert BOOK[Category.STAFF_MISUSE].priority[Severity.HIGH] == "P1"


@pytest.mark.parametrize("category", list(Category))
@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_every_template_exists_in_all_languages(category: Category, kind: str) -> None:
    playbook = BOOK[category]
    for lang in LANGUAGES:
        text = playbook.templates[kind][lang]
        if kind == "public_redirect":
            assert "{" not in text  # public replies carry no case details
        else:
            assert "{reference}" in text
        rendered = render_template(playbook, kind, lang, reference="CT-42", questions="- q")
        assert "{" not in rendered
        assert ("CT-42" in rendered) is (kind != "public_redirect")


def test_templates_differ_per_language_and_fall_back_to_english() -> None:
    playbook = BOOK[Category.DATA_RIGHTS_REQUEST]
    texts = {
        render_template(playbook, "acknowledgement", lang, reference="R") for lang in LANGUAGES
    }
    assert len(texts) == len(LANGUAGES)
    assert render_template(playbook, "acknowledgement", "nl", reference="R") == render_template(
        playbook, "acknowledgement", "en", reference="R"
    )


def test_rendering_needs_its_values() -> None:
    playbook = BOOK[Category.DEBT_COLLECTION]
    with pytest.raises(TemplateError, match="reference"):
        render_template(playbook, "acknowledgement", "ru")
    with pytest.raises(TemplateError, match="unknown template kind"):
        render_template(playbook, "apology", "ru", reference="R")


def test_evidence_questions_cover_every_language() -> None:
    telemarketing = BOOK[Category.TELEMARKETING_OPTOUT]
    keys = [q.key for q in telemarketing.evidence]
    assert {"calling_numbers", "call_times", "call_count"} <= set(keys)
    for playbook in BOOK.values():
        assert playbook.evidence
        for question in playbook.evidence:
            assert set(question.prompts) == set(LANGUAGES)
            assert question.prompt("nl") == question.prompts["en"]


@pytest.fixture
def playbook_dir(tmp_path: Path) -> Path:
    target = tmp_path / "playbooks"
    shutil.copytree(DEFAULT_PLAYBOOK_DIR, target)
    return target


def _edit(directory: Path, category: str, old: str, new: str) -> Path:
    path = directory / f"{category}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("category", "old", "new", "field", "problem"),
    [
        ("debt_collection", 'queue = "collections_vendor"', 'queue = "debt_team"',
         "queue", "unknown queue"),
        ("staff_misuse", 'title = "Staff harassment or misuse of customer data by an employee '
         'or installer"\n', "", "title", "missing required field"),
        ("not_privacy", 'first_response = "4 hours"', 'first_response = "4 fortnights"',
         "sla.first_response", "bad duration"),
        ("not_privacy", 'first_response = "4 hours"', 'first_response = "four hours"',
         "sla.first_response", "bad duration"),
        ("not_privacy", 'high = "P3"', 'high = "urgent"', "priority.high", "P1"),
        ("data_rights_request", 'legal_clocks = ["dsar_acknowledgement", "dsar"]',
         'legal_clocks = ["gdpr"]', "sla.legal_clocks[0]", "dsar"),
        ("wholesale_data_misuse", '"vendor_manager", "escalation_manager"]',
         '"vendor_manager", "ceo"]', "escalation_chain[5]", "unknown queue or role"),
        ("staff_misuse", 'monday = ["00:00-24:00"]', 'monday = ["9-17"]',
         "sla.business_hours.monday[0]", "HH:MM-HH:MM"),
        ("not_privacy", "warning_fraction = 0.8", "warning_fraction = 1.5",
         "sla.warning_fraction", "fraction"),
        ("not_privacy", 'es = "¿Puede contarnos', 'xx = "¿Puede contarnos',
         "evidence[0].prompt.xx", "unknown field"),
        ("not_privacy", "closure]\nes = \"Cerramos su consulta {reference}.",
         "closure]\nes = \"Cerramos su consulta.", "templates.closure.es", "{reference}"),
        ("not_privacy", 'public_redirect]\nes = "¡Gracias por escribirnos!',
         'public_redirect]\nes = "¡Gracias {name}!', "templates.public_redirect.es",
         "not allowed"),
        ("debt_collection", 'category = "debt_collection"', 'category = "not_privacy"',
         "category", "file name"),
    ],
)  # fmt: skip
def test_malformed_playbooks_name_file_and_field(
    playbook_dir: Path, category: str, old: str, new: str, field: str, problem: str
) -> None:
    path = _edit(playbook_dir, category, old, new)
    with pytest.raises(PlaybookError) as info:
        load_playbooks(playbook_dir)
    assert info.value.path == path
    assert info.value.field == field
    assert problem in str(info.value)
    assert str(path) in str(info.value)


def test_bad_toml_and_missing_file(playbook_dir: Path) -> None:
    broken = playbook_dir / "staff_misuse.toml"
    broken.write_text('id = "x"\nqueue = [unclosed\n', encoding="utf-8")
    with pytest.raises(PlaybookError, match="invalid TOML") as info:
        load_playbooks(playbook_dir)
    assert info.value.path == broken
    broken.unlink()
    with pytest.raises(PlaybookError, match="missing playbook file for category staff_misuse"):
        load_playbooks(playbook_dir)


def test_a_template_missing_everywhere_is_reported(playbook_dir: Path, tmp_path: Path) -> None:
    shared = tmp_path / "templates.toml"
    text = DEFAULT_TEMPLATES_PATH.read_text(encoding="utf-8")
    shared.write_text(text.replace('\nde = "Das tut uns leid.', '\nxde = "', 1), encoding="utf-8")
    with pytest.raises(PlaybookError, match="unknown field"):
        load_playbooks(playbook_dir, shared)
    lines = [ln for ln in text.splitlines() if not ln.startswith('de = "Das tut uns leid.')]
    shared.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(PlaybookError) as info:
        load_playbooks(playbook_dir, shared)
    assert info.value.field == "templates.public_redirect.de"
    assert "staff_misuse.toml" in str(info.value)
