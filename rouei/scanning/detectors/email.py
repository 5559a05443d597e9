"""E-mail addresses (メールアドレス).

A pragmatic subset of RFC 5322 addr-spec: an ASCII dot-atom local part (RFC 5322 §3.4.1, without
the rarely used "/" and quoted strings), "@", a domain of dot-separated labels (RFC 1035 §2.3.1;
Unicode letters allowed for internationalised domain names, RFC 5890) ending in an ASCII or
punycode top-level domain, so that "taro@example.jpです" stops at "jp". Lengths per RFC 5321
§4.5.3.1: local part ≤ 64, address ≤ 254, label ≤ 63.
"""

from __future__ import annotations

import re

from rouei.scanning.detectors._common import nfkc

CATEGORY = "email"
CHECKSUM = None
_LOCAL_CHAR = r"[A-Za-z0-9_%+!#$&'*=?^`{|}~-]"
# Domain labels as explicit ranges, not \w: Rust's Unicode \w makes this pattern 30× slower.
COLUMN_PATTERN = (r"^[A-Za-z0-9._%+!#$&'*=?^`{|}~-]+@(?:[A-Za-z0-9\u00a0-\uffff-]+\.)+"
                  r"[A-Za-z0-9\u00a0-\uffff-]{2,63}$")
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_TLD = r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
TEXT_PATTERN = (rf"(?<![A-Za-z0-9._%+!#$&'*=?^`{{|}}~-]){_LOCAL_CHAR}+(?:\.{_LOCAL_CHAR}+)*"
                rf"@(?:{_LABEL}\.)+{_TLD}(?![A-Za-z0-9-])")
TEXT_GATE = "@"  # what every match contains (Detector.gates)
CONTEXT_WORDS = ("メール", "メールアドレス", "Eメール", "mail", "e-mail", "email", "連絡先")
REQUIRES_CONTEXT = False

_LABEL_RE = re.compile(_LABEL)


def validate(value: str) -> bool:
    value = nfkc(value).strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain or len(value) > 254 or len(local) > 64:
        return False
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1].isdigit() or len(labels[-1]) < 2:
        return False
    return all(len(label) <= 63 and _LABEL_RE.fullmatch(label) for label in labels)


def normalise_value(value: str) -> str:
    return nfkc(value).strip().lower()
