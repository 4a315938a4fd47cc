from __future__ import annotations

from classifiers.taxonomy import LANGUAGES, Category, Claim, Severity


def test_category_strings_match_the_design_contract() -> None:
    assert {c.value for c in Category} == {
        "staff_misuse",
        "unknown_data_source",
        "debt_collection",
        "telemarketing_optout",
        "wholesale_data_misuse",
        "data_rights_request",
        "not_privacy",
    }
    assert [c for c in Category if not c.is_privacy] == [Category.NOT_PRIVACY]


def test_severity_claims_and_languages() -> None:
    assert {s.value for s in Severity} == {"high", "medium", "low"}
    assert len(Claim) == 13
    assert Claim("pii_in_public") is Claim.PII_IN_PUBLIC
    assert set(LANGUAGES) == {"es", "pt", "it", "ru", "en", "fr", "de"}
