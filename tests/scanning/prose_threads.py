"""Customer-support mails and notes for the prose people tests: realistic threads (an inquiry
and its answer, a complaint naming a family member, a mis-sent mail apology, a call note), each
with the people who are data subjects in it. Written as mail programs write them (MIME, encoded
headers, ISO-2022-JP or UTF-8 bodies)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from tests.scanning.scan_helpers import scan_folder

JST = timezone(timedelta(hours=9))


def mail(sender: str, to: str, subject: str, body: str, *, message_id: str,
         reply_to: str | None = None, charset: str = "utf-8") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2024, 4, 3, 10, 0, tzinfo=JST))
    message["Message-ID"] = message_id
    if reply_to:
        message["In-Reply-To"] = reply_to
        message["References"] = reply_to
    message.set_content(body, charset=charset)
    return message.as_bytes()


INQUIRY = mail(
    "佐藤 花子 <hanako.sato@gmail.com>", "サンプル商店 サポート <support@sample-shop.co.jp>",
    "注文した商品が届きません（注文番号 A-1001）", """サンプル商店 ご担当者様

お世話になります。佐藤と申します。
4月1日に注文した商品がまだ届いていません。
届け先は 〒150-0001 東京都渋谷区神宮前1-2-3 です。
電話番号：090-1234-5678

よろしくお願いします。
佐藤 花子
""", message_id="<inquiry-1@mail.gmail.com>")

ANSWER = mail(
    "林 一郎 <hayashi@sample-shop.co.jp>", "佐藤 花子 <hanako.sato@gmail.com>",
    "Re: 注文した商品が届きません（注文番号 A-1001）", """佐藤 花子 様

いつもサンプル商店をご利用いただき、誠にありがとうございます。
カスタマーサポートの林でございます。

ご注文の商品は4月5日に発送いたしました。
佐藤様には大変ご迷惑をおかけし、申し訳ございません。

--
株式会社サンプル商店 カスタマーサポート
林 一郎
TEL: 03-1234-5678 / FAX: 03-1234-5679
Mail: hayashi@sample-shop.co.jp

> お世話になります。佐藤と申します。
> 電話番号：090-1234-5678
> よろしくお願いします。
> 佐藤 花子
""", message_id="<answer-1@sample-shop.co.jp>", reply_to="<inquiry-1@mail.gmail.com>",
    charset="iso-2022-jp")

COMPLAINT = mail(
    "田中 美咲 <misaki.t@docomo.ne.jp>", "support@sample-shop.co.jp",
    "破損していた商品について", """ご担当者様

お世話になっております。田中です。
連絡先は080-9876-5432です。
先日届いた商品が割れていました。
母の田中 良子様へのプレゼントとして注文したもので、大変残念です。
交換をお願いできますでしょうか。

以上、よろしくお願いいたします。
田中 美咲
""", message_id="<complaint-7@docomo.ne.jp>", charset="iso-2022-jp")

MISSENT = mail(
    "山本 健 <yamamoto@sample-shop.co.jp>", "鈴木 一郎 <ichiro.suzuki@yahoo.co.jp>",
    "【お詫び】メール誤送信について", """鈴木 一郎 様

株式会社サンプル商店 お客様相談室の山本です。
先ほど、高橋 誠様宛のご注文確認メールを誤って鈴木様にお送りしてしまいました。
お手数ですが、該当のメールを削除していただけますでしょうか。
誠に申し訳ございません。

━━━━━━━━━━━━━━━━━━━━
株式会社サンプル商店 お客様相談室
山本 健
TEL：0120-123-456（平日10時～17時）
━━━━━━━━━━━━━━━━━━━━
""", message_id="<missent-3@sample-shop.co.jp>")

CALL_NOTE = """2024/4/3 14:05 入電
お客様：伊藤 裕子 様
住所：大阪府大阪市北区梅田1-1-1
電話：06-6123-4567
生年月日：1980年5月6日
商品交換を受付。伊藤様には折り返し連絡済み。
担当：中村
"""

# file → the data subjects it names (the truth the tests count against)
THREADS: dict[str, bytes] = {
    "mail/inquiry.eml": INQUIRY,
    "mail/answer.eml": ANSWER,
    "mail/complaint.eml": COMPLAINT,
    "mail/missent.eml": MISSENT,
    "notes/call_0403.txt": CALL_NOTE.encode("utf-8"),
}
SUBJECTS = {"佐藤花子", "田中美咲", "田中良子", "鈴木一郎", "高橋誠", "伊藤裕子"}
STAFF = {"林一郎", "山本健", "中村"}


def write(folder: Path, names: list[str] | None = None) -> Path:
    for name, data in THREADS.items():
        if names is None or name in names:
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return folder


def scan_text(tmp_path: Path, text: str, name: str) -> tuple[dict, list[dict]]:
    """Scan one text file ``name`` holding ``text``: the report and the findings."""
    folder = tmp_path / "leak"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    report, findings = scan_folder(folder, tmp_path)
    return report.to_dict(), findings
