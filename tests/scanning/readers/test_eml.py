"""E-mail reader: decoded headers and bodies as lines, attachments read recursively."""

from __future__ import annotations

from email.message import EmailMessage

from .builders import (
    HEADER,
    collect,
    customers,
    excel_cp932_csv,
    mail_with_attachment,
    write,
    zip_bytes,
)


def test_attached_csv_comes_out_as_a_table_inside_the_mail(tmp_path):
    rows = customers(3)
    path = write(tmp_path, "mail.eml", mail_with_attachment(excel_cp932_csv([HEADER, *rows])))
    message, table = collect(path)

    assert message.name == "mail.eml"
    assert table.name == "mail.eml!/顧客一覧.csv"
    assert table.part.encoding == "cp932"
    assert table.part.columns == tuple(HEADER)
    assert table.frame["電話番号"].to_list() == [r[2] for r in rows]
    assert table.row_number(0) == 2


def test_headers_are_decoded_one_line_each_then_the_body(tmp_path):
    path = write(tmp_path, "mail.eml", mail_with_attachment(b"a,b\n"))
    assert b"=?utf-8?" in path.read_bytes()  # the header is really encoded on disk
    message = collect(path)[0]
    lines = [line for _, line in message.lines]
    assert "From: 山田 太郎 <taro@example.jp>" in lines
    assert "Subject: 顧客リストの送付" in lines
    body_start = lines.index("") + 1
    assert lines[body_start:body_start + 3] == [
        "お世話になっております。", "顧客リストを送付します。", "電話 090-1234-5678"]
    assert [n for n, _ in message.lines] == list(range(1, len(lines) + 1))


def test_iso_2022_jp_body_and_html_alternative_give_the_plain_text_once(tmp_path):
    message = EmailMessage()
    message["From"] = "佐藤 <sato@example.jp>"
    message["Subject"] = "ご連絡"
    message.set_content("佐藤様の住所は東京都港区です。\n", charset="iso-2022-jp")
    message.add_alternative("<p>佐藤様の<b>住所</b>は東京都港区です。</p>", subtype="html")
    path = write(tmp_path, "alt.eml", message.as_bytes())
    (read,) = collect(path)
    body = [line for _, line in read.lines if "住所" in line]
    assert body == ["佐藤様の住所は東京都港区です。"]


def test_html_only_body_is_converted_to_text(tmp_path):
    message = EmailMessage()
    message["From"] = "a@example.jp"
    message["To"] = "b@example.jp"
    message.set_content("<html><style>p{}</style><p>山田&amp;鈴木<br>090-1234-5678</p></html>",
                        subtype="html")
    (read,) = collect(write(tmp_path, "h.eml", message.as_bytes()))
    lines = [line for _, line in read.lines]
    assert "山田&鈴木" in lines and "090-1234-5678" in lines
    assert not any("<" in line or "p{}" in line for line in lines)


def test_zip_attachment_is_read_recursively(tmp_path):
    archive = zip_bytes({"list.csv": "氏名,電話\n山田,090-1234-5678\n".encode()})
    message = EmailMessage()
    message["From"] = "a@example.jp"
    message["To"] = "b@example.jp"
    message.set_content("添付します")
    message.add_attachment(archive, maintype="application", subtype="zip",
                           filename="../../etc/送付.zip")
    reads = collect(write(tmp_path, "z.eml", message.as_bytes()))
    assert [r.name for r in reads] == ["z.eml", "z.eml!/送付.zip!/list.csv"]
    assert reads[1].frame["電話"].to_list() == ["090-1234-5678"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["z.eml"]


def test_eml_sniffed_by_headers_without_extension(tmp_path):
    path = write(tmp_path, "message", mail_with_attachment(b"x"))
    assert collect(path)[0].lines[0][1].startswith(("From:", "Content-Type:", "MIME"))
