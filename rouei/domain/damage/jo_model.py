"""The JNSA JO model (想定損害賠償額), a mechanical estimate from the leaked items
(appi.md §8.1), and ``estimate``, which puts it beside the court cases and the response costs.

Money is integer yen; every amount is a product of integers that a finance officer can redo
by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from rouei.domain.damage.court_cases import (
    CASES_NOTE,
    COURT_CASES,
    SURVEY_AVERAGES,
    CourtCase,
    SurveyAverage,
)
from rouei.domain.damage.response_costs import ResponseCosts, ResponsePrices, response_costs
from rouei.domain.facts import Facts, ResponseQuality, SocialResponsibility
from rouei.domain.items import ECONOMIC_LEVEL_3_COMBINATIONS, ITEMS, DataItem, IdentityRole
from rouei.domain.text import Text

# --- JNSA JO model constants (appi.md §8.1) -------------------------------------------------------
JO_SOURCE = "JNSA JO model [JNSA05][THINKIT] (appi.md §8.1)"
BASE_INFORMATION_VALUE = 500  # 基礎情報価値: the same for any data [JNSA05][THINKIT]
PRIVACY_WEIGHT = 10  # 機微情報度 = 10^(精神的苦痛−1) + 5^(経済的損失−1) [JNSA05][THINKIT]
ECONOMIC_WEIGHT = 5
IDENTIFIABILITY_EASY = 6  # 本人特定容易度: name AND address [THINKIT]
IDENTIFIABILITY_SOME = 3  # name, OR address + phone [THINKIT]
IDENTIFIABILITY_HARD = 1  # otherwise [THINKIT]
SOCIAL_RESPONSIBILITY_HIGH = 2  # 社会的責任度: higher than ordinary [THINKIT]
SOCIAL_RESPONSIBILITY_ORDINARY = 1
RESPONSE_INAPPROPRIATE = 2  # 事後対応評価: inappropriate [THINKIT]
RESPONSE_OTHER = 1  # appropriate, unknown or other [THINKIT]

# An item whose level_source is not the catalogue default was not found in any JNSA table.
_JNSA_LEVEL_SOURCE = next(f.default for f in fields(DataItem) if f.name == "level_source")


def _labels(items: list[DataItem]) -> Text:
    return Text("、".join(i.label_ja for i in items), ", ".join(i.label_en for i in items))


def sensitivity(privacy: int, economic: int) -> int:
    """機微情報度 = 10^(privacy−1) + 5^(economic−1) [JNSA05][THINKIT]."""
    return PRIVACY_WEIGHT ** (privacy - 1) + ECONOMIC_WEIGHT ** (economic - 1)


@dataclass(frozen=True, slots=True)
class Factor:
    """One factor of the JO formula, with the reason for its value."""

    key: str
    name: Text
    value: int
    reason: Text
    source: str

    def to_dict(self, lang: str = "ja") -> dict:
        return {"key": self.key, "name": self.name(lang), "value": self.value,
                "reason": self.reason(lang), "source": self.source}


@dataclass(frozen=True, slots=True)
class Note:
    """Something the reader must know to trust the figures (a level conflict, an assumption)."""

    code: str
    text: Text
    source: str

    def to_dict(self, lang: str = "ja") -> dict:
        return {"code": self.code, "text": self.text(lang), "source": self.source}


@dataclass(frozen=True)
class CaseComparison:
    case: CourtCase
    total_for_this_incident: int | None  # this incident's people × the court's amount

    def to_dict(self, lang: str = "ja") -> dict:
        return {**self.case.to_dict(lang), "total_for_this_incident": self.total_for_this_incident}


@dataclass(frozen=True)
class Estimate:
    """The JO-model estimate with every factor explained, and the comparisons."""

    per_person: int | None
    people: int | None
    total: int | None
    privacy_level: int | None
    economic_level: int | None
    factors: tuple[Factor, ...]
    formula: Text | None  # per person: 500 × 機微情報度 × 本人特定容易度 × 社会的責任度 × 事後対応評価
    total_formula: Text | None  # per person × people
    people_basis: Text | None
    cases: tuple[CaseComparison, ...]
    survey_averages: tuple[SurveyAverage, ...]
    response_costs: ResponseCosts
    missing: tuple[str, ...]  # facts without which the JO amount cannot be computed
    assumed: tuple[str, ...]  # facts taken at a default value because they are unknown
    notes: tuple[Note, ...]

    def factor(self, key: str) -> Factor | None:
        return next((f for f in self.factors if f.key == key), None)

    def to_dict(self, lang: str = "ja") -> dict:
        return {
            "model": JO_SOURCE,
            "per_person": self.per_person,
            "people": self.people,
            "people_basis": self.people_basis(lang) if self.people_basis else None,
            "total": self.total,
            "privacy_level": self.privacy_level,
            "economic_level": self.economic_level,
            "factors": [f.to_dict(lang) for f in self.factors],
            "formula": self.formula(lang) if self.formula else None,
            "total_formula": self.total_formula(lang) if self.total_formula else None,
            "cases": [c.to_dict(lang) for c in self.cases],
            "cases_note": CASES_NOTE(lang),
            "survey_averages": [s.to_dict(lang) for s in self.survey_averages],
            "response_costs": self.response_costs.to_dict(lang),
            "missing": list(self.missing),
            "assumed": list(self.assumed),
            "notes": [n.to_dict(lang) for n in self.notes],
        }


def _privacy_factor_parts(items: list[DataItem]) -> tuple[int, list[DataItem]]:
    level = max(i.privacy for i in items)
    return level, [i for i in items if i.privacy == level]


def _economic_parts(items: list[DataItem]) -> tuple[int, list[DataItem], list[frozenset[str]]]:
    ids = {i.id for i in items}
    combos = [c for c in ECONOMIC_LEVEL_3_COMBINATIONS if c <= ids]
    level = 3 if combos else max(i.economic for i in items)
    return level, [i for i in items if i.economic == level], combos


def _sensitivity_factor(items: list[DataItem]) -> tuple[Factor, int, int]:
    privacy, privacy_items = _privacy_factor_parts(items)
    economic, economic_items, combos = _economic_parts(items)
    value = sensitivity(privacy, economic)
    p_label = _labels(privacy_items)
    # The deciding items: each combination that lifts the level to 3, then single items.
    combos_in_order = [[ITEMS[i] for i in ITEMS if i in c] for c in combos]
    deciders_ja = [f"{'＋'.join(i.label_ja for i in c)}の組合せ" for c in combos_in_order]
    deciders_en = [f"the combination {' + '.join(i.label_en for i in c)}"
                   for c in combos_in_order]
    if economic_items:
        deciders_ja.append(_labels(economic_items).ja)
        deciders_en.append(_labels(economic_items).en)
    e_ja, e_en = "、".join(deciders_ja), "; ".join(deciders_en)
    arithmetic = (f"{PRIVACY_WEIGHT}^({privacy}−1) + {ECONOMIC_WEIGHT}^({economic}−1) = "
                  f"{PRIVACY_WEIGHT ** (privacy - 1)} + {ECONOMIC_WEIGHT ** (economic - 1)} "
                  f"= {value}")
    reason = Text(
        f"精神的苦痛レベル{privacy}（{p_label.ja}）、経済的損失レベル{economic}（{e_ja}）。"
        f"漏えい項目の最大値を用いる: {arithmetic}",
        f"privacy (mental distress) level {privacy} ({p_label.en}), economic-loss level "
        f"{economic} ({e_en}); the maximum over the leaked items: {arithmetic}")
    factor = Factor("sensitivity", Text("機微情報度", "Sensitivity"), value, reason,
                    f"{JO_SOURCE}; levels: Simple-EP (appi.md §8.2)")
    return factor, privacy, economic


def _identifiability_factor(items: list[DataItem]) -> Factor:
    by_role = {role: [i for i in items if i.identity is role] for role in IdentityRole}
    names, addresses, phones = (by_role[IdentityRole.NAME], by_role[IdentityRole.ADDRESS],
                                by_role[IdentityRole.PHONE])
    n, a, p = _labels(names), _labels(addresses), _labels(phones)
    if names and addresses:
        value = IDENTIFIABILITY_EASY
        reason = Text(f"氏名に当たる項目（{n.ja}）と住所に当たる項目（{a.ja}）の両方を含む: 容易に特定できる",
                      f"includes a name ({n.en}) and an address ({a.en}): easy to identify")
    elif names:
        value = IDENTIFIABILITY_SOME
        reason = Text(f"氏名に当たる項目（{n.ja}）を含むが住所を含まない: 多少の手間で特定できる",
                      f"includes a name ({n.en}) but no address: identifiable with some effort")
    elif addresses and phones:
        value = IDENTIFIABILITY_SOME
        reason = Text(f"氏名はないが住所（{a.ja}）と電話番号（{p.ja}）を含む: 多少の手間で特定できる",
                      f"no name, but an address ({a.en}) and a phone number ({p.en}): "
                      "identifiable with some effort")
    else:
        value = IDENTIFIABILITY_HARD
        half_ja = (f"（住所{a.ja}はあるが電話番号がない）" if addresses
                   else f"（電話番号{p.ja}はあるが住所がない）" if phones else "")
        half_en = (f" (an address, {a.en}, but no phone number)" if addresses
                   else f" (a phone number, {p.en}, but no address)" if phones else "")
        reason = Text(f"氏名を含まず、住所と電話番号の組合せもない{half_ja}: 特定は困難",
                      f"no name, and no address with a phone number{half_en}: hard to identify")
    return Factor("identifiability", Text("本人特定容易度", "Identifiability"), value, reason,
                  JO_SOURCE)


def _social_factor(value: SocialResponsibility | None) -> Factor:
    name = Text("社会的責任度", "Social responsibility")
    if value is SocialResponsibility.HIGH:
        return Factor("social_responsibility", name, SOCIAL_RESPONSIBILITY_HIGH,
                      Text("利用者が「一般より高い」と設定", "set by the user as higher than "
                                                  "ordinary"), JO_SOURCE)
    if value is SocialResponsibility.ORDINARY:
        return Factor("social_responsibility", name, SOCIAL_RESPONSIBILITY_ORDINARY,
                      Text("利用者が「一般的」と設定", "set by the user as ordinary"), JO_SOURCE)
    return Factor(
        "social_responsibility", name, SOCIAL_RESPONSIBILITY_ORDINARY,
        Text("不明のため1（一般的）と仮定。社会的責任が一般より高い組織なら2で、金額は2倍になる。"
             "「社会的責任度」を設定してください（JNSA の判定基準の一覧は未確認）",
             "unknown, so assumed to be 1 (ordinary); an organisation with a higher than "
             "ordinary social responsibility would be 2, doubling the amount. Please set "
             "the social responsibility (JNSA's list of criteria was not found)"),
        f"{JO_SOURCE}; rouei assumption")


def _response_factor(value: ResponseQuality | None) -> Factor:
    name = Text("事後対応評価", "Post-incident response")
    if value is ResponseQuality.INAPPROPRIATE:
        return Factor("response_quality", name, RESPONSE_INAPPROPRIATE,
                      Text("利用者が「不適切」と設定", "set by the user as inappropriate"),
                      JO_SOURCE)
    if value is ResponseQuality.APPROPRIATE:
        reason = Text("利用者が「適切」と設定", "set by the user as appropriate")
    elif value is ResponseQuality.UNKNOWN:
        reason = Text("利用者が「不明」と設定。JO モデルでは不明は1",
                      "set by the user as unknown; the JO model rates unknown as 1")
    else:
        reason = Text("未設定。JO モデルでは不明・その他は1（不適切なら2で、金額は2倍になる）",
                      "not set; the JO model rates unknown or other as 1 (inappropriate would "
                      "be 2, doubling the amount)")
    return Factor("response_quality", name, RESPONSE_OTHER, reason, JO_SOURCE)


def _per_person(factors: tuple[Factor, ...]) -> int:
    result = 1
    for f in factors:
        result *= f.value
    return result


def _level_notes(items: list[DataItem], privacy: int, economic: int, others: int) -> list[Note]:
    """The conflicts between level sources (appi.md §8.2) that change this estimate."""
    ids = {i.id for i in items}
    notes: list[Note] = []

    def alt(p: int, e: int) -> int:
        return BASE_INFORMATION_VALUE * sensitivity(p, e) * others

    financial = [ITEMS[i] for i in ("credit_card", "card_expiry", "bank_account", "bank_pin")
                 if i in ids]
    if financial and economic < 3:
        amount = alt(privacy, 3)
        labels = _labels(financial)
        notes.append(Note(
            "level_conflict_card_or_account_number",
            Text(f"{labels.ja}: JNSA の後年の分類ではカード番号・口座番号のみは経済的損失レベル2"
                 f"（本試算はこれを採用）。2003年の表ではクレジット番号・口座番号・暗証番号・有効期限を"
                 f"レベル3としており、その場合は1人あたり{amount:,}円",
                 f"{labels.en}: JNSA's later grouping rates a card or account number alone at "
                 f"economic level 2 (used here); the 2003 table put card number, account "
                 f"number, PIN and expiry at level 3, which would give ¥{amount:,} per person"),
            "[GH-JO][GOO03][MYLOG] (appi.md §8.2)"))
    if "disability" in ids and privacy < 3:
        amount = alt(3, economic)
        notes.append(Note(
            "level_conflict_disability",
            Text(f"障害: rouei は精神的苦痛レベル2（JNSA の後年の分類の身体・知的障害）を用いた。"
                 f"精神障害の情報なら後年の分類で3、2003年の表では身体・知的障害も3で、その場合は"
                 f"1人あたり{amount:,}円。データの内容を確認してください",
                 f"Disability: rouei uses privacy level 2 (JNSA's later grouping for physical "
                 f"or intellectual disability). Mental disability is 3 in that grouping, and "
                 f"the 2003 table put all disability at 3, which would give ¥{amount:,} per "
                 f"person. Check what the data holds"),
            "[GOO03][GH-JO][MYLOG] (appi.md §8.2)"))
    if "medical_history" in ids and privacy < 3:
        amount = alt(3, economic)
        health = ITEMS["health"]
        notes.append(Note(
            "level_conflict_medical_history",
            Text(f"病歴は精神的苦痛レベル2（2003年の表）だが、病状・カルテはレベル3。データに病状や"
                 f"診療内容が含まれるなら項目「{health.label_ja}」を加えてください"
                 f"（1人あたり{amount:,}円）",
                 f"Medical history is privacy level 2 (2003 table) but symptoms and charts "
                 f"are level 3; if the data holds them, add the item '{health.label_en}' "
                 f"(¥{amount:,} per person)"),
            "[GOO03][GH-JO] (appi.md §8.2)"))
    inferred = [i for i in items if i.level_source != _JNSA_LEVEL_SOURCE]
    if inferred:
        labels = _labels(inferred)
        notes.append(Note(
            "levels_not_from_jnsa",
            Text(f"{labels.ja}: JNSA の表に見当たらない項目で、レベルは rouei の判断",
                 f"{labels.en}: not in any JNSA table found; the levels are rouei's choice"),
            "appi.md §8.2"))
    return notes


MODEL_NOTE = Note(
    "model_is_a_rough_guide",
    Text("JO モデルは公表情報から機械的に算出する目安で、係数は専門家の判断によるもの（実証的な根拠は"
         "ない）。実際の賠償額や裁判所の認容額を予測するものではない",
         "The JO model is a mechanical guide built from public reports; its coefficients are "
         "expert judgement without an empirical basis. It does not predict actual payments or "
         "court awards"),
    "[JNSA05][IPSJ19] (appi.md §8)")


def estimate(facts: Facts, prices: ResponsePrices | None = None) -> Estimate:
    """The JO-model estimate for ``facts``, with court cases, survey averages and response
    costs. Missing facts leave the amounts that need them at None and are listed in
    ``missing``; nothing raises for an incomplete case."""
    prices = prices or ResponsePrices()
    people = facts.people_max
    items = [ITEMS[i] for i in (facts.items or ()) if i in ITEMS]
    unknown_ids = [i for i in (facts.items or ()) if i not in ITEMS]
    missing: list[str] = []
    assumed: list[str] = []
    notes: list[Note] = [MODEL_NOTE]

    if not items:
        missing.append("items")
        notes.append(Note("items_missing",
                          Text("漏えいした項目が不明のため、1人あたりの金額を計算できない。"
                               "漏えいした項目を入力してください",
                               "The leaked items are unknown, so no per-person amount can be "
                               "computed. Please enter the leaked items"), "appi.md §8.1"))
    if unknown_ids:
        notes.append(Note("unknown_items",
                          Text(f"カタログにない項目は計算に含めていない: {', '.join(unknown_ids)}"
                               "（金額が過小の可能性）",
                               f"Items not in the catalogue were left out: "
                               f"{', '.join(unknown_ids)} (the amount may be too low)"),
                          "rouei.domain.items"))
    if people is None:
        missing.extend(("people_confirmed", "people_estimated"))
        notes.append(Note("people_missing",
                          Text("人数が不明のため総額を計算できない。本人の数（確認済み"
                               "または推定）を入力してください",
                               "The number of people is unknown, so no totals can be "
                               "computed. Please enter the number of people (confirmed or "
                               "estimated)"),
                          "appi.md §2.1"))
        people_basis = None
    else:
        people_basis = Text(
            f"人数は最大可能人数{people:,}人（確認済み {_count(facts.people_confirmed, 'ja')}、"
            f"推定 {_count(facts.people_estimated, 'ja')} のうち大きい方）",
            f"people = the maximum possible count, {people:,} (the larger of confirmed "
            f"{_count(facts.people_confirmed, 'en')} and estimated "
            f"{_count(facts.people_estimated, 'en')})")

    if facts.social_responsibility is None:
        assumed.append("social_responsibility")
    if facts.response_quality is None:
        assumed.append("response_quality")
    base = Factor("base_information_value", Text("基礎情報価値", "Base information value"),
                  BASE_INFORMATION_VALUE,
                  Text("どの情報にも共通の定数", "a constant, the same for any data"), JO_SOURCE)
    social = _social_factor(facts.social_responsibility)
    response = _response_factor(facts.response_quality)

    per_person = total = privacy = economic = None
    formula = total_formula = None
    if items:
        sens, privacy, economic = _sensitivity_factor(items)
        ident = _identifiability_factor(items)
        factors = (base, sens, ident, social, response)
        per_person = _per_person(factors)
        line = " × ".join(f"{f.value:,}" for f in factors)
        formula = Text(f"{line} = {per_person:,}円（1人あたり）", f"{line} = ¥{per_person:,} per person")
        notes.extend(_level_notes(items, privacy, economic,
                                  ident.value * social.value * response.value))
        if people is not None:
            total = per_person * people
            total_formula = Text(f"{per_person:,}円 × {people:,}人 = {total:,}円",
                                 f"¥{per_person:,} × {people:,} people = ¥{total:,}")
    else:
        factors = (base, social, response)

    cases = tuple(CaseComparison(c, None if people is None else c.per_person * people)
                  for c in COURT_CASES)
    return Estimate(
        per_person=per_person, people=people, total=total, privacy_level=privacy,
        economic_level=economic, factors=factors, formula=formula, total_formula=total_formula,
        people_basis=people_basis, cases=cases, survey_averages=SURVEY_AVERAGES,
        response_costs=response_costs(people, prices), missing=tuple(missing),
        assumed=tuple(assumed), notes=tuple(notes))


def _count(value: int | None, lang: str) -> str:
    if value is None:
        return "不明" if lang == "ja" else "unknown"
    return f"{value:,}人" if lang == "ja" else f"{value:,}"
