"""Word reader: paragraphs and table cells as lines."""

from __future__ import annotations

from .builders import collect, docx_bytes, write


def test_paragraphs_and_table_cells_are_lines_in_document_order(tmp_path):
    data = docx_bytes(["顧客情報の一覧", "担当: 山田 太郎"],
                      [["氏名", "電話"], ["鈴木 花子", "090-1234-5678"]])
    (read,) = collect(write(tmp_path, "report.docx", data))
    assert read.name == "report.docx"
    assert read.lines == [(1, "顧客情報の一覧"), (2, "担当: 山田 太郎"), (3, "氏名"), (4, "電話"),
                          (5, "鈴木 花子"), (6, "090-1234-5678")]


def test_truncated_docx_is_unreadable(tmp_path):
    data = docx_bytes(["山田"], [["a"]])
    (read,) = collect(write(tmp_path, "cut.docx", data[: len(data) // 2]))
    assert read.code == "corrupt"


def test_docx_is_recognised_by_content_whatever_its_extension(tmp_path):
    data = docx_bytes(["山田 太郎"], [["x"]])
    (read,) = collect(write(tmp_path, "attachment.bin", data))
    assert read.lines[0] == (1, "山田 太郎")


def _with_document_xml(data: bytes, change) -> bytes:
    """The .docx with its word/document.xml passed through ``change``."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "word/document.xml":
                content = change(content.decode()).encode()
            target.writestr(name, content)
    return out.getvalue()


def _doctype(xml: str, declarations: str) -> str:
    end = xml.index("?>") + 2
    return xml[:end] + f"<!DOCTYPE w:document [{declarations}]>" + xml[end:]


def test_text_after_an_entity_reference_is_kept_and_the_entity_expanded(tmp_path):
    data = _with_document_xml(docx_bytes(["顧客: 山田 太郎 様"], [["x"]]), lambda xml: _doctype(
        xml, '<!ENTITY co "株式会社テスト">').replace("顧客: 山田", "&co; 顧客: 山田"))
    (read,) = collect(write(tmp_path, "memo.docx", data))
    assert read.lines[0] == (1, "株式会社テスト 顧客: 山田 太郎 様")
    assert read.part.skipped == {}


def test_an_external_entity_is_never_read_but_counted(tmp_path):
    data = _with_document_xml(docx_bytes(["顧客: 山田 太郎 様"], [["x"]]), lambda xml: _doctype(
        xml, '<!ENTITY ext SYSTEM "file:///etc/hostname">').replace("顧客:", "&ext;顧客:"))
    (read,) = collect(write(tmp_path, "memo.docx", data))
    assert read.lines[0] == (1, "顧客: 山田 太郎 様")
    assert read.part.skipped == {"unresolved_entities": 1}


def test_malformed_document_xml_is_read_as_far_as_it_goes_and_counted(tmp_path):
    data = _with_document_xml(docx_bytes(["顧客: 山田 太郎 様", "電話 090-1234-5678"], [["x"]]),
                              lambda xml: xml.replace("電話", "電話 &undefined;"))
    (read,) = collect(write(tmp_path, "memo.docx", data))
    assert read.code is None
    assert (1, "顧客: 山田 太郎 様") in read.lines
    assert any("090-1234-5678" in line for _, line in read.lines)
    assert read.part.skipped["xml_errors"] >= 1
