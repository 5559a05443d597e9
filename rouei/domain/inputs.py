"""Reading user input files (facts, unit prices): one error type, one YAML/JSON reader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


class InputError(ValueError):
    """Bad input. ``code`` is stable for tests; ``field`` names what the user must fix."""

    def __init__(self, code: str, field: str | None, message_ja: str, message_en: str):
        self.code = code
        self.field = field
        self.message_ja = message_ja
        self.message_en = message_en
        super().__init__(f"{field or '-'}: {message_en}")

    def message(self, lang: str = "ja") -> str:
        text = self.message_ja if lang == "ja" else self.message_en
        return f"{self.field}: {text}" if self.field else text


class _StringDatesLoader(yaml.SafeLoader):
    """A SafeLoader that leaves dates as strings, so a bad date is reported with its field."""


_StringDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_mapping_file(path: str | Path, error: type[InputError]) -> Any:
    """Parse a YAML or JSON file (``.json`` as JSON, anything else as YAML, a superset).

    Raises ``error`` (a subclass of InputError) naming the file on every failure; an empty file
    is an empty mapping.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error("file_not_found", None, f"ファイルがありません: {path}",
                    f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise error("not_utf8", None, f"UTF-8 のテキストとして読めません: {path}",
                    f"not UTF-8 text: {path}") from None
    except OSError as exc:
        raise error("unreadable", None, f"読み込めません: {path} ({exc.strerror})",
                    f"cannot read {path}: {exc.strerror}") from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_StringDatesLoader)  # noqa: S506 — a SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise error("malformed", None, f"{path}: 形式が正しくありません（{exc.lineno}行目）",
                    f"{path}: malformed JSON (line {exc.lineno})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where_ja = f"（{mark.line + 1}行目）" if mark else ""
        where_en = f" (line {mark.line + 1})" if mark else ""
        raise error("malformed", None, f"{path}: 形式が正しくありません{where_ja}",
                    f"{path}: malformed YAML{where_en}") from None
    return {} if data is None else data
