"""The product's fixed vocabularies: message categories, severities, guard claims, languages.

These strings are part of the stable CLI contracts (DESIGN.md "Taxonomies"): add values,
never rename or drop them.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    STAFF_MISUSE = "staff_misuse"
    UNKNOWN_DATA_SOURCE = "unknown_data_source"
    DEBT_COLLECTION = "debt_collection"
    TELEMARKETING_OPTOUT = "telemarketing_optout"
    WHOLESALE_DATA_MISUSE = "wholesale_data_misuse"
    DATA_RIGHTS_REQUEST = "data_rights_request"
    NOT_PRIVACY = "not_privacy"

    @property
    def is_privacy(self) -> bool:
        return self is not Category.NOT_PRIVACY


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Claim(StrEnum):
    """False or forbidden statements the reply guard blocks."""

    REGULATOR_GAVE_DATA = "regulator_gave_data"
    UNLIMITED_STAFF_ACCESS = "unlimited_staff_access"
    REFUSE_ERASURE = "refuse_erasure"
    ONLY_OUR_LINE_REPAIRS = "only_our_line_repairs"
    FAKE_CONSENT = "fake_consent"
    REGISTER_IRRELEVANT = "register_irrelevant"
    SOURCE_SECRET = "source_secret"
    NOT_OUR_RESPONSIBILITY = "not_our_responsibility"
    RETAIN_FOREVER = "retain_forever"
    DARE_TO_SUE = "dare_to_sue"
    BLAME_CUSTOMER_DATA_PUBLIC = "blame_customer_data_public"
    WRONG_LEGAL_DEADLINE = "wrong_legal_deadline"
    PII_IN_PUBLIC = "pii_in_public"


# The seven languages the corpus, templates and guard cover (ISO 639-1).
LANGUAGES: tuple[str, ...] = ("es", "pt", "it", "ru", "en", "fr", "de")
