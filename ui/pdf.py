"""The report as a PDF, made on this machine: headless Chromium prints the HTML report to A4.

:func:`html_to_pdf` writes the HTML into a private temporary folder, runs
``chromium --headless --print-to-pdf`` on that ``file://`` page with a fresh profile in the same
folder and a bounded timeout, and returns the PDF's bytes (``None`` when no Chromium is found,
it fails or it runs out of time). Nothing leaves the machine: the report is self-contained
(inline CSS and SVG, a Content-Security-Policy without network sources), and Chromium runs with
background networking off and every connection sent to a closed local port. The page size is
the report's own print CSS (``@page{size:A4}`` in :mod:`ui.render.html`), without Chromium's
header and footer lines.

:func:`find_chromium` looks for ``chromium``, ``chromium-browser`` and ``google-chrome`` on
``PATH`` (``shutil.which``, imported here as ``which``), then Playwright's bundled Chromium; no Streamlit here.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path
from shutil import which

#: Executables tried on PATH, in order.
NAMES = ("chromium", "chromium-browser", "google-chrome")
#: Time allowed for one print [s] (the sample report takes 2–5 s on a shared 2-core machine).
TIMEOUT_S = 60.0
#: Chromium flags: headless print, no GPU/sandbox (containers), nothing over the network.
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-sandbox",
    "--no-pdf-header-footer",
    "--no-first-run",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--proxy-server=http://127.0.0.1:9",  # a closed port: no request can leave the machine
    "--proxy-bypass-list=<-loopback>",
)


def _bundled() -> str | None:
    """Playwright's own Chromium (``~/.cache/ms-playwright/chromium-*/chrome-linux/chrome``)."""
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache/ms-playwright")
    for pattern in (
        "chromium-*/chrome-linux*/chrome",
        "chromium_headless_shell-*/*/headless_shell",
    ):
        found = sorted(root.glob(pattern), reverse=True)
        if found and os.access(found[0], os.X_OK):
            return str(found[0])
    return None


def find_chromium() -> str | None:
    """The path of a Chromium executable on this machine, or ``None``."""
    for name in NAMES:
        path = which(name)
        if path:
            return path
    return _bundled()


def html_to_pdf(
    html: str, *, timeout_s: float = TIMEOUT_S, executable: str | None = None
) -> bytes | None:
    """The PDF of the HTML document ``html`` printed by headless Chromium (``None`` when no
    Chromium is found, it fails, or it takes longer than ``timeout_s`` seconds)."""
    exe = executable or find_chromium()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="greentemp_pdf_") as tmp:
        folder = Path(tmp)
        page, out = folder / "report.html", folder / "report.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [
            exe,
            *FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: a timeout ends all its helpers
        )
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            return None
        data = out.read_bytes() if out.exists() else b""
    return data if data.startswith(b"%PDF") else None


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def pdf_page_count(pdf: bytes) -> int:
    """The number of pages of a PDF: its ``/Type /Page`` objects (not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
