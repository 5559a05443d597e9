"""Reading the files that tell which notices did not arrive (parsing only: no database).

- Bounced e-mail: a plain list of addresses (one a line; blank lines and ``#`` comments
  ignored), or delivery status notifications (DSN, RFC 3464) — one ``.eml`` message or an mbox
  of them — whose ``Final-Recipient`` with ``Action: failed`` is a bounce (a ``delayed`` report
  is not: the server is still trying).
- Returned letters (宛所不明) and letters sent: reference numbers one a line, or the print data
  CSV itself (its 受付番号 column).
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import mailbox
import re
from dataclasses import dataclass
from pathlib import Path

from rouei.people.registry import normalise_reference

_DSN_MARK = re.compile(rb"^final-recipient\s*:", re.IGNORECASE | re.MULTILINE)
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


@dataclass(frozen=True)
class Bounce:
    address: str
    status: str  # the DSN's status code (5.1.1), "" from a plain list
    source: str  # "dsn" or "list"


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str


def read_bounces(path: Path) -> tuple[list[Bounce], list[BadLine]]:
    raw = path.read_bytes()
    if _DSN_MARK.search(raw):
        return _dsn_bounces(path, raw), []
    found: list[Bounce] = []
    bad: list[BadLine] = []
    for number, line in enumerate(_decode(raw).splitlines(), start=1):
        text = line.split("#", 1)[0].strip().strip("<>")
        if not text:
            continue
        if _ADDRESS.match(text):
            found.append(Bounce(text, "", "list"))
        else:
            bad.append(BadLine(number, "メールアドレスの形式ではありません"))
    return found, bad


def _dsn_bounces(path: Path, raw: bytes) -> list[Bounce]:
    if raw.startswith(b"From "):
        messages = [email.message_from_bytes(m.as_bytes(), policy=email.policy.compat32)
                    for m in mailbox.mbox(str(path))]
    else:
        messages = [email.message_from_bytes(raw, policy=email.policy.compat32)]
    found: list[Bounce] = []
    for message in messages:
        for block in _status_blocks(message):
            recipient = block.get("Final-Recipient") or block.get("Original-Recipient") or ""
            action = (block.get("Action") or "").strip().lower()
            status = (block.get("Status") or "").strip().split(" ")[0]
            address = recipient.split(";", 1)[-1].strip().strip("<>")
            if address and action == "failed" and not status.startswith("4"):
                found.append(Bounce(address, status, "dsn"))
    return found


def _status_blocks(message) -> list:
    """The per-recipient field blocks of every message/delivery-status part."""
    blocks = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        if isinstance(payload, list):
            blocks.extend(p for p in payload if p.get("Final-Recipient"))
        else:  # a body the parser left as text: the blocks are separated by blank lines
            text = payload if isinstance(payload, str) else payload.decode("ascii", "replace")
            for chunk in re.split(r"\r?\n\r?\n", text):
                block = email.message_from_string(chunk.strip() + "\n\n")
                if block.get("Final-Recipient"):
                    blocks.append(block)
    return blocks


def read_refs(path: Path) -> tuple[list[str], list[BadLine]]:
    """Reference numbers, one a line, or the 受付番号 column of a print-data CSV."""
    text = _decode(path.read_bytes())
    lines = text.splitlines()
    refs: list[str] = []
    bad: list[BadLine] = []
    if lines and "受付番号" in lines[0]:
        reader = csv.DictReader(io.StringIO(text))
        for number, row in enumerate(reader, start=2):
            _take(row.get("受付番号") or "", number, refs, bad)
        return refs, bad
    for number, line in enumerate(lines, start=1):
        value = line.split("#", 1)[0].strip()
        if value:
            _take(value, number, refs, bad)
    return refs, bad


def _take(value: str, number: int, refs: list[str], bad: list[BadLine]) -> None:
    ref = normalise_reference(value.lstrip("'"))
    if ref:
        refs.append(ref)
    else:
        bad.append(BadLine(number, "受付番号の形式ではありません"))


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp932", errors="replace")
