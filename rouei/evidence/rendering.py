"""Notes in Markdown, rendered safely.

Two layers: Python-Markdown runs without its raw-HTML support, so ``<script>`` or
``<b onclick=…>`` typed into a note is shown as the text it is; then nh3 (the ammonia
sanitiser) keeps only a small set of tags and attributes of the result: no scripts, no style
attributes, no event handlers, no images (nothing is loaded from elsewhere), links only to
http(s) and mailto, each with ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import threading

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "s",
    "code", "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th",
    "td", "dl", "dt", "dd", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"},
                      "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "def_list", "nl2br"]


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's converter, reset for each note (building one took most of a note's
    time on the incident page; a converter is not shared between threads)."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
        # Raw HTML is text, not markup.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    return md.reset()


def render_markdown(body: str) -> SafeString:
    html = _markdown().convert(body or "")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes=URL_SCHEMES, link_rel="noopener noreferrer",
                      strip_comments=True)
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 just above
