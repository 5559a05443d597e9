"""ZIP archives (ZIP アーカイブ): every member is read through the normal dispatch, named
``outer.zip!/dir/inner.csv``, nested archives recursively.

Against zip bombs, the archive as a whole is judged first, from its central directory, before
a byte is inflated: the declared sizes of the members to be inflated, together, more than
``Limits.max_archive_ratio`` times the archive file's size (once they reach
``Limits.ratio_min_size``) is a "zip_bomb" — the 2,000 members of about 1 MB each in 2.2 MB of
issue 15 kept a worker busy for 39 minutes, each member just small enough to escape the
per-member check. Then each member by its own declared sizes: more than ``Limits.max_zip_ratio``
: 1 (for members of at least ``Limits.ratio_min_size``) is a "zip_bomb"; more than what is left
of ``Limits.max_total_uncompressed`` for the whole top-level file (all nested archives
together) is "too_large"; more than ``Limits.max_members`` members in all stops the archive
("too_large"): what fits is read. ZIPs nested deeper than ``Limits.max_zip_depth`` are
"too_deep" (checked by the dispatcher). Python's zipfile never inflates more than the declared
size and checks the CRC, so a member that lies about its size ends as "corrupt", not as a
flood. While members are copied out, the scan's guard (time, memory, cancel: control.py) is
asked between members and after every megabyte; the top-level archive reports its progress
member by member (``ReadContext.advance``).

Member names are never used as paths: each member is copied, in chunks, to a temporary file with
a random name (keeping only a plain extension), read, and removed. Names not flagged UTF-8 are
decoded as CP932 when they are not valid UTF-8 (Japanese Windows archives). Encrypted members
(PPAP: a ZIP sent with its password in another mail) are opened with ``Limits.zip_passwords``
when one fits (ZipCrypto; tried as UTF-8, then CP932), else they are "encrypted"; AES-encrypted
members (7-Zip and others) are "encrypted" whatever the password (Python's zipfile cannot
decrypt them). Disk: one member per nesting level at a time.

A central directory that lists fewer members than the archive's end record declares (a damaged
entry length ends Python's listing early, without an error) is reported as "corrupt" with both
counts, and the members it does list are read; a .docx or .xlsx damaged that way is not taken
for a plain archive of XML files (``_sniff``) but said to be unreadable by its own reader.
"""

from __future__ import annotations

import dataclasses
import struct
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

from rouei.scanning.model import Part, Unreadable
from rouei.scanning.readers._base import (
    COPY_CHUNK,
    ReadContext,
    corrupt,
    safe_suffix,
    temp_file,
    unreadable,
)

_SUPPORTED = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_AES = 99


def read(path: Path, name: str, ctx: ReadContext, kind: str = "zip") -> Iterator[Part]:
    try:
        archive = zipfile.ZipFile(path)
        members = [info for info in archive.infolist() if not info.is_dir()]
    except Exception as exc:
        yield corrupt(name, exc)
        return
    inner = ctx.inside("zip")
    with archive:
        refusal = judge_archive(path, members, name, ctx)
        if refusal is not None:
            yield refusal
            return
        declared, listed = declared_members(path), len(archive.infolist())
        if declared is not None and declared > listed:
            yield unreadable(
                name, "corrupt",
                f"ZIP の目次 (中央ディレクトリ) が壊れているため、メンバー {declared:,} 件のうち "
                f"{listed:,} 件しか読めません",
                f"the archive's central directory is damaged: {listed:,} of {declared:,} "
                "members could be listed; the others are not read")
        for index, info in enumerate(members):
            ctx.guard.check()
            if ctx.budget.members <= 0:
                yield unreadable(
                    name, "too_large",
                    f"メンバー数が上限 ({ctx.limits.max_members}) を超えたため、残り "
                    f"{len(members) - index} 件は読んでいません",
                    f"more members than the limit ({ctx.limits.max_members}); "
                    f"{len(members) - index} not read")
                return
            ctx.budget.members -= 1
            member_name = f"{name}!/{display_name(info)}"
            refusal = judge(info, member_name, ctx)
            if refusal is not None:
                yield _at_member(refusal, ctx, display_name(info))
                if ctx.advance is not None:
                    ctx.advance(info.compress_size)
                continue
            ctx.budget.uncompressed -= info.file_size
            yield from _read_member(archive, info, member_name, inner, display_name(info))
            if ctx.advance is not None:  # the top-level archive: its progress moves per member
                ctx.advance(info.compress_size)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member_name: str,
                 ctx: ReadContext, member: str) -> Iterator[Part]:
    encrypted = bool(info.flag_bits & 0x1)
    # Without encryption one try with no password; with it, each password in each encoding.
    tries: list[bytes | None] = [None]
    if encrypted:
        tries = list(dict.fromkeys(p.encode(enc) for p in ctx.limits.zip_passwords
                                   for enc in ("utf-8", "cp932") if _encodes(p, enc)))
    with temp_file(ctx.limits, safe_suffix(member_name)) as (member_path, handle):
        for pwd in tries:
            handle.seek(0)
            handle.truncate()
            try:
                with archive.open(info, pwd=pwd) as source:
                    _copy_guarded(source, handle, ctx)
                break
            except RuntimeError as exc:  # "password required", "Bad password for file"
                if not encrypted:  # encryption not flagged per member
                    yield _at_member(_encrypted(member_name, exc), ctx, member)
                    return
            except zipfile.BadZipFile as exc:
                # A wrong password passes ZipCrypto's one-byte check 1 time in 256; the CRC
                # then fails. Without a password it is damage.
                if not encrypted:
                    yield _at_member(corrupt(member_name, exc), ctx, member)
                    return
            except Exception as exc:
                yield _at_member(corrupt(member_name, exc), ctx, member)
                return
        else:
            yield _at_member(_encrypted(member_name, wrong_password=bool(tries)), ctx, member)
            return
        handle.close()
        yield from ctx.read(member_path, member_name, member)


def _copy_guarded(source, handle, ctx: ReadContext) -> None:
    """Copy a member out in chunks, asking the scan's guard after each (a stop passes)."""
    while chunk := source.read(COPY_CHUNK):
        handle.write(chunk)
        ctx.guard.check()


def judge_archive(path: Path, members: list[zipfile.ZipInfo], name: str,
                  ctx: ReadContext) -> Unreadable | None:
    """Why the archive as a whole must not be expanded, from its central directory alone
    (declared sizes) and its size on disk; None if it may. Members the per-member check will
    refuse anyway are left out of the sum (one bomb member is named by that check)."""
    limits = ctx.limits
    inflatable = [info for info in members if not _member_bomb(info, limits)]
    declared = sum(info.file_size for info in inflatable)
    try:
        size = path.stat().st_size
    except OSError:
        size = sum(info.compress_size for info in members)
    ratio = declared / max(size, 1)
    if declared >= limits.ratio_min_size and ratio > limits.max_archive_ratio:
        return unreadable(
            name, "zip_bomb",
            f"ZIP 全体の圧縮率が異常に高いため展開しません (メンバー {len(inflatable):,} 件で展開"
            f"後 {declared:,} バイト、約 {ratio:,.0f} 倍、上限 {limits.max_archive_ratio:,.0f} 倍)",
            f"the archive as a whole is compressed too much; not expanded ({len(inflatable):,} "
            f"members, {declared:,} bytes expanded, about {ratio:,.0f}:1, limit "
            f"{limits.max_archive_ratio:,.0f}:1)")
    return None


def _member_bomb(info: zipfile.ZipInfo, limits) -> bool:
    ratio = info.file_size / max(info.compress_size, 1)
    return info.file_size >= limits.ratio_min_size and ratio > limits.max_zip_ratio


def _at_member(refusal: Unreadable, ctx: ReadContext, member: str) -> Unreadable:
    """An ``Unreadable`` about a member (not the archive): its place names the member."""
    inner = member if ctx.member is None else f"{ctx.member}!/{member}"
    return dataclasses.replace(refusal, file=ctx.file, member=inner)


def _encodes(password: str, encoding: str) -> bool:
    try:
        password.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def judge(info: zipfile.ZipInfo, member_name: str, ctx: ReadContext) -> Unreadable | None:
    """Why a member must not be inflated, from its declared sizes alone; None if it may."""
    limits = ctx.limits
    if info.compress_type == _AES:
        return unreadable(member_name, "encrypted",
                          "AES で暗号化された ZIP のメンバーのため読めません（パスワードがあっても"
                          "展開できません。7-Zip 等で展開してから指定してください）",
                          "the member is AES-encrypted: it cannot be opened here even with the "
                          "password; extract it with 7-Zip or similar and scan the files")
    if info.flag_bits & 0x1 and not limits.zip_passwords:
        return _encrypted(member_name)
    if info.compress_type not in _SUPPORTED:
        return unreadable(member_name, "unsupported", "対応していない圧縮方式です",
                          "unsupported compression method")
    ratio = info.file_size / max(info.compress_size, 1)
    if _member_bomb(info, limits):
        return unreadable(
            member_name, "zip_bomb",
            f"圧縮率が異常に高いため展開しません (約 {ratio:,.0f} 倍、上限 {limits.max_zip_ratio:,.0f} 倍)",
            f"compression ratio too high; not expanded (about {ratio:,.0f}:1, "
            f"limit {limits.max_zip_ratio:,.0f}:1)")
    if info.file_size > ctx.budget.uncompressed:
        return unreadable(
            member_name, "too_large",
            f"ZIP の展開後サイズが上限 ({limits.max_total_uncompressed:,} バイト) を超えるため展開しません",
            f"expanded size would exceed the limit ({limits.max_total_uncompressed:,} bytes); "
            "not expanded")
    return None


_END = b"PK\x05\x06"          # end of central directory record
_END64 = b"PK\x06\x06"        # its ZIP64 form
_END_MAX = 22 + 0xFFFF          # the record and the longest archive comment


def declared_members(path: Path) -> int | None:
    """How many members the archive's end record says its central directory holds (ZIP64
    too), or None if no end record can be read. Python's zipfile stops listing where the
    directory's declared size runs out: an entry whose lengths were damaged ends the list early
    without an error, and the members after it would be missed silently."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - _END_MAX))
            tail = handle.read()
    except OSError:
        return None
    at = tail.rfind(_END)
    # the record is the one whose comment length reaches the end of the file exactly (the
    # comment itself may hold the signature's bytes)
    while at >= 0 and (len(tail) - at < 22
                       or struct.unpack_from("<H", tail, at + 20)[0] != len(tail) - at - 22):
        at = tail.rfind(_END, 0, at)
    if at < 0:
        return None
    total = struct.unpack_from("<H", tail, at + 10)[0]
    if total != 0xFFFF:
        return total
    at64 = tail.rfind(_END64, 0, at)
    if at64 < 0 or at - at64 < 40:
        return None
    return struct.unpack_from("<Q", tail, at64 + 32)[0]


def check_package(path: Path, name: str, ctx: ReadContext) -> Unreadable | None:
    """For OOXML files (xlsx, docx) read by other libraries: refuse a package whose parts
    declare a bomb, before the library inflates them. Not a ZIP at all: None (the library will
    say what is wrong)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except Exception:
        return None
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > ctx.budget.uncompressed:
        return unreadable(
            name, "too_large",
            "展開後サイズが上限を超えるため読みません",
            "expanded size would exceed the limit; not read")
    # XML compresses far better than data, so the package as a whole gets ten times the
    # per-member ratio.
    if total >= ctx.limits.ratio_min_size and total / max(packed, 1) > 10 * ctx.limits.max_zip_ratio:
        return unreadable(name, "zip_bomb", "圧縮率が異常に高いため展開しません",
                          "compression ratio too high; not expanded")
    ctx.budget.uncompressed -= total
    return None


def display_name(info: zipfile.ZipInfo) -> str:
    """The member's name for people: CP932 names decoded, backslashes as slashes, control
    characters removed. Only ever shown, never used as a path."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437", errors="replace")
        for encoding in ("utf-8", "cp932"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    name = name.replace("\\", "/").lstrip("/")
    return "".join(ch for ch in name if unicodedata.category(ch) != "Cc") or "(no name)"


def _encrypted(member_name: str, exc: BaseException | None = None,
               wrong_password: bool = False) -> Unreadable:
    if wrong_password:
        return unreadable(member_name, "encrypted",
                          "パスワード付き ZIP のメンバーで、指定したパスワードでは開けません",
                          "the member is password-protected and none of the given passwords "
                          "opens it", exc)
    return unreadable(member_name, "encrypted",
                      "パスワード付き ZIP のメンバーのため読めません（パスワードを指定してスキャンし"
                      "直してください: rouei scan --zip-password、または事案画面の「ZIP のパスワード」欄）",
                      "the member is password-protected: scan again with its password (rouei "
                      "scan --zip-password, or the ZIP password field on the incident page)", exc)
