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
