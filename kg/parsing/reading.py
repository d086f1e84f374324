"""Reading a report file: encodings and line ends as government text files come.

UTF-8 with or without a BOM, UTF-16 with a BOM, and GB18030 (a superset of
GBK and GB2312, the usual encoding of Chinese government text files) are
detected; ``encoding=`` overrides. A guess is accepted only when the decoded
text reads as Chinese prose, so a wrong guess fails loudly instead of
producing mojibake. Line ends (LF, CRLF, CR) are kept as they are: offsets
point into the decoded text, and the parser splits lines on any of them.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from kg.errors import SourceError

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# Frequent characters of the genre: a text decoded right has plenty of them.
COMMON = set("的和在了一是工作年社区推进建设服务开展加强完成全面落实街道居民")


def plausible_chinese(text: str) -> bool:
    """Whether ``text`` reads as Chinese prose (enough common characters, no replacement or control noise)."""
    cjk = CJK_RE.findall(text)
    if not cjk:
        return False
    bad = sum(1 for c in text if c == "\ufffd" or (ord(c) < 32 and c not in "\r\n\t"))
    common = sum(1 for c in cjk if c in COMMON)
    return bad == 0 and common / len(cjk) > 0.08


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """The text of a report file, by BOM, by ``encoding``, or by trying UTF-8 then GB18030."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise SourceError(f"{name}: unknown encoding '{encoding}'") from None
        except UnicodeDecodeError as exc:
            raise SourceError(f"{name}: not {encoding} text (byte {exc.start})") from None
        return text.removeprefix("\ufeff")
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec).removeprefix("\ufeff")
            except UnicodeDecodeError as exc:
                raise SourceError(f"{name}: broken {codec} text (byte {exc.start})") from None
            if codec == "utf-16" and not plausible_chinese(text):  # FF FE also opens binary files
                raise SourceError(f"{name}: as UTF-16 it is not Chinese text: give --encoding")
            return text
    if b"\x00" in data:
        raise SourceError(f"{name}: binary file, not a text report")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = exc.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise SourceError(f"{name}: neither UTF-8 (byte {where}) nor GB18030 text: give --encoding") from None
    if not plausible_chinese(text):
        raise SourceError(f"{name}: not UTF-8, and as GB18030 it is not Chinese text: give --encoding")
    return text


def read_source(path: Path, encoding: str | None = None) -> str:
    """Read a report file as text, refusing binary, undecodable or implausible files."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None
    return decode(data, str(path), encoding)
