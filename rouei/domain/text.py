"""Bilingual text for results of the pure domain code (Japanese first, English second).

The domain has no Django, so it cannot use gettext; every user-facing sentence it produces is a
pair, and the delivery layer (page, CLI) picks the language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    ja: str
    en: str

    def __call__(self, lang: str = "ja") -> str:
        return self.ja if lang == "ja" else self.en

    def to_dict(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Text:
        return cls(data["ja"], data["en"])
