"""Article and answer bodies: Markdown in, safe HTML out.

Two layers, on purpose. markdown-it runs with raw HTML switched off, so anything that looks like a tag is escaped
as text. nh3 then re-parses the output against an explicit allow-list, so even a parser bug or a future plugin
cannot let a script, an event handler or a `javascript:` URL through.
"""

from __future__ import annotations

import re
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"style"}),
    "td": frozenset({"style"}),
    "code": frozenset({"class"}),
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow ugc"

# Table alignment is the only style markdown-it writes; fenced code carries its language as a class.
_ALLOWED_STYLE_PROPERTIES = frozenset({"text-align"})
_CODE_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,32}")


def render_markdown(body: str) -> str:
    """Sanitised HTML for a Markdown body (CommonMark with tables)."""
    return _sanitiser().clean(_parser().render(body))


def markdown_to_text(body: str) -> str:
    """The readable text of a Markdown body, one block per line, for search indexing and snippets."""
    blocks: list[str] = []
    for token in _parser().parse(body):
        if token.type == "inline":
            blocks.append("".join(_inline_text(child) for child in token.children or []))
        elif token.type in {"fence", "code_block"}:
            blocks.append(token.content.rstrip("\n"))
    return "\n".join(block for block in blocks if block.strip())


def _inline_text(token: Token) -> str:
    if token.type in {"softbreak", "hardbreak"}:
        return "\n"
    if token.type == "image":
        return "".join(_inline_text(child) for child in token.children or [])
    return token.content


def _keep_safe_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        return value if tag == "code" and _CODE_LANGUAGE_CLASS.fullmatch(value) else None
    return value


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


@cache
def _sanitiser() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_safe_attribute,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative="deny",
        filter_style_properties=set(_ALLOWED_STYLE_PROPERTIES),
    )
