"""What a leak may cost (損害額の試算): the JNSA JO model, court awards and response costs.

Three separate views, never added together:
- the JNSA JO model (想定損害賠償額), a mechanical estimate from the leaked items (appi.md §8.1);
- per-person amounts that courts awarded to plaintiffs (appi.md §9) and the JNSA survey
  averages (appi.md §8.3), for comparison;
- the company's own response costs (forensics, letters, call centre, 見舞金 …) from unit
  prices that the user can edit; the defaults are labelled assumptions, not law.

Money is integer yen; every amount is a product of integers that a finance officer can redo
by hand. The only rounding is upward, for counts of letters and calls.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from rouei.domain.facts import Facts, ResponseQuality, SocialResponsibility
from rouei.domain.inputs import InputError, read_mapping_file
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


# --- court cases (appi.md §9) and JNSA survey averages (appi.md §8.3) -------------------------------
@dataclass(frozen=True, slots=True)
class CourtCase:
    """Per-person damages a court awarded to the plaintiffs of one leak case."""

    id: str
    name: Text
    court: Text
    per_person: int
    breakdown: Text
    note: Text
    sources: tuple[str, ...]

    def to_dict(self, lang: str = "ja") -> dict:
        return {"id": self.id, "name": self.name(lang), "court": self.court(lang),
                "per_person": self.per_person, "breakdown": self.breakdown(lang),
                "note": self.note(lang), "sources": list(self.sources)}


COURT_CASES: tuple[CourtCase, ...] = (
    CourtCase(
        "uji_city",
        Text("宇治市住民基本台帳データ漏えい事件", "Uji City resident-register leak"),
        Text("京都地判平成13年2月23日（大阪高判平成13年12月25日、最高裁平成14年7月11日で確定）",
             "Kyoto District Court 2001-02-23 (Osaka High Court 2001-12-25; final at the "
             "Supreme Court 2002-07-11)"),
        15_000,
        Text("慰謝料10,000円＋弁護士費用5,000円", "¥10,000 distress + ¥5,000 lawyers' fees"),
        Text("約21万件。再々委託先のアルバイトがMOにコピーして販売。市が使用者責任（民法715条）。原告3人",
             "About 217,000 records; a re-subcontractor's part-timer copied them to MO and sold "
             "them; the city liable as employer (Civil Code 715); 3 plaintiffs"),
        ("[MINORU]", "[ITBIZ]", "[JPCERT]")),
    CourtCase(
        "tbc_secondary_damage",
        Text("TBC（二次被害のあった原告）", "TBC (plaintiffs with secondary damage)"),
        Text("東京地判平成19年2月8日（東京高判平成19年8月28日で維持）",
             "Tokyo District Court 2007-02-08 (affirmed, Tokyo High Court 2007-08-28)"),
        35_000,
        Text("慰謝料30,000円＋弁護士費用5,000円", "¥30,000 distress + ¥5,000 lawyers' fees"),
        Text("ウェブフォームの約5万件。エステへの関心など秘匿性の高い情報。迷惑メール・電話の被害があった原告13人",
             "About 50,000 web-form entries; interest in esthetic services seen as highly "
             "private; 13 plaintiffs who received spam or calls"),
        ("[ITPRO-TBC]", "[ITLAW-TBC]", "[NOMURA]")),
    CourtCase(
        "tbc_no_secondary_damage",
        Text("TBC（二次被害の立証がない原告）", "TBC (plaintiff without proven secondary damage)"),
        Text("東京地判平成19年2月8日（東京高判平成19年8月28日で維持）",
             "Tokyo District Court 2007-02-08 (affirmed, Tokyo High Court 2007-08-28)"),
        22_000,
        Text("慰謝料17,000円＋弁護士費用5,000円", "¥17,000 distress + ¥5,000 lawyers' fees"),
        Text("二次被害（迷惑メール・電話）が立証されなかった原告1人",
             "1 plaintiff for whom no secondary damage (spam, calls) was proven"),
        ("[ITPRO-TBC]", "[ITLAW-TBC]", "[NOMURA]")),
    CourtCase(
        "yahoo_bb_district",
        Text("Yahoo!BB 顧客情報流出事件（第一審）", "Yahoo!BB customer data leak (first instance)"),
        Text("大阪地判平成18年5月19日（判時1948-122）", "Osaka District Court 2006-05-19"),
        6_000,
        Text("慰謝料5,000円＋弁護士費用1,000円", "¥5,000 distress + ¥1,000 lawyers' fees"),
        Text("元業務委託先社員が有効なままのパスワードで持ち出し。BBテクノロジーのみ責任。全会員への500円の金券を考慮",
             "A former contract worker used a still-valid password; only BB Technology liable; "
             "the ¥500 voucher to all members was considered"),
        ("[KITAOKA]", "[KONDO]", "[INTX]", "[AKUTOKU]")),
    CourtCase(
        "yahoo_bb_appeal",
        Text("Yahoo!BB 顧客情報流出事件（控訴審）", "Yahoo!BB customer data leak (appeal)"),
        Text("大阪高判平成19年6月21日", "Osaka High Court 2007-06-21"),
        5_500,
        Text("慰謝料4,500円＋弁護士費用1,000円", "¥4,500 distress + ¥1,000 lawyers' fees"),
        Text("ヤフー株式会社も使用者責任（民法715条）。支払済みの500円を一部弁済として控除",
             "Yahoo Japan also liable (Civil Code 715); the ¥500 already paid deducted as "
             "part payment"),
        ("[STUV07]",)),
    CourtCase(
        "benesse_supreme_court_remand",
        Text("ベネッセ個人情報流出事件（姫路ルート・最高裁差戻し後）",
             "Benesse leak (Himeji suit, after the Supreme Court remand)"),
        Text("最判平成29年10月23日（破棄差戻し）→ 大阪高判令和元年11月20日",
             "Supreme Court 2017-10-23 (quashed and remanded) → Osaka High Court 2019-11-20"),
        1_000,
        Text("慰謝料1,000円", "¥1,000 distress"),
        Text("最高裁: 氏名・住所等の漏えいもプライバシー侵害。不快感を超える損害の立証がなくても精神的損害を審理すべき",
             "Supreme Court: the leak infringed privacy; mental damage must be examined even "
             "without proof of harm beyond discomfort"),
        ("[NAKA]", "[ITLAW-B]", "[MORIK]", "[JP24H]")),
    CourtCase(
        "benesse_tokyo_2018_06",
        Text("ベネッセ個人情報流出事件（東京の集団訴訟）", "Benesse leak (Tokyo group suit)"),
        Text("東京地判平成30年6月20日", "Tokyo District Court 2018-06-20"),
        0,
        Text("請求棄却", "claim dismissed"),
        Text("賠償すべき精神的苦痛なし。謝罪と500円の金券を考慮",
             "No compensable distress; the apology and the ¥500 voucher were considered"),
        ("[18.177]", "[NAKA]", "[NIKKEI18]")),
    CourtCase(
        "benesse_tokyo_2018_12",
        Text("ベネッセ個人情報流出事件（東京・原告462人）", "Benesse leak (Tokyo, 462 plaintiffs)"),
        Text("東京地判平成30年12月27日", "Tokyo District Court 2018-12-27"),
        3_300,
        Text("慰謝料3,000円＋弁護士費用300円", "¥3,000 distress + ¥300 lawyers' fees"),
        Text("委託先のシンフォーム社のみ責任。ベネッセ自身は責任なし",
             "Only the processor Synform liable; Benesse itself not liable"),
        ("[NIKKEI18]", "[STUV18]")),
    CourtCase(
        "benesse_tokyo_high_2019",
        Text("ベネッセ個人情報流出事件（東京・控訴審、2件）", "Benesse leak (Tokyo appeal, 2 suits)"),
        Text("東京高判令和元年6月27日", "Tokyo High Court 2019-06-27"),
        2_000,
        Text("内訳は資料で未確認", "breakdown not found in the sources"),
        Text("ベネッセ自身の責任（委託先の監督）を初めて認めた",
             "First finding against Benesse itself (supervision of its processor)"),
        ("[5CH-B]", "[KANTSUU]")),
    CourtCase(
        "benesse_tokyo_high_2020",
        Text("ベネッセ個人情報流出事件（東京・控訴審、原告622人）",
             "Benesse leak (Tokyo appeal, 622 plaintiffs)"),
        Text("東京高判令和2年3月25日", "Tokyo High Court 2020-03-25"),
        3_300,
        Text("内訳は未確認（2018年の東京地判と同じ3,000円＋300円とみられる）",
             "breakdown not confirmed (likely ¥3,000 + ¥300 as in the 2018 Tokyo judgment)"),
        Text("ベネッセとシンフォームの双方に過失", "Benesse and Synform both negligent"),
        ("[DOCOMO-B]", "[ITLAW-B2]")),
)

CASES_NOTE = Text(
    "裁判例の金額は訴えた原告への認容額であり、被害者全員に支払われた額ではない。任意の見舞金"
    "（Yahoo!BB・ローソン・ベネッセの500円など）は別の実務（appi.md §9）",
    "Court amounts were awarded to the plaintiffs only, not to every victim; voluntary "
    "apology payments (¥500 by Yahoo!BB, Lawson, Benesse) are a separate practice "
    "(appi.md §9)")


@dataclass(frozen=True, slots=True)
class SurveyAverage:
    """JNSA survey: average 想定損害賠償額 per person for the incidents of one year."""

    year: int
    per_person: int
    source: str
    note: Text | None = None

    def to_dict(self, lang: str = "ja") -> dict:
        return {"year": self.year, "per_person": self.per_person, "source": self.source,
                "note": self.note(lang) if self.note else None}


SURVEY_AVERAGES: tuple[SurveyAverage, ...] = (
    SurveyAverage(2008, 43_632, "[ZDNET08]"),
    SurveyAverage(2009, 49_961, "[PAHOO]",
                  Text("出典は2008年分と表記するが2009年度報告書を引用しており、2009年分と解した",
                       "labelled 2008 by the source but citing the 2009 report; read as 2009")),
    SurveyAverage(2010, 43_306, "[ONEBE]"),
    SurveyAverage(2011, 48_533, "[5CH]", Text("確度低（二次引用のみ）", "low confidence (one "
                                                                 "second-hand quote)")),
    SurveyAverage(2015, 28_020, "[IS702]"),
    SurveyAverage(2016, 31_646, "[SECNEXT]"),
    SurveyAverage(2018, 29_768, "[IWATCH]", Text("速報値。見つかった最新の JNSA 調査",
                                                 "preliminary; the latest JNSA survey found")),
)


# --- response-cost model ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PriceInfo:
    label: Text
    unit: Text
    basis: Text
    assumption: bool  # True: rouei's placeholder, to be replaced by real quotes


_ASSUMED = Text("仮定（rouei の目安。見積りで置き換えてください）",
                "assumption (rouei's placeholder; replace with real quotes)")
_ONE_LOT = Text("式", "lot")
_LETTERS = Text("通", "letters")

# Labels and bases of the unit prices; the defaults live in ResponsePrices.
PRICE_INFO: dict[str, PriceInfo] = {
    "forensic_investigation": PriceInfo(
        Text("フォレンジック調査", "Forensic investigation"), _ONE_LOT, _ASSUMED, True),
    "letter_postage": PriceInfo(
        Text("郵送料（定形郵便25g以下）", "Postage (standard letter up to 25 g)"), _LETTERS,
        Text("日本郵便の料金（2024年10月1日改定）", "Japan Post tariff from 2024-10-01"), False),
    "letter_printing": PriceInfo(
        Text("印刷・封入・封筒", "Printing, envelope and enclosing"), _LETTERS, _ASSUMED, True),
    "email_per_person": PriceInfo(
        Text("電子メールによる通知", "Notification by e-mail"), Text("通", "messages"),
        _ASSUMED, True),
    "letter_share_percent": PriceInfo(
        Text("書面で通知する人の割合", "Share of people notified by letter"), Text("%", "%"),
        Text("仮定。残りは電子メール", "assumption; the rest by e-mail"), True),
    "call_centre_setup": PriceInfo(
        Text("コールセンター開設", "Call-centre set-up"), _ONE_LOT, _ASSUMED, True),
    "call_centre_per_call": PriceInfo(
        Text("コールセンター応対", "Call handling"), Text("件", "calls"), _ASSUMED, True),
    "call_rate_permille": PriceInfo(
        Text("問合せ率", "Expected call rate"), Text("‰（千人あたりの件数）", "per mille of people"),
        _ASSUMED, True),
    "legal_counsel": PriceInfo(
        Text("弁護士費用（助言・書面確認）", "Legal counsel"), _ONE_LOT, _ASSUMED, True),
    "public_relations": PriceInfo(
        Text("広報（公表・記者対応）", "Public relations"), _ONE_LOT, _ASSUMED, True),
    "goodwill_options": PriceInfo(
        Text("見舞金の選択肢（1人あたり）", "Goodwill-payment options (per person)"),
        Text("円/人", "yen per person"),
        Text("実務例（法定ではない）: 500円はベネッセ・Yahoo!BB・ローソン、氏名・連絡先等で数千円、"
             "要配慮情報等で二次被害なしは1万円程度まで（response-practice.md §6）",
             "practice, not law: ¥500 Benesse, Yahoo!BB, Lawson; a few thousand yen for "
             "contact data; up to about ¥10,000 for sensitive data without secondary damage "
             "(response-practice.md §6)"), False),
}

_PERCENT_FIELDS = {"letter_share_percent": 100}
_PERMILLE_FIELDS = {"call_rate_permille": 1_000}
_CEILINGS = {**_PERCENT_FIELDS, **_PERMILLE_FIELDS}


class PricesError(InputError):
    """Bad unit prices (see InputError)."""


@dataclass(frozen=True)
class ResponsePrices:
    """Unit prices of the response, integer yen. Only the postage is a published tariff; the
    other defaults are rouei's placeholders (see ``PRICE_INFO``), to be replaced by quotes."""

    forensic_investigation: int = 3_000_000
    letter_postage: int = 110  # 定形郵便 up to 25 g, Japan Post tariff from 2024-10-01
    letter_printing: int = 100
    email_per_person: int = 10
    letter_share_percent: int = 100  # the rest is notified by e-mail
    call_centre_setup: int = 1_500_000
    call_centre_per_call: int = 1_000
    call_rate_permille: int = 50  # 50 calls per 1,000 people
    legal_counsel: int = 2_000_000
    public_relations: int = 1_000_000
    goodwill_options: tuple[int, ...] = (0, 500, 1_000, 3_000, 10_000)

    @classmethod
    def from_mapping(cls, data: Any) -> ResponsePrices:
        """Validate a mapping (from a ``--prices`` YAML/JSON file); missing keys keep their
        defaults. Raises ``PricesError`` naming the field."""
        if not isinstance(data, dict):
            raise PricesError("not_a_mapping", None,
                              "単価はキーと値の組（YAML/JSON のオブジェクト）で指定してください",
                              "prices must be a mapping (a YAML/JSON object)")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            choices = ", ".join(sorted(known))
            raise PricesError("unknown_key", unknown[0], f"不明なキーです（使えるキー: {choices}）",
                              f"unknown key (known keys: {choices})")
        values: dict[str, Any] = {}
        for key, raw in data.items():
            if key == "goodwill_options":
                if not isinstance(raw, list) or not raw:
                    raise PricesError("not_a_list", key, "1つ以上の金額（整数）のリストで指定してください",
                                      "must be a non-empty list of whole yen amounts")
                values[key] = tuple(_whole_yen(key, v) for v in raw)
            else:
                values[key] = _whole_yen(key, raw)
                ceiling = _CEILINGS.get(key)
                if ceiling is not None and values[key] > ceiling:
                    raise PricesError("out_of_range", key, f"0から{ceiling}までの整数で指定してください",
                                      f"must be a whole number from 0 to {ceiling}")
        return cls(**values)

    def to_dict(self, lang: str = "ja") -> dict:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            info = PRICE_INFO[f.name]
            out[f.name] = {"value": list(value) if isinstance(value, tuple) else value,
                           "label": info.label(lang), "unit": info.unit(lang),
                           "basis": info.basis(lang), "assumption": info.assumption}
        return out


def _whole_yen(key: str, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise PricesError("not_an_integer", key, "整数で指定してください（円単位、小数は不可）",
                          "must be a whole number (yen, no decimals)")
    if raw < 0:
        raise PricesError("negative", key, "負の数は指定できません", "cannot be negative")
    return raw


def load_prices(path: str | Path) -> ResponsePrices:
    """Read a YAML or JSON prices file. Errors name the file and the field."""
    return ResponsePrices.from_mapping(read_mapping_file(path, PricesError))


@dataclass(frozen=True, slots=True)
class CostLine:
    """One line of the response-cost sheet: unit price × quantity = amount."""

    key: str
    label: Text
    unit_price: int
    quantity: int | None  # None: the number of people is unknown
    unit: Text
    basis: Text
    assumption: bool

    @property
    def amount(self) -> int | None:
        return None if self.quantity is None else self.unit_price * self.quantity

    def to_dict(self, lang: str = "ja") -> dict:
        return {"key": self.key, "label": self.label(lang), "unit_price": self.unit_price,
                "quantity": self.quantity, "unit": self.unit(lang), "amount": self.amount,
                "basis": self.basis(lang), "assumption": self.assumption}


@dataclass(frozen=True, slots=True)
class GoodwillOption:
    per_person: int
    total: int | None  # per_person × people
    grand_total: int | None  # response-cost subtotal + total

    def to_dict(self) -> dict:
        return {"per_person": self.per_person, "total": self.total,
                "grand_total": self.grand_total}


COST_ROUNDING = Text(
    "金額はすべて整数（円）。書面の通数＝人数×書面割合÷100、問合せ件数＝人数×問合せ率÷1000 は"
    "いずれも1未満を切り上げ。電子メールの通数＝人数−書面の通数",
    "All amounts are whole yen. Letters = people × letter share ÷ 100 and calls = people × "
    "call rate ÷ 1,000, both rounded up; e-mails = people − letters")
COST_NOTE = Text(
    "対応費用は損害賠償とは別。郵送料以外の単価は rouei の仮定で、法律や相場の根拠ではない。"
    "見積りを --prices で指定してください。見舞金の送付は通知書に同封する前提",
    "Response costs are separate from damages. Apart from postage, the unit prices are "
    "rouei's assumptions, not law or market data; pass real quotes with --prices. Goodwill "
    "payments are assumed to go out with the letter")


@dataclass(frozen=True)
class ResponseCosts:
    prices: ResponsePrices
    lines: tuple[CostLine, ...]
    subtotal: int | None  # the sum of the lines; None while the number of people is unknown
    goodwill_options: tuple[GoodwillOption, ...]

    def to_dict(self, lang: str = "ja") -> dict:
        return {"lines": [line.to_dict(lang) for line in self.lines],
                "subtotal": self.subtotal,
                "goodwill_options": [g.to_dict() for g in self.goodwill_options],
                "rounding": COST_ROUNDING(lang), "note": COST_NOTE(lang),
                "prices": self.prices.to_dict(lang)}


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def response_costs(people: int | None, prices: ResponsePrices) -> ResponseCosts:
    """The cost sheet for ``people`` affected persons (None: per-person lines left open)."""
    if people is None:
        letters = emails = calls = None
    else:
        letters = _ceil_div(people * prices.letter_share_percent, 100)
        emails = people - letters
        calls = _ceil_div(people * prices.call_rate_permille, 1_000)

    def line(key: str, price_key: str, quantity: int | None, label: Text | None = None,
             unit: Text | None = None) -> CostLine:
        info = PRICE_INFO[price_key]
        return CostLine(key, label or info.label, getattr(prices, price_key), quantity,
                        unit or info.unit, info.basis, info.assumption)

    lines = (
        line("forensic_investigation", "forensic_investigation", 1),
        line("letter_postage", "letter_postage", letters),
        line("letter_printing", "letter_printing", letters),
        line("email_notification", "email_per_person", emails),
        line("call_centre_setup", "call_centre_setup", 1),
        line("call_centre_calls", "call_centre_per_call", calls),
        line("legal_counsel", "legal_counsel", 1),
        line("public_relations", "public_relations", 1),
    )
    subtotal = None if people is None else sum(ln.amount for ln in lines)
    options = tuple(
        GoodwillOption(amount,
                       None if people is None else amount * people,
                       None if subtotal is None else subtotal + amount * people)
        for amount in prices.goodwill_options)
    return ResponseCosts(prices, lines, subtotal, options)


# --- the JO model --------------------------------------------------------------------------------
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
             "social_responsibility を設定してください（JNSA の判定基準の一覧は未確認）",
             "unknown, so assumed to be 1 (ordinary); an organisation with a higher than "
             "ordinary social responsibility would be 2, doubling the amount. Please set "
             "social_responsibility (JNSA's list of criteria was not found)"),
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
        notes.append(Note(
            "level_conflict_medical_history",
            Text(f"病歴は精神的苦痛レベル2（2003年の表）だが、病状・カルテはレベル3。データに病状や"
                 f"診療内容が含まれるなら項目「health」を加えてください（1人あたり{amount:,}円）",
                 f"Medical history is privacy level 2 (2003 table) but symptoms and charts "
                 f"are level 3; if the data holds them, add the item 'health' (¥{amount:,} "
                 f"per person)"),
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
                          Text("漏えいした項目が不明のため、1人あたりの金額を計算できない。items を指定してください",
                               "The leaked items are unknown, so no per-person amount can be "
                               "computed. Please set items"), "appi.md §8.1"))
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
                          Text("人数が不明のため総額を計算できない。people_confirmed か "
                               "people_estimated のどちらかを指定してください",
                               "The number of people is unknown, so no totals can be "
                               "computed. Please set people_confirmed or people_estimated"),
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
