"""The data-item catalogue: the one place that lists every kind of personal data rouei knows.

The scanner, the legal rules, the damage model, the registry and the documents all speak these
ids. Adding an item is one entry in ``CATALOGUE`` (plus a detector if the scanner should find it).

Sources (see ../shared/domain/appi.md):
- 要配慮個人情報: APPI Art. 2(3), Cabinet Order Art. 2, PPC Rules Art. 5; GL 2-3.
- 個人識別符号: APPI Art. 2(2), Cabinet Order Art. 1.
- Financial-damage trigger: PPC Rules Art. 7(ii); Q&A Q6-11, Q6-12, Q14-8.
- EP-map levels: JNSA Simple-EP table as reconstructed in appi.md §8.2. ``privacy`` is the
  精神的苦痛レベル (JNSA's x axis), ``economic`` the 経済的損失レベル (y axis).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import cache


class IdentityRole(str, Enum):
    """What an item contributes to 本人特定容易度 in the JO model (appi.md §8.1)."""

    NAME = "name"
    ADDRESS = "address"
    PHONE = "phone"
    NONE = "none"


class Financial(str, Enum):
    """How an item bears on the financial-damage trigger (PPC Rules Art. 7(ii))."""

    ALONE = "alone"  # enough on its own (a card number: Q6-12)
    IN_COMBINATION = "in_combination"  # only with a partner item (see FINANCIAL_COMBINATIONS)
    NO = "no"


@dataclass(frozen=True, slots=True)
class DataItem:
    id: str
    label_ja: str
    label_en: str
    aliases: tuple[str, ...]
    privacy: int  # 精神的苦痛レベル 1–3
    economic: int  # 経済的損失レベル 1–3
    sensitive: bool = False  # 要配慮個人情報 (APPI Art. 2(3))
    financial: Financial = Financial.NO
    identifier_code: bool = False  # 個人識別符号 (APPI Art. 2(2))
    specific_personal_info: bool = False  # 特定個人情報 (My Number Act Art. 2(8))
    identity: IdentityRole = IdentityRole.NONE
    level_source: str = "JNSA Simple-EP (appi.md §8.2)"
    note_ja: str = ""
    note_en: str = ""

    def label(self, lang: str = "ja") -> str:
        return self.label_ja if lang == "ja" else self.label_en

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label_ja": self.label_ja,
            "label_en": self.label_en,
            "aliases": list(self.aliases),
            "levels": {"privacy": self.privacy, "economic": self.economic,
                       "source": self.level_source},
            "flags": {
                "sensitive": self.sensitive,
                "financial": self.financial.value,
                "identifier_code": self.identifier_code,
                "specific_personal_info": self.specific_personal_info,
            },
            "identity": self.identity.value,
            "note_ja": self.note_ja,
            "note_en": self.note_en,
        }


_INFERRED = "rouei choice; not in any JNSA table found (appi.md §8.2)"
_S = True  # readability in the table below: sensitive

CATALOGUE: tuple[DataItem, ...] = (
    # --- basic identity and contact data: EP (1, 1) -------------------------------------------
    DataItem("person_name", "氏名", "Name",
             ("氏名", "名前", "お名前", "顧客名", "お客様名", "会員名", "利用者名", "患者名", "社員名",
              "従業員名", "姓名", "漢字氏名", "宛名", "name", "full_name", "fullname", "customer_name",
              "shimei", "namae",
              # A holder's name: in kanji, in kana (銀行の口座名義 is half-width kana) or in Latin
              # letters (カード名義 TARO YAMADA); a column of readings is told by its values.
              "名義", "名義人", "口座名義", "口座名義人", "カード名義", "カード名義人", "holder",
              "card_holder", "cardholder", "cardholder_name", "holder_name", "account_holder",
              "name_on_card"),
             1, 1, identity=IdentityRole.NAME),
    DataItem("name_kana", "氏名（カナ）", "Name reading (kana)",
             ("フリガナ", "ふりがな", "カナ", "カナ氏名", "氏名カナ", "氏名（カナ）", "セイメイ", "よみがな",
              "kana", "name_kana", "furigana"),
             1, 1, identity=IdentityRole.NAME,
             note_ja="読み仮名も氏名として本人特定容易度に数える（rouei の判断）",
             note_en="A kana reading counts as a name for identifiability (rouei's choice)"),
    DataItem("address", "住所", "Address",
             ("住所", "ご住所", "現住所", "所在地", "送付先住所", "address", "addr",
              "street_address", "jusho", "juusho"),
             1, 1, identity=IdentityRole.ADDRESS),
    DataItem("postal_code", "郵便番号", "Postal code",
             ("郵便番号", "〒", "郵便", "zip", "zipcode", "zip_code", "postal_code", "postcode",
              "post_code", "postalcode", "yubin", "yubin_bango", "yuubin"), 1, 1),
    DataItem("phone", "電話番号", "Phone number",
             ("電話番号", "電話", "TEL", "連絡先", "連絡先電話番号", "携帯", "携帯電話", "携帯番号",
              "自宅電話", "phone", "tel", "mobile", "telephone", "phone_number", "denwa",
              "denwa_bango", "keitai", "phone_no", "tel_no", "telno", "mobile_phone",
              "cell_phone", "cellphone", "mobile_number"),
             1, 1, identity=IdentityRole.PHONE),
    DataItem("email", "メールアドレス", "E-mail address",
             ("メールアドレス", "メール", "Eメール", "E-mail", "mail", "email", "e_mail",
              "mail_address", "email_address", "email_mobile", "mail_addr", "emailaddress"),
             1, 1),
    DataItem("birth_date", "生年月日", "Date of birth",
             ("生年月日", "誕生日", "生年", "birthday", "birth_date", "birthdate", "dob", "birth",
              "seinengappi", "tanjobi", "date_of_birth", "birth_day", "birthdate_at"), 1, 1),
    DataItem("gender", "性別", "Gender", ("性別", "gender", "sex"), 1, 1),
    DataItem("employee_id", "社員番号", "Employee number",
             ("社員番号", "従業員番号", "職員番号", "社員ID", "employee_id", "staff_id", "emp_no"), 1, 1),
    DataItem("workplace", "勤務先", "Employer / workplace",
             ("勤務先", "会社名", "勤務先名", "所属", "employer", "company", "workplace",
              "company_name"), 1, 1),
    DataItem("bank_name", "金融機関名", "Bank name",
             ("金融機関名", "銀行名", "支店名", "bank", "bank_name"), 1, 1),
    DataItem("sns_account", "SNSアカウント", "Social-media account",
             ("SNS", "SNSアカウント", "Twitter", "LINE ID", "sns", "sns_account"), 1, 1,
             level_source=_INFERRED),
    DataItem("ip_address", "IPアドレス", "IP address", ("IPアドレス", "ip", "ip_address"), 1, 1,
             level_source=_INFERRED),
    DataItem("location", "位置情報", "Location data", ("位置情報", "緯度経度", "location", "gps"), 1, 1,
             level_source=_INFERRED),
    DataItem("voice", "音声・声紋", "Voice recording / voiceprint", ("音声", "声紋", "voice"), 1, 1),
    DataItem("purchase_history", "購入履歴", "Purchase history",
             ("購入履歴", "注文履歴", "購買履歴", "purchase_history", "order_history"), 1, 2,
             note_ja="宗教書の購入など推知させるだけの情報は要配慮個人情報ではない（GL 2-3）",
             note_en="Data that merely hints at a belief is not sensitive (GL 2-3)"),
    # --- 個人識別符号 --------------------------------------------------------------------------
    DataItem("my_number", "個人番号（マイナンバー）", "My Number (Individual Number)",
             ("マイナンバー", "個人番号", "my_number", "mynumber", "individual_number"), 1, 1,
             identifier_code=True, specific_personal_info=True, level_source=_INFERRED,
             note_ja="番号法の報告規則も別途判定する",
             note_en="The My Number Act's reporting rules are assessed separately"),
    DataItem("resident_code", "住民票コード", "Resident-register code",
             ("住民票コード", "resident_code"), 1, 1, identifier_code=True),
    DataItem("drivers_license", "運転免許証番号", "Driver's licence number",
             ("運転免許証番号", "免許証番号", "運転免許番号", "免許番号", "drivers_license",
              "driver_license", "license_number"), 1, 1, identifier_code=True),
    DataItem("passport", "旅券（パスポート）番号", "Passport number",
             ("旅券番号", "パスポート番号", "パスポート", "passport", "passport_number"), 1, 2,
             identifier_code=True),
    DataItem("health_insurance_number", "健康保険の被保険者番号", "Health-insurance number",
             ("被保険者番号", "保険証番号", "健康保険証番号", "保険者番号", "記号番号",
              "health_insurance_number", "insurance_number"), 1, 1, identifier_code=True),
    DataItem("pension_number", "基礎年金番号", "Basic pension number",
             ("基礎年金番号", "年金番号", "pension_number"), 1, 1, identifier_code=True),
    DataItem("biometric", "生体認証情報", "Biometric data",
             ("指紋", "顔画像", "静脈", "虹彩", "生体情報", "fingerprint", "biometric"), 2, 1,
             identifier_code=True),
    # --- financial ------------------------------------------------------------------------------
    DataItem("credit_card", "クレジットカード番号", "Credit-card number",
             ("カード番号", "クレジットカード番号", "クレジットカード", "クレカ番号", "card_number",
              "cc_number", "credit_card", "creditcard", "pan"), 1, 2, financial=Financial.ALONE,
             note_ja="番号のみでも財産的被害のおそれあり（Q&A 6-12）",
             note_en="The number alone can cause property damage (Q&A 6-12)"),
    DataItem("card_expiry", "カード有効期限", "Card expiry date",
             ("有効期限", "カード有効期限", "expiry", "exp", "expiration", "card_expiry"), 1, 1,
             financial=Financial.IN_COMBINATION,
             note_ja="下4桁＋有効期限のみでは直ちに該当しない（Q&A 6-12）",
             note_en="Last four digits plus expiry alone do not trigger by themselves (Q&A 6-12)"),
    DataItem("card_security_code", "セキュリティコード", "Card security code",
             ("セキュリティコード", "CVV", "CVC", "CVV2", "security_code", "card_security_code"), 1, 1,
             financial=Financial.IN_COMBINATION),
    DataItem("bank_account", "口座番号", "Bank account number",
             ("口座番号", "銀行口座", "振込口座", "口座", "account_number", "bank_account"), 1, 2,
             financial=Financial.IN_COMBINATION,
             note_ja="口座番号のみは財産的被害のおそれなしと扱う（推定・低確度、Q&A 14-8）。暗証番号と一緒なら該当",
             note_en="Account number alone treated as not triggering (inferred, low; Q&A 14-8); "
                     "with the PIN it triggers"),
    DataItem("bank_pin", "暗証番号", "Bank PIN", ("暗証番号", "PIN", "pin", "bank_pin"), 1, 2,
             financial=Financial.IN_COMBINATION),
    DataItem("online_banking_credentials", "インターネットバンキングのID・パスワード",
             "Online-banking credentials",
             ("ネットバンキングID", "インターネットバンキング", "IB ID", "online_banking"), 1, 3,
             financial=Financial.ALONE, level_source=_INFERRED),
    DataItem("payment_service_credentials", "決済・送金機能のあるサービスのID・パスワード",
             "Credentials of a service with payment or remittance functions",
             ("payment_credentials",), 1, 3, financial=Financial.ALONE,
             level_source=_INFERRED,
             note_ja="PPC の例: 送金・決済機能のあるウェブサービスのログインID＋パスワード（GL 3-5-3-1）",
             note_en="PPC example: login ID + password of a web service with payment functions"),
    DataItem("login_id", "ログインID", "Login ID",
             ("ログインID", "ユーザーID", "ユーザID", "会員ID", "アカウント", "user_id", "login_id",
              "login", "username", "account"), 1, 1, financial=Financial.IN_COMBINATION,
             level_source=_INFERRED),
    DataItem("password", "パスワード", "Password",
             ("パスワード", "パスワード（ハッシュ）", "password", "passwd", "pwd", "pass"), 1, 2,
             financial=Financial.IN_COMBINATION),
    DataItem("annual_income", "年収・所得・資産", "Income, salary, assets",
             ("年収", "所得", "給与", "賞与", "資産", "残高", "借入", "income", "salary", "balance"),
             2, 2),
    # --- 要配慮個人情報 (APPI Art. 2(3); Cabinet Order Art. 2; Rules Art. 5) --------------------
    DataItem("race", "人種", "Race", ("人種", "民族", "race", "ethnicity"), 2, 1, sensitive=_S,
             note_ja="国籍や「外国人」という情報だけでは人種に当たらない（GL 2-3）",
             note_en="Nationality alone is not race (GL 2-3)"),
    DataItem("creed", "信条（思想・宗教）", "Creed (beliefs, religion, political views)",
             ("信条", "宗教", "信仰", "思想", "政治的見解", "支持政党", "加盟政党", "creed", "religion",
              "political_view"), 3, 1, sensitive=_S),
    DataItem("social_status", "社会的身分", "Social status", ("社会的身分", "social_status"), 3, 1,
             sensitive=_S, level_source=_INFERRED,
             note_ja="職業や学歴は社会的身分に当たらない（GL 2-3）",
             note_en="Occupation or education is not social status (GL 2-3)"),
    DataItem("medical_history", "病歴", "Medical history",
             ("病歴", "既往歴", "既往症", "medical_history"), 2, 1, sensitive=_S),
    DataItem("health", "病状・診療情報（カルテ等）", "Health and medical-care information",
             ("病名", "傷病名", "診断名", "病状", "症状", "カルテ", "診療記録", "処方", "処方薬", "調剤",
              "受診歴", "通院歴", "服薬", "服用薬", "薬剤名", "health", "diagnosis",
              "medical_record", "prescription", "medication"),
             3, 1, sensitive=_S,
             note_ja="病院・薬局を受診した事実も要配慮個人情報（GL 2-3）",
             note_en="Even the fact of a hospital or pharmacy visit is sensitive (GL 2-3)"),
    DataItem("health_checkup_result", "健康診断等の結果", "Health-check or screening results",
             ("健康診断結果", "健診結果", "検査結果", "ストレスチェック", "遺伝子検査",
              "health_checkup", "checkup_result"), 2, 1, sensitive=_S,
             note_ja="受診した事実のみは要配慮個人情報ではないが、結果は該当（GL 2-3）",
             note_en="Having taken a check is not sensitive; its result is (GL 2-3)"),
    DataItem("disability", "障害（身体・知的・精神・発達）", "Disability",
             ("障害", "障がい", "障害者手帳", "身体障害", "知的障害", "精神障害", "発達障害", "disability"),
             2, 1, sensitive=_S,
             note_ja="JNSA では精神障害は精神的苦痛3、身体・知的障害は2。rouei は2を用い、精神障害の場合は手動で確認",
             note_en="JNSA rates mental disability 3 and physical/intellectual 2; rouei uses 2"),
    DataItem("criminal_record", "犯罪の経歴（前科・前歴）", "Criminal record",
             ("前科", "前歴", "犯罪歴", "逮捕歴", "criminal_record"), 3, 3, sensitive=_S),
    DataItem("criminal_procedure", "刑事手続を受けた事実", "Subject of criminal proceedings",
             ("被疑者", "被告人", "逮捕", "捜索", "起訴", "criminal_procedure"), 3, 3, sensitive=_S,
             level_source=_INFERRED),
    DataItem("juvenile_procedure", "少年保護事件の手続を受けた事実", "Subject of juvenile proceedings",
             ("少年審判", "保護処分", "juvenile_procedure"), 3, 3, sensitive=_S,
             level_source=_INFERRED),
    DataItem("crime_victim", "犯罪により害を被った事実", "Crime victim",
             ("犯罪被害", "被害者", "crime_victim"), 3, 1, sensitive=_S, level_source=_INFERRED),
    # --- not sensitive on their own, listed so that users and the scanner can name them ---------
    DataItem("nationality", "国籍", "Nationality", ("国籍", "nationality"), 2, 1,
             note_ja="国籍は要配慮個人情報ではない（GL 2-3）",
             note_en="Nationality is not sensitive (GL 2-3)"),
    DataItem("health_checkup_attendance", "健康診断の受診の事実", "Fact of having taken a health check",
             ("健診受診日", "受診有無"), 1, 1,
             note_ja="受診の事実のみは要配慮個人情報ではない（GL 2-3）",
             note_en="Not sensitive on its own (GL 2-3)"),
    DataItem("registered_domicile", "本籍", "Registered domicile (honseki)", ("本籍", "本籍地"), 3, 1),
)

ITEMS: dict[str, DataItem] = {item.id: item for item in CATALOGUE}

# Pairs that together may cause property damage (PPC Rules Art. 7(ii)); see appi.md §13.1.
# ``login_id`` + ``password`` depends on whether the service has payment functions (a fact).
FINANCIAL_COMBINATIONS: tuple[tuple[frozenset[str], str, str], ...] = (
    (frozenset({"bank_account", "bank_pin"}),
     "口座番号と暗証番号", "account number with its PIN"),
    (frozenset({"credit_card", "card_expiry"}),
     "カード番号と有効期限", "card number with expiry"),
    (frozenset({"credit_card", "card_security_code"}),
     "カード番号とセキュリティコード", "card number with security code"),
)
CREDENTIAL_PAIR = frozenset({"login_id", "password"})

# JNSA rates these combinations at economic level 3 (appi.md §8.2, row x1/y3).
ECONOMIC_LEVEL_3_COMBINATIONS: tuple[frozenset[str], ...] = (
    frozenset({"bank_account", "bank_pin"}),
    frozenset({"credit_card", "card_expiry"}),
    frozenset({"credit_card", "card_security_code"}),
)


def get(item_id: str) -> DataItem:
    return ITEMS[item_id]


# Headers of an item split over several columns, as many Japanese systems store it: a name as
# 姓 / 名 (セイ / メイ), an address as 都道府県 / 市区町村 (住所1) / 番地 (住所2) / 建物名 (住所3),
# a postal code as 郵便番号1 / 郵便番号2 (3 and 4 digits), a phone number as 市外局番 / 市内局番 /
# 加入者番号. The column names of the shop systems Japanese EC sites run are here too, for their
# database dumps and CSV exports alike: EC-CUBE 2 and 4 (dtb_customer, dtb_order, dtb_shipping:
# name01 / name02, kana01 / kana02, zip01 / zip02, pref (a number: PREFECTURE_CODES), addr01 /
# addr02, tel01–tel03; order_… and shipping_… in orders), Magento (firstname, lastname,
# region, street), WooCommerce (billing_first_name, billing_postcode …), Shopify's customer
# export (First Name, Last Name, Province, Address1, Zip).
# Header → (item, part). The parts of one record, in ``PART_ORDER``, are the item.
PART_HEADERS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("姓", "氏", "苗字", "名字", "姓（漢字）", "漢字姓", "last_name", "lastname",
                     "family_name", "surname", "sei", "name01", "name1", "last name",
                     "family name"), ("person_name", "family")),
    **dict.fromkeys(("名", "名（漢字）", "漢字名", "first_name", "firstname", "given_name", "mei",
                     "name02", "name2", "first name", "given name"), ("person_name", "given")),
    **dict.fromkeys(("セイ", "せい", "姓カナ", "姓（カナ）", "姓(カナ)", "カナ姓", "フリガナ姓",
                     "フリガナ（姓）", "姓フリガナ", "last_name_kana", "sei_kana", "seikana",
                     "kana01", "kana1", "lastname_kana", "family_name_kana"),
                    ("name_kana", "family")),
    **dict.fromkeys(("メイ", "めい", "名カナ", "名（カナ）", "名(カナ)", "カナ名", "フリガナ名",
                     "フリガナ（名）", "名フリガナ", "first_name_kana", "mei_kana", "meikana",
                     "kana02", "kana2", "firstname_kana", "given_name_kana"),
                    ("name_kana", "given")),
    **dict.fromkeys(("郵便番号1", "郵便番号（上3桁）", "郵便番号上", "〒1", "zip1", "zip_1", "zip01",
                     "postal_code1", "postcode1"), ("postal_code", "upper")),
    **dict.fromkeys(("郵便番号2", "郵便番号（下4桁）", "郵便番号下", "〒2", "zip2", "zip_2", "zip02",
                     "postal_code2", "postcode2"), ("postal_code", "lower")),
    **dict.fromkeys(("都道府県", "都道府県名", "都道府県コード", "prefecture", "pref", "pref_id",
                     "prefecture_id", "pref_name", "todofuken", "province", "province_code",
                     "region", "billing_state", "shipping_state"), ("address", "prefecture")),
    **dict.fromkeys(("市区町村", "市区町村名", "市町村", "市区郡", "住所1", "city", "address1",
                     "address_1", "addr01", "addr1", "addr_1"), ("address", "municipality")),
    **dict.fromkeys(("町名番地", "町域", "町域・番地", "町名・番地", "番地", "丁目番地", "住所2",
                     "street", "address2", "address_2", "addr02", "addr2", "addr_2"),
                    ("address", "street")),
    **dict.fromkeys(("建物名", "建物", "建物名・部屋番号", "マンション名", "ビル名", "住所3",
                     "building", "address3", "address_3", "addr03", "addr3"),
                    ("address", "building")),
    **dict.fromkeys(("市外局番", "電話番号1", "電話1", "tel01", "tel1", "tel_1", "phone01",
                     "phone1"), ("phone", "area")),
    **dict.fromkeys(("市内局番", "電話番号2", "電話2", "tel02", "tel2", "tel_2", "phone02",
                     "phone2"), ("phone", "exchange")),
    **dict.fromkeys(("加入者番号", "電話番号3", "電話3", "tel03", "tel3", "tel_3", "phone03",
                     "phone3"), ("phone", "subscriber")),
}
# A header of a shop system's order, shipping or billing table is its customer's header with one
# of these before it (order_name01, shipping_zip01, billing_first_name, deliv_addr01).
PART_HEADER_PREFIXES = ("order_", "shipping_", "billing_", "deliv_", "delivery_", "customer_",
                        "bill_", "ship_", "orderer_")
PART_ORDER: dict[str, tuple[str, ...]] = {
    "person_name": ("family", "given"),
    "name_kana": ("family", "given"),
    "address": ("prefecture", "municipality", "street", "building"),
    "postal_code": ("upper", "lower"),
    "phone": ("area", "exchange", "subscriber"),
}
# 都道府県コード (JIS X 0401), as shop systems store the prefecture (EC-CUBE's pref: 13 = 東京都).
PREFECTURE_CODES: dict[int, str] = dict(enumerate((
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"), 1))
# Headers that name something other than an item of a data subject. Such a header outweighs the
# share of values that look valid: a 商品コード column of 7-digit codes holds no postal codes, an
# 注文番号 that passes Luhn is no card number, and a shop's phone in an order export is the
# company's own number, not a customer's. (決済ID is a payment's transaction ID in an export, not
# the login to a payment service of PPC Rules Art. 7(ii) — that item is named by its own header.)
# Words are matched in the NFKC, case-folded header: Japanese ones contained in it, Latin ones as
# whole words (``sku`` in ``items.0.sku``, ``shop`` in ``shop.tel``; ``product_id`` inside a
# longer key); ``exact`` ones only as the whole header or the last key of a nested JSON key.
# A veto whose ``scope`` is "leaf" looks at the last key only (what the value is: a SKU); one
# whose scope is "enclosing" looks at every key from the last back to the first, and stops at a
# key with an ``unless`` word (``items.0.recipient.name`` is a person's, ``shop.tel`` is not).


@dataclass(frozen=True, slots=True)
class HeaderVeto:
    id: str
    reason_ja: str
    reason_en: str
    words: tuple[str, ...]
    exact: tuple[str, ...] = ()
    scope: str = "leaf"  # "leaf" or "enclosing"
    unless: tuple[str, ...] = ()


HEADER_VETOES: tuple[HeaderVeto, ...] = (
    HeaderVeto(
        "business_code", "商品・注文・伝票・決済などの番号やコードで、本人の項目ではない",
        "A product, order, slip, member or payment number or code, not an item about a person",
        ("商品コード", "商品番号", "商品ID", "商品名", "品番", "型番", "品名", "JANコード",
         "注文番号", "注文ID", "注文No", "受注番号", "受注ID", "発注番号", "伝票番号", "送り状番号",
         "追跡番号", "問い合わせ番号", "問合せ番号", "問合わせ番号", "会員番号", "決済ID",
         "取引ID", "請求番号", "請求書番号", "管理番号", "在庫", "sku", "jan", "isbn",
         "product_id", "product_code", "product_no", "item_id", "item_code", "item_no",
         "order_id", "order_no", "order_number", "slip_no", "tracking_no", "tracking_number",
         "transaction_id", "payment_id", "invoice_no", "invoice_number", "member_no",
         "member_number"),
        exact=("商品", "注文", "伝票", "番号", "コード", "id", "no", "code", "order")),
    HeaderVeto(
        "business_party", "店舗・事業者など本人以外の当事者の情報（自社の電話番号など）",
        "Belongs to a shop or business, not to a data subject (the company's own phone)",
        ("店舗", "ショップ", "販売店", "販売元", "加盟店", "事業者", "自社", "当社", "弊社", "shop",
         "store", "merchant", "seller", "vendor", "product", "products", "item", "items"),
        scope="enclosing",
        unless=("購入者", "注文者", "受取人", "お届け先", "送付先", "会員", "顧客", "お客様", "customer",
                "customers", "buyer", "purchaser", "recipient", "receiver", "consignee",
                "orderer", "user", "member", "billing", "shipping", "delivery")),
)
# Roles of the company's own side in a record (the clerk who took the call, the sales rep, the
# author, the approver): a column headed by one of them, alone or followed by a name word
# (担当者, 担当者名, 対応者氏名, 営業担当, staff_name, created_by), holds the names of the company's
# employees. Those are personal information too (法2条1項) and are reported as person_name, but
# the record is not theirs: such a column is never a record's identity key nor a person of the
# count. Matched in the NFKC, case-folded header (its last key for a nested JSON key, or the key
# before a bare ``name``): a Japanese word at the end of the header, a Latin one as its last
# word; 担当部署, 担当者ID and 担当者電話番号 name something else.
STAFF_ROLE_WORDS: tuple[str, ...] = (
    "担当", "担当者", "対応者", "応対者", "受付者", "受付担当", "受電者", "記入者", "作成者", "起票者",
    "入力者", "承認者", "確認者", "決裁者", "営業担当", "担当営業", "オペレーター", "スタッフ",
    "staff", "handler", "handled_by", "agent", "operator", "author", "created_by", "updated_by",
    "approver", "approved_by", "sales_rep", "salesperson", "assignee", "assigned_to", "clerk")
# What follows a role word when the header names the person in it: 担当者名, 対応者の氏名, staff_name.
STAFF_NAME_SUFFIXES: tuple[str, ...] = ("氏名", "名前", "お名前", "姓名", "名", "name", "full_name",
                                        "fullname")
PART_LABELS: dict[str, tuple[str, str]] = {  # part → (Japanese, English)
    "family": ("姓", "family name"), "given": ("名", "given name"),
    "prefecture": ("都道府県", "prefecture"), "municipality": ("市区町村", "municipality"),
    "street": ("町名・番地", "street and block"), "building": ("建物", "building"),
    "upper": ("上3桁", "first 3 digits"), "lower": ("下4桁", "last 4 digits"),
    "area": ("市外局番", "area code"), "exchange": ("市内局番", "exchange"),
    "subscriber": ("加入者番号", "subscriber number"),
}


def part_label(part: str | None, lang: str = "ja") -> str:
    """The name of a part of an item split over columns ("" for None)."""
    labels = PART_LABELS.get(part or "")
    return "" if labels is None else labels[0 if lang == "ja" else 1]


# --- How a header is read --------------------------------------------------------------------
# Japanese exports (会員名簿, 顧客台帳) write one header in many ways: 氏　名 or 電 話 番 号 spaced
# out to line up in a fixed-width font, ＴＥＬ in full width, and a qualifier in brackets that
# says which of the person's own values it is or how it is typed: 氏名（漢字）, 電話番号（携帯）,
# メールアドレス（PC）, 郵便番号（〒）, 【必須】氏名. ``fold_header`` reads them all as the catalogue
# writes its aliases, so that every header mapping (the scanner's columns, the people import)
# reads a header one way.
#
# Only these qualifiers are dropped: each says how or on which of the person's own devices the
# value is written, never whose value it is. A qualifier that names another person or party
# (保護者, 担当, 緊急連絡先, 勤務先, 会社 …) or any qualifier not listed stays, so such a header
# keeps failing to map as the person's own item.
HARMLESS_HEADER_QUALIFIERS: frozenset[str] = frozenset({
    # script and width
    "漢字", "全角", "半角", "半角数字", "全角数字", "半角英数", "半角英数字", "英数", "英数字", "数字",
    # the person's own line or device
    "携帯", "携帯電話", "スマホ", "スマートフォン", "自宅", "本人", "日中", "pc", "パソコン",
    # how a postal code, phone number or date is written
    "〒", "7桁", "ハイフンなし", "ハイフン無し", "ハイフンあり", "ハイフン有り", "西暦", "和暦",
    # a form's marks
    "必須", "任意",
})
# A qualifier that says the column is a reading (氏名（全角カナ）, 氏名（フリガナ）) is never dropped:
# a reading is not a name. It is written one way, (カナ) as the catalogue writes 氏名（カナ）, and
# is dropped only where the header already names a reading (フリガナ（全角カナ）, セイ（カナ）).
READING_HEADER_QUALIFIERS: frozenset[str] = frozenset({
    "カナ", "かな", "全角カナ", "半角カナ", "カタカナ", "全角カタカナ", "半角カタカナ", "ひらがな",
    "フリガナ", "ふりがな", "全角フリガナ", "半角フリガナ", "ヨミガナ", "よみがな", "読み仮名", "読みがな",
    # English exports (Name (Kana), name (furigana)), case-folded
    "kana", "furigana", "reading", "yomigana",
})
_READING = "(カナ)"
_READING_WORDS = ("カナ", "フリガナ", "ふりがな", "よみがな", "ヨミガナ", "読み仮名", "kana",
                  "furigana", "yomi")
_READING_HEADERS = frozenset({"セイ", "メイ", "せい", "めい", "セイメイ"})

# Letters of Japanese words: kana (with ー and ・), kanji and 々〆〇. A space between two of them
# is layout, not a word break (氏　名, 電 話 番 号).
_JAPANESE = r"\u3005-\u3007\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_JAPANESE = re.compile(rf"(?<=[{_JAPANESE}])\s+(?=[{_JAPANESE}])")
# A bracketed qualifier at the end or the start of a header, after NFKC (（）→(), ［］→[], ＜＞→<>).
_BRACKETS = {"(": ")", "[": "]", "【": "】", "〔": "〕", "<": ">", "《": "》", "〈": "〉"}
_OPEN, _CLOSE = re.escape("".join(_BRACKETS)), re.escape("".join(_BRACKETS.values()))
_TRAILING_QUALIFIER = re.compile(rf"([{_OPEN}])([^{_OPEN}{_CLOSE}]*)([{_CLOSE}])\s*$")
_LEADING_QUALIFIER = re.compile(rf"^\s*([{_OPEN}])([^{_OPEN}{_CLOSE}]*)([{_CLOSE}])")
# A web form's "required" mark outside brackets: 氏名※必須, 氏名※, 氏名 *, ＊氏名 (＊ is * after
# NFKC). Like (必須), it says how the form was filled in, not whose value it is.
_TRAILING_MARK = re.compile(r"\s*(?:※\s*(?:必須|任意)?|\*+)\s*$")
_LEADING_MARK = re.compile(r"^\s*(?:※|\*+)\s*")


def fold_header(header: str) -> str:
    """A header as the catalogue's aliases are written: NFKC, case-folded, no spaces between
    Japanese letters, the harmless qualifiers (``HARMLESS_HEADER_QUALIFIERS``) at its end or
    start dropped, a reading qualifier written (カナ). Idempotent: a folded header folds to
    itself."""
    folded = header
    for _ in range(8):  # each round shortens the header or leaves it as it is
        before, folded = folded, _fold_once(folded)
        if folded == before:
            break
    return folded


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    text = _SPACE_BETWEEN_JAPANESE.sub("", text).strip()
    if (mark := _TRAILING_MARK.search(text)) and mark.start() > 0:
        text = text[:mark.start()]
    if (mark := _LEADING_MARK.match(text)) and mark.end() < len(text):
        text = text[mark.end():]
    while (found := _TRAILING_QUALIFIER.search(text)) and _qualifier(found) in \
            HARMLESS_HEADER_QUALIFIERS and found.start() > 0:
        text = text[:found.start()].strip()
    while (found := _LEADING_QUALIFIER.search(text)) and _qualifier(found) in \
            HARMLESS_HEADER_QUALIFIERS and found.end() < len(text):
        text = text[found.end():].strip()
    found = _TRAILING_QUALIFIER.search(text)
    if found and found.start() > 0 and _qualifier(found) in READING_HEADER_QUALIFIERS:
        base = text[:found.start()].strip()
        names_a_reading = base in _READING_HEADERS or any(w in base for w in _READING_WORDS)
        text = base if names_a_reading else base + _READING
    return text


def _qualifier(found: re.Match[str]) -> str | None:
    """The folded words of a bracketed qualifier; None when its brackets are not a pair."""
    opening, words, closing = found.groups()
    return words.strip() if _BRACKETS[opening] == closing else None


def alias_index() -> dict[str, str]:
    """Header alias (``fold_header``) → item id, for column classification."""
    return dict(_alias_index())


@cache
def _alias_index() -> dict[str, str]:
    # Built once: the people import asks for it for each of a file's first rows.
    index: dict[str, str] = {}
    for item in CATALOGUE:
        for alias in (item.id, item.label_ja, *item.aliases):
            index.setdefault(fold_header(alias), item.id)
    for header, (item_id, _) in PART_HEADERS.items():
        index.setdefault(fold_header(header), item_id)
    # A name's header with a reading qualifier names the reading (name (kana) → 氏名（カナ）)
    # however the name itself is written; fold_header writes the qualifier one way.
    for alias, item_id in list(index.items()):
        if item_id == "person_name":
            index.setdefault(fold_header(alias + _READING), "name_kana")
    return index
