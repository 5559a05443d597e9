"""Citations as a reader expects them: plain Japanese (「個人情報保護法施行規則7条4号」) with
links to the official texts, never the maintainers' provenance.

The domain keeps, beside each legal citation, where its maintainers read it: source tags
(``[JNSA05]``), sections of the knowledge files (``appi.md §8.1``) and module paths. That
belongs in the JSON and the code, not on a page, so ``plain_citation`` drops it, spells the
English abbreviations of the statutes out in Japanese and lists the official documents it
cites. Links come from the domain knowledge files' bibliography (appi.md "Sources"); where it
gives no page, the PPC's page of laws and guidelines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

APPI_TEXT = "https://elaws.e-gov.go.jp/document?law_unique_id=415AC0000000057"
MY_NUMBER_ACT_TEXT = "https://elaws.e-gov.go.jp/document?lawid=425AC0000000027"
PPC_LAWS = "https://www.ppc.go.jp/personalinfo/legal/"
PPC_GUIDELINES = "https://www.ppc.go.jp/personalinfo/legal/guidelines_tsusoku/"
MY_NUMBER_GUIDELINES = "https://www.ppc.go.jp/legal/policy/my_number_guideline_jigyosha/"
# The PPC's Q&A pages the knowledge files cite, by question number.
APPI_QA = {
    "6-10": "https://www.ppc.go.jp/all_faq_index/faq1-q6-10_/",
    "6-11": "https://www.ppc.go.jp/all_faq_index/faq1-q6-11_/",
    "6-12": "https://www.ppc.go.jp/all_faq_index/faq1-q6-12_/",
    "6-15": "https://www.ppc.go.jp/all_faq_index/faq1-q6-15_/",
    "6-16": "https://www.ppc.go.jp/all_faq_index/faq1-q6-16_/",
    "6-19": "https://www.ppc.go.jp/all_faq_index/faq1-q6-19_/",
    "14-8": "https://www.ppc.go.jp/all_faq_index/faq1-q14-8",
}
MY_NUMBER_QA = {
    "17-1": "https://www.ppc.go.jp/all_faq_index/faq5-q17-1/",
    "17-10": "https://www.ppc.go.jp/all_faq_index/faq5-q17-10",
    "17-14": "https://www.ppc.go.jp/all_faq_index/faq5-q17-14/",
}

_TAGS = re.compile(r"\s*\[[^\]]*\]")
_FILE_REFERENCE = re.compile(r"[a-z][a-z-]*\.md(?:\s*§[\d.–-]+(?:,\s*§[\d.–-]+)*)?")
_MODULE_PATH = re.compile(r"\brouei(?:\.[a-z_]+)+")
_EMPTY_BRACKETS = re.compile(r"\(\s*[;,]?\s*\)|（\s*）")

# English names of the statutes (as the exposure summary writes them) → Japanese.
_STATUTES_JA = (
    ("PPC Rules (My Number)", "特定個人情報漏えい等報告規則"),
    ("PPC Rules", "個人情報保護法施行規則"),
    ("My Number Act", "番号法"),
    ("Civil Code", "民法"),
    ("UCPA", "不正競争防止法"),
    ("APPI", "個人情報保護法"),
)
_STATUTE = re.compile(
    r"^(?P<law>" + "|".join(re.escape(en) for en, _ja in _STATUTES_JA) + r") Arts?\. (?P<arts>.+)$")
_ARTICLE = re.compile(r"^(?P<number>\d+)(?:-(?P<branch>\d+))?(?P<parts>(?:\([0-9ivx]+\))*)$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
_PHRASES = (
    # (English part, Japanese, English shown)
    ("JNSA JO model", "JNSA「JO モデル」", "JNSA JO model"),
    ("levels: Simple-EP", "レベルは JNSA の簡易版 EP マップ", "levels: JNSA's simplified EP map"),
    ("rouei assumption", "rouei の仮定", "rouei's assumption"),
)


@dataclass(frozen=True)
class Citation:
    """A citation as shown: the words, and the official documents they name."""

    text: str
    links: tuple[tuple[str, str], ...]  # (label, address)


def _article_ja(article: str) -> str | None:
    """26(1) → 26条1項; 184(1)(i) → 184条1項1号; 29-4 → 29条の4; 146–148 → 146条〜148条."""
    if "–" in article:
        first, last = article.split("–", 1)
        a, b = _article_ja(first), _article_ja(last)
        return f"{a}〜{b}" if a and b else None
    match = _ARTICLE.match(article)
    if not match:
        return None
    text = f"{match['number']}条" + (f"の{match['branch']}" if match["branch"] else "")
    for i, part in enumerate(re.findall(r"\(([0-9ivx]+)\)", match["parts"])):
        if i == 0 and part.isdigit():
            text += f"{part}項"
        elif part in _ROMAN:
            text += f"{_ROMAN[part]}号"
        else:
            return None
    return text


def _part_ja(part: str) -> str:
    match = _STATUTE.match(part)
    if match:
        law = dict(_STATUTES_JA)[match["law"]]
        articles = [_article_ja(a.strip()) for a in match["arts"].split(",")]
        if all(articles):
            return law + "・".join(articles)
    for en, ja, _shown in _PHRASES:
        if part == en:
            return ja
    if part.startswith("GL "):
        return "ガイドライン（通則編）" + part[3:]
    if part.startswith("Q&A "):
        return "個人情報保護委員会 Q&A " + part[4:]
    if part.startswith("規則"):
        return "個人情報保護法施行規則" + part[2:]
    if part.startswith("法") and part[1:2].isdigit():
        return "個人情報保護法" + part[1:]
    return part


def _part_en(part: str) -> str:
    for en, _ja, shown in _PHRASES:
        if part == en:
            return shown
    if part.startswith("GL "):
        return "PPC Guidelines (General Rules) " + part[3:]
    if part.startswith("Q&A "):
        return "PPC Q&A " + part[4:]
    return part


def _strip_provenance(raw: str) -> list[str]:
    text = _TAGS.sub("", raw)
    text = _FILE_REFERENCE.sub("", text)
    text = _MODULE_PATH.sub("", text)
    for _ in range(2):
        text = _EMPTY_BRACKETS.sub("", text)
    parts = [p.strip(" ,;") for p in text.split(";")]
    return [p for p in parts if p]


def _links(text: str, lang: str) -> tuple[tuple[str, str], ...]:
    def label(ja: str, en: str) -> str:
        return ja if lang == "ja" else en

    links: list[tuple[str, str]] = []
    if re.search(r"個人情報保護法(?!施行規則)|(?:^|、)法\d|APPI", text):
        links.append((label("個人情報保護法", "APPI (e-Gov)"), APPI_TEXT))
    if re.search(r"個人情報保護法施行規則|PPC Rules Art|(?:^|; )規則\d", text):
        links.append((label("個人情報保護法施行規則", "PPC Rules"), PPC_LAWS))
    if re.search(r"ガイドライン（通則編）|(?:^|; )GL ", text):
        links.append((label("ガイドライン（通則編）", "PPC Guidelines"), PPC_GUIDELINES))
    for qa in re.finditer(r"(番号法)?Q&A ((?:\d+-\d+(?:[,、] ?)?)+)", text):
        table = MY_NUMBER_QA if qa[1] else APPI_QA
        for number in re.findall(r"\d+-\d+", qa[2]):
            name = f"{label('番号法', 'My Number')} Q&A {number}" if qa[1] else f"Q&A {number}"
            links.append((name, table.get(number, PPC_LAWS)))
    if "番号法" in text or "My Number Act" in text:
        links.append((label("番号法", "My Number Act (e-Gov)"), MY_NUMBER_ACT_TEXT))
    if "事業者編ガイドライン" in text:
        links.append((label("番号法ガイドライン（事業者編）", "My Number Guidelines"),
                      MY_NUMBER_GUIDELINES))
    return tuple(dict.fromkeys(links))


# The incident page cites the same few dozen texts on every view: parse each once.
@lru_cache(maxsize=1024)
def plain_citation(raw: str | None, lang: str = "ja") -> Citation:
    """``raw`` as the domain writes it → the words a reader sees and the official documents.
    Only provenance (tags, knowledge-file sections, module paths) is ever left out."""
    parts = _strip_provenance(raw or "")
    shown = [_part_ja(p) for p in parts] if lang == "ja" else [_part_en(p) for p in parts]
    separator = "、" if lang == "ja" else "; "
    text = separator.join(shown)
    if lang == "ja":
        text = text.replace(", ", "、")
    return Citation(text, _links(text if lang == "ja" else "; ".join(parts), lang))
