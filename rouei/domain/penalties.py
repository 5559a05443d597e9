"""The liabilities a leak creates (行政・民事・刑事責任と社会的責任): the exposure summary.

Structure from response-practice.md §1; articles and amounts from appi.md §7 (APPI Arts.
146–148 and 176–185 as numbered in the e-Gov text retrieved 2025-09-24 [LAW], the Unfair
Competition Prevention Act [UCPA], the Civil Code) and appi.md §6 (My Number Act penalties
[LAW-MN]). Every amount is a statutory maximum. The Penal Code reform in force 2025-06-01
replaced 懲役 with 拘禁刑; the texts use the current word.

``exposure(facts, assessment)`` reads only ``assessment.report_required``,
``assessment.triggers``, ``assessment.my_number_act`` (None or an object with
``report_required``) and, if present, ``assessment.notify_required``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from rouei.domain.facts import Cause, Facts, ResponseQuality
from rouei.domain.text import Text


class Emphasis(str, Enum):
    """How strongly an entry bears on this incident."""

    HIGHLIGHT = "highlight"  # the facts point to it: read this first
    RELEVANT = "relevant"  # may apply; depends on facts that are unknown or undecided
    BACKGROUND = "background"  # general knowledge for this kind of incident


def _yen_ja(amount: int) -> str:
    if amount % 100_000_000 == 0:
        return f"{amount // 100_000_000:,}億円"
    if amount % 10_000 == 0:
        return f"{amount // 10_000:,}万円"
    return f"{amount:,}円"


@dataclass(frozen=True, slots=True)
class Penalty:
    """Statutory maxima of one offence; ``both_possible``: prison and fine may be combined
    (併科), otherwise one or the other."""

    imprisonment_years: int | None
    fine_yen: int | None
    both_possible: bool
    corporate_fine_yen: int | None
    corporate_citation: str | None
    fine_yen_abroad: int | None = None
    corporate_fine_yen_abroad: int | None = None

    @property
    def text(self) -> Text:
        ja: list[str] = []
        en: list[str] = []
        if self.imprisonment_years is not None and self.fine_yen is not None:
            joint_ja, joint_en = (("若しくは", "又はその併科") if self.both_possible else ("又は", ""))
            ja.append(f"{self.imprisonment_years}年以下の拘禁刑{joint_ja}{_yen_ja(self.fine_yen)}"
                      f"以下の罰金{joint_en}")
            en.append(f"up to {self.imprisonment_years} year(s) of imprisonment "
                      f"{'and/or' if self.both_possible else 'or'} a fine of up to "
                      f"¥{self.fine_yen:,}")
        elif self.fine_yen is not None:
            ja.append(f"{_yen_ja(self.fine_yen)}以下の罰金")
            en.append(f"a fine of up to ¥{self.fine_yen:,}")
        if self.fine_yen_abroad is not None:
            ja.append(f"国外での使用・開示は罰金{_yen_ja(self.fine_yen_abroad)}以下")
            en.append(f"¥{self.fine_yen_abroad:,} where used or disclosed abroad")
        if self.corporate_fine_yen is not None:
            abroad_ja = (f"（国外の場合{_yen_ja(self.corporate_fine_yen_abroad)}以下）"
                         if self.corporate_fine_yen_abroad else "")
            abroad_en = (f" (¥{self.corporate_fine_yen_abroad:,} abroad)"
                         if self.corporate_fine_yen_abroad else "")
            ja.append(f"法人は{_yen_ja(self.corporate_fine_yen)}以下の罰金{abroad_ja}")
            en.append(f"corporation: a fine of up to ¥{self.corporate_fine_yen:,}{abroad_en}")
        return Text("。".join(ja), "; ".join(en))

    def to_dict(self, lang: str = "ja") -> dict:
        return {
            "imprisonment_years_max": self.imprisonment_years,
            "fine_yen_max": self.fine_yen,
            "both_possible": self.both_possible,
            "fine_yen_max_abroad": self.fine_yen_abroad,
            "corporate_fine_yen_max": self.corporate_fine_yen,
            "corporate_fine_yen_max_abroad": self.corporate_fine_yen_abroad,
            "corporate_citation": self.corporate_citation,
            "text": self.text(lang),
        }


# --- statutory maxima, each once ---------------------------------------------------------------
# APPI [LAW] (appi.md §7.1); corporate fines under the 両罰 rule of Art. 184.
APPI_ORDER_BREACH = Penalty(1, 1_000_000, False, 100_000_000, "APPI Art. 184(1)(i)")  # Art. 178
APPI_DATABASE_PROVISION = Penalty(1, 500_000, False, 100_000_000,
                                  "APPI Art. 184(1)(i)")  # Art. 179
APPI_FALSE_REPORT = Penalty(None, 500_000, False, 500_000, "APPI Art. 184(1)(ii)")  # Art. 182
# Unfair Competition Prevention Act Arts. 21 and 22 [UCPA] (appi.md §7.2)
UCPA_TRADE_SECRET = Penalty(10, 20_000_000, True, 500_000_000, "UCPA Art. 22",
                            fine_yen_abroad=30_000_000, corporate_fine_yen_abroad=1_000_000_000)
# My Number Act [LAW-MN] (appi.md §6); corporate fines under Art. 57.
MN_FILE_PROVISION = Penalty(4, 2_000_000, True, 100_000_000,
                            "My Number Act Art. 57(1)(i)")  # Art. 48
MN_NUMBER_PROVISION = Penalty(3, 1_500_000, True, 100_000_000,
                              "My Number Act Art. 57(1)(i)")  # Art. 49
MN_UNLAWFUL_ACQUISITION = Penalty(3, 1_500_000, False, 1_500_000,
                                  "My Number Act Art. 57(1)(ii)")  # Art. 51
MN_ORDER_BREACH = Penalty(2, 500_000, False, 100_000_000, "My Number Act Art. 57(1)(i)")  # Art. 53
MN_FALSE_REPORT = Penalty(1, 500_000, False, 500_000, "My Number Act Art. 57(1)(ii)")  # Art. 54

# More people than this makes a group suit a first-order risk (rouei's choice: the APPI's own
# line for "many people", Rules Art. 7(iv)). Smaller leaks have been sued too (TBC: 14).
GROUP_SUIT_ATTENTION_PEOPLE = 1_000

TRIGGER_LABELS: dict[str, Text] = {
    "sensitive": Text("要配慮個人情報", "sensitive personal information"),
    "financial": Text("財産的被害のおそれ", "risk of financial damage"),
    "malicious": Text("不正の目的によるおそれ", "possibly malicious"),
    "over_1000": Text("1,000人超", "more than 1,000 people"),
}
_ATTACK_CAUSES = {Cause.UNAUTHORIZED_ACCESS, Cause.MALWARE, Cause.RANSOMWARE, Cause.THEFT}


@dataclass(frozen=True, slots=True)
class Entry:
    """One liability: what it is, where it is written, and how much it bears on this case."""

    key: str
    title: Text
    text: Text
    citation: str
    applies: Emphasis
    why: Text  # why it has this emphasis for this incident
    penalty: Penalty | None = None

    def to_dict(self, lang: str = "ja") -> dict:
        return {"key": self.key, "title": self.title(lang), "text": self.text(lang),
                "citation": self.citation, "applies": self.applies.value,
                "why": self.why(lang),
                "penalty": self.penalty.to_dict(lang) if self.penalty else None}


SECTION_TITLES: dict[str, Text] = {
    "administrative": Text("行政上の責任", "Administrative"),
    "civil": Text("民事上の責任", "Civil"),
    "criminal": Text("刑事上の責任", "Criminal"),
    "social": Text("社会的責任・損害賠償以外の費用", "Social, and costs beyond damages"),
}

NOTES: tuple[Text, ...] = (
    Text("刑罰はいずれも上限。2025年6月1日から懲役に代えて拘禁刑。それより前の行為には行為時の規定（懲役）"
         "が適用される（一般的な経過措置からの推定）",
         "All penalties are maxima. 拘禁刑 (imprisonment) replaced 懲役 from 2025-06-01; acts "
         "before that date fall under the old wording (inferred from the general transitional "
         "rule)"),
    Text("一般的な情報の整理であり、法的助言ではない。個別の判断は弁護士に確認してください",
         "A summary of general information, not legal advice; check individual decisions with "
         "a lawyer"),
)


@dataclass(frozen=True)
class Exposure:
    administrative: tuple[Entry, ...]
    civil: tuple[Entry, ...]
    criminal: tuple[Entry, ...]
    social: tuple[Entry, ...]
    notes: tuple[Text, ...] = NOTES

    @property
    def entries(self) -> tuple[Entry, ...]:
        return (*self.administrative, *self.civil, *self.criminal, *self.social)

    def entry(self, key: str) -> Entry | None:
        return next((e for e in self.entries if e.key == key), None)

    @property
    def highlighted(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.applies is Emphasis.HIGHLIGHT)

    def to_dict(self, lang: str = "ja") -> dict:
        out: dict[str, Any] = {
            name: {"title": SECTION_TITLES[name](lang),
                   "entries": [e.to_dict(lang) for e in getattr(self, name)]}
            for name in SECTION_TITLES
        }
        out["highlighted"] = [e.key for e in self.highlighted]
        out["notes"] = [n(lang) for n in self.notes]
        return out


def _by_duty(required: bool | None) -> Emphasis:
    if required is True:
        return Emphasis.HIGHLIGHT
    return Emphasis.RELEVANT if required is None else Emphasis.BACKGROUND


def _duty_why(required: bool | None, law: Text) -> Text:
    if required is True:
        return Text(f"{law.ja}の報告義務があると判定", f"the {law.en} report duty applies")
    if required is None:
        return Text(f"{law.ja}の報告義務は未確定（要確認の事実あり）",
                    f"the {law.en} report duty is not yet decided (facts to check)")
    return Text(f"現時点の事実では{law.ja}の報告義務なし", f"no {law.en} report duty on the "
                                                      "current facts")


_APPI = Text("個人情報保護法", "APPI")
_MN_ACT = Text("番号法", "My Number Act")


def _administrative(assessment: Any, facts: Facts) -> list[Entry]:
    report = getattr(assessment, "report_required", None)
    notify = getattr(assessment, "notify_required", report)
    triggers = tuple(getattr(assessment, "triggers", ()) or ())
    labels = [TRIGGER_LABELS.get(t, Text(t, t)) for t in triggers]
    which = Text("・".join(x.ja for x in labels), ", ".join(x.en for x in labels))
    if report is True:
        report_text = Text(
            f"報告対象事態に当たる（{which.ja}）。速報は知ってから速やかに（目安3〜5日）、確報は30日以内"
            f"（不正の目的によるおそれがあれば60日以内）",
            f"A reportable event ({which.en}): a preliminary report promptly (guide: 3–5 "
            f"days from knowing), the final report within 30 days (60 days where it may be "
            f"malicious)")
    elif report is None:
        report_text = Text("報告対象事態かどうか未確定。要確認の事実を確かめつつ、報告が必要な前提で準備する",
                           "Not yet decided whether the event is reportable; check the open "
                           "facts and prepare as if a report were required")
    else:
        report_text = Text("現時点の事実では報告対象事態に当たらない。事実が変われば再判定する",
                           "Not reportable on the current facts; decide again when the facts "
                           "change")
    order_risk, order_why = _by_duty(report), _duty_why(report, _APPI)
    entries = [
        Entry("report_to_ppc", Text("個人情報保護委員会への報告", "Report to the PPC"),
              report_text, "APPI Art. 26(1); PPC Rules Arts. 7, 8", order_risk, order_why),
        Entry("notify_individuals", Text("本人への通知", "Notice to the individuals"),
              Text("報告対象事態では本人へ通知する（通知が困難なら公表等の代替措置）",
                   "In a reportable event the individuals must be notified (where that is "
                   "difficult, an alternative such as a public notice)"),
              "APPI Art. 26(2); PPC Rules Art. 10", _by_duty(notify), _duty_why(notify, _APPI)),
        Entry("ppc_supervision", Text("委員会の報告徴収・指導・勧告・命令",
                                      "PPC demands, guidance, recommendation and order"),
              Text("委員会は報告・資料の提出を求め立入検査ができ（146条）、指導・助言（147条）、26条違反など"
                   "に勧告（148条1項）。勧告に従わず重大な権利侵害が切迫すれば命令、緊急時は直ちに命令"
                   "（148条2項・3項）、命令違反は公表され得る（148条4項）。報告を怠ること自体は犯罪ではない"
                   "が、勧告・命令の対象になる。2023年度は勧告3件、命令0件",
                   "The PPC can demand reports and materials and inspect (Art. 146), give "
                   "guidance (Art. 147), recommend action for breaches incl. Art. 26 (Art. "
                   "148(1)), order it when a recommendation is ignored and serious harm is "
                   "imminent, or at once in urgent cases (Art. 148(2)(3)), and publish a "
                   "breach of an order (Art. 148(4)). Not reporting is not itself a crime but "
                   "leads to recommendation and order. FY2023: 3 recommendations, no orders"),
              "APPI Arts. 146–148; [STAT23] (appi.md §7.1)", order_risk, order_why),
        Entry("order_breach", Text("命令違反の罪", "Breach of a PPC order"),
              Text(f"委員会の命令（148条2項・3項）に違反した者: {APPI_ORDER_BREACH.text.ja}",
                   f"Breach of a PPC order (Art. 148(2)(3)): {APPI_ORDER_BREACH.text.en}"),
              "APPI Arts. 178, 184(1)(i)", order_risk, order_why, APPI_ORDER_BREACH),
        Entry("false_report", Text("虚偽報告・検査拒否の罪", "False report or obstruction"),
              Text("146条の求めに報告・資料を出さない、虚偽の報告、検査の拒否・妨害、虚偽の答弁は"
                   f"命令を経ずに処罰される: {APPI_FALSE_REPORT.text.ja}",
                   "No or a false report or materials to an Art. 146 demand, refusing or "
                   "obstructing an inspection, or false answers are punishable directly, "
                   f"without an order: {APPI_FALSE_REPORT.text.en}"),
              "APPI Arts. 182, 184(1)(ii)", order_risk, order_why, APPI_FALSE_REPORT),
    ]
    my_number = getattr(assessment, "my_number_act", None)
    if my_number is not None or "my_number" in facts.item_set:
        mn_report = getattr(my_number, "report_required", None)
        entries.append(Entry(
            "my_number_report", Text("番号法の報告・本人通知", "My Number Act report and notice"),
            Text("特定個人情報の漏えい等は番号法でも判定する（100人超、不正の目的、不特定多数の閲覧、"
                 "情報提供ネットワークシステム等）。報告対象でなくても報告に努める",
                 "Specific personal information is assessed under the My Number Act too (over "
                 "100 people, malicious, viewable by many, network systems). Even when not "
                 "reportable, the business should try to report"),
            "My Number Act Art. 29-4; PPC Rules (My Number) Art. 2 (appi.md §6)",
            _by_duty(mn_report), _duty_why(mn_report, _MN_ACT)))
    return entries


def _civil(facts: Facts) -> list[Entry]:
    people = facts.people_max
    vendor_or_insider = (facts.cause in (Cause.INSIDER_THEFT, Cause.VENDOR)
                         or facts.vendor_involved is True)
    if people is None:
        group, group_why = Emphasis.RELEVANT, Text("人数が不明", "the number of people is unknown")
    elif people > GROUP_SUIT_ATTENTION_PEOPLE:
        group = Emphasis.HIGHLIGHT
        group_why = Text(f"{people:,}人: 1,000人を超える", f"{people:,} people: more than 1,000")
    else:
        group = Emphasis.RELEVANT
        group_why = Text(f"{people:,}人。少人数でも訴訟の例はある（TBC: 原告14人）",
                         f"{people:,} people; small groups have sued too (TBC: 14 plaintiffs)")
    return [
        Entry("tort", Text("不法行為（プライバシー侵害）", "Tort (invasion of privacy)"),
              Text("過失により本人のプライバシー（理由なく開示されない利益）を侵害した責任。慰謝料（精神的"
                   "損害）を含む。会社は事実上、過失がなかったことを示さなければならない",
                   "Liability for negligently infringing the individuals' privacy (the "
                   "interest that their data is not disclosed without reason), including "
                   "damages for distress; in practice the company has to show it was not "
                   "negligent"),
              "Civil Code Arts. 709, 710 (appi.md §7.3; response-practice.md §1)",
              Emphasis.HIGHLIGHT,
              Text("漏えいそのものがプライバシー侵害となり得る（最判平成29年10月23日）",
                   "the leak itself can infringe privacy (Supreme Court 2017-10-23)")),
        Entry("employer_liability", Text("使用者責任", "Employer's liability"),
              Text("従業者・派遣社員・委託先（再委託先を含む）の行為についても責任を負い得る（宇治市、"
                   "Yahoo!BB 控訴審、シンフォーム）。委託先を「相当の注意」で監督したとの反証はほとんど"
                   "認められない。委託先には事後に求償する",
                   "The company can be liable for employees', dispatched workers' and "
                   "processors' (incl. sub-processors') acts (Uji City, Yahoo!BB appeal, "
                   "Synform). Courts almost never accept that a processor was supervised with "
                   "due care; recourse against the processor comes afterwards"),
              "Civil Code Art. 715 (appi.md §7.3; response-practice.md §1, §10)",
              Emphasis.HIGHLIGHT if vendor_or_insider else Emphasis.RELEVANT,
              Text("原因が内部者・委託先に関わる", "the cause involves an insider or processor")
              if vendor_or_insider else
              Text("原因に内部者・委託先が関わるかは未確認または該当なし",
                   "no insider or processor involvement known")),
        Entry("contract", Text("債務不履行", "Breach of contract"),
              Text("顧客・従業員など契約関係にある本人には債務不履行責任も。契約上の責任制限は、その契約が"
                   "及ぶ範囲しか制限しない",
                   "Towards customers and employees under contract, breach of contract too; "
                   "a contractual liability cap limits only what that contract covers"),
              "Civil Code Art. 415 (appi.md §7.3; response-practice.md §1)", Emphasis.RELEVANT,
              Text("本人と契約関係があれば該当", "applies where the individuals have a contract "
                                          "with the company")),
        Entry("supreme_court_2017", Text("最高裁平成29年10月23日判決（ベネッセ）",
                                         "Supreme Court, 23 Oct 2017 (Benesse)"),
              Text("氏名・住所・電話番号等もプライバシーとして保護され、その漏えいはプライバシー侵害。"
                   "不快感を超える損害（二次被害）の立証がなくても、精神的損害の有無を審理しなければ"
                   "ならない（最判平成15年9月12日を引用）",
                   "Name, address, phone number and the like are protected as privacy and "
                   "their leak infringes it; courts must examine mental damage even without "
                   "proof of harm beyond discomfort (relying on the Supreme Court judgment of "
                   "12 Sep 2003)"),
              "最判平成29年10月23日; [NAKA][ITLAW-B] (appi.md §7.3)", Emphasis.RELEVANT,
              Text("「実害がないから賠償不要」とは言えない根拠",
                   "why 'no harm, so no damages' does not hold")),
        Entry("group_suit", Text("集団訴訟", "Group suits"),
              Text("被害者が多いと集団訴訟となり総額が大きくなる（ベネッセ: 原告462人・622人の訴訟など）",
                   "Many victims lead to group suits and large totals (Benesse: suits with "
                   "462 and 622 plaintiffs)"),
              "appi.md §9; response-practice.md §1", group, group_why),
        Entry("damage_estimate", Text("賠償額の目安", "How much"),
              Text("金額の目安は損害額の試算（JNSA JO モデル、裁判例の1人あたり認容額、対応費用）を参照",
                   "For amounts see the damage estimate (JNSA JO model, per-person court "
                   "awards, response costs)"),
              "rouei.domain.damage; appi.md §8, §9", Emphasis.BACKGROUND,
              Text("参照先", "pointer")),
    ]


def _criminal(facts: Facts, assessment: Any) -> list[Entry]:
    if facts.cause is Cause.INSIDER_THEFT:
        insider = Emphasis.HIGHLIGHT
        insider_why = Text("原因が内部者による持ち出し", "the cause is insider theft")
    elif facts.cause is None:
        insider = Emphasis.RELEVANT
        insider_why = Text("原因が不明で、内部者による持ち出しを否定できない",
                           "the cause is unknown; insider theft cannot be ruled out")
    else:
        insider = Emphasis.BACKGROUND
        insider_why = Text("原因は内部者による持ち出しではないとされている",
                           "the cause is not recorded as insider theft")
    entries = [
        Entry("database_provision", Text("個人情報データベース等不正提供罪",
                                         "Unlawful provision of a personal-information database"),
              Text("役員・従業者（元を含む）が業務で扱った個人情報データベース等（複製・加工したものを含む）"
                   "を自己又は第三者の不正な利益を図る目的で提供・盗用した場合: "
                   f"{APPI_DATABASE_PROVISION.text.ja}（法人への罰金は法人の業務に関して行われた場合）。"
                   "国外での行為にも適用（183条）。会社が被害者なら刑事告訴を検討",
                   "An officer or employee (current or former) who provides or steals a "
                   "personal-information database handled at work (incl. copies or processed "
                   "versions) for their own or another's illicit gain: "
                   f"{APPI_DATABASE_PROVISION.text.en}. The corporate fine applies where the "
                   "act was in the course of the corporation's business; acts abroad too (Art. "
                   "183). Where the company is the victim, consider a criminal complaint"),
              "APPI Arts. 179, 183, 184(1)(i)", insider, insider_why, APPI_DATABASE_PROVISION),
        Entry("trade_secret", Text("営業秘密侵害罪（不正競争防止法）",
                                   "Trade-secret infringement (Unfair Competition Prevention Act)"),
              Text("顧客データベースは営業秘密になり得る。持ち出した内部者は営業秘密侵害罪（未遂も処罰）: "
                   f"{UCPA_TRADE_SECRET.text.ja}。ベネッセ事件の元SEは同法で有罪（東京高判平成29年3月21日）",
                   "A customer database can be a trade secret; an insider who takes it out "
                   "commits trade-secret infringement (attempts punishable too): "
                   f"{UCPA_TRADE_SECRET.text.en}. Benesse's insider was convicted under this "
                   "Act (Tokyo High Court 2017-03-21)"),
              "UCPA Arts. 21, 22 [UCPA][ITLAW-B2] (appi.md §7.2)", insider, insider_why,
              UCPA_TRADE_SECRET),
    ]
    if "my_number" in facts.item_set:
        entries.extend(_my_number_criminal(facts, assessment, insider, insider_why))
    return entries


def _my_number_criminal(facts: Facts, assessment: Any, insider: Emphasis,
                        insider_why: Text) -> list[Entry]:
    if facts.cause in _ATTACK_CAUSES:
        attack = Emphasis.HIGHLIGHT
        attack_why = Text("原因が不正アクセス・マルウェア・盗難等", "the cause is an attack or "
                                                            "theft")
    elif facts.cause is None:
        attack = Emphasis.RELEVANT
        attack_why = Text("原因が不明", "the cause is unknown")
    else:
        attack = Emphasis.BACKGROUND
        attack_why = Text("原因は攻撃・盗難ではないとされている", "the cause is not an attack "
                                                          "or theft")
    mn_report = getattr(getattr(assessment, "my_number_act", None), "report_required", None)
    order, order_why = _by_duty(mn_report), _duty_why(mn_report, _MN_ACT)
    cite = "(appi.md §6) [LAW-MN]"
    return [
        Entry("mn_file_provision", Text("特定個人情報ファイル提供罪（番号法）",
                                        "Provision of a specific personal-information file"),
              Text("個人番号利用事務等に従事する者（元を含む）が、正当な理由なく、個人の秘密が記録された"
                   f"特定個人情報ファイルを提供した場合: {MN_FILE_PROVISION.text.ja}",
                   "A person (current or former) engaged in My Number work who provides, "
                   "without good reason, a specific personal-information file with personal "
                   f"secrets: {MN_FILE_PROVISION.text.en}"),
              f"My Number Act Arts. 48, 57 {cite}", insider, insider_why, MN_FILE_PROVISION),
        Entry("mn_number_provision", Text("個人番号の不正提供・盗用罪（番号法）",
                                          "Provision or theft of My Numbers for illicit gain"),
              Text("同じ者が業務で知り得た個人番号を不正な利益を図る目的で提供・盗用した場合: "
                   f"{MN_NUMBER_PROVISION.text.ja}",
                   "The same persons providing or misappropriating My Numbers learnt at work "
                   f"for illicit gain: {MN_NUMBER_PROVISION.text.en}"),
              f"My Number Act Arts. 49, 57 {cite}", insider, insider_why, MN_NUMBER_PROVISION),
        Entry("mn_unlawful_acquisition", Text("個人番号の不正取得罪（番号法）",
                                              "Obtaining My Numbers by fraud, force or intrusion"),
              Text("欺罔・暴行・脅迫、窃取、施設への侵入、不正アクセス等により個人番号を取得した者: "
                   f"{MN_UNLAWFUL_ACQUISITION.text.ja}。攻撃者の罪で、被害を受けた会社の罪ではない",
                   "Whoever obtains My Numbers by deception, violence, threats, theft, "
                   "trespass or unauthorised access: "
                   f"{MN_UNLAWFUL_ACQUISITION.text.en}. An offence of the attacker, not of "
                   "the company attacked"),
              f"My Number Act Arts. 51, 57 {cite}", attack, attack_why, MN_UNLAWFUL_ACQUISITION),
        Entry("mn_order_breach", Text("命令違反の罪（番号法）", "Breach of a PPC order (My Number)"),
              Text(f"委員会の命令（番号法34条2項・3項）に違反した場合: {MN_ORDER_BREACH.text.ja}",
                   "Breach of a PPC order (My Number Act Art. 34(2)(3)): "
                   f"{MN_ORDER_BREACH.text.en}"),
              f"My Number Act Arts. 53, 57 {cite}", order, order_why, MN_ORDER_BREACH),
        Entry("mn_false_report", Text("虚偽報告・検査拒否の罪（番号法）",
                                      "False report or obstruction (My Number)"),
              Text("委員会の報告要求（番号法35条1項）に報告しない・虚偽の報告、検査の拒否等: "
                   f"{MN_FALSE_REPORT.text.ja}",
                   "No or a false report to a PPC demand (My Number Act Art. 35(1)), or "
                   f"obstructing an inspection: {MN_FALSE_REPORT.text.en}"),
              f"My Number Act Arts. 54, 57 {cite}", order, order_why, MN_FALSE_REPORT),
    ]


def _social(facts: Facts) -> list[Entry]:
    poor_response = facts.response_quality is ResponseQuality.INAPPROPRIATE
    return [
        Entry("loss_of_trust", Text("信用の低下", "Loss of trust"),
              Text("信用の低下、取引・契約の打切り、株価の下落。回復には時間がかかり、説明・謝罪・改善が"
                   "誠実で速いかに左右される",
                   "Loss of trust, cancelled contracts, share-price falls. Recovery takes long "
                   "and depends on how honestly and quickly the company explains, apologises "
                   "and fixes things"),
              "response-practice.md §1",
              Emphasis.HIGHLIGHT if poor_response else Emphasis.RELEVANT,
              Text("事後対応が不適切と設定されている", "the response is recorded as "
                                              "inappropriate") if poor_response else
              Text("どの漏えいにも伴う", "comes with any leak")),
        Entry("costs_beyond_damages", Text("損害賠償以外の費用", "Costs beyond damages"),
              Text("フォレンジック調査、システム復旧・再構築、通知・報告、コールセンター、広報、売上の減少、"
                   "セキュリティ強化。金額の目安は損害額の試算の対応費用を参照",
                   "Forensic investigation, system rebuild, notification and reporting, call "
                   "centre, PR, lost revenue, security upgrades; see the response costs of the "
                   "damage estimate for amounts"),
              "response-practice.md §1; rouei.domain.damage", Emphasis.RELEVANT,
              Text("どの漏えいにも伴う", "comes with any leak")),
    ]


def exposure(facts: Facts, assessment: Any) -> Exposure:
    """The liabilities for ``facts``, emphasised by the assessment's report decision and by
    the cause. ``assessment`` may be None (report duty then treated as undecided)."""
    return Exposure(
        administrative=tuple(_administrative(assessment, facts)),
        civil=tuple(_civil(facts)),
        criminal=tuple(_criminal(facts, assessment)),
        social=tuple(_social(facts)),
    )
