"""E-mail messages (.eml, RFC 5322 / MIME) with Python's ``email`` package (``policy.default``).

One ``TextPart`` for the message as a mail program shows it: the headers, one line each with
encoded words decoded (``From: 山田 太郎 <taro@example.jp>``), a blank line, then the text
bodies decoded with their charset (ISO-2022-JP, Shift_JIS, UTF-8 …; of a multipart/alternative
only the plain-text version, or the HTML one converted to text by dropping tags). Attachments
(and attached messages) are read recursively through the normal dispatch, named
``mail.eml!/顧客一覧.csv``; their file names never become paths.

Memory: the message is parsed whole (``Limits.max_message_bytes``, default 256 MiB); each
attachment is written to a temporary file and streamed from there by its own reader.
"""

from __future__ import annotations

import contextlib
import mimetypes
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path

from rouei.scanning.model import Part, TextPart
from rouei.scanning.prose import thread_keys
from rouei.scanning.readers import _encoding
from rouei.scanning.readers._base import ReadContext, Sample, safe_suffix, temp_file, unreadable

_BLOCK_TAGS = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
               "blockquote", "pre", "hr", "title"}


def read(path: Path, name: str, ctx: ReadContext, kind: str = "eml") -> Iterator[Part]:
    if path.stat().st_size > ctx.limits.max_message_bytes:
        yield unreadable(name, "too_large", "メールが大きすぎるため読みません",
                         "the message is too large to read")
        return
    with path.open("rb") as handle:
        message = BytesParser(policy=policy.default).parse(handle)
    # Message-id headers keep their line (so line numbers match the mail) but not their value.
    lines = [f"{key}: " if key.lower() in MESSAGE_ID_HEADERS
             else f"{key}: {_header_text(message, key, raw)}" for key, raw in message.raw_items()]
    attachments: list[tuple[str, bytes]] = []
    bodies: list[str] = []
    headers = len(lines)
    _walk(message, bodies, attachments)
    for body in bodies:
        lines.append("")
        lines.extend(_split_lines(body))
    yield TextPart(name=name, lines=enumerate(lines, 1), encoding="mime", headers=headers,
                   thread=_thread(message))
    inner = ctx.inside("eml")
    for index, (filename, data) in enumerate(attachments, 1):
        member = filename or f"attachment-{index}"
        with temp_file(ctx.limits, safe_suffix(filename)) as (attachment_path, handle):
            handle.write(data)
            handle.close()
            yield from inner.read(attachment_path, f"{name}!/{member}", member)


# Message identifiers (<id@host>) look like e-mail addresses but name no one: not scanned.
MESSAGE_ID_HEADERS = frozenset({"message-id", "references", "in-reply-to", "resent-message-id"})


def _thread(message: Message) -> tuple[str, ...]:
    """The keys that join this mail to its thread: the root of References (else In-Reply-To,
    else its own Message-ID) and the subject (hashed, see prose.thread_keys)."""
    ids: list[str] = []
    for key in ("references", "in-reply-to", "message-id"):
        raw = message.get(key)
        if raw:
            ids.extend(re.findall(r"<[^<>\s]+>", str(raw)))
    subject = message.get("subject")
    return thread_keys(" ".join(str(subject).split()) if subject else None, ids)


def _header_text(message: Message, key: str, raw: str) -> str:
    """The header's value with encoded words decoded and folding undone."""
    try:
        value = str(message.policy.header_fetch_parse(key, raw))
    except Exception:
        value = raw
    return " ".join(value.split())


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _walk(part: Message, bodies: list[str], attachments: list[tuple[str, bytes]]) -> None:
    content_type = part.get_content_type()
    if part.is_multipart():
        children = list(part.iter_parts()) if isinstance(part, EmailMessage) else \
            part.get_payload()
        if content_type == "multipart/alternative" and children:
            plain = [c for c in children if c.get_content_type() == "text/plain"]
            children = plain[:1] or children[-1:]
        for child in children:
            _walk(child, bodies, attachments)
        return
    filename = _filename(part)
    if content_type == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else payload
        data = inner.as_bytes() if isinstance(inner, Message) else b""
        attachments.append((filename or "message.eml", data))
        return
    if content_type in ("text/plain", "text/html") and not filename and \
            part.get_content_disposition() != "attachment":
        text = _text(part)
        bodies.append(_html_to_text(text) if content_type == "text/html" else text)
        return
    data = part.get_payload(decode=True) or b""
    if not filename:
        filename = "attachment" + (mimetypes.guess_extension(content_type) or "")
    attachments.append((filename, data))


def _filename(part: Message) -> str:
    try:
        filename = part.get_filename() or ""
    except Exception:
        return ""
    return filename.replace("\\", "/").rsplit("/", 1)[-1].strip()


def _text(part: Message) -> str:
    with contextlib.suppress(Exception):  # unknown charset or broken transfer encoding
        content = part.get_content()
        if isinstance(content, str):
            return content
    data = part.get_payload(decode=True) or b""
    encoding = _encoding.detect(Sample(data, complete=True, size=len(data))) or "utf-8"
    return data.decode(encoding, errors="replace")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chunks.append(data)


def _html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.chunks).split("\n")]
    return "\n".join(line for line in lines if line)
