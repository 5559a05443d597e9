"""ZIP reader: members through the normal dispatch, and the limits against zip bombs."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from rouei.scanning.readers import Limits, read_parts

from .builders import (
    HEADER,
    collect,
    csv_text,
    customers,
    docx_bytes,
    excel_cp932_csv,
    write,
    zip_bytes,
    zipcrypto_zip,
)

CSV = "氏名,電話\n山田,090-1234-5678\n".encode()


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> bytes:
    """200 MB of zeros in one member: about 200 KB on disk."""
    buffer = io.BytesIO()
    chunk = bytes(1 << 20)
    with (zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
          archive.open("zeros.csv", "w") as member):
        for _ in range(200):
            member.write(chunk)
    assert len(buffer.getvalue()) < 1_000_000
    return buffer.getvalue()


def _nested(depth: int) -> bytes:
    data = zip_bytes({"list.csv": CSV})
    for level in range(depth - 1, 0, -1):
        data = zip_bytes({f"level{level + 1}.zip": data})
    return data


def test_members_are_read_and_named_inside_the_archive(tmp_path):
    rows = customers(3)
    data = zip_bytes({"2024/顧客.csv": excel_cp932_csv([HEADER, *rows]),
                      "memo.txt": "山田様 090-1234-5678\n".encode(), "empty/": b""})
    table, text = collect(write(tmp_path, "leak.zip", data))
    assert table.name == "leak.zip!/2024/顧客.csv"
    assert table.part.encoding == "cp932" and table.frame.height == 3
    assert text.name == "leak.zip!/memo.txt"
    assert text.lines == [(1, "山田様 090-1234-5678")]


def test_zip_bomb_is_refused_quickly_without_expanding(tmp_path, bomb):
    path = write(tmp_path, "bomb.zip", bomb)
    spill = tmp_path / "spill"
    spill.mkdir()
    started = time.perf_counter()
    reads = collect(path, limits=Limits(temp_dir=str(spill)))
    assert time.perf_counter() - started < 1.0
    assert [(r.name, r.code) for r in reads] == [("bomb.zip!/zeros.csv", "zip_bomb")]
    assert "圧縮率" in reads[0].part.reason
    assert list(spill.iterdir()) == []


def test_bomb_member_is_refused_while_its_siblings_are_read(tmp_path, bomb):
    data = zip_bytes({"a.csv": CSV, "inner.zip": bomb, "b.csv": CSV}, zipfile.ZIP_STORED)
    reads = collect(write(tmp_path, "outer.zip", data))
    assert [(r.name, r.code) for r in reads] == [
        ("outer.zip!/a.csv", None), ("outer.zip!/inner.zip!/zeros.csv", "zip_bomb"),
        ("outer.zip!/b.csv", None)]


def test_nesting_deeper_than_the_limit_is_too_deep(tmp_path):
    path = write(tmp_path, "level1.zip", _nested(5))
    (read,) = collect(path)
    assert read.code == "too_deep"
    assert read.name == "level1.zip!/level2.zip!/level3.zip!/level4.zip"


def test_nesting_within_the_limit_is_read_to_the_bottom(tmp_path):
    path = write(tmp_path, "level1.zip", _nested(5))
    (read,) = collect(path, limits=Limits(max_zip_depth=5))
    assert read.name == "level1.zip!/level2.zip!/level3.zip!/level4.zip!/level5.zip!/list.csv"
    assert read.frame["電話"].to_list() == ["090-1234-5678"]


def test_total_uncompressed_size_limit_stops_later_members(tmp_path):
    big = csv_text([HEADER, *customers(40)]).encode()
    data = zip_bytes({"1.csv": big, "2.csv": big, "3.csv": big})
    reads = collect(write(tmp_path, "a.zip", data),
                    limits=Limits(max_total_uncompressed=len(big) * 2 + 10))
    assert [r.code for r in reads] == [None, None, "too_large"]


def test_member_count_limit_stops_the_archive(tmp_path):
    data = zip_bytes({f"{i}.txt": b"x" for i in range(5)})
    reads = collect(write(tmp_path, "many.zip", data), limits=Limits(max_members=3))
    assert [r.code for r in reads] == [None, None, None, "too_large"]
    assert reads[-1].name == "many.zip"


def _mark_encrypted(data: bytes, name: str) -> bytes:
    """Set the "encrypted" flag of a member in its local and central headers, as ZipCrypto
    does (zipfile cannot write encrypted archives; the content does not matter here)."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        offset = archive.getinfo(name).header_offset
    out[offset + 6] |= 0x1
    position = out.find(b"PK\x01\x02")
    while position != -1:
        length = int.from_bytes(out[position + 28:position + 30], "little")
        if out[position + 46:position + 46 + length] == name.encode():
            out[position + 8] |= 0x1
        position = out.find(b"PK\x01\x02", position + 4)
    return bytes(out)


def test_encrypted_member_is_unreadable_encrypted(tmp_path):
    data = _mark_encrypted(zip_bytes({"secret.csv": CSV, "open.csv": CSV}), "secret.csv")
    reads = collect(write(tmp_path, "ppap.zip", data))
    assert [(r.name, r.code) for r in reads] == [("ppap.zip!/secret.csv", "encrypted"),
                                                 ("ppap.zip!/open.csv", None)]


def test_ppap_member_opens_with_its_password(tmp_path):
    # PPAP: the archive came by mail and its password in the next mail; the sender has both.
    path = write(tmp_path, "ppap.zip", zipcrypto_zip({"顧客.csv": CSV, "memo.txt": b"x"},
                                                     b"Himitsu#2024"))
    reads = collect(path, limits=Limits(zip_passwords=("wrong", "Himitsu#2024")))
    assert [(r.name, r.code) for r in reads] == [("ppap.zip!/顧客.csv", None),
                                                 ("ppap.zip!/memo.txt", None)]
    assert reads[0].frame["電話"].to_list() == ["090-1234-5678"]


def test_ppap_member_with_a_japanese_password_written_in_cp932(tmp_path):
    path = write(tmp_path, "ppap.zip", zipcrypto_zip({"a.csv": CSV}, "ひみつ".encode("cp932")))
    (read,) = collect(path, limits=Limits(zip_passwords=("ひみつ",)))
    assert read.code is None and read.frame.height == 1


def test_ppap_member_with_no_fitting_password_says_so(tmp_path):
    path = write(tmp_path, "ppap.zip", zipcrypto_zip({"a.csv": CSV}, b"right"))
    (without,) = collect(path)
    (wrong,) = collect(path, limits=Limits(zip_passwords=("wrong", "also wrong")))
    assert without.code == wrong.code == "encrypted"
    assert "--zip-password" in without.part.reason
    assert "指定したパスワードでは開けません" in wrong.part.reason
    assert "wrong" not in wrong.part.reason  # passwords are never reported


class _Cp932Name(zipfile.ZipInfo):
    """A member name stored in CP932 without the UTF-8 flag, as Japanese Windows writes it."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("cp932"), self.flag_bits & ~0x800


def test_cp932_member_names_are_decoded(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_Cp932Name("顧客一覧.csv"), CSV)
    (read,) = collect(write(tmp_path, "win.zip", buffer.getvalue()))
    assert read.name == "win.zip!/顧客一覧.csv"
    assert read.part.columns == ("氏名", "電話")


def test_member_names_are_never_used_as_paths(tmp_path):
    target = tmp_path / "inside"
    target.mkdir()
    data = zip_bytes({"../../escaped.csv": CSV, "/etc/absolute.csv": CSV})
    reads = collect(write(target, "evil.zip", data), limits=Limits(temp_dir=str(target)))
    assert [r.name for r in reads] == ["evil.zip!/../../escaped.csv",
                                       "evil.zip!/etc/absolute.csv"]
    assert all(r.frame.height == 1 for r in reads)
    assert sorted(p.name for p in target.iterdir()) == ["evil.zip"]
    assert not (tmp_path / "escaped.csv").exists()


def test_truncated_archive_is_unreadable_corrupt(tmp_path):
    data = zip_bytes({"a.csv": CSV * 100})
    (read,) = collect(write(tmp_path, "cut.zip", data[: len(data) // 2]))
    assert read.code == "corrupt"


def test_part_consumed_after_the_archive_moved_on_raises(tmp_path):
    path = write(tmp_path, "two.zip", zip_bytes({"a.csv": CSV, "b.csv": CSV}))
    parts = list(read_parts(path, "two.zip"))
    with pytest.raises(RuntimeError, match="consume each part"):
        list(parts[0].batches)


def _directory_cut_short(data: bytes, member: str) -> bytes:
    """The archive with the central directory entry before ``member``'s claiming a 1 KB
    comment: Python's zipfile then runs past the directory's declared size there and lists
    neither ``member`` nor any after it, without an error (what a flipped byte in the directory
    does)."""
    directory = data.rfind(b"PK\x01\x02", 0, data.rfind(member.encode()))
    before = data.rfind(b"PK\x01\x02", 0, directory)
    damaged = bytearray(data)
    damaged[before + 33] = 4  # the high byte of that entry's comment length
    assert member not in zipfile.ZipFile(io.BytesIO(bytes(damaged))).namelist()
    return bytes(damaged)


def test_a_directory_that_lists_fewer_members_than_declared_says_so(tmp_path):
    data = zip_bytes({"a.csv": CSV, "b.txt": "山田様\n".encode(), "c.csv": CSV})
    path = write(tmp_path, "cut.zip", _directory_cut_short(data, "b.txt"))
    assert "corrupt" in [read.code for read in collect(path)]


def test_the_members_a_damaged_directory_lists_are_still_read(tmp_path):
    data = zip_bytes({"a.csv": CSV, "b.txt": "山田様\n".encode(), "c.csv": CSV})
    path = write(tmp_path, "cut.zip", _directory_cut_short(data, "b.txt"))
    names = [read.name for read in collect(path)]
    assert "cut.zip!/a.csv" in names  # b.txt and c.csv are not listed


def test_a_docx_whose_directory_lost_the_document_is_not_read_as_a_plain_archive(tmp_path):
    data = docx_bytes(["山田 太郎 様"], [HEADER, customers(1)[0]])
    damaged = _directory_cut_short(data, "word/document.xml")
    (read,) = collect(write(tmp_path, "a.docx", damaged))
    assert read.code == "corrupt"


@pytest.mark.parametrize("members", [0, 1, 7, 65_536])
def test_declared_members_reads_the_count_zipfile_wrote(tmp_path, members):
    from rouei.scanning.readers.zipfile_reader import declared_members

    path = tmp_path / "n.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.comment = b"PK\x05\x06 in a comment"
        for index in range(members):
            archive.writestr(f"m{index}", b"")
    assert declared_members(path) == members
