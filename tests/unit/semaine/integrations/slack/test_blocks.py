"""Block Kit helpers keep within Slack's limits and escape what Slack reads as markup."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from semaine.integrations.slack import context, escape, fields, header, section, truncate
from semaine.integrations.slack.blocks import (
    ELLIPSIS,
    FIELD_LIMIT,
    FIELDS_MAX,
    HEADER_LIMIT,
    SECTION_LIMIT,
)
from tests.standins.slack import payload_problems


def test_escape_writes_slacks_three_control_characters_as_entities() -> None:
    assert escape("p95 < 500 ms & errors > 0") == "p95 &lt; 500 ms &amp; errors &gt; 0"


def test_a_long_header_is_cut_to_150_characters_with_an_ellipsis() -> None:
    block = header("production down: " + "x" * 300)
    text = block["text"]["text"]
    assert len(text) == HEADER_LIMIT
    assert text.endswith(ELLIPSIS)
    assert block["text"]["type"] == "plain_text"


def test_a_short_text_is_left_as_it_is() -> None:
    assert section("*health* is down")["text"] == {"type": "mrkdwn", "text": "*health* is down"}


def test_a_long_section_is_cut_to_3000_characters() -> None:
    assert len(section("y" * 5000)["text"]["text"]) == SECTION_LIMIT


def test_truncation_never_leaves_half_an_entity() -> None:
    text = escape("a" * 7 + "<<<<")  # "aaaaaaa&lt;&lt;&lt;&lt;": the cut falls in "&lt"
    assert truncate(text, 11) == "aaaaaaa" + ELLIPSIS
    assert truncate("a & b & c & d", 6) == "a & b" + ELLIPSIS  # a bare & is not an entity


def test_a_complete_entity_before_the_cut_is_kept() -> None:
    assert truncate("abc&amp;defgh", 9) == "abc&amp;" + ELLIPSIS


def test_fields_escape_values_and_keep_at_most_ten() -> None:
    pairs = [(f"check {n}", f"p95 {n} > 500 ms") for n in range(14)]
    block = fields(pairs)
    items = block["fields"]
    assert len(items) == FIELDS_MAX
    assert items[0]["text"] == "*check 0*\np95 0 &gt; 500 ms"
    assert items[-1]["text"] == "_and 5 more_"


def test_a_long_field_value_is_cut_to_2000_characters() -> None:
    assert len(fields([("body", "z" * 3000)])["fields"][0]["text"]) == FIELD_LIMIT


def test_context_is_one_escaped_mrkdwn_element() -> None:
    assert context("release v42 <main>") == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "release v42 &lt;main&gt;"}],
    }


@given(st.text(min_size=1, max_size=5000).filter(str.strip))
def test_any_text_gives_blocks_the_webhook_contract_accepts(text: str) -> None:
    blocks = [header(text), section(escape(text)), fields([(text, text)] * 12), context(text)]
    assert payload_problems({"text": "alert", "blocks": blocks}) == []
