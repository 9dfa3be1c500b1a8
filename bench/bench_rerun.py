"""Benchmark: how long a page takes to rerun after a widget change, in a real browser.

Run: ``PYTHONPATH=$PWD .venv/bin/python bench/bench_rerun.py [--repeats 5] [--pages data,tou]``.
Targets (issue 15): every page reruns in ≤ 0.5 s after a widget change on cached data; the
Data page in ≤ 1 s.

Method: ``streamlit run app.py --server.headless true`` on a free port; headless Chromium
(playwright, ``/usr/bin/chromium``, 1280 × 900) opens each page with ``?lang=zh-CN`` and
waits for the first full render (the app idle, see below). Then the company-name field of
the sidebar (:func:`ui.polish.sidebar_controls`; it is on every page, it reruns the whole
script and starts no computation: every analysis is cached) is set to a new text and
submitted with Enter; the time from the key press until the app is idle again is one
sample. "Idle" = the browser has received the run's ``script_finished`` message (the
websocket's ForwardMsg frames, decoded with Streamlit's protobuf), Streamlit's running
indicator (``stStatusWidget``'s running icon) is gone, and the browser has painted two more
frames. The first sample after loading a page is a warm-up and dropped. The bare
baseline: the same measurement on a generated one-widget Streamlit app, in the same run.
Prints a Markdown table (median and max of ``--repeats`` samples, ratio to the bare app).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = {  # url path → the page (app.py's st.navigation: url path = the file's stem)
    "home": "/",
    "data": "/data",
    "tou": "/tou",
    "production": "/production",
    "green": "/green",
    "canvas": "/canvas",
    "portfolio": "/portfolio",
}
#: The field changed on every page: the sidebar's company name (its label in zh-CN).
FIELD = '[data-testid="stSidebar"] [data-testid="stTextInput"] input'
BARE = """import streamlit as st

st.text_input("名称", key="name")
st.write(st.session_state.get("name"))
"""

RUNNING_ICON = '[data-testid^="stStatusWidgetRunning"]'
FRAME_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


class Runs:
    """Counts the ``script_finished`` messages the browser receives over the websocket."""

    def __init__(self, page) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.finished = 0
        self._msg = ForwardMsg

        def on_ws(ws) -> None:
            ws.on("framereceived", self._frame)

        page.on("websocket", on_ws)

    def _frame(self, payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            msg = self._msg()
            try:
                msg.ParseFromString(bytes(payload))
            except Exception:  # not a ForwardMsg: not ours to count
                return
            if msg.WhichOneof("type") == "script_finished":
                self.finished += 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(script: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    cmd += ["--server.port", str(port), "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(
        cmd, cwd=str(ROOT), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not start on port {port}")


def wait_idle(page, runs: Runs, after: int, timeout_s: float = 120.0) -> None:
    """Until a run after the ``after``-th has finished, the running icon is gone and the
    browser has painted two more frames."""
    deadline = time.monotonic() + timeout_s
    while runs.finished <= after:
        if time.monotonic() > deadline:
            raise TimeoutError("no script_finished message")
        page.wait_for_timeout(5)  # lets playwright dispatch the websocket events
    page.wait_for_selector(RUNNING_ICON, state="detached", timeout=timeout_s * 1000)
    page.evaluate(FRAME_JS)


def load(page, runs: Runs, url: str, field: str) -> float:
    """Open ``url`` and wait for the first full render; returns its seconds."""
    t0 = time.perf_counter()
    before = runs.finished
    page.goto(url)
    page.wait_for_selector(field, timeout=180_000)
    wait_idle(page, runs, before)
    time.sleep(1.0)  # a rerun the first run asked for (router, defaults), late charts
    wait_idle(page, runs, runs.finished - 1)
    return time.perf_counter() - t0


def rerun_once(page, runs: Runs, text: str, field: str) -> float:
    """Type ``text`` into the text ``field``, press Enter, wait until idle; seconds."""
    box = page.locator(field).first
    box.fill(text)
    before = runs.finished
    t0 = time.perf_counter()
    box.press("Enter")
    wait_idle(page, runs, before)
    return time.perf_counter() - t0


def measure(
    page, runs: Runs, url: str, repeats: int, field: str = FIELD
) -> tuple[float, list[float]]:
    first = load(page, runs, url, field)
    rerun_once(page, runs, "预热", field)  # warm-up, dropped
    return first, [rerun_once(page, runs, f"测试企业 {k}", field) for k in range(repeats)]


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--pages", default=",".join(PAGES))
    args = ap.parse_args(argv)
    chosen = [p.strip() for p in args.pages.split(",") if p.strip()]
    rows: list[tuple[str, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        bare_script = Path(tmp) / "bare_app.py"
        bare_script.write_text(BARE, encoding="utf-8")
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        counter = Runs(page)
        port = free_port()
        proc = start(bare_script, port)
        try:
            bare_field = '[data-testid="stTextInput"] input'
            first, runs = measure(
                page, counter, f"http://127.0.0.1:{port}/", args.repeats, bare_field
            )
            rows.append(("bare (one text field)", first, statistics.median(runs), max(runs)))
        finally:
            proc.terminate()
            proc.wait(10)
        port = free_port()
        proc = start(ROOT / "app.py", port)
        try:
            for name in chosen:
                url = f"http://127.0.0.1:{port}{PAGES[name]}?lang=zh-CN"
                first, runs = measure(page, counter, url, args.repeats)
                rows.append((f"{name} `{PAGES[name]}`", first, statistics.median(runs), max(runs)))
                print(f"  {name}: {[round(r, 3) for r in runs]}", file=sys.stderr)
        finally:
            proc.terminate()
            proc.wait(10)
            browser.close()
    bare = rows[0][2]
    print(f"\nRerun after a widget change, {args.repeats} samples per page (zh-CN, 1280 × 900)\n")
    print("| page | first render [s] | rerun median [s] | rerun max [s] | × bare |")
    print("|---|---:|---:|---:|---:|")
    for name, first, med, mx in rows:
        print(f"| {name} | {first:.2f} | {med:.3f} | {mx:.3f} | {med / bare:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
