"""Notes render Markdown, and nothing typed into a note can run, load or restyle anything."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from rouei.evidence.rendering import render_markdown


def test_render_markdown_keeps_the_usual_formatting():
    html = render_markdown("## 初動\n\n- **ログ保全** 済み\n- `web01` 隔離\n\n| 日時 | 内容 |\n|---|---|\n"
                           "| 11/18 | 連絡 |\n\n[PPC](https://www.ppc.go.jp/)")
    assert "<h2>初動</h2>" in html and "<strong>ログ保全</strong>" in html
    assert "<code>web01</code>" in html and "<td>連絡</td>" in html
    assert '<a href="https://www.ppc.go.jp/" rel="noopener noreferrer">PPC</a>' in html


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    "**x** <script src=https://evil.example/x.js></script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "<javascript:alert(1)>",
    "<img src=x onerror=alert(1)>",
    '<a href="https://ok.example" onclick="steal()">x</a>',
    "![tracker](https://evil.example/pixel.png)",
    '<div style="position:fixed">x</div>',
    '<p style="color:red">x</p>',
    "<iframe src=https://evil.example></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    '<svg onload="alert(1)">',
    "<style>body{display:none}</style>",
    "[x](vbscript:msgbox)",
])
def test_render_markdown_neutralises_active_content(source):
    for tag, attrs in _elements(render_markdown(source)):
        assert tag not in {"script", "img", "iframe", "svg", "style", "div", "object"}
        assert not [a for a in attrs if a.startswith("on") or a == "style"]
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("http:", "https:", "mailto:"))


def test_render_markdown_shows_raw_html_as_text():
    html = render_markdown('注意: <b onmouseover="x">太字</b> と <script>alert(1)</script>')
    assert "&lt;b onmouseover=&quot;x&quot;&gt;太字&lt;/b&gt;" in html or \
        "&lt;b onmouseover=\"x\"&gt;太字&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b" not in html and "<script" not in html


def test_render_markdown_links_get_noopener_noreferrer():
    html = render_markdown("<https://example.com/a> と [b](https://example.com/b \"t\")")
    assert html.count('rel="noopener noreferrer"') == 2
