"""The company's own response costs (対応費用): unit price × quantity per line, from unit
prices the user can edit. The defaults are labelled assumptions, not law; only the postage
is a published tariff.

Money is integer yen; the only rounding is upward, for counts of letters and calls.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from rouei.domain.inputs import InputError, read_mapping_file
from rouei.domain.text import Text


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
             "要配慮情報等で二次被害なしは1万円程度まで",
             "practice, not law: ¥500 Benesse, Yahoo!BB, Lawson; a few thousand yen for "
             "contact data; up to about ¥10,000 for sensitive data without secondary damage"), False),
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
    "見積りが出たら単価を置き換えてください。見舞金の送付は通知書に同封する前提",
    "Response costs are separate from damages. Apart from postage, the unit prices are "
    "rouei's assumptions, not law or market data; replace them with real quotes. Goodwill "
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

