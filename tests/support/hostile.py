"""Hostile inputs shared by the fuzz tests: each is a real attack or a real-world mess."""

from __future__ import annotations

from hypothesis import strategies as st

RTL_OVERRIDE = "\u202e"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

HOSTILE_TEXTS: dict[str, str] = {
    "telegram_max_4096": "Я жалуюсь на оператора. " * 170 + "x" * (4096 - 24 * 170),
    "fifty_kb": ("El técnico guardó mi número y me escribe. " * 1300)[:50_000],
    "emoji_flood": "😡🤬📞" * 1500 + " they keep calling me",
    "rtl_override": f"my number {RTL_OVERRIDE}555 111 222{RTL_OVERRIDE} was leaked",
    "zero_width": "d" + ZERO_WIDTH + "elete my da" + ZERO_WIDTH + "ta",
    "homoglyphs": "Тhe rеgulatоr gave уоu my dаta",  # Cyrillic Т е о у а
    "sql_injection": "'); DROP TABLE messages; -- \" OR 1=1; DELETE FROM tickets;",
    "html_injection": '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;',
    "template_injection": "{{7*7}} ${jndi:ldap://x} {0.__class__} %s%n",
    "control_chars": "line\r\nbreak\tand\x07bell\x1b[31mred",
    "combining_flood": "a" + "\u0301" * 3000,
    "mixed_scripts": "Hola привет こんにちは مرحبا שלום 你好",
    "nul_byte": "before\x00after",
    "only_whitespace_inside": "  \u00a0\u2003 x \u3000 ",
}

HOSTILE_NAMES: dict[str, str] = {
    "sql": "robert'); DROP TABLE customers;--",
    "html": "<b onmouseover=alert(1)>@evil</b>",
    "rtl": f"@{RTL_OVERRIDE}nimda",
    "emoji": "@😈😈😈",
    "zero_width": "@a\u200bdmin",
    "long": "@" + "a" * 89,  # the builder derives a chat id (<= 100 chars) from it
}


def json_values() -> st.SearchStrategy[object]:
    """Any JSON value, including the wrong types for every field."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=40),
        st.sampled_from(list(HOSTILE_TEXTS.values())[3:]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )
