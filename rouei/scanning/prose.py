"""People in prose: whose are the names and items of a mail or a note.

A table row is one person; a mail is not. The same customer is named in the header, greeted
(山田 様), introduces themself (山田と申します) and signs; the staff who answer sign with the
company's name, phone and address; a reply quotes the mail before it. Counting every line with
a finding as a person counts each of them (about three times the truth on a corpus nobody here
wrote). This module reads a text part as messages and blocks and decides, by evidence, who is a
data subject (本人, appi.md §2.1) and who writes for the company:

- **Writers for the company** (not counted; their items are the company's): a name in a
  signature block (after 「--」, 「━━」, 「以上」, 「よろしくお願いします」 …) that holds a company
  line (株式会社, 部署, センター …), or under a company line standing apart after a blank line
  with no separator or closing before it (株式会社〇〇 ⏎ 佐藤 健一; one name alone on its line
  signs, several are a list of people); a name after 担当／担当者／弊社／当社, or introduced with a unit
  (サポートの林でございます, 株式会社〇〇の林です); the writer of a message that speaks for the
  company (弊社, 当店, でございます, a company signature) when they introduce themself; a header
  name (From/To/Cc) whose address is at the company's domain (the domain of an address in a
  company signature, or of a role address such as support@) or who signs for the company; the
  From: whom a name (a surname too) in the company's block of the mail's own message begins;
  the To:/Cc: of a mail written to a company (御社, ご担当者様) and signed for none, at no free
  mail domain and not at the sender's (the shop's staff a customer writes to).
- **Data subjects**: everyone else who is named — the customer addressed with 様, a customer
  introducing themself or signing their own mail, a family member.

- **Other companies' people and the company's clerks** (not counted either, reported as names):
  someone of an organisation or a unit (株式会社〇〇 営業部 佐藤 一郎, 〇〇運輸の佐藤が, 御社の〇〇様,
  〇〇様（委託先）), by their post (店長の堀が), a memo's clerks and lists (受付：南, 出席者：…
  （敬称略）), initials in brackets at a line's end, a team chat's speakers unless named as a
  customer. Frames that are not a name's on their own take a name only from the lexicon of
  family and given names (``person_name.in_lexicon``; ``_lexicon_spans``): a call log's labels
  (担当 山田, 受電者：, 対応スタッフ：, 応対：…、引継ぎ：…), 山田（担当）, 本件は山田が担当いたします,
  someone of an organisation without の (ミドリ物流 中村様, 中村 一郎（…株式会社 営業部）). A name the
  detector took with the word before it or a title's first kanji (ABC商事 中村様 → 商事 中村,
  山田支店長 → 山田支) is cut back to the name (``_trimmed``).
- Relatives are named after a relation or a relation of a relation (息子の嫁の美咲, 娘婿の大輔,
  姑の和子), or right after it with nothing between when the lexicon has the given name
  (息子健太が).
- A clerk's label alone on its line (担当者, 【担当】) lists the names of the next line: a .docx
  or HTML table read one cell a line.
- Relatives as customers and call memos write them: a relation joined to the name by quotes,
  【】 or である as well (娘「陽菜」, 【父】笠原 和夫, 孫である湊が), the words of speech (旦那,
  下の子, おばあちゃん), a given name in katakana after a family name (祖母 犬飼 ミヨ 様), a name
  said as such (娘の名前は蒼です), someone named before の and a relation (関根 はるなの娘です),
  a call memo's or a contract's subject labels (対象者：相川 タケ 様, 名義人：…).
- A frame's role holds for a name the detector found too (受付：井川 under a separator). In a
  mail written to the company by an outsider, the clerk who served them (先日お電話いただいた
  犬飼様, 下村様にお話しした) is staff; a copy list (CC：井川、富田) lists staff.

Items (phone, address, e-mail …) belong to the name on their line, or else to the last data
subject named before them in the part (the first one after them when none came before); in a
company signature they belong to nobody. Without any data subject they form anonymous people:
a new one whenever an item of a kind already seen comes again with another value.

Mentions are linked into people per thread: the same name, or a surname that begins a full name
named in the same thread (山田 様 and 山田 太郎); a thread is a part, joined with the mails that
share its root message id, and a reply with the one mail whose subject it answers
(``TextPart.thread``). Across threads a full name is one person unless an item a person has
only one of (e-mail address, birth date, My Number, card) tells namesakes apart; a surname alone
never links across threads (an undercount is the dangerous error). The usual identity keys link
prose and tables as they link tables (people.py). The company's full names, phones and e-mail
addresses found in any part are left out everywhere in the scan (``count``).

The phone, address and postal code of the company's own signature or letterhead (``_Block.own``:
a block after a separator or closing with a company word outside its addresses, and no
customer named with 様 or labelled お届け先：/ご住所 in it; or a block signed by name in a message
in the company's voice; never one of a message written to a company — ご担当者様, 御社 — by an
outsider, a customer signing with their employer) and role addresses (support@,
info@ …) are not reported as findings: they are an office's, not anyone's personal data. Staff
names are reported (an employee's name is personal data too) but not counted as data subjects;
the report gives their number
(``ProsePeople.staff``) so that whoever reads it can decide otherwise.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl

from rouei.scanning.detectors import by_category
from rouei.scanning.detectors._common import HIRAGANA, KANJI, KATAKANA, PROLONGED, nfkc
from rouei.scanning.detectors.person_name import (
    ONE_KANJI_GIVEN_NAMES,
    family_names,
    family_reading_set,
    family_readings,
    given_names,
    given_readings,
    in_lexicon,
)
from rouei.scanning.model import Match
from rouei.scanning.normalise import normalise
from rouei.scanning.people import IDENTITY_KEYS, PeopleCounter

# Items that identify a person (people.KEY_FIELDS) as prose links them.
ITEM_FIELDS = ("email", "phone", "address", "birth_date", "credit_card", "my_number")
# Keys of prose people: the table keys, a lone phone, and the person a mention was linked to
# (``prose_person``: one name in a thread, one full name across threads; see ``count``).
PROSE_KEYS: tuple[tuple[str, ...], ...] = (*IDENTITY_KEYS, ("phone", "!person_name"),
                                           ("prose_person",))
PROSE_FIELDS = ("person_name", "prose_person", *ITEM_FIELDS)

# --- frames of the lines around a name ------------------------------------------------------

_QUOTE = re.compile(r"^[ \t]*((?:[>＞|][ \t]?)+)")
# A separator line before a signature: "--", "-- ", a rule of dashes, bars, equals signs …
_SEPARATOR = re.compile(r"^\s*(?:--\s*|[-=_─━―‐—ー＝＿*＊~〜～・■□◆◇]{3,}\s*)$")
# A closing line: what follows is a signature (or nothing).
_CLOSING = re.compile(r"^\s*(?:(?:以上[、,]\s*)?(?:何卒|今後とも|引き続き|どうぞ)?(?:よろしく|宜しく)お願い(?:いた|致)?し?(?:ます|申し上げます)"
                      r"[。.!！]*|以上(?:です|となります)?[。.]?|敬具|草々|取り急ぎ(?:ご連絡|ご報告)?まで[。.]?)\s*$")
# A new message inside the same text: a forwarded or quoted header.
_NEW_MESSAGE = re.compile(r"(?:Original Message|元のメッセージ|Forwarded message|転送メッセージ"
                          r"|(?:wrote|書きました|のメッセージ)\s*[:：]\s*$)", re.IGNORECASE)
# Words of a company or one of its units: a block or a line holding one speaks for a company.
_COMPANY = re.compile(r"株式会社|有限会社|合同会社|合資会社|（株）|\(株\)|㈱|㈲|Co\.,?\s*Ltd|Inc\.|Corp\."
                      r"|カスタマー|サポート|センター|窓口|相談室|事務局|営業部|[^\s]部\s|部$|課\b|課\s|課$"
                      r"|お客様係|係\s|係$"
                      r"|本社|支店|営業所|店舗|ショップ|ストア|商店|商会|営業時間|受付時間|https?://")
# The company speaking of itself (humble forms of a company's writer).
_COMPANY_VOICE = re.compile(r"弊社|当社|弊店|当店|小社|弊ショップ|でございます|いたしかねます"
                            # a shop thanking its customer for their custom
                            r"|ご(?:利用|購入|愛顧)(?:いただ|頂|賜)|お買い(?:上げ|求め)(?:いただ|頂)")
_MAIL_HEADER = re.compile(r"^(From|To|Cc|Reply-To|差出人|宛先)\s*:", re.IGNORECASE)
# a display name, less a company after @ or in brackets: 佐藤 一郎（ハルノ運輸）, 佐藤@ハルノ運輸
_DISPLAY_NAME = re.compile(r"^[^:]+:\s*\"?(?P<v>[^\"<>,@＠（(]+?)\s*(?:[@＠（(][^\"<>]*)?\"?\s*<")
_ROLE_LOCAL = re.compile(r"^(?:support|info|cs|customer|contact|order|orders|shop|store|sales|"
                         r"service|help|helpdesk|desk|admin|webmaster|center|uketsuke|inquiry|"
                         r"otoiawase|no-?reply|mail|office)[0-9._-]*@", re.IGNORECASE)
# Free mail: a domain shared by millions of people is nobody's company domain.
FREE_MAIL = frozenset((
    "gmail.com", "googlemail.com", "yahoo.co.jp", "ymail.ne.jp", "yahoo.com", "icloud.com",
    "me.com", "mac.com", "outlook.com", "outlook.jp", "hotmail.com", "hotmail.co.jp", "live.jp",
    "live.com", "msn.com", "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp",
    "i.softbank.jp", "ymobile.ne.jp", "rakuten.jp", "nifty.com", "biglobe.ne.jp", "so-net.ne.jp",
    "ocn.ne.jp", "aol.com", "excite.co.jp", "infoseek.jp", "goo.jp", "zoho.com", "proton.me",
    "protonmail.com", "example.com", "example.jp", "example.org", "example.net"))
# Phones a person does not own: toll-free and shared-cost numbers (0120, 0800, 0570, 0180).
_SERVICE_PHONE = re.compile(r"^(?:0120|0800|0570|0180)")

_NAME = (f"[{KANJI}]{{1,5}}(?: ?[{KANJI}]{{1,5}}| [{HIRAGANA}]{{2,4}}|[{HIRAGANA}]{{2,4}})?")
# A line that is a name and nothing else (a signature: 山田 太郎, 山田太郎拝, 山田 太郎（ヤマダ タロウ）)
_NAME_LINE = re.compile(rf"^\s*(?P<value>{_NAME})\s*(?:拝|より)?\s*"
                        rf"(?:[(（][{KATAKANA}{PROLONGED} ]+[)）])?\s*$")
# A writer introducing themself at the start of a message: お世話になっております。山田です。
_GREETING = (r"(?:(?:いつも|大変)?お世話になっております|お世話になります|こんにちは|こんばんは|おはようございます"
             r"|はじめまして|初めまして|突然のご連絡失礼いたします|突然のメール失礼いたします|失礼いたします"
             r"|失礼します|ご無沙汰しております)[。、!！ ]*")
_SELF_INTRO = re.compile(
    rf"^\s*(?:{_GREETING})*(?:私|わたくし|わたし)?[、, ]*"
    rf"(?:(?P<unit>[^。、]{{1,40}}?)の)?(?P<value>{_NAME})(?:です|でございます)(?:[。、.!！]|\s*$)")
# What begins a sentence with です but is not a name (以上です。確認です。).
_NOT_SELF = frozenset((
    "以上", "了解", "承知", "確認", "本日", "明日", "今日", "昨日", "以下", "上記", "下記", "前回",
    "今回", "次回", "同様", "問題", "結構", "大丈夫", "幸い", "残念", "心配", "必要", "不要", "可能",
    "不可", "無理", "予定", "返信", "連絡", "回答", "注文", "配送", "返品", "交換", "発送", "到着",
    "対応", "御礼", "以前", "現在", "未定", "至急", "重要", "今後", "当日", "翌日", "先日", "先週",
    "来週", "今週", "毎日", "初回", "最後", "最初", "同上", "以前", "無事", "元気", "元気", "安心",
    "本当", "当然", "正解", "失礼", "恐縮", "申請", "相談", "質問", "要望", "苦情", "お願い",
    "御社", "貴社", "弊社", "当社", "ご担当", "担当"))
# Units and company words before の in a self-introduction or after which a name is staff.
# A family member named after the kinship word (妻の花子が, 母・山田 良子は, 長男 太郎も): the name
# ends before a particle. Without a space it must end as given names do (花子, 健太, ゆい), so
# that 母の介護で, 父の会社が are not names.
_KINSHIP = ("妻", "夫", "主人", "家内", "母", "父", "母親", "父親", "義母", "義父", "息子", "娘",
            "長男", "長女", "次男", "次女", "三男", "三女", "祖母", "祖父", "孫", "兄", "姉", "弟", "妹",
            "配偶者", "子供", "子ども", "家族", "同居人", "親族", "婚約者",
            # the same said of the customer's family by someone else (娘さんのひとみ様)
            "奥様", "奥さん", "ご主人", "ご主人様", "旦那様", "旦那さん", "お母様", "お母さん", "お父様",
            "お父さん", "娘さん", "息子さん", "お子様", "お子さん", "ご家族", "ご長男", "ご長女",
            # the rest of the relations a family register and everyday speech name
            "二男", "二女", "四男", "四女", "嫁", "婿", "叔母", "叔父", "伯母", "伯父", "姪", "甥",
            "義姉", "義兄", "義妹", "義弟", "従兄弟", "従姉妹", "いとこ", "祖父母", "曾孫", "ひ孫",
            "実母", "実父", "養母", "養父", "継母", "継父", "内縁の妻", "内縁の夫", "パートナー",
            "連れ合い", "ご子息", "ご令息", "ご令嬢", "ご息女", "お嬢様", "お嬢さん", "奥さま",
            "お祖母様", "お祖父様", "おばあ様", "おじい様", "おばあさん", "おじいさん", "お孫さん",
            "お孫様", "お姉様", "お兄様", "お姉さん", "お兄さん", "妹さん", "弟さん", "ご両親",
            "ご親族", "お嫁さん",
            # in-laws and compounds of everyday speech (娘婿の大輔, 姑の和子, 孫娘のさくら)
            "娘婿", "姑", "舅", "兄嫁", "孫娘", "孫息子", "亡夫", "亡妻", "義理の母", "義理の父",
            "義理の娘", "義理の息子", "義理の姉", "義理の兄", "義理の妹", "義理の弟",
            # the words of speech rather than of a register (旦那の隆が, 下の子の陽菜も)
            "旦那", "女房", "かみさん", "嫁さん", "お嫁さん", "お義母さん", "お義父さん", "お義母様",
            "お義父様", "おばあちゃん", "おじいちゃん", "ばあちゃん", "じいちゃん", "上の子", "下の子",
            "末っ子", "姪っ子", "甥っ子", "長男坊", "せがれ", "お母さま", "お父さま", "おばあさま",
            "おじいさま", "お祖母さま", "お祖父さま", "ご主人さま", "旦那さま", "曾祖母", "曾祖父",
            "曽祖母", "曽祖父", "親父", "お袋", "おふくろ", "おやじ", "亭主", "伴侶", "相方",
            "義祖母", "義祖父", "養子", "里子", "継子", "母上", "父上", "愚息", "愚妻", "亡母", "亡父",
            "老母", "老父", "兄弟", "姉妹", "前妻", "元妻", "元夫", "夫婦",
            # written in kana, as in a hurried mail (むすめの陽菜, まごの悠斗)
            "むすめ", "むすこ", "まご", "つま", "おっと",
            # a child in a register's or an insurer's words (被保険者の子 悠斗, 子の悠斗が)
            "子")
# A given name in kana, as elderly people's and children's names are often written (ハル, ヨシ子,
# ユウキ, さくら): two to four kana, in katakana maybe with a given name's last kanji. Taken only in
# a relative's frame (祖母のハルが, ミツ（祖母）) and when ``_kana_given_name`` lets it be one.
_KANA_GIVEN = rf"[{KATAKANA}]{{2,4}}[子美江代枝乃]?|[{HIRAGANA}]{{2,4}}[子美江代枝乃]?"  # ゆり子, とし江
_KIN_WORDS = "|".join(sorted(_KINSHIP, key=len, reverse=True))
_KANA_FULL = (rf"[{HIRAGANA}]{{2,4}} [{HIRAGANA}]{{2,4}}[子美江代枝乃]?"
              rf"|[{KATAKANA}]{{2,4}} [{KATAKANA}]{{2,4}}[子美江代枝乃]?")
# a relation, or a relation of a relation (息子の嫁の美咲, 主人の母 和子, 長男の嫁 美咲さん)
# joined by の, ・, a colon, a space, a bracket, quotes (娘「陽菜」の), 【母】 or である (孫である湊が);
# the given name after a family name may be in katakana, as elderly women's often are (祖母 犬飼 ミヨ)
_KIN = re.compile(
    rf"(?<![{KANJI}])(?:{_KIN_WORDS})(?:の(?:{_KIN_WORDS}))*"
    r"(?: ?の(?: |、|の)?|・|、|: ?| |\(|\[|「|『|】 ?|である|= ?|/ ?|→ ?)"
    rf"(?P<value>[{KANJI}]{{1,5}}?(?: [{KANJI}]{{1,4}}?| [{HIRAGANA}]{{2,4}}?[子美江代枝乃]?"
    rf"| [{KATAKANA}]{{2,4}}[子美江代枝乃]?)?"
    # a family name and a kana given name without a space: 母・小西トメ, 母・庄司きよ江
    rf"|[{KANJI}]{{2,4}}(?:[{KATAKANA}]{{2,4}}|[{HIRAGANA}]{{2,4}}?)[子美江代枝乃]?"
    # a full name in kana alone (母 やまだ よしこ, 祖母 ヤマダ トメ), as a form filled in kana has it
    rf"|{_KANA_FULL}"
    rf"|{_KANA_GIVEN})"
    r"(?=[がはもにをとへのやで、。,. )(」』\]/]|から|より|様|さん|さま|くん|君|ちゃん|氏|殿|歳|名義|宛|です|$)")
# relatives listed in one bracket after their relations: 妻と長男（花子・悠斗）, 夫婦（和夫・花子）
_KIN_LIST = re.compile(rf"(?<![{KANJI}])(?:{_KIN_WORDS})(?:[と・、](?:{_KIN_WORDS}))*"
                       r"[（(](?P<list>[^（()）]{2,24}?)[）)]")
_KIN_LIST_SEP = re.compile(r"[・、,/ ]")
# a relative's name said as such: 娘の名前は陽菜です, 孫の名前は湊といいます
_KIN_NAMED = re.compile(
    rf"(?<![{KANJI}])(?:{_KIN_WORDS})の(?:名前|なまえ|お名前|名)は[「『]?"
    rf"(?P<value>[{KANJI}]{{1,4}}(?: [{KANJI}]{{1,4}}| [{HIRAGANA}{KATAKANA}]{{2,4}})?|{_KANA_GIVEN})"
    r"[」』]?(?=です|でございます|と(?:いい|言い|申し)|、|。|$)")
# a relation written right before a given name, with nothing between (息子健太が, 娘さくらも):
# the name is taken only when the lexicon has it as a given name (母親, 娘夫婦 are no names)
_KIN_BARE = re.compile(
    rf"(?<![{KANJI}])(?:息子|娘|長男|長女|次男|次女|三男|三女|孫|妻|夫|主人|家内|母|父|兄|姉|弟|妹|祖母|祖父)"
    rf"(?P<value>[{KANJI}]{{1,3}}|[{HIRAGANA}]{{2,4}}?)"
    r"(?=[がはもにをとへの、。 (（]|から|より|さん|ちゃん|くん|君|宛|名義)")
# … and a given name in katakana right after it (老母トメが, 娘ユイの): of a name's shape and no
# loanword's (母パソコン, 妻ネットで are no names; ``_kana_given_name``)
_KIN_BARE_KANA = re.compile(
    rf"(?<![{KANJI}])(?:息子|娘|長男|長女|次男|次女|三男|三女|孫|妻|夫|主人|家内|母|父|兄|姉|弟|妹|祖母|祖父"
    rf"|老母|老父|義母|義父|実母|実父)(?P<value>[{KATAKANA}]{{2,4}}[子美江代枝乃]?)"
    r"(?=[がはもにをとへの、。 (（]|から|より|さん|ちゃん|くん|君|宛|名義|$)")
# someone named before の and a relation: 会員の関根 はるなの娘です, 犬飼 ミヨの長男が
_NAME_OF_KIN = re.compile(
    rf"(?:^|(?<=[\s、。,「『:：]|の))(?P<v>[{KANJI}]{{1,4}} ?(?:[{KANJI}]{{1,4}}|[{HIRAGANA}]{{2,4}}[子美江代枝乃]?"
    rf"|[{KATAKANA}]{{2,4}}[子美江代枝乃]?)?)(?:さん|様|さま)?の(?:{_KIN_WORDS})"
    r"(?=[がはもにをとへの、。]|です|でございます|と申します|より|から|$)")
# a data subject's label in a call memo, a form or a contract: 対象者：相川 タケ 様, 名義人：…
_SUBJECT_LABEL = re.compile(
    r"(?:相談者|対象者|契約者|名義人|ご本人|本人|利用者|申込者|入居者|受取人|依頼者|被保険者|患者|代理人"
    r"|ご家族のお名前|家族氏名)(?:\s*[:：]\s*|\s+)"
    rf"(?P<v>[{KANJI}]{{1,4}} ?(?:[{KANJI}]{{1,4}}|[{HIRAGANA}]{{2,4}}[子美江代枝乃]?"
    rf"|[{KATAKANA}]{{2,4}}[子美江代枝乃]?))"
    r"(?=\s*(?:様|さん|さま|殿)|\s*[（(、。,]|\s|$)")
# what a line holds when a frame of a relative (any relation word not inside a kanji word) or a
# subject's label can match: one scan of the line gates them all
_KIN_AT = re.compile(rf"(?<![{KANJI}])(?:{_KIN_WORDS})")
_SUBJECT_HINT = re.compile(r"(?:相談者|対象者|契約者|名義人|本人|利用者|申込者|入居者|受取人|依頼者|保険者"
                           r"|患者|代理人|家族のお名前|家族氏名)\s*[:：\s]")
# a relative named after は: 妻は春香、息子は悠斗です (a given name of the lexicon only: 母は元気,
# 父は一人で are no names)
# … or after が, も, を as a family is introduced (母が良子で、父が登です; 次男も大翔といいます), a
# given name in katakana too (母がトメで)
_KIN_WA = re.compile(
    rf"(?<![{KANJI}])(?:{_KIN_WORDS})(?P<p>[はがもを])(?P<value>[{KANJI}]{{1,4}}"
    rf"|[{KANJI}]{{1,4}} [{KANJI}]{{1,4}}|[{KATAKANA}]{{2,4}})"
    r"(?=[、。,.]|です|でございます|で[、,]|と(?:いい|言い|申し)|$)")
# a relative in English: my wife Hanako, our son Shota, my mother-in-law Sumiko
_KIN_ENGLISH = re.compile(
    r"\b(?:[Mm]y|[Oo]ur) (?:wife|husband|son|daughter|mother|father|mom|dad|grandmother"
    r"|grandfather|grandson|granddaughter|grandchild|nephew|niece|uncle|aunt|brother|sister"
    r"|mother-in-law|father-in-law|partner),? (?P<value>[A-Z][a-z]{1,9})\b"
    # … and their family name after it (my wife Hanako Yamada): the same person, reported whole
    r"(?: (?P<family>[A-Z][a-z]{1,11})\b)?(?! [A-Z])")
_GIVEN_NAME_END = re.compile(f"(?:[子美郎太介也彦夫男恵香奈菜花樹輝斗翔人平助吉代江枝乃葉衣織里理希佳実"
                             # and the endings of today's children's names (心春, 琴音, 悠羽, 陽莉)
                             f"雄翼大蓮陽結優愛彩咲紀絵春音羽莉汰]|^[{HIRAGANA}]+)$")
# Hiragana words that follow 妻の, 母の … and are not given names (妻のため, 母のことが)
_NOT_KIN_NAMES = frozenset(("こと", "ため", "もの", "ほう", "ところ", "よう", "かた", "おかげ", "せい",
                            "ぶん", "など", "まま", "とき", "あと", "まえ", "うち", "ほか", "かわり",
                            "もと", "ぶん", "ほうが", "みな", "みんな", "ひと"))
# Katakana that loanwords have and given names do not (ティッシュ, ファイル, ウェブ; カード, メール
# have ー, which the name's shape already leaves out): such a word after 母の is her thing.
_LOANWORD_KANA = re.compile(f"[ァィゥェォッヮヵヶヴ{PROLONGED}]")
# Kana words of a name's shape that follow a relation word and are not a name: what a relative
# owns or uses (母のポイントを, 妻のスマホで), who they are in kana (妻のママ), answers (はい).
_NOT_KANA_NAMES = frozenset((
    "ポイント", "スマホ", "パソコン", "アプリ", "サイン", "ペット", "クルマ", "ケア", "デイ", "メモ",
    "ハンコ", "ハガキ", "ラベル", "サイズ", "プラン", "コース", "ギフト", "セット", "ネット", "カルテ",
    "ベッド", "ワクチン", "ケガ", "ミス", "ロック", "カバン", "バッグ", "クレカ", "カギ", "オムツ",
    "メガネ", "ボタン", "テレビ", "ラジオ", "ゴミ", "トイレ", "ドア", "バス", "ホテル", "ランチ",
    "マイナ", "アドレス", "ログイン", "パス",
    "ママ", "パパ", "ババ", "ジジ", "ばあば", "じいじ", "はは", "ちち", "おばあ", "おじい",
    "はい", "いいえ", "ええ", "うん", "どうも", "よろしく", "おかげ", "かたち", "たち", "だれ",
    "どなた"))
_STAFF_BEFORE = re.compile(r"(?:(?:担当者?|対応者|記入者|作成者|承認者|受付者|弊社|当社|弊店|当店|小社)名?"
                           r"\s*(?:[:：]|の|[】\]])?"
                           r"|担当(?:いた|致)します|担当させていただきます)\s*$")
# A job title right after a name (鈴木部長, 田中 課長): someone of a company, by their post.
_TITLE_AFTER = re.compile(r"\s*(?:(?:支店長|部長|課長|係長|社長|店長|主任|室長|所長|次長|専務|常務)"
                          r"(?![\u4e00-\u9fff])"
                          r"|(?:マネージャー|マネジャー|リーダー|チーフ|ディレクター)(?![\u30a1-\u30fc])"
                          # … or their side after the name: 堀 一輝 様（委託先）
                          r"|(?:様|さん|氏|殿)?\s*[（(](?:委託先|取引先|業者|外部|協力会社|社外|先方))")
# --- frames that take a name only from the lexicon (person_name.in_lexicon) -----------------
# Neither is a name's frame on its own: 受付：済, （税込）, [10:02] 確認: … look the same.
_LEX_NAME = f"[{KANJI}]{{1,4}}(?: ?[{KANJI}]{{1,4}}| ?[{HIRAGANA}]{{2,4}})?"
# the clerks of a memo and the people of a list: 受付：南, 応対者 樋口, 出席者：坂口、永井、樋口 康弘
_CLERK_LABEL = re.compile(r"(?:^|(?<=[\s【\[(（■・、,]))(?:電話|一次|二次|折り?返し|窓口|店頭|メール|初回)?"
                          r"(?:受付|対応|応対|記録|記入|入力|確認|起票|回答|作成"
                          r"|承認|出席|参加|同席|担当|報告|連絡|送信|宛先|処理|取次|引継ぎ?|引き継ぎ|責任"
                          # a call log's: who took or made the call, who wrote the note
                          r"|受電|入電|架電|発信|着信|文責|記載|聴取|当番|店員|販売員|上長"
                          r"|オペレーター|スタッフ|窓口"
                          # a note's or an internal mail's copy list: CC：井川、富田
                          r"|返信|応答|オペ"
                          r"|CC|Cc|cc)(?:者|担当|人|スタッフ|係|営業|オペレーター|窓口)?名?"
                          r"(?:\s*[:：】\]/／=＝]\s*|\s+)")
_LIST_SEP = re.compile(r"\s*[、,，・/／→⇒]\s*")
_BRACKETED = re.compile(r"[（(][^（()）]*[）)]")
_LIST_TAIL = re.compile(r"\s*(?:様|さん|殿|以上)?\s*(?:[（(][^（()）]*[）)]|敬称略)?\s*[)）】\]]?\s*$")
# initials or a name in brackets at a line's end: the memo's writer (…連絡する。（坂口）)
_PAREN_END = re.compile(rf"[（(](?P<v>{_LEX_NAME})[）)]\s*$")
# a customer named in brackets after what they are: お客様（三浦 博之）より入電
_SUBJECT_PAREN = re.compile(
    rf"(?:お客様|お客さま|顧客|会員|ご本人|本人|ご依頼主|依頼者|申込者|購入者|利用者|患者|契約者|入居者)"
    rf"\s*[（(]\s*(?P<v>{_LEX_NAME})\s*(?:様|さん|さま)?\s*[）)]")
# the company's own after 弊社/当店 (弊社片山も同席します)
_OWN_NAME = re.compile(rf"(?:弊社|当社|当店|弊店|小社|担当者?の)(?:の|\s*)(?P<v>{_LEX_NAME}?)"
                       r"(?=が|も|は|に|より|から|と|です|、|。|\s|$)")
# a clerk said to be in charge: 本件は山田が担当いたします, 担当は山田です
_IN_CHARGE = re.compile(rf"(?:^|(?<=[\s、。,はを]))(?P<v>{_LEX_NAME}?)が(?:確かに)?(?:担当|対応|承り|ご案内)"
                        rf"(?:いた|致|させていただ|し|する|します|ました|ます)"
                        rf"|担当(?:者)?は(?P<w>{_LEX_NAME}?)(?=です|でございます|でした|が|と申します|になります"
                        rf"|、|。)")
# someone of an organisation, by its name or a unit's, with or without の: 株式会社ハルノ運輸 営業部
# 佐藤 一郎, ハルノ運輸の佐藤が, 東邦物流 配送センター 堀
# the words that end an organisation's or a unit's name (one list: the pattern and the hint)
_ORG_WORDS = ("社|部|課|室|係|店|局|センター|支店|営業所|事務所|運輸|物流|商事|産業|工業|建設|電機|印刷"
              "|サポート|相談室|窓口|デスク|代理店|商会|商店|通販"
              "|銀行|証券|保険|システム|サービス|ソリューションズ|便|配送|運送|通運|コール|警備")
_ORG = (r"(?:株式会社|有限会社|合同会社|\(株\)|\(有\)|㈱)[^\s、。,:：]{1,15}|[^\s、。,:：]{1,15}(?:株式会社|有限会社|\(株\)|㈱)"
        rf"|[^\s、。,:：の]{{1,12}}(?:{_ORG_WORDS})"
        # a name in katakana before の (ミナトの佐藤が): a business, not a person
        rf"|[^\s、。,:：の]{{0,10}}[{KATAKANA}]{{2,}}[{KATAKANA}{PROLONGED}]*(?=の)")
_ORG_PERSON = re.compile(rf"(?:{_ORG})(?:\s*[^\s、。,:：]{{1,12}}(?:部|課|室|センター|支店|営業所))?\s*の?\s*"
                         rf"(?P<v>{_LEX_NAME}?)(?=\s*(?:様|さん|氏|殿|が|は|に|より|から|と|も|へ|[、。,（(]|$"
                         r"|です|でございます|と申します))")
# a word that ends an organisation's or a unit's name (ABC商事, 佐川急便, 営業部)
_ORG_END = re.compile(rf"(?:{_ORG_WORDS})$")
_ORG_HINT = re.compile(rf"株式|有限|合同|㈱|\([株有]\)|{_ORG_WORDS}|[{KATAKANA}{PROLONGED}]の")
_POST_HINT = re.compile(r"長|主任|専務|常務|マネージャー|リーダー|責任者|上長|上司|担当者|取締役|代表|支配人"
                        r"|店員|係員|販売員|事務員|スタッフ|オペレーター")
# someone by their post, before the name: 店長の佐藤, 担当者 山田, 課長 佐藤 一郎, the company's
# officers and clerks (代表取締役 鬼頭 昌平, 支配人の田中が, 店員の木村さん, 店長の山本です)
_POST_PERSON = re.compile(rf"(?:副?店長|支店長|部長|課長|係長|副?社長|会長|主任|室長|所長|次長|専務|常務"
                          rf"|マネージャー|リーダー|責任者|上長|上司|担当者|(?:代表|専務|常務)?取締役(?:社長)?"
                          rf"|代表(?:者)?|執行役員|支配人|店員|係員|販売員|事務員|スタッフ|オペレーター)"
                          rf"(?:の|[・:：])?\s*(?P<v>{_LEX_NAME}?)"
                          r"(?=\s*(?:様|さん|氏|殿|が|は|に|より|から|と|も|へ|[、。,（(「]|$"
                          r"|です|でございます|と申します))")
# a post in katakana after the name: 佐藤マネージャー, 田中リーダー
_NAME_POST_AFTER = re.compile(rf"(?:^|(?<=[\s、。,・「『:：のはがもにと]))(?P<v>{_LEX_NAME}?)\s*"
                              rf"(?:マネージャー|マネジャー|リーダー|チーフ|ディレクター)(?![{KATAKANA}{PROLONGED}])")
# a relative named before their relation, which a note may follow in the bracket: 山田 花子（妻）,
# 健太(長男、12歳)
_RELATIONS = "|".join(sorted((k for k in _KINSHIP if re.fullmatch(f"[{KANJI}]+", k)), key=len,
                             reverse=True))
_RELATION_NOTE = re.compile(rf"(?:{_RELATIONS})(?:[、,・/ ]|$)")
# … with an honorific before the bracket: ゆうとくん（孫）, 春香さん（妻）
_NAME_KIN = re.compile(rf"(?:(?P<v>{_LEX_NAME}?)|(?:^|(?<=[\s、。,・「『:：]))(?P<kana>{_KANA_GIVEN}?))"
                       rf"\s*(?:様|さん|さま|ちゃん|くん|君)?\s*"
                       # … whose relation the bracket may say to someone: （契約者の妻）
                       rf"[（(](?:[^（()）]{{1,8}}の)?(?:{_RELATIONS})(?:[、,・/ ][^（()）]{{0,12}})?[）)]")
# someone named with their role or organisation in brackets after the name: 山田（担当）,
# 中村 一郎（ミドリ物流株式会社 営業部）, 中村さん（ミドリ物流）
_NAME_ROLE = re.compile(rf"(?:^|(?<=[\s、。,・「『:：]))(?P<v>{_LEX_NAME}?)\s*(?:様|さん|氏|殿)?\s*"
                        rf"[（(](?P<role>[^（()）]{{1,30}})[）)]")
_ROLE_WORDS = re.compile(rf"担当|係$|スタッフ|オペレーター|受付|対応|窓口|店長|部長|課長|係長|主任|社長"
                         rf"|委託先|取引先|業者|外部|協力会社|社外|先方|株式会社|有限会社|合同会社|㈱|\([株有]\)"
                         rf"|(?:{_ORG_WORDS})(?:\s|$)")
# a chat's speaker: [10:02] 星野 みゆき: …, 10:02 星野 みゆき\t…
_SPEAKER = re.compile(rf"^\s*(?:\d{{4}}[/-]\d{{1,2}}[/-]\d{{1,2}}\s*)?[\[［(（]?\d{{1,2}}:\d{{2}}"
                      rf"(?::\d{{2}})?[\]］)）]?\s*(?P<v>{_LEX_NAME})\s*(?:[:：]|\t)")
# a name ending a signature's line, or followed by its unit or title in brackets:
# さくら堂 コールセンター 森下 遥, 押田 良子（総務部 課長）
_SIGNATURE_NAME = re.compile(rf"(?:^|(?<=\s))(?P<v>{_LEX_NAME})\s*(?:[（(][^（()）]{{1,30}}[）)])?\s*$")
# a writer introducing themself after other words: 本件を担当いたします五十嵐です。
_WRITER_NAME = re.compile(rf"(?<![{KANJI}])(?P<v>{_LEX_NAME})(?:です|でございます|と申します)"
                          r"(?:[。、.!！]|\s*$)")
_SHOP_END = "[堂屋舎館庵亭]"
_UNIT_WORD = re.compile(rf"(?:部|課|係|室|班|店|社|局|所|担当|窓口|支店|本部|センター|デスク|事務局|そちら|営業"
                        rf"|御社|貴社|先方|取引先|委託先|業者|運輸|物流|便|配送|運送|商事|産業|工業|建設|電機|印刷|警備"
                        rf"|銀行|証券|保険|不動産|システム|サービス|ソリューションズ|ドライバー|配達員|通販"
                        # someone of their profession (訪問看護師の…さん): another organisation's
                        rf"|看護師|介護士|相談員|薬剤師|医師|弁護士|税理士|司法書士|行政書士|保健師"
                        # … or of an institution (病院の佐藤さん, 区役所の佐藤さん, 組合の佐藤さん)
                        rf"|病院|医院|歯科|学校|大学|施設|組合|協会|役場|法人|機構|公社|団体|署"
                        rf"|会社|[{KATAKANA}{PROLONGED}]{{2,}}"
                        # a shop's name in kana and its kanji end (こはる堂, ふくら屋, さくら館)
                        rf"|[{HIRAGANA}{KATAKANA}{PROLONGED}]{_SHOP_END})$")
_ORG_WORDS = re.compile("部|課|係|室|店|社|局|センター|窓口|支店|本部|会社|事務局|株式|有限|一同|各位|御中")


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def thread_keys(subject: str | None, message_ids: Iterable[str]) -> tuple[str, ...]:
    """The keys that join a mail to its thread: ``id:`` its root message id (the first of
    References, else In-Reply-To, else its own Message-ID), and its subject without Re:/Fwd:/
    返信: … when the subject is long enough to be its own (お問い合わせ is everyone's):
    ``subject:`` for a mail, ``reply:`` for an answer or a forward (``_thread_groups`` joins
    these to the one mail of that subject). Hashed: nothing of a header is kept."""
    keys = []
    ids = [i.strip() for i in message_ids if i and i.strip()]
    if ids:
        keys.append("id:" + _digest(ids[0]))
    if subject:
        plain = re.sub(r"^(?:\s*(?:re|fw|fwd|aw|返信|転送|回答)\s*(?:\[\d+\])?\s*[:：]\s*)+", "",
                       subject, flags=re.IGNORECASE)
        plain = re.sub(r"\s+", "", plain)
        if len(plain) >= 10:
            keys.append(("reply:" if len(plain) < len(re.sub(r"\s+", "", subject)) else
                         "subject:") + _digest(plain))
    return tuple(keys)


# --- the model of one text part -------------------------------------------------------------


@dataclass
class Mention:
    """A name as it was written, and where: the role it takes is decided at the end of the
    part, from its frame (``how``), its block and its message."""

    name: str  # normalised (no spaces)
    full: bool  # written with a space between family and given name, or long enough to be
    how: str  # "header", "staff", "writer", "signature", "subject", "speaker", "quote"
    message: int
    block: int | None = None  # signature block index
    domain: str | None = None  # the header's address domain
    header_field: str | None = None
    role: str | None = None  # "staff" or "subject", once decided
    kin: bool = False  # named as a relative (妻の花子) or as a relative named before


@dataclass
class _Items:
    """The identity items of one line, whose they are."""

    values: dict[str, list[str]]
    mention: int | None  # index into mentions of the name on the same line
    message: int
    block: int | None
    upto: int  # mentions made up to and including this line


@dataclass
class Cluster:
    """One data subject of a part: a name (None: no name was written) and its items."""

    name: str | None
    full: bool = False
    items: dict[str, list[str]] = field(default_factory=dict)

    def add(self, values: dict[str, list[str]]) -> None:
        for category, found in values.items():
            kept = self.items.setdefault(category, [])
            for value in found:
                if value not in kept:
                    kept.append(value)


@dataclass
class ProseDoc:
    """What a text part leaves for the count (picklable, small: names and values normalised,
    thread keys hashed)."""

    name: str
    threads: tuple[str, ...]
    subjects: list[Cluster]
    staff: set[str]
    staff_full: set[str]  # staff written with family and given name: staff in every thread
    company_values: set[str]  # the company's phones and e-mail addresses (normalised)


@dataclass
class _Block:
    message: int
    company: bool = False
    customer: bool = False  # a customer is addressed or labelled in it (山田 様, お届け先：)
    lines: int = 0  # non-empty lines after the separator or closing
    # the message before the block writes to a company (ご担当者様, 御社) and not for one: its
    # writer is an outsider, a customer signing with their employer (株式会社〇〇 経理部)
    outsider: bool = False
    voice: bool = False  # the message before the block speaks for the company (弊社, …でございます)
    signed: bool = False  # a name stands on a line of its own in the block (the writer's)
    # the names standing on lines of their own: a signature has one writer; two or more are a
    # list of people (お届け先 … under a company line), not the block's writer
    name_lines: set[str] = field(default_factory=set)
    # a box of labelled lines (部署： / 所属： / 【会社名】 …): a company's template, whose 氏名：
    # is its writer's, not a customer's details
    box: bool = False

    @property
    def own(self) -> bool:
        """The company's signature or letterhead: its phone, address and postal code are the
        organisation's, not a data subject's. A block of a company word, or one signed by name
        in a message in the company's voice (a shop's name holds no company word: ことり堂);
        never a customer's block, nor one of a message written to the company."""
        return ((self.company or (self.signed and self.voice)) and (not self.customer or self.box)
                and not self.outsider)


def _company_line(line: str, matches: list[Match]) -> bool:
    """A company word outside the line's addresses (〇〇センタービル is a building)."""
    rest = line
    for m in matches:
        if m.category in ("address", "postal_code"):
            rest = rest[:m.start] + " " * (m.end - m.start) + rest[m.end:]
    # a family name ending as a department does (綾部 和夫, 服部) is no unit
    rest = _FAMILY_BU.sub(lambda f: " " * len(f[0]) if _name_key(f[0]) in family_names()
                          else f[0], nfkc(rest))
    return bool(_COMPANY.search(rest.strip()))


_AT_COUNTER = re.compile(r"(?:窓口|受付|カウンター|店頭)で$")
_FAMILY_BU = re.compile(f"(?<![{KANJI}])[{KANJI}]{{1,3}}部(?![{KANJI}])")


# a company signature's labelled line: 部署：…, 所属：…, 【会社名】…
_BOX_LABEL = re.compile(r"^\s*[【\[]?\s*(?:部署|所属|部門|担当部署|会社名|社名)\s*(?:[】\]]|[:：]|\s)")

# A line that addresses someone: the company written to (御中) or a person (様, さん …).
_ADDRESSED = re.compile(r"御中|各位|(?:様|さま|さん|殿)(?=$|[\s、。,，（(）)：:】\]])")

# The sides of a mail's headers: who wrote it, and whom it was written to.
_SENDER = frozenset(("from", "差出人", "reply-to"))
_ADDRESSEE = frozenset(("to", "cc", "宛先"))


def _company_addressee(mention: Mention, headers: list[Mention]) -> bool:
    """An addressee of a mail written to a company is the company's staff when their address is
    no free mail (a family member at gmail.com stays a person) and not at the sender's own
    domain (the sender's colleague is not the company's)."""
    senders = {m.domain for m in headers if m.header_field in _SENDER and m.domain}
    return bool(mention.domain) and mention.domain not in FREE_MAIL and mention.domain not in senders


# A customer in a block after a separator (an order's delivery details, a customer's own
# signature quoted): a name with an honorific at a word's end, or a label of the customer's
# details. お客様相談室, 住所：, TEL are a company's.
_CUSTOMER_CUE = re.compile(r"(?:様|さま|さん|殿)(?=$|[\s、。,，（(）)：:】\]])"
                           r"|(?:お?届け先|送付先|配送先|送り先|発送先|請求先|ご住所|ご連絡先|お名前|氏名"
                           r"|ご?注文者|購入者|ご?依頼主|会員)\s*(?:[:：】\]]|$)")
# In a message written to a company by an outsider, the company's clerk who served the writer:
# 先日お電話いただいた犬飼様, 前回ご対応いただいた井川さん, 電話で下村様にお話しした (a clerk's
# own note says the same of a customer, so only the customer's side of a mail is read so)
_SERVED_BY = re.compile(r"(?:ご?対応|お電話|ご連絡|ご案内|ご説明|ご回答|お返事|ご返信)"
                        r"(?:いただい|頂い|くださっ|下さっ)た\s*$")
_SPOKEN_TO = re.compile(r"\s*(?:様|さん|さま)(?:に|へ)(?:お話し|お伝え|ご相談|相談|お願い|お聞き|伺っ)")
# Items of a company's own block left out of the findings: the office's, no one's.
_OFFICE_ITEMS = frozenset(("phone", "address", "postal_code"))

# A signature is a few lines (a box with company, unit, name, address, phones, mail, web):
# after this many, or a blank line after some, the text is prose again.
SIGNATURE_LINES = 10
# A sentence (。！？) or a long line is prose, not a signature's line.
_PROSE_LINE = re.compile(r"[。！？!?]|^.{51,}$")


@dataclass
class _Message:
    company_voice: bool = False
    to_company: bool = False  # written to a company (ご担当者様, 御中, 御社, 貴社)
    lines: int = 0  # non-empty lines so far


# A message written to a company, not for it: its salutation or the way it names the company.
_TO_COMPANY = re.compile(r"御中|ご?担当(?:者)?(?:様|さま)|ご担当の方|御社|貴社|貴店")


class ProseReader:
    """Reads one text part line by line (after the detectors) and keeps who is named where.

    ``feed`` takes a line and the detectors' matches and returns the matches to report: those
    given, less company phones in a company signature, plus names only the frames of the lines
    around show (a signature's name line, 山田です。 at the start of a message). ``finish``
    decides the roles and returns the part's ``ProseDoc``."""

    def __init__(self, name: str, headers: int = 0, threads: tuple[str, ...] = (),
                 normaliser: Callable[[str, str], str] | None = None) -> None:
        self.name = name
        self.headers = headers
        self.threads = threads
        self._normalise = normaliser or _normalise_value
        self.mentions: list[Mention] = []
        self.items: list[_Items] = []
        self.blocks: list[_Block] = []
        self.messages: list[_Message] = [_Message()]
        self._depth = 0
        self._block: int | None = None
        self._company_domains: set[str] = set()
        self._company_values: set[str] = set()
        self._how: dict[tuple[int, int], str] = {}  # the role a frame gave a name of this line
        self._after_blank = False  # the line before was blank
        self._label_above = False  # the line before was a clerk's label alone (担当者)
        self._kin_given: set[str] = set()  # relatives' given names named so far (妻の花子 → 花子)
        self._kin_at: set[tuple[int, int]] = set()  # where this line names a relative
        self._relation_above = False  # the line before gave a relation (続柄：妻)

    # -- reading

    def feed(self, line_no: int, line: str, matches: list[Match]) -> list[Match]:
        if line_no <= self.headers:
            return self._header(line, matches)
        text, offset = line, 0
        if quoted := _QUOTE.match(line):
            offset = quoted.end()
            text = line[offset:]
        folded = nfkc(text)  # for the frames; the offset map (normalise) only when one matches
        plain = folded.strip()
        if not plain:
            if self._block is not None and self.blocks[self._block].lines:
                self._block = None  # a blank line after a signature's lines ends it
            self._after_blank = True
            self._label_above = False
            return matches
        after_blank, self._after_blank = self._after_blank, False
        label_above, self._label_above = self._label_above, _bare_label(folded)
        depth = sum(quoted[1].count(c) for c in ">＞|") if quoted else 0
        if depth != self._depth or _NEW_MESSAGE.search(plain):
            self._new_message(depth)
        message = len(self.messages) - 1
        state = self.messages[message]
        state.lines += 1
        if _COMPANY_VOICE.search(plain):
            state.company_voice = True
        if _TO_COMPANY.search(plain):
            state.to_company = True
        if _SEPARATOR.match(plain) or _CLOSING.match(plain):
            self._start_block(message, state)
            return matches
        if (self._block is None and after_blank and not _PROSE_LINE.search(plain)
                and not _ADDRESSED.search(plain) and _company_line(line, matches)
                and not ((n := _NAME_LINE.match(plain)) and _lexicon_ok(n["value"]))):
            # a company line standing apart (株式会社〇〇, 〇〇センター) heads a signature without
            # a separator or a closing before it: its lines are the block's (an addressee's
            # line, 〇〇株式会社 御中 or 〇〇センター 山田様, heads none; nor a name ending as a
            # unit does, 曽我部 signing alone)
            self._start_block(message, state)
        block = self._block
        if block is not None:
            self.blocks[block].lines += 1
            if self.blocks[block].lines > SIGNATURE_LINES or _PROSE_LINE.search(plain):
                self._block = block = None  # prose again, not a signature
        if block is not None:
            self._block_evidence(self.blocks[block], line, matches)
        matches = [_trimmed(m, line) if m.category == "person_name" else m
                   for m in matches if not _org_word(m)]
        self._how.clear()
        self._kin_at.clear()
        extra = self._frames(text, folded, plain, offset, matches, block, state, after_blank,
                             label_above)
        matches.extend(extra)
        relation_above, self._relation_above = self._relation_above, bool(_RELATION_LINE.match(plain))
        if relation_above:
            # 続柄：父 ⏎ 氏名：山田 一郎: a relative listed in a form's or a mail's block
            for m in matches:
                if m.category == "person_name":
                    self._kin_at.add((m.start, m.end))
                    if (given := _given_part(nfkc(m.value))) is not None:
                        self._kin_given.add(given)
        matches.sort(key=lambda m: m.start)
        kept: list[Match] = []
        names: list[int] = []
        values: dict[str, list[str]] = {}
        if block is not None and (m := _NAME_LINE.match(plain)) and any(
                x.category == "person_name" and nfkc(x.value).strip() == m["value"]
                for x in matches):
            self.blocks[block].signed = True
            self.blocks[block].name_lines.add(_name_key(m["value"]))
        own = block is not None and self.blocks[block].own
        for match in matches:
            if match.category == "person_name":
                names.append(self._mention(match, line, offset, message, block))
            elif match.category in ITEM_FIELDS:
                value = self._normalise(match.category, match.value)
                if match.category == "email" and _ROLE_LOCAL.match(value):
                    self._company_domains.add(_domain(value))
                    continue  # support@, info@ …: an office's address, no one's
                if own:
                    self._company_values.add(value)
                    if match.category == "email":
                        self._company_domains.add(_domain(value))
                if not (own and match.category in _OFFICE_ITEMS):
                    values.setdefault(match.category, []).append(value)
            if own and match.category in _OFFICE_ITEMS:
                continue  # the company's phone, address, postal code: not anyone's personal data
            kept.append(match)
        if values:
            self.items.append(_Items(values, names[0] if names else None, message, block,
                                     len(self.mentions)))
        return kept

    def _header(self, line: str, matches: list[Match]) -> list[Match]:
        header = _MAIL_HEADER.match(line)
        if header and not any(m.category == "person_name" for m in matches) and (
                shown := _DISPLAY_NAME.match(line)):
            # From: ミナト商会 押田 <…>: the name the lexicon knows at the end of the display name
            span = _lexicon_name(line, shown.start("v"), shown.end("v"))
            if span is not None:
                matches = sorted([*matches, Match("person_name", *span, line[span[0]:span[1]])],
                                 key=lambda m: m.start)
        values: dict[str, list[str]] = {}
        mention = None
        kept = []
        for match in (_trimmed(m, line) if m.category == "person_name" else m for m in matches
                      if not _org_word(m)):
            if match.category == "email" and _ROLE_LOCAL.match(match.value.strip().lower()):
                self._company_domains.add(_domain(match.value.strip().lower()))
                continue  # support@, info@ …: an office's address, no one's
            kept.append(match)
            if match.category == "person_name":
                name = _name_key(match.value)
                if header:  # the display name of an address
                    mention = len(self.mentions)
                    self.mentions.append(Mention(name, _is_full(match.value), "header", 0,
                                                 header_field=header[1].lower()))
                else:  # the subject line (…様) and the like
                    self.mentions.append(Mention(name, _is_full(match.value), "subject", 0))
            elif match.category in ITEM_FIELDS:
                value = self._normalise(match.category, match.value)
                values.setdefault(match.category, []).append(value)
                if mention is not None and match.category == "email":
                    self.mentions[mention].domain = _domain(value)
        if values and header:
            # an address without a display name is still one person's (or the company's)
            if mention is None:
                mention = len(self.mentions)
                self.mentions.append(Mention("", False, "header", 0,
                                             header_field=header[1].lower(),
                                             domain=_domain(values.get("email", [""])[0])))
            self.items.append(_Items(values, mention, 0, None, len(self.mentions)))
        return kept

    @staticmethod
    def _block_evidence(block: _Block, line: str, matches: list[Match]) -> None:
        """A company word outside the line's addresses (〇〇センタービル is a building) makes
        the block a company's; a customer named or labelled in it makes it not its own."""
        if not block.box and _BOX_LABEL.match(nfkc(line)):
            block.box = block.company = True
        if not block.company:
            block.company = _company_line(line, matches)
        if not block.customer:
            block.customer = bool(_CUSTOMER_CUE.search(nfkc(line)))

    def _new_message(self, depth: int) -> None:
        self._depth = depth
        self._block = None
        self.messages.append(_Message())

    def _start_block(self, message: int, state: _Message) -> None:
        if self._block is None or self.blocks[self._block].message != message:
            self.blocks.append(_Block(message, outsider=state.to_company and not state.company_voice,
                                      voice=state.company_voice))
            self._block = len(self.blocks) - 1

    def _frames(self, text: str, folded: str, plain: str, offset: int, matches: list[Match],
                block: int | None, state: _Message, after_blank: bool = False,
                label_above: bool = False) -> list[Match]:
        """Names the detectors cannot see on one line: a signature's name line, a writer's
        「…です。」 in the first lines of a message, a family member (妻の花子が), and the frames
        that take a name from the lexicon only (``_lexicon_spans``)."""
        named = any(m.category == "person_name" for m in matches)
        line_frame = not named and (_NAME_LINE if block is not None else
                                    _SELF_INTRO if state.lines <= 4 else None)
        signature, opening = block is not None, state.lines <= 6
        lexicon = (_lexicon_spans(folded, signature, opening, label_above)
                   if signature or label_above or _LEX_GATE.search(folded) else [])
        # a name of the lexicon alone on its line after a blank one, below the first lines of
        # a message: its writer signing without a closing (…受け取りました。⏎⏎五十嵐)
        lone = (not named and block is None and after_blank and state.lines > 2
                and (n := _NAME_LINE.match(plain)) is not None and _lexicon_ok(n["value"]))
        # a full name in romaji alone on its line after a blank one: an English mail's writer
        # signing (Kenichi Sakamoto); both words spell Japanese morae (Best Regards does not)
        romaji = (not named and after_blank and _ROMAJI_FULL.fullmatch(plain) is not None
                  and all(_romaji_given_name(w) for w in plain.split(" ")))
        kin = _KIN_AT.search(folded) is not None or (
            _ENGLISH_KIN_HINT.search(folded) is not None and _KIN_ENGLISH.search(folded) is not None)
        labelled = _SUBJECT_HINT.search(folded) is not None
        # a relative's given name said before in this part, alone or with the family name now
        known = bool(self._kin_given) and any(g in folded for g in self._kin_given)
        if (not (line_frame and line_frame.match(plain)) and not lone and not lexicon and not known
                and not romaji
                and not (kin and (_KIN.search(folded) or _KIN_BARE.search(folded)
                                  or _KIN_NAMED.search(folded) or _NAME_OF_KIN.search(folded)
                                  or _KIN_WA.search(folded) or _KIN_LIST.search(folded)
                                  or _KIN_BARE_KANA.search(folded) or _KIN_ROMAJI.search(folded)
                                  or _KIN_ENGLISH.search(folded)))
                and not (labelled and _SUBJECT_LABEL.search(folded))):
            return []  # most lines: no frame, and no offset map to build
        norm = normalise(text)
        plain = norm.text.strip()
        spans: list[tuple[int, int, str | None]] = []
        if not named:
            lead = len(norm.text) - len(norm.text.lstrip())
            m = None
            if block is not None:
                m = _NAME_LINE.match(plain)
            elif state.lines <= 4:
                m = _SELF_INTRO.match(plain)
            # after a word and の (サポートの林です) the name must be one of the lexicon: 母・庄司
            # きよ江の介護用品です is a thing's
            if m and _is_name(m["value"]) and not (
                    m.re is _SELF_INTRO and m["unit"] and not _lexicon_ok(m["value"])):
                spans.append((m.start("value") + lead, m.end("value") + lead, None))
            elif lone and (m := _NAME_LINE.match(plain)):
                spans.append((m.start("value") + lead, m.end("value") + lead, "writer"))
        if romaji:
            lead = len(norm.text) - len(norm.text.lstrip())
            spans.append((lead, lead + len(plain), "writer"))
        kin_spans: set[tuple[int, int]] = set()
        if known:
            again = _known_relatives(norm.text, self._kin_given)
            spans += again
            kin_spans.update((start, end) for start, end, _how in again)
        if kin:
            relatives = _relatives(norm.text)
            spans += relatives
            for start, end, _how in relatives:
                kin_spans.add((start, end))
                if (given := _given_part(norm.text[start:end])) is not None:
                    self._kin_given.add(given)
        if labelled:
            for m in _SUBJECT_LABEL.finditer(norm.text):
                if _lexicon_ok(m["v"]) or _family_kana(m["v"]):
                    spans.append((m.start("v"), m.end("v"), "subject"))
        spans += lexicon if norm.text == folded else _lexicon_spans(norm.text, signature, opening,
                                                                    label_above)
        out: list[Match] = []
        for start, end, how in spans:
            relative = (start, end) in kin_spans
            start, end = norm.to_original(start, end)
            start, end = start + offset, end + offset
            if relative:
                self._kin_at.add((start, end))
            if any(m.start < end and start < m.end for m in [*matches, *out]):
                if how in ("staff", "subject", "quote", "writer") and any(
                        m.category == "person_name" and (m.start, m.end) == (start, end)
                        for m in matches):
                    # the detector found the name; the frame still says whose it is (受付：井川,
                    # 担当：森本 after a separator, 対象者：… 様)
                    self._how.setdefault((start, end), how)
                continue
            out.append(Match("person_name", start, end, norm.original[start - offset:
                                                                      end - offset]))
            if how:
                self._how[(start, end)] = how
        return out

    def _mention(self, match: Match, line: str, offset: int, message: int,
                 block: int | None) -> int:
        before = nfkc(line[offset:max(offset, match.start)])
        after = nfkc(line[match.end:])
        unit = before.rstrip()
        # 営業部の田村, 株式会社ミドリ物流の佐藤 様: someone of a company or one of its units
        # … or without の: 営業部 滝本 一輝 様, 東邦運輸のドライバー西川さん
        last = re.split(r"[\s、。,:：]", unit)[-1] if unit else ""
        # … or an organisation in brackets: 配送業者（ナミキ運輸）の織田さん
        of_unit = (bool(_UNIT_WORD.search(unit[:-1].rstrip("）)")) or _COMPANY.search(unit[-20:]))
                   if unit.endswith("の") else bool(last) and bool(_UNIT_WORD.search(last)))
        # … or met at an organisation's counter: 銀行の窓口で大平さんに
        of_unit = of_unit or bool(_AT_COUNTER.search(unit))
        state = self.messages[message]
        if (framed := self._how.get((match.start, match.end))) is not None:
            how = framed
        elif block is not None and _STAFF_BEFORE.search(before):
            how = "staff"  # 担当：森本 under a separator: a clerk's note, whoever's block
        elif block is not None:
            how = "signature"
        elif (_STAFF_BEFORE.search(before) or _TITLE_AFTER.match(after) or of_unit
              or _role_after(after) or (state.to_company and not state.company_voice and (
                  _SERVED_BY.search(before) or _SPOKEN_TO.match(after)))):
            how = "staff"
        elif re.match(r"\s*(?:と申し|でございます|です(?:[。、.!！]|\s*$))", after):
            how = "writer"
        else:
            how = "subject"
        if how == "quote":
            message = len(self.messages)  # the quoted message below the header: its writer
        self.mentions.append(Mention(_name_key(match.value), _is_full(match.value), how, message,
                                     block, kin=(match.start, match.end) in self._kin_at))
        return len(self.mentions) - 1

    # -- deciding

    def finish(self) -> ProseDoc:
        staff_names = self._decide()
        subjects = self._clusters()
        staff_full = {m.name for m in self.mentions if m.role == "staff" and m.full and m.name}
        return ProseDoc(self.name, self.threads, subjects, staff_names, staff_full,
                        set(self._company_values))

    def _decide(self) -> set[str]:
        messages = self.messages
        # a message signed for a company (not a customer's, signed with their employer)
        company_message = {b.message for b in self.blocks if b.company and not b.outsider}
        for m in self.mentions:
            if m.how == "staff":
                m.role = "staff"
            elif m.how == "signature":
                block = self.blocks[m.block]
                # one name alone on its line signs; several are a list of people
                m.role = "staff" if block.own and len(block.name_lines) <= 1 else "subject"
            elif m.how == "writer":
                speaks = m.message in company_message or messages[m.message].company_voice
                m.role = "staff" if speaks else "subject"
            elif m.how == "quote" and m.message < len(messages) and (
                    m.message in company_message or messages[m.message].company_voice):
                # a reply's header names the quoted message's writer: the company's clerk when
                # that message speaks for the company; else decided with the names below
                m.role = "staff"
        # a chat's speaker is staff talking about customers, unless named as one (山田様)
        talked_of = {m.name for m in self.mentions if m.how == "subject" and m.name}
        for m in self.mentions:
            if m.how == "speaker":
                m.role = ("subject" if any(m.name[:k] in talked_of
                                           for k in range(1, len(m.name) + 1)) else "staff")
        staff = {m.name for m in self.mentions if m.role == "staff" and m.name}
        staff_prefixes = _Prefixes(staff)
        headers = [m for m in self.mentions if m.how == "header"]
        # the domain of a header address whose name is staff's is the company's (Cc: colleagues)
        self._company_domains |= {m.domain for m in headers if m.domain
                                  and m.domain not in FREE_MAIL
                                  and _names_staff(m.name, staff, staff_prefixes)}
        signers, addressee = self._header_sides()
        for m in headers:
            at_company = bool(m.domain) and (m.domain in self._company_domains
                                             and m.domain not in FREE_MAIL)
            if m.header_field in _SENDER:  # signs the company's block of the mail's own message
                side = any(m.name.startswith(s) for s in signers) if m.name else False
            else:  # written to by a customer as the company's
                side = addressee and _company_addressee(m, headers)
            m.role = ("staff" if at_company or _names_staff(m.name, staff, staff_prefixes)
                      or side else "subject")
        # the header's staff (the writer named in From:) make their name in the text staff too
        staff |= {m.name for m in headers if m.role == "staff" and m.name}
        staff_prefixes = _Prefixes(staff)
        for m in self.mentions:
            if m.role is None:  # named with 様 / さん, after お名前：…, in the subject line
                m.role = "staff" if _names_staff(m.name, staff, staff_prefixes) else "subject"
        return {m.name for m in self.mentions if m.role == "staff" and m.name}

    def _header_sides(self) -> tuple[set[str], bool]:
        """Which side of the mail's headers is the company's. The sender's, when the mail's own
        message (not a quoted one) is signed for the company by the sender: the names (a
        surname too: 担当：佐藤 for From: 佐藤 健一) of the company's blocks of that message are
        returned, and a From: they begin is the writer (a shop's answer; a customer who
        forwards a shop's mail inline is not its signer). The addressees', when the mail's own
        message is written to a company by an outsider and signed for no company (a
        customer's mail to the shop's staff)."""
        first = self.messages[0]
        own = {i for i, b in enumerate(self.blocks) if b.own and b.message == 0}
        signers = {m.name for m in self.mentions
                   if m.block in own and m.role == "staff" and m.name}
        to_company = first.to_company and not first.company_voice and not own
        return signers, to_company

    def _clusters(self) -> list[Cluster]:
        """The part's data subjects: subject mentions of one name (or a surname and the full
        name it begins) are one; items join the name on their line or the last one named."""
        clusters: dict[str, Cluster] = {}
        canonical: dict[int, str] = {}
        prefixes = _Prefixes(m.name for m in self.mentions if m.role == "subject" and m.name)
        # a relative's given name and their full name (妻の花子, later 山田花子でも): one person;
        # not the customer's own full name (お客様：島田 勝 and 家内の勝 are two)
        given_of = _given_names_of(m.name for m in self.mentions
                                   if m.role == "subject" and m.name and m.kin
                                   and len(m.name) >= 2)
        for i, m in enumerate(self.mentions):
            if m.role != "subject" or not m.name:
                continue
            key = m.name if m.full else prefixes.canonical(m.name)
            if key == m.name and not m.full and m.kin and m.name in given_of:
                key = given_of[m.name]
            canonical[i] = key
            cluster = clusters.setdefault(key, Cluster(key))
            cluster.full = cluster.full or m.full or key != m.name
        # items, in part order: with their line's name, else the last subject named before
        anonymous: list[Cluster] = []
        current: str | None = None
        pending: list[dict[str, list[str]]] = []
        mention_at = 0
        for entry in self.items:
            while mention_at < entry.upto:
                if mention_at in canonical:
                    current = canonical[mention_at]
                mention_at += 1
            if entry.block is not None and self.blocks[entry.block].own:
                continue
            if entry.mention is not None:
                owner = self.mentions[entry.mention]
                if owner.role == "staff":
                    continue
                if entry.mention in canonical:
                    clusters[canonical[entry.mention]].add(entry.values)
                    continue
                if (owner.how == "header" and not owner.name and owner.domain
                        and owner.domain in self._company_domains):
                    continue  # a bare address of the company in a header (support@…)
            if current is not None:
                clusters[current].add(entry.values)
            else:
                pending.append(entry.values)
        if pending:
            if clusters:  # items before the first name (a signature at the end names them)
                first = next(iter(clusters.values()))
                for values in pending:
                    first.add(values)
            else:
                anonymous = _anonymous(pending)
        return [*clusters.values(), *anonymous]


# what a line holds when one of ``_lexicon_spans``'s frames can match (in a signature: any line)
_LEX_GATE = re.compile(r"[:】\]\t)]|以上|承り|案内|書きました|wrote|CS|医師|看護師|弁護士|税理士|薬剤師|長|主任|先生|取締役|代表|支配人|会長|役員|係員|販売員|事務員|スタッフ|オペレーター|商会|専務|常務|マネージャー|リーダー|責任者|上司|弊社|当社|当店|弊店|小社|です|でございます|申します|受付|対応|応対|記録"
                       r"|記入|入力|確認|起票|回答|作成|承認|出席|参加|同席|担当|報告|連絡|送信|宛先"
                       r"|株式|有限|合同|㈱|社|部|課|室|係|店|局|センター|支店|営業所|事務所|運輸|物流|商事"
                       r"|産業|工業|建設|電機|印刷|銀行|証券|保険|システム|サービス|ソリューションズ"
                       r"|便|配送|運送|通運|コール|警備|[\u30a1-\u30fa\u30fc]の"
                       r"|受電|入電|架電|発信|着信|文責|記載|聴取|当番|店員|販売員|上長|引継|オペレーター"
                       r"|スタッフ|サポート|窓口|デスク|代理店")


def _relatives(text: str) -> list[tuple[int, int, str | None]]:
    """Relatives named in a line holding a relation word: after the relation (妻の花子が, 娘「陽菜」,
    息子健太が, 妻は春香、), said as such (娘の名前は蒼です), or before it (関根 はるなの娘です)."""
    spans: list[tuple[int, int, str | None]] = []
    for m in _KIN.finditer(text):
        value, start = _kin_trimmed(m["value"]), m.start("value")
        if _no_of_the_name(text, start, value):  # 父 のぐち きよし: の begins the name
            value, start = "の" + value, start - 1
        if _kin_name(value):
            spans.append((start, start + len(value), None))
    for m in _KIN_ROMAJI.finditer(text):
        if _romaji_given_name(m["value"]):
            spans.append((m.start("value"), m.end("value"), "subject"))
    for m in _KIN_LIST.finditer(text):
        at, items = m.start("list"), _KIN_LIST_SEP.split(m["list"])
        for item in items if len(items) > 1 else ():
            if item and _kin_name(item):
                spans.append((at, at + len(item), "subject"))
            at += len(item) + 1
    for m in _KIN_NAMED.finditer(text):
        if _kin_name(m["value"]):  # 娘の名前は蒼です: the relative's, not the writer's です
            spans.append((m.start("value"), m.end("value"), "subject"))
    for m in _NAME_OF_KIN.finditer(text):
        if _lexicon_ok(m["v"]) or _family_kana(m["v"]):
            spans.append((m.start("v"), m.end("v"), "subject"))
    for m in _KIN_WA.finditer(text):
        value = m["value"]
        if re.match(f"[{KATAKANA}]", value):
            if _kana_given_name(value):
                spans.append((m.start("value"), m.end("value"), "subject"))
        elif value in ONE_KANJI_GIVEN_NAMES or (
                (value in given_names() or (" " in value and _lexicon_ok(value)))
                and _is_name(value)):
            spans.append((m.start("value"), m.end("value"), "subject"))
    for m in _KIN_ENGLISH.finditer(text):
        # the family name may be a brand's too (my wife Hanako Suzuki): after a given name it is a name
        if _romaji_given_name(m["value"]) and (m["family"] is None or _romaji_word(m["family"])):
            spans.append((m.start("value"), m.end(), "subject"))
    for m in _KIN_BARE.finditer(text):
        value = m["value"]
        if value in ONE_KANJI_GIVEN_NAMES or (len(value) > 1 and value in given_names()
                                              and _is_name(value)):
            spans.append((m.start("value"), m.end("value"), None))
    for m in _KIN_BARE_KANA.finditer(text):
        if _kana_given_name(m["value"]):
            spans.append((m.start("value"), m.end("value"), "subject"))
    return spans


_ROMAJI_FULL = re.compile(r"[A-Z][a-z]{1,11} [A-Z][a-z]{1,11}")
# a form's relation line: 続柄：妻, 続柄 父
_RELATION_LINE = re.compile(rf"(?:■|・)?(?:ご?続柄|間柄|関係)\s*[:：]?\s*(?:{_KIN_WORDS})\s*$")
_ENGLISH_KIN_HINT = re.compile(r"\b(?:[Mm]y|[Oo]ur) ")


def _given_part(value: str) -> str | None:
    """The given name of a relative's name as a frame took it (山田 花子, 山田花子, 花子,
    Hanako), to know the relative when named again; None when it cannot be told (a surname)."""
    value = value.strip()
    if value.isascii():
        return value.split(" ")[0]  # romaji: the given name first (Hanako Yamada)
    if " " in value:
        head, _, given = value.rpartition(" ")
        return given if _name_key(head) in family_names() else None
    for k in range(min(SURNAME_MAX, len(value) - 1), 0, -1):
        if _name_key(value[:k]) in family_names() and len(value) - k >= 1 and (
                value[k:] in given_names() or value[k:] in ONE_KANJI_GIVEN_NAMES):
            return value[k:]
    if _name_key(value) in family_names() and value not in given_names():
        return None
    return value


# what may stand after a relative's name said again: a particle, an honorific, 宛 / 名義, a space
_AGAIN_HONORIFIC = re.compile(r"\s?(?:さん|様|さま|ちゃん|くん|君)")
_AGAIN_AFTER = r"(?=[がはもにをとへのやで、。,.!?)）」\s]|さん|様|さま|ちゃん|くん|君|宛|名義|から|より|$)"


def _known_relatives(text: str, given: set[str]) -> list[tuple[int, int, str | None]]:
    """A relative named before in the part named again: the given name alone (花子が不在の
    場合は, 誠さん名義で, Kaori will be …) or after a family name of the lexicon (山田 花子 宛,
    受け取りは山田花子でも): the same data subject, which ``_clusters`` links to the first."""
    spans: list[tuple[int, int, str | None]] = []
    for name in given:
        latin = name.isascii()
        # a kanji name may follow a family name without a space (山田花子): checked below
        before = r"\b" if latin else ("" if re.match(f"[{KANJI}]", name) else
                                       f"(?<![{KATAKANA}{HIRAGANA}])")
        after = r"\b" if latin else _AGAIN_AFTER
        # a one-kanji or hiragana name is also a word (誠に, ゆきが): only with an honorific or
        # a family name before it
        weak = len(name) == 1 or re.fullmatch(f"[{HIRAGANA}]+", name) is not None
        for m in re.finditer(f"{before}{re.escape(name)}{after}", text):
            start = m.start()
            honoured = _AGAIN_HONORIFIC.match(text, m.end()) is not None
            # a family name of the lexicon right before it (山田 花子, 山田花子)
            for k in range(SURNAME_MAX, 0, -1):
                lo = start - k
                head = text[lo:start].rstrip(" ")
                if (lo >= 0 and head and len(head) == len(head.strip()) and
                        _name_key(head) in family_names() and (lo == 0 or not re.match(
                            f"[{KANJI}]", text[lo - 1]))):
                    start = lo
                    break
            if start == m.start() and start and re.match(f"[{KANJI}]", text[start - 1]):
                continue  # inside a longer word (誠実 is no 誠, 和子 in 平和子供 …)
            if not weak or honoured or start < m.start():
                spans.append((start, m.end(), "subject"))
    return spans


def _katakana(value: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in value)


def _no_of_the_name(text: str, start: int, value: str) -> bool:
    """The の a relation's frame took as a particle (父 の…) begins a full name in hiragana:
    の and the family part make a family name's reading (のぐち: ノグチ) and the part alone does
    not (ぐち)."""
    head, space, _ = value.partition(" ")
    return (bool(space) and start > 0 and text[start - 1] == "の"
            and re.fullmatch(f"[{HIRAGANA}]+", head) is not None
            and _katakana("の" + head) in family_reading_set()
            and _katakana(head) not in family_reading_set())


def _kin_trimmed(value: str) -> str:
    """What a relation's frame took, without a word that followed the name to the line's end:
    a particle after a kana name (娘のひなが ⏎ → ひな) or the word of whose place or thing it is
    (妹 明美 宅 → 明美)."""
    if (m := _KANA_PARTICLE_END.fullmatch(value)) is not None:
        return m["name"]
    head, space, tail = value.rpartition(" ")
    return head if space and tail in _OWNED_WORDS else value


# a kana name with a particle the frame took at a line's end (the particle a name ends with, や
# of さや, と of まこと, の of あやの, is left as it is)
_KANA_PARTICLE_END = re.compile(f"(?P<name>[{HIRAGANA}]{{2,4}})[がはをへも]")
# a one-kanji word after a relative's name that says whose place or thing it is (妹 明美 宅)
_OWNED_WORDS = frozenset(("宅", "方", "家", "宛", "分", "邸", "用", "側", "名義"))
# a relative's given name in romaji after the relation word (妻 Hanako が, 娘のYuiが): a capital
# and small letters that spell Japanese morae (Hepburn), then a particle, an honorific or an end
_MORA = r"(?:sh|ch|ts|[kgsztdnhbpmr]y|[kgsztdnhbpmrwyfj])?[aiueo]|n(?![aiueoy])"
_KIN_ROMAJI = re.compile(
    rf"(?<![{KANJI}])(?:{_KIN_WORDS})(?: ?の ?|・|: ?| |「)(?P<value>[A-Z][a-z]{{1,9}})"
    r"(?=\s*(?:[がはもにをとへのやで、。,.!?！？」)(（]|さん|ちゃん|くん|君|様|宛|名義|から|より|$))")
# brands, services and words of the same shape that a relative owns or uses (妻のAmazon, 母の
# Yahoo): not names
_NOT_ROMAJI_NAMES = frozenset((
    "amazon", "yahoo", "rakuten", "nintendo", "honda", "toyota", "nissan", "subaru", "muji",
    "daiso", "aeon", "waon", "zozo", "tsutaya", "meiji", "mizuho", "resona", "mitsubishi", "hitachi",
    "yamato", "sagawa", "nitori", "yodobashi", "kirin", "asahi", "nikon", "sanyo", "sega", "konami",
    "bandai", "kumon", "pokemon", "mama", "papa", "baba", "jiji", "nana", "tomika", "suzuki",
    "yamaha", "kawasaki", "daihatsu", "sumitomo", "nomura", "sonpo", "sompo", "kao", "shiseido",
    "tokyo", "osaka", "kyoto", "japan", "nihon", "nippon", "gu", "uniqlo", "mobairu", "keitai",
    "pasumo", "pasmo", "suika", "nanako", "edy", "paypay", "merukari", "menu", "home", "game"))


def _romaji_word(value: str) -> bool:
    """A word in romaji that spells Japanese morae (Yamada, Suzuki; not Smith)."""
    return re.fullmatch(f"(?:{_MORA})+", value.lower()) is not None


def _romaji_given_name(value: str) -> bool:
    """A word in romaji that spells Japanese morae and is no brand or service (``_KIN_ROMAJI``)."""
    return _romaji_word(value) and value.lower() not in _NOT_ROMAJI_NAMES


_HONORIFIC_END = re.compile(r"\s*(?:様|殿|氏|君|さん|さま|くん|ちゃん)$")


def _lexicon_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a name of the lexicon in text[start:end] as a frame took it: the whole, or
    its last word (さくら堂 森下 遥 → 森下 遥; ミナト商会 渡部 → 渡部), or its family name alone
    when the given name is not one (坂口、永井 … is a list)."""
    value = text[start:end]
    # the frame's name class takes the honorific too (中村様, 中村さん: 様 is a kanji)
    if honorific := _HONORIFIC_END.search(value):
        end -= len(honorific[0])
        value = text[start:end]
    if _lexicon_ok(value):
        return start, end
    words = value.split(" ")
    if len(words) > 1 and _lexicon_ok(words[-1]):
        return end - len(words[-1]), end
    return None


def _lexicon_ok(value: str) -> bool:
    """A name of the lexicon that is a name (渡部, 服部: a unit's 部 does not matter here)."""
    return (in_lexicon(value) and value.replace(" ", "") not in _NOT_SELF
            and by_category("person_name").validate(value))


def _clerk_lists(text: str) -> list[tuple[str, int]]:
    """What each clerk's label of a line lists, with where it starts: up to the next label
    (応対：山田、引継ぎ：佐藤), and nothing when a colon follows (受付：10:02 is a time)."""
    heads = list(_CLERK_LABEL.finditer(text))
    out = []
    for head, after in zip(heads, [*heads[1:], None], strict=False):
        end = after.start() if after else len(text)
        listed = text[head.end():end].rstrip(" 、,，")
        if listed and not re.search("[:：]", listed):
            out.append((listed, head.end()))
    return out


def _bare_label(text: str) -> bool:
    """A line that is a clerk's label and nothing else (担当者, 【受付】, 対応：): a table's cell
    read one a line (a .docx table, an HTML mail's signature table), its name on the next."""
    plain = text.strip().lstrip("【[(（■・ ")
    m = _CLERK_LABEL.match(plain + " ") if plain else None
    # a list of attendees one a line (出席者 ⏎ 山田 ⏎ 佐藤) is not one clerk's cell
    return m is not None and m.end() >= len(plain) and not _ATTENDANCE.match(plain)


_ATTENDANCE = re.compile(r"出席|参加|同席")


def _lexicon_spans(text: str, signature: bool, opening: bool, listed: bool = False
                   ) -> list[tuple[int, int, str | None]]:
    """Names in frames that are not a name's on their own, each taken only when the lexicon
    knows it (``person_name.in_lexicon``), with the role the frame gives: the clerks of a memo
    and a list of attendees (staff), initials in brackets at a line's end (staff: the writer),
    a customer in brackets after お客様 (subject), 弊社の… (staff), a chat's speaker, a name
    ending a signature's line, a writer's …です in a message's first lines (decided later)."""
    out: list[tuple[int, int, str | None]] = []

    def take(start: int, end: int, how: str | None) -> None:
        span = _lexicon_name(text, start, end)
        if span is not None:
            out.append((*span, how))

    lead = len(text) - len(text.lstrip())
    lists = [(text.strip(), lead)] if listed and text.strip() else []
    for listed_text, start in [*lists, *_clerk_lists(text)]:
        pos = 0
        # what a bracket holds is a note on its item (林（12/2 返信済み）), not more items
        items = _BRACKETED.sub(lambda b: b[0][0] + " " * (len(b[0]) - 2) + b[0][-1],
                               listed_text)
        for sep in [*_LIST_SEP.finditer(items), None]:
            end = sep.start() if sep else len(listed_text)
            item, at = listed_text[pos:end], start + pos
            core = item[:_LIST_TAIL.search(item).start()] if item else item
            # the name, or the last word after a company or unit (ハルノ運輸 佐藤)
            word = core.rsplit(" ", 1)[-1] if core and not re.fullmatch(_LEX_NAME, core) else core
            if word and re.fullmatch(_LEX_NAME, word):
                take(at + len(core) - len(word), at + len(core), "staff")
            pos = sep.end() if sep else end
    if m := _SUBJECT_PAREN.search(text):
        if _is_name(m["v"]):
            out.append((m.start("v"), m.end("v"), "subject"))
    elif (m := _PAREN_END.search(text)) and m["v"] not in _KINSHIP:
        take(m.start("v"), m.end("v"), "staff")  # （坂口）, but （家内） is a relation
    for m in _OWN_NAME.finditer(text):
        take(m.start("v"), m.end("v"), "staff")
    for m in _IN_CHARGE.finditer(text):
        group = "v" if m["v"] is not None else "w"
        take(m.start(group), m.end(group), "staff")
    if _ORG_HINT.search(text):  # the hint first: the frame's open words are slow to try
        for m in _ORG_PERSON.finditer(text):
            take(m.start("v"), m.end("v"), "staff")  # the company's or another's: not a subject
    if _POST_HINT.search(text):
        for m in _POST_PERSON.finditer(text):
            take(m.start("v"), m.end("v"), "staff")
        for m in _NAME_POST_AFTER.finditer(text):
            take(m.start("v"), m.end("v"), "staff")
    if ")" in text:
        for m in _NAME_ROLE.finditer(text):
            if _ROLE_WORDS.search(m["role"]) and not _RELATION_NOTE.match(m["role"]):
                take(m.start("v"), m.end("v"), "staff")
    for m in _NAME_KIN.finditer(text):
        if m["kana"] is not None:  # a given name in kana: ミツ（祖母）
            if _kana_given_name(m["kana"]):
                out.append((m.start("kana"), m.end("kana"), "subject"))
            continue
        value = m["v"]
        if value in ONE_KANJI_GIVEN_NAMES or (_is_name(value) and (value in given_names() or (
                " " not in value and _GIVEN_NAME_END.search(value) is not None))):
            # a given name alone: 健太（長男）, or of a given name's shape: 心春（長女・小3）
            out.append((m.start("v"), m.end("v"), "subject"))
        else:
            take(m.start("v"), m.end("v"), "subject")
    if _SENSEI_GATE.search(text):
        for m in _SENSEI.finditer(text):
            take(m.start("v"), m.end("v"), "staff")  # a doctor, a teacher: another's, not a subject
    for m in _CLERK_KANA.finditer(text):
        # a clerk's family name in katakana under their label (担当：サトウ): not in the lexicon
        if not _LOANWORD_KANA.search(m["v"]) and m["v"] not in _NOT_KANA_NAMES | _NOT_CLERK_KANA:
            out.append((m.start("v"), m.end("v"), "staff"))
    if m := _SPEAKER.match(text):
        take(m.start("v"), m.end("v"), "speaker")
    elif m := _SIDE_SPEAKER.match(text):
        take(m.start("v"), m.end("v"), "subject" if _CUSTOMER_SIDE.match(m["side"]) else "staff")
    if (text.rstrip().endswith((":", "："))  # the header's colon first: the pattern is slow to try
            and (m := _QUOTE_HEADER.match(text)) and (m["when"] or m["address"] or m["said"])):
        take(m.start("v"), m.end("v"), "quote")  # whose side: the quoted message's, at the end
    for m in _SIGN_OFF.finditer(text):
        take(m.start("v"), m.end("v"), "writer")
    if m := _UNIT_NAME_LINE.match(text):
        take(m.start("v"), m.end("v"), "staff")
    for m in _CLERK_SPELT.finditer(text):
        if _clerk_spelt(m["v"]):
            out.append((m.start("v"), m.end("v"), "staff"))
    if signature and (m := _SIGNATURE_NAME.search(text)):
        take(m.start("v"), m.end("v"), None)  # the block's
    if opening:
        for m in _WRITER_NAME.finditer(text):
            span = _lexicon_name(text, m.start("v"), m.end("v"))
            if span is not None:
                out.append((*span, None))  # staff or not: ``ProseReader._mention`` decides
    return out


# a professional named with 先生 (主治医の山田先生, 病院の山田先生より): someone of another
# organisation (a clinic, a school, an office), not a customer nor a customer's relative
_SENSEI = re.compile(rf"(?:^|(?<=[\s、。,・「『:：のはがもにと]))(?P<v>{_LEX_NAME}?)\s*"
                     r"(?:先生|医師|看護師|弁護士|税理士|司法書士|行政書士|薬剤師)(?![\u4e00-\u9fff])")
_SENSEI_GATE = re.compile("先生|医師|看護師|弁護士|税理士|司法書士|行政書士|薬剤師")
# a clerk's label, a colon and a family name in katakana, ending the line or before a bracket
_CLERK_KANA = re.compile(rf"(?:^|(?<=[\s【\[(（■・、,]))(?:担当者?|対応者|受付者?|応対者|記入者|文責|店長"
                         rf"|折り?返し担当)名?\s*[:：]\s*(?P<v>[{KATAKANA}]{{2,5}})"
                         r"(?=\s*(?:様|さん)?\s*(?:[（(]|$))")

# what a memo writes in katakana under such a label and is no one (対応者：ナシ, 受付：スミ)
_NOT_CLERK_KANA = frozenset(("ナシ", "アリ", "ナイ", "スミ", "ズミ", "フメイ", "ミテイ", "ルス", "フザイ",
                             "ホリュウ", "カンリョウ", "ミカクニン", "ジドウ", "ホンニン", "ダイリ"))

# a chat's speaker by their side, the name in brackets: オペレーター（佐野）: …, お客様（山田 花子）: …,
# [オペレーター] 佐野: …, the time before them or not
_SIDE_SPEAKER = re.compile(rf"^\s*(?:(?:\d{{4}}[/-]\d{{1,2}}[/-]\d{{1,2}}\s*)?[\[［(（]?\d{{1,2}}:\d{{2}}"
                           rf"(?::\d{{2}})?[\]］)）]?\s*)?[\[［【]?"
                           r"(?P<side>オペレーター|担当者?|スタッフ|サポート|店員|係員|お客様|お客さま|顧客"
                           r"|ユーザー|相談者|会員)[\]］】]?\s*"
                           rf"[（(【\[]?\s*(?P<v>{_LEX_NAME})\s*(?:様|さん)?\s*[）)】\]]?\s*(?:[:：]|\t)")
_CUSTOMER_SIDE = re.compile("お客|顧客|ユーザー|相談者|会員")
# the line a mailer writes above the message it quotes, naming that message's writer:
# 2026年11月24日(火) 17:18 山田 花子 <…@…>:, 山田 花子 様からのメール:, 山田 さんは書きました:,
# On 2026/11/24 17:18, 山田 花子 wrote:
_QUOTE_HEADER = re.compile(rf"^\s*(?:On\s+)?(?P<when>[^<>]{{0,40}}?\d{{1,2}}:\d{{2}}(?::\d{{2}})?[,、]?\s+)?"
                           rf"(?P<v>{_LEX_NAME})\s*(?:様|さん)?\s*(?P<address><[^<>\s]+@[^<>\s]+>\s*)?"
                           r"(?P<said>からのメール|は書きました|が書きました|wrote)?[^。]{0,24}[:：]\s*$")
# a writer signing off: 以上、佐野でした。 以上、カスタマーサポートの佐野でした。
_SIGN_OFF = re.compile(rf"以上[、,]\s*(?:[^\s、。]{{1,20}}?(?:の|\s+))?(?P<v>{_LEX_NAME}?)"
                       r"(?:でした|がお送りしました|がお伝えしました)")
# a unit's word and a name, the line's all: CS 佐野, サポート 佐野, お客様窓口／佐野
_UNIT_NAME_LINE = re.compile(r"^\s*(?:CS|サポート|カスタマーサポート|カスタマーセンター|お客様窓口|お客様係"
                             r"|サポートデスク|窓口|オペレーター)(?:担当|チーム|係)?\s*[/／:：・]?\s*"
                             rf"(?P<v>{_LEX_NAME})\s*$")
# a clerk's label and a family name spelt out as a hurried memo writes it: 担当: sano, 対応：Sano,
# 担当 さの, 受付 サノ
_CLERK_SPELT = re.compile(rf"(?:^|(?<=[\s【\[(（■・、,]))(?:担当者?|対応者?|受付者?|応対者?|記入者|文責"
                          rf"|折り?返し担当|オペレーター)名?(?:\s*[:：]\s*|\s+)"
                          rf"(?P<v>[A-Za-z]{{2,12}}|[{HIRAGANA}]{{2,5}}|[{KATAKANA}]{{2,5}})"
                          r"(?=\s*(?:様|さん)?\s*(?:[（(]|$))")
_ROMAJI_NAME = re.compile(f"(?:{_MORA})+", re.IGNORECASE)
# what a memo writes there in romaji or hiragana and is no one (担当: none, 対応 なし, 受付 すみ)
_NOT_CLERK_SPELT = frozenset((
    "none", "auto", "self", "bot", "mail", "web", "tel", "fax", "admin", "staff", "support", "ok",
    "ng", "na", "tbd", "yes", "no", "done", "sumi", "nashi", "ari", "mada", "chat", "line", "sms",
    "ai", "me", "team", "all", "desk", "center",
    "なし", "あり", "すみ", "ずみ", "まだ", "みてい", "ふめい", "わたし", "じぶん", "ほんにん", "だいり",
    "るす", "ふざい", "ほりゅう", "かんりょう", "みかくにん", "じどう", "おなじ", "ぜんいん", "みんな",
    "のみ", "まで", "より", "から", "など", "です", "します", "した", "ちゅう", "いたします"))


def _clerk_spelt(value: str) -> bool:
    """A family name a clerk's label holds in romaji (Hepburn morae), hiragana or katakana, not a
    word memos write there (none, なし, スミ) nor a loanword's katakana."""
    if value.lower() in _NOT_CLERK_SPELT or value in _NOT_KANA_NAMES | _NOT_CLERK_KANA:
        return False
    if value.isascii():
        return _ROMAJI_NAME.fullmatch(value) is not None and len(value) >= 3
    return not _LOANWORD_KANA.search(value)


_ROLE_AFTER = re.compile(r"\s*(?:様|さん|さま|氏|殿)?\s*[（(](?P<role>[^（()）]{1,30})[）)]")


def _role_after(after: str) -> bool:
    """A role or an organisation in brackets right after the name: 中村さん（ミドリ物流）,
    山田（担当）: someone of a company, not a data subject (a relation there is a relative's)."""
    m = _ROLE_AFTER.match(after)
    return (m is not None and _ROLE_WORDS.search(m["role"]) is not None
            and not _RELATION_NOTE.match(m["role"]))


_LEADING_WORD = re.compile(r"^(?P<word>\S+)[ \u3000]+(?=\S)")
_LEADING_KIN = re.compile(rf"^(?:{_KIN_WORDS}|家族|ご家族)の(?=\S)")


_TITLE_START = re.compile(r"(?:支店長|支社長|店長|部長|課長|係長|社長|室長|所長|次長)")


def _org_word(match: Match) -> bool:
    """The detector took the end of an organisation's name for a name (ABC商事様 → 商事,
    ABC商事さんの → 商事): a word that ends as an organisation's does and no family name of
    the lexicon (服部, 渡部 are names)."""
    if match.category != "person_name":
        return False
    value = nfkc(match.value).strip()
    return (" " not in value and _ORG_END.search(value) is not None
            and _name_key(value) not in family_names())


def _trimmed(match: Match, line: str) -> Match:
    """The detector's name less a word before it (``_without_leading_word``) and less the first
    kanji of a title after it (山田支店長 → 山田, not 山田支)."""
    match = _without_leading_word(match, line)
    for k in (1, 2):
        if len(match.value) > k + 1 and _TITLE_START.match(line, match.end - k):
            rest = match.value[:-k]
            if _is_name(nfkc(rest)):
                return Match(match.category, match.start, match.end - k, rest)
    return match


def _without_leading_word(match: Match, line: str) -> Match:
    """A name the detector took with the word before it (ABC商事 中村様 → 商事 中村, 長男の嫁
    美咲さん → 嫁 美咲): that word ends an organisation's or a unit's name or is a relation, so
    the name is what follows it."""
    head = _LEADING_WORD.match(match.value)
    if head is None:
        # a relation and の taken with a relative's name (ご家族の蓮様 → 家族の蓮): the name follows
        kin = _LEADING_KIN.match(match.value)
        rest = match.value[kin.end():] if kin else ""
        if rest and (rest in ONE_KANJI_GIVEN_NAMES or rest in given_names() or _kin_name(rest)):
            return Match(match.category, match.start + kin.end(), match.end, rest)
        return match
    word = nfkc(head["word"])
    # … or the kanji end of a shop's name in kana (こはる堂 沢井 様 → 堂 沢井)
    shop_end = (re.fullmatch(_SHOP_END, word) is not None and match.start > 0
                and re.match(f"[{HIRAGANA}{KATAKANA}{PROLONGED}]", line[match.start - 1]) is not None)
    # a family name that ends as a unit does (渡部, 服部 祐介) is the name's own
    if (not (_UNIT_WORD.search(word) or _ORG_END.search(word) or word in _KINSHIP or shop_end)
            or _name_key(word) in family_names()):
        return match
    rest = match.value[head.end():]
    # a family name of the lexicon ending as a unit does is a name too (通販 岡部 → 岡部)
    if not (_is_name(nfkc(rest)) or _lexicon_ok(nfkc(rest))):
        return match
    start = match.start + head.end()
    return Match(match.category, start, match.end, line[start:match.end])


def _kana_given_name(value: str) -> bool:
    """A kana word a relative's frame took that can be a given name: of a name's shape, no
    loanword's kana, not a word that follows a relation word (ポイント, はい, こと)."""
    # the frame may end a word before a particle of its own: 妻のためにも → ために
    word = _PARTICLES_AT_END.sub("", value) or value
    return (re.fullmatch(_KANA_GIVEN, value) is not None and not _LOANWORD_KANA.search(value)
            and not {value, word} & (_NOT_KANA_NAMES | _NOT_KIN_NAMES))


_PARTICLES_AT_END = re.compile("[にでのもはがをとへやか]+$")


def _kin_name(value: str) -> bool:
    """What a relation's frame took is a name: a full name, a given name of the lexicon or of
    a given name's shape (花子, 心春, さくら, ハル), not a word that follows a relation (母のため)."""
    if re.fullmatch(_KANA_FULL, value):
        return all(_kana_given_name(word) for word in value.split(" "))
    kanji = re.match(f"[{KANJI}]", value) is not None
    # a family name that ends as a unit does (綾部 敏子) is still a name with its given name
    # … and a family and given name without a space the lexicon splits (立花孝), not a family
    # name alone (父の日本 …)
    joined = (kanji and len(value) >= 3 and _lexicon_ok(value)
              and _name_key(value) not in family_names())
    if _KANA_AFTER_KANJI.search(value):
        return _family_kana(value)
    return ((_is_name(value) or value in ONE_KANJI_GIVEN_NAMES
             or (" " in value and _lexicon_ok(value))) and value not in _NOT_KIN_NAMES
            and (" " in value or value in ONE_KANJI_GIVEN_NAMES or value in given_names() or joined
                 or bool(_GIVEN_NAME_END.search(value) if kanji else _kana_given_name(value))))


_KANA_AFTER_KANJI = re.compile(f"[{KANJI}][{HIRAGANA}{KATAKANA}]")


def _family_kana(value: str) -> bool:
    """A family name of the lexicon and a given name in katakana (相川 タケ, 羽田 ヨシエ), as the
    names of the elderly are often written, which the lexicon's rule does not take."""
    text = nfkc(value).strip()
    joined = " " not in text
    if joined and (split := _KANA_AFTER_KANJI.search(text)):
        text = f"{text[:split.start() + 1]} {text[split.start() + 1:]}"  # 小西トメ → 小西 トメ
    head, _, rest = text.partition(" ")
    # without a space the family name has two kanji at least (母の手もと is no 手 もと)
    return (bool(rest) and _name_key(head) in family_names() and not (joined and len(head) < 2)
            and re.fullmatch(_KANA_GIVEN, rest) is not None and _kana_given_name(rest))


def _anonymous(found: list[dict[str, list[str]]]) -> list[Cluster]:
    """Items with no one named: one person until a kind already seen comes again with another
    value (a list of phone numbers is many people; a phone and an address are one)."""
    out: list[Cluster] = []
    current = Cluster(None)
    for values in found:
        for category, items in values.items():
            for value in items:
                seen = current.items.get(category)
                if seen and value not in seen:
                    out.append(current)
                    current = Cluster(None)
                current.add({category: [value]})
    if current.items:
        out.append(current)
    return out


SURNAME_MAX = 4  # 佐藤, 長谷川, 勅使河原: a surname that begins a full name has at most four


_ROMAJI_GIVEN_FIRST = re.compile(r"(?P<given>[A-Z][a-z]+)[A-Z][a-z]+")


def _given_names_of(full_names: Iterable[str]) -> dict[str, str]:
    """For the full names of a part, the full name each given name stands for (花子 → 山田花子),
    when exactly one full name ends in it after a family name of the lexicon."""
    found: dict[str, set[str]] = {}
    for name in full_names:
        if romaji := _ROMAJI_GIVEN_FIRST.fullmatch(name):  # HanakoYamada: the given name first
            found.setdefault(romaji["given"], set()).add(name)
            continue
        for k in range(1, min(SURNAME_MAX, len(name) - 1) + 1):
            if _name_key(name[:k]) in family_names():
                found.setdefault(name[k:], set()).add(name)
    return {given: next(iter(names)) for given, names in found.items() if len(names) == 1}


class _Prefixes:
    """For a list of names, which longer name each short one (a surname: up to
    ``SURNAME_MAX`` characters) begins: the first one named (山田 → 山田太郎). A dictionary of
    prefixes, so a part or a thread with many names is not compared pair by pair."""

    def __init__(self, names: Iterable[str]) -> None:
        self.first: dict[str, str] = {}
        for name in names:
            for k in range(1, min(SURNAME_MAX, len(name) - 1) + 1):
                self.first.setdefault(name[:k], name)

    def canonical(self, name: str) -> str:
        """The longer name a surname stands for; the name itself otherwise."""
        return self.first.get(name, name) if len(name) <= SURNAME_MAX else name

    def begins(self, name: str) -> bool:
        return len(name) <= SURNAME_MAX and name in self.first


_KANA_NAME = re.compile(f"[{HIRAGANA}{KATAKANA}{PROLONGED}]+")


def _part_readings(part: str, readings: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A family or given name's readings: its own when written in kana, the lexicon's else."""
    return (_katakana(part),) if _KANA_NAME.fullmatch(part) else readings.get(part, ())


def _name_readings(name: str) -> set[str]:
    """The readings of a name with kanji (黒田一郎 → クロダイチロウ): a family name's reading and a
    given name's, for each way the lexicon splits it."""
    found: set[str] = set()
    for k in range(1, min(SURNAME_MAX, len(name) - 1) + 1):
        family = _part_readings(name[:k], family_readings())
        if family:
            given = _part_readings(name[k:], given_readings())
            found.update(f + g for f in family for g in given)
    return found


def _kana_spelt(names: set[str]) -> dict[str, str]:
    """For names of a part written in kana, the one name with kanji they read as (くろだいちろう →
    黒田一郎: a form's block in kanji, its note in kana): one person, not two. A reading that
    more than one name has links to neither."""
    kana = {n for n in names if _KANA_NAME.fullmatch(n)}
    if not kana:
        return {}
    by_reading: dict[str, set[str]] = {}
    for name in names - kana:
        for reading in _name_readings(name):
            by_reading.setdefault(reading, set()).add(name)
    spelt = {n: by_reading.get(_katakana(n), set()) for n in kana}
    return {n: next(iter(written)) for n, written in spelt.items() if len(written) == 1}


def _names_staff(name: str, staff: set[str], prefixes: _Prefixes) -> bool:
    """The name is a staff member's, or the surname of one (林 様 for 林 一郎)."""
    return bool(name) and (name in staff or prefixes.begins(name))


def _name_key(value: str) -> str:
    return by_category("person_name").normalise_value(value)


def _is_full(value: str) -> bool:
    """Written as family and given name (a space between, or Latin words), or at least four
    characters long and not a family name alone (勅使河原 様 is the 勅使河原 浩二 of the thread):
    a name that links across threads on its own."""
    text = nfkc(value).strip()
    core = text.replace(" ", "")
    if text.isascii():
        return " " in text  # one romaji word is a given name or a surname, however long (Hanako)
    return " " in text or (len(core) >= 4 and _name_key(core) not in family_names())


def _is_name(value: str) -> bool:
    core = value.replace(" ", "")
    return (core not in _NOT_SELF and not _ORG_WORDS.search(core)
            and by_category("person_name").validate(value))


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def _normalise_value(category: str, value: str) -> str:
    return by_category(category).normalise_value(value)


# --- counting over the scan -----------------------------------------------------------------


@dataclass(frozen=True)
class ProsePeople:
    counter: PeopleCounter
    staff: int  # distinct names judged to write for the company (not counted)
    mentions: int  # data subjects of the threads, before full names join them across threads


def count(docs: list[ProseDoc], temp_dir: str | None = None) -> ProsePeople:
    """The records of prose people: threads joined, the company's names and values left out,
    full names joined across threads unless their items tell namesakes apart."""
    staff_everywhere = set().union(*(d.staff_full for d in docs))
    company = set().union(*(d.company_values for d in docs))
    people: list[tuple[str, Cluster]] = []  # (thread group, cluster) after joining threads
    for group_id, members in _thread_groups(docs).items():
        staff = set().union(*(d.staff for d in members))  # the thread's, surnames too
        subjects = [c for d in members for c in d.subjects]
        named = _Prefixes(c.name for c in subjects
                          if c.name and c.name not in staff and c.name not in staff_everywhere)
        staff_prefixes = _Prefixes(staff)
        spelt = _kana_spelt({c.name for c in subjects if c.name})
        merged: dict[str, Cluster] = {}
        for cluster in subjects:
            if cluster.name is None:
                people.append((group_id, cluster))
                continue
            name = spelt.get(cluster.name, cluster.name)
            key = name if cluster.full or name != cluster.name else named.canonical(name)
            if key in staff or key in staff_everywhere or (
                    key == cluster.name and not cluster.full
                    and _names_staff(key, staff, staff_prefixes)):
                continue  # the company's own people, by full name or by a staff surname
            target = merged.setdefault(key, Cluster(key))
            target.full = target.full or cluster.full or key != cluster.name
            target.add(cluster.items)
        people.extend((group_id, c) for c in merged.values())
    rows: dict[str, list[str | None]] = {f: [] for f in PROSE_FIELDS}
    for person, cluster in zip(_person_ids(people), (c for _, c in people), strict=True):
        items = {c: [v for v in values if v not in company
                     and not (c == "phone" and _SERVICE_PHONE.match(v))]
                 for c, values in cluster.items.items()}
        if cluster.name is None and not any(items.values()):
            continue
        records = [{c: values[0] for c, values in items.items() if values}]
        # further values (a second phone) in records of their own, joined by prose_person
        records += [{category: value} for category, values in items.items()
                    for value in values[1:]]
        # a surname or a given name alone, with no item, is one person of its thread: its name
        # must not attach it to a namesake's record of another thread or a table (a name alone
        # attaches to a fuller record of that name: people.ATTACH_RULES)
        name = cluster.name if cluster.full or any(items.values()) else None
        for record in records:
            record.update(person_name=name, prose_person=person)
            for f in PROSE_FIELDS:
                rows[f].append(record.get(f))
    counter = PeopleCounter(temp_dir=temp_dir)
    if rows["prose_person"]:
        counter.add(pl.DataFrame(rows, schema=dict.fromkeys(rows, pl.Utf8)), keys=PROSE_KEYS)
    all_staff = set().union(*(d.staff for d in docs))
    # a staff member named by surname too (林 and 林 一郎) is one person
    staff_prefixes = _Prefixes(all_staff)
    people_of_staff = {s for s in all_staff if not staff_prefixes.begins(s)}
    return ProsePeople(counter, len(people_of_staff), len(people))


# Items a person has one of: two different values are two people (namesakes).
_ONE_PER_PERSON = ("email", "birth_date", "my_number", "credit_card")


def _person_ids(people: list[tuple[str, Cluster]]) -> list[str]:
    """A person key for each cluster: a full name is one person across threads unless an item
    a person has one of differs (another e-mail address, birth date …: a namesake); a surname
    alone or no name stays the person of its thread."""
    ids: list[str] = []
    seen: dict[str, list[tuple[str, Cluster]]] = {}  # full name → (id, items so far)
    for index, (group, cluster) in enumerate(people):
        if cluster.name is None or not cluster.full:
            ids.append(f"{group}\x1f{cluster.name or f'#{index}'}")
            continue
        for person, known in seen.setdefault(cluster.name, []):
            if not _conflict(known, cluster):
                known.add(cluster.items)
                ids.append(person)
                break
        else:
            person = f"name\x1f{cluster.name}\x1f{len(seen[cluster.name])}"
            seen[cluster.name].append((person, Cluster(cluster.name, True, {
                c: list(v) for c, v in cluster.items.items()})))
            ids.append(person)
    return ids


def _conflict(a: Cluster, b: Cluster) -> bool:
    return any(a.items.get(c) and b.items.get(c) and not set(a.items[c]) & set(b.items[c])
               for c in _ONE_PER_PERSON)


def _thread_groups(docs: list[ProseDoc]) -> dict[str, list[ProseDoc]]:
    """Parts joined by a shared root message id, and replies joined by subject to the one
    mail that bears it (two mails of one subject, お知らせ of a template, join nothing)."""
    parent = list(range(len(docs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        parent[max(a, b)] = min(a, b)

    first: dict[str, int] = {}
    originals: dict[str, list[int]] = {}
    replies: dict[str, list[int]] = {}
    for i, doc in enumerate(docs):
        for key in doc.threads:
            kind, _, digest = key.partition(":")
            if kind == "subject":
                originals.setdefault(digest, []).append(i)
            elif kind == "reply":
                replies.setdefault(digest, []).append(i)
            elif key in first:
                join(first[key], i)
            else:
                first[key] = i
    for digest, answering in replies.items():
        if len(originals.get(digest, ())) == 1:
            for i in answering:
                join(originals[digest][0], i)
    groups: dict[str, list[ProseDoc]] = {}
    for i, doc in enumerate(docs):
        groups.setdefault(f"t{root(i)}", []).append(doc)
    return groups
