"""Court awards and JNSA survey averages per person, to compare with the JO model
(裁判例の認容額と JNSA 調査の平均額). Sources: appi.md §9 and §8.3."""

from __future__ import annotations

from dataclasses import dataclass

from rouei.domain.text import Text


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
    "（Yahoo!BB・ローソン・ベネッセの500円など）は別の実務",
    "Court amounts were awarded to the plaintiffs only, not to every victim; voluntary "
    "apology payments (¥500 by Yahoo!BB, Lawson, Benesse) are a separate practice")


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

