"""A corpus of bad inputs made from the real sample reports, generated at test time.

Each case is (name, kind, bytes). Kinds: truncated, flipped, zero, html, image,
zip, encrypted_user, encrypted_owner, bomb, nested, many_pages, cid_text,
not_a_report. Every file is distinct (no two share a sha256).
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from pathlib import Path

from jixiao.paths import RAW

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
TEXT_SAMPLES = ["huangpu-2022", "potou-2022", "baiyun-2022", "panyu-2023"]


def sample_bytes() -> dict[str, bytes]:
    return {name: (RAW / "samples" / f"{name}.pdf").read_bytes() for name in TEXT_SAMPLES}


def minimal_pdf(objects: list[bytes]) -> bytes:
    """A PDF from object bodies (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF printing ASCII lines in Helvetica."""
    ops = ["BT /F1 12 Tf 72 760 Td 16 TL"] + [f"({line}) '" for line in lines] + ["ET"]
    content = "\n".join(ops).encode()
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def many_pages_pdf(n: int) -> bytes:
    kids = " ".join(f"{i + 3} 0 R" for i in range(n)).encode()
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
            *pages,
        ]
    )


def nested_pdf(depth: int) -> bytes:
    nested = b"[" * depth + b"]" * depth
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Deep " + nested + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots " + nested + b" >>",
        ]
    )


def bomb_pdf(raw_mb: int) -> bytes:
    """A page whose content stream inflates to ``raw_mb`` MB of drawing operators."""
    compressor = zlib.compressobj(9)
    chunk = b"0 0 m\n" * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(raw_mb // 6)]
    data = b"".join(parts) + compressor.flush()
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        ]
    )


def encrypted(pdf: bytes, user_password: str, owner_password: str) -> bytes:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def without_unicode_maps(pdf: bytes) -> bytes:
    """The same PDF with every font's /ToUnicode removed: text becomes glyph ids."""
    import pypdf
    from pypdf.generic import NameObject

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        for ref in page.get("/Resources", {}).get("/Font", {}).values():
            font = ref.get_object()
            if "/ToUnicode" in font:
                del font[NameObject("/ToUnicode")]
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes(seed: int) -> bytes:
    rows = b"".join(b"\x00" + bytes([(seed + x) % 256] * 3) * 4 for x in range(4))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return len(data).to_bytes(4, "big") + kind + data + crc.to_bytes(4, "big")

    header = (4).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def corpus(seed: int = 20261123, bomb_mb: int = 2400) -> list[tuple[str, str, bytes]]:
    """At least 300 distinct bad inputs."""
    rng = random.Random(seed)
    samples = sample_bytes()
    cases: list[tuple[str, str, bytes]] = []
    for name, data in samples.items():
        # cut anywhere before the final %%EOF (and its trailing 2 KB window)
        for k, cut in enumerate(sorted(rng.sample(range(len(data) - 2100), 45))):
            cases.append((f"{name}-cut{k}", "truncated", data[:cut]))
        for k in range(28):
            flipped = bytearray(data)
            for _ in range(rng.randint(1, 40)):
                i = rng.randrange(16, len(flipped) - 16)
                flipped[i] ^= 1 << rng.randrange(8)
            cases.append((f"{name}-flip{k}", "flipped", bytes(flipped)))
        cases.append(
            (f"{name}-encrypted-user", "encrypted_user", encrypted(data, "secret", "owner"))
        )
        cases.append((f"{name}-encrypted-owner", "encrypted_owner", encrypted(data, "", "owner")))
        cases.append((f"{name}-cid", "cid_text", without_unicode_maps(data)))
    cases += [(f"zero{k}", "zero", b"\x00" * k) for k in (0, 1, 64, 4096)]
    cases += [
        (
            f"html{k}",
            "html",
            f"<!DOCTYPE html><html><body>404 Not Found #{k}</body></html>".encode(),
        )
        for k in range(4)
    ]
    cases += [(f"image{k}", "image", png_bytes(k)) for k in range(4)]
    for k in range(4):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("report.pdf", samples["potou-2022"][: 1000 + k])
        cases.append((f"zip{k}", "zip", buffer.getvalue()))
    cases.append(("bomb", "bomb", bomb_pdf(bomb_mb)))
    cases += [(f"nested{d}", "nested", nested_pdf(d)) for d in (10_000, 200_000)]
    cases.append(("pages5000", "many_pages", many_pages_pdf(5000)))
    cases.append(("juesuan-2022", "not_a_report", (FIXTURES / "juesuan-2022.pdf").read_bytes()))
    cases += [
        (f"latin{k}", "not_a_report", text_pdf([f"Annual budget {2019 + k}", "Total 1,234.56"]))
        for k in range(3)
    ]
    return cases


# -- Word, Excel and HTML: bad inputs for the formats read natively ------------

FORMATS = Path(__file__).parent / "fixtures" / "formats"
# What each case must be recorded as: an error class, or "valid" (it loads).
FORMAT_EXPECTED = {
    "xlsx-bomb": "zip_bomb",
    "docx-bomb": "zip_bomb",
    "xlsx-200mb": "document_too_large",
    "xlsx-many-cells": "document_too_large",
    "xlsx-malformed-xml": "damaged_document",
    "docx-malformed-xml": "damaged_document",
    "html-50mb": "document_too_large",
    "xlsm-macros": "valid",
    "xlsx-named-pdf": "valid",
}


def _package(members: dict[str, bytes], stored: set[str] = frozenset()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            kind = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            z.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


def _replaced(package: bytes, replace: dict[str, bytes]) -> bytes:
    """A copy of a ZIP package with some members' bytes replaced (or added)."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        for name in z.namelist():
            members[name] = z.read(name)
    members.update(replace)
    return _package(members)


def _bomb_member(name: str, inflated_mb: int) -> bytes:
    """A ZIP whose ``name`` member inflates to ``inflated_mb`` MB of zeros (≈1000×)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        with z.open(name, "w", force_zip64=True) as member:
            zeros = b"\x00" * (1 << 20)
            for _ in range(inflated_mb):
                member.write(zeros)
    return buffer.getvalue()


def format_corpus(folder: Path) -> list[tuple[str, Path]]:
    """Write the bad Word/Excel/HTML inputs into ``folder``: (case name, file) pairs.

    The 200 MB spreadsheet and the 50 MB page are made here, never committed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    xlsx = (FORMATS / "huangpu-2022.xlsx").read_bytes()
    docx = (FORMATS / "huangpu-2022.docx").read_bytes()
    files: dict[str, tuple[str, bytes | None]] = {
        "xlsx-bomb": (".xlsx", _bomb_member("xl/workbook.xml", 400)),
        "docx-bomb": (".docx", _bomb_member("word/document.xml", 400)),
        "xlsx-malformed-xml": (
            ".xlsx",
            _replaced(xlsx, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row r='1'><c"}),
        ),
        "docx-malformed-xml": (
            ".docx",
            _replaced(docx, {"word/document.xml": b"<w:document><w:body><w:p>&undefined;"}),
        ),
        "xlsm-macros": (
            ".xlsm",
            _replaced(
                xlsx,
                {
                    "xl/vbaProject.bin": b'Attribute VB_Name = "ThisWorkbook"\r\n'
                    b'Sub Workbook_Open()\r\n Shell "touch /tmp/jixiao-macro-ran"\r\nEnd Sub\r\n',
                },
            ),
        ),
        # other bytes than the good workbook's (one report per sha256)
        "xlsx-named-pdf": (".pdf", _replaced(xlsx, {"docProps/note.txt": b"named .pdf"})),
        "xlsx-200mb": (".xlsx", None),
        "xlsx-many-cells": (".xlsx", None),
        "html-50mb": (".html", None),
    }
    out = []
    for name, (ext, data) in files.items():
        path = folder / f"{name}{ext}"
        if data is not None:
            path.write_bytes(data)
        out.append((name, path))
    _big_spreadsheet(folder / "xlsx-200mb.xlsx", 200)
    _many_cells(folder / "xlsx-many-cells.xlsx", rows=15_000, cols=8)
    with open(folder / "html-50mb.html", "wb") as f:
        f.write(b"<!DOCTYPE html><html><body><table>")
        row = b"<tr><td>" + "部门整体支出绩效自评表".encode() + b"</td><td>20</td></tr>\n"
        for _ in range((50 << 20) // len(row)):
            f.write(row)
        f.write(b"</table></body></html>")
    return out


def _big_spreadsheet(path: Path, mb: int) -> None:
    """A workbook of ``mb`` MB: a stored (uncompressed) sheet of random cell texts."""
    rng = random.Random(mb)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/workbook.xml", b"<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b"<worksheet><sheetData>")
            block = rng.randbytes(1 << 20).hex().encode()
            for _ in range(mb // 2):
                sheet.write(b"<row><c t='inlineStr'><is><t>" + block + b"</t></is></c></row>")
            sheet.write(b"</sheetData></worksheet>")


def _many_cells(path: Path, rows: int, cols: int) -> None:
    """A small, well-formed workbook declaring and holding more cells than any report."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    for r in range(rows):
        ws.append([r * cols + c for c in range(cols)])
    wb.save(path)
