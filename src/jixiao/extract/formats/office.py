"""Old Office files (.doc, .xls) → .docx / .xlsx with LibreOffice, when it is installed.

``soffice --headless --convert-to`` runs in its own profile directory and a
temporary output folder, with a time limit; macros are disabled by
LibreOffice's default security level and never asked for. Without
``soffice`` the document is recorded ``needs_libreoffice`` with a hint.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jixiao.errors import DamagedDocument, NeedsLibreOffice

CONVERT_TIMEOUT_S = float(os.environ.get("JIXIAO_SOFFICE_TIMEOUT_S", 120))
TARGET = {"doc": "docx", "xls": "xlsx"}
HINT = "install LibreOffice (Debian: apt-get install libreoffice-writer libreoffice-calc)"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: str | Path, source_format: str, out_dir: str | Path) -> Path:
    """The .doc/.xls converted into ``out_dir`` as .docx/.xlsx.

    Raises:
        NeedsLibreOffice: no ``soffice`` on this machine.
        DamagedDocument: LibreOffice failed, timed out or wrote nothing.
    """
    binary = soffice()
    target = TARGET[source_format]
    if binary is None:
        raise NeedsLibreOffice(
            f"a .{source_format} file needs LibreOffice to be converted to .{target}: {HINT}"
        )
    out_dir = Path(out_dir)
    src = out_dir / f"source.{source_format}"  # soffice picks its filter by the extension
    shutil.copyfile(path, src)
    with tempfile.TemporaryDirectory(prefix="jixiao-soffice-") as profile:
        cmd = [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(src),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as e:
            raise DamagedDocument(
                f"LibreOffice took longer than {CONVERT_TIMEOUT_S:.0f} s to convert the "
                f".{source_format} and was stopped"
            ) from e
    converted = out_dir / f"source.{target}"
    if not converted.is_file() or converted.stat().st_size == 0:
        raise DamagedDocument(f"LibreOffice could not convert the .{source_format} to .{target}")
    return converted
