from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.knowledge.domain.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    LINK_REL,
    markdown_to_text,
    render_markdown,
)

pytestmark = pytest.mark.unit


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def assert_safe(html: str) -> None:
    for tag, attributes in elements(html):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attributes.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, frozenset()) | {"rel"}, (tag, name)
            if name in {"href", "src"}:
                assert urlsplit(value or "").scheme in ALLOWED_URL_SCHEMES, value


URL_ATTRS = {"href", "src"}

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![plaatje](data:image/png;base64,iVBORw0KGgo=)",
    "![plaatje](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<div onclick="alert(1)">\n\nblok\n\n</div>',
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    '```js" onmouseover="alert(1)\ncode\n```',
    '[x](https://example.org "title" onmouseover="alert(1)")',
    "<!-- commentaar --><svg onload=alert(1)>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_render_harmless(payload: str) -> None:
    html = render_markdown(payload)

    assert_safe(html)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<iframe" not in lowered
    assert "<svg" not in lowered
    assert "<style" not in lowered
    urls = [value or "" for _, attributes in elements(html) for name, value in attributes.items() if name in URL_ATTRS]
    assert not any(url.lower().startswith(("javascript", "vbscript", "data")) for url in urls)


def test_raw_html_is_shown_as_text_not_markup() -> None:
    html = render_markdown("Zie <b>dit</b> en <script>alert(1)</script>")

    assert "&lt;b&gt;dit&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert [tag for tag, _ in elements(html)] == ["p"]


def test_event_handler_attributes_never_survive() -> None:
    html = render_markdown("<img src=x onerror=alert(1)>\n\n![foto](https://example.org/a.png)")

    assert all(not name.startswith("on") for _, attributes in elements(html) for name in attributes)


def test_headings_and_emphasis() -> None:
    html = render_markdown("# Titel\n\n## Kopje\n\nTekst met **vet**, *schuin* en `code`.")

    assert "<h1>Titel</h1>" in html
    assert "<h2>Kopje</h2>" in html
    assert "<strong>vet</strong>" in html
    assert "<em>schuin</em>" in html
    assert "<code>code</code>" in html


def test_lists_keep_their_start_number() -> None:
    html = render_markdown("- een\n- twee\n\n3. drie\n4. vier")

    assert "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>" in html
    assert '<ol start="3">' in html


def test_tables_render_with_alignment() -> None:
    html = render_markdown("| Post | Bedrag |\n| --- | ---: |\n| Huur | 100 |")

    assert "<table>" in html
    assert "<th>Post</th>" in html
    assert '<td style="text-align:right">100</td>' in html


def test_links_get_rel_and_keep_safe_urls() -> None:
    html = render_markdown("[RVO](https://www.rvo.nl) en [mail](mailto:bestuur@example.org)")

    links = [attributes for tag, attributes in elements(html) if tag == "a"]
    assert [link["href"] for link in links] == ["https://www.rvo.nl", "mailto:bestuur@example.org"]
    assert all(link["rel"] == LINK_REL for link in links)


def test_relative_and_fragment_urls_are_dropped() -> None:
    html = render_markdown("[pad](/kennisbank/x) en [anker](#boven)")

    links = [attributes for tag, attributes in elements(html) if tag == "a"]
    assert len(links) == 2
    assert all("href" not in link for link in links)


def test_images_keep_only_http_sources() -> None:
    html = render_markdown("![dak](https://example.org/dak.jpg)")

    assert elements(html)[1] == ("img", {"src": "https://example.org/dak.jpg", "alt": "dak"})


def test_fenced_code_keeps_its_language_and_escapes_content() -> None:
    html = render_markdown("```python\nif a < b:\n    print('<b>')\n```")

    assert '<pre><code class="language-python">' in html
    assert "a &lt; b" in html
    assert "&lt;b&gt;" in html


def test_markdown_to_text_gives_readable_blocks() -> None:
    body = (
        "# Titel\n\nTekst met **vet** en [link](https://example.org).\n\n"
        "| a | b |\n| - | - |\n| 1 | 2 |\n\n```\ncode\n```"
    )

    text = markdown_to_text(body)

    assert text.splitlines() == ["Titel", "Tekst met vet en link.", "a", "b", "1", "2", "code"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/:;()[]!`#*-| \nabcjsvtrpioenxhfdmg&")), max_size=120))
def test_any_input_renders_to_allowed_markup_only(body: str) -> None:
    assert_safe(render_markdown(body))
