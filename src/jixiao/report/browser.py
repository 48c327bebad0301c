"""Open a page in headless Chromium, screenshot it, and count what went wrong.

Chromium (Debian's ``chromium`` package) runs with a fresh profile, no
background networking, and its DevTools protocol on a loopback port; this
module speaks that protocol over a websocket (``websockets``), enables the
Runtime, Log, Network and Page domains, loads the file, waits until the page
is loaded and its charts are drawn, then takes a full-page screenshot.
Everything Chromium reports is kept: console errors, uncaught exceptions, log
entries of level error, and every network request other than the page's own
file (``data:`` and ``blob:`` URLs are counted apart: they never leave the page).

    python -m jixiao.report.browser report.html docs/report-2022.png
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

MAX_HEIGHT = 16_000  # Chromium refuses screenshots much taller ("Page is too large")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)


def find_chromium() -> str | None:
    """The Chromium executable on PATH, if any."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageRun:
    """What happened when a page was opened."""

    screenshot: bytes = b""
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL other than the page itself
    title: str = ""
    charts_drawn: int = 0  # plotly charts with a drawn SVG
    height: int = 0  # the page's full height in CSS pixels (the screenshot stops at MAX_HEIGHT)

    @property
    def network_requests(self) -> list[str]:
        """Requests that leave the page: all but in-memory ``data:`` and ``blob:`` URLs
        (plotly draws a heatmap as a ``data:`` image)."""
        return [u for u in self.requests if not u.startswith(("data:", "blob:"))]


class _DevTools:
    """A minimal DevTools-protocol client on one websocket (flattened sessions)."""

    def __init__(self, ws_url: str):
        from websockets.sync.client import connect

        self.ws = connect(ws_url, max_size=None, open_timeout=20)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, session: str | None = None, timeout: float = 60, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        for e in self.events:
            if e["method"] == event:
                return e
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if "method" in reply:
                self.events.append(reply)
                if reply["method"] == event:
                    return reply

    def drain(self, seconds: float) -> None:
        """Collect the events that arrive during ``seconds``."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                reply = json.loads(self.ws.recv(timeout=left))
            except TimeoutError:
                return
            if "method" in reply:
                self.events.append(reply)

    def close(self) -> None:
        self.ws.close()


def _start(chromium: str, profile: Path, width: int, height: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [chromium, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if port_file.exists():
            lines = port_file.read_text().split()
            if len(lines) >= 2:
                return proc, f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        if proc.poll() is not None:
            raise RuntimeError(f"chromium exited with {proc.returncode} before listening")
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("chromium did not open its DevTools port within 60 s")


def _console_errors(events: list[dict]) -> list[str]:
    errors = []
    for e in events:
        p = e.get("params", {})
        if e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            errors.append(
                " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"])
            )
        elif e["method"] == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            errors.append(d.get("exception", {}).get("description") or d.get("text", ""))
        elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            errors.append(f"{p['entry'].get('source')}: {p['entry'].get('text')}")
    return errors


def open_page(
    page: str | Path,
    *,
    width: int = 1280,
    height: int = 900,
    settle_seconds: float = 1.5,
    chromium: str | None = None,
) -> PageRun:
    """Open ``page`` (a local HTML file) in headless Chromium and report what happened.

    Raises:
        RuntimeError: no Chromium, or it did not start or answer.
    """
    chromium = chromium or find_chromium()
    if not chromium:
        raise RuntimeError("no chromium on PATH (Debian: apt-get install chromium)")
    url = Path(page).resolve().as_uri()
    profile = Path(tempfile.mkdtemp(prefix="jixiao-chromium-"))
    proc = None
    try:
        proc, ws_url = _start(chromium, profile, width, height)
        tools = _DevTools(ws_url)
        try:
            target = tools.call("Target.createTarget", url="about:blank")["targetId"]
            session = tools.call("Target.attachToTarget", targetId=target, flatten=True)[
                "sessionId"
            ]
            for domain in ("Runtime", "Log", "Network", "Page"):
                tools.call(f"{domain}.enable", session)
            tools.call(
                "Emulation.setDeviceMetricsOverride",
                session,
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
            tools.call("Page.navigate", session, url=url)
            tools.wait_for("Page.loadEventFired")
            tools.drain(settle_seconds)  # plotly draws after load; late requests show here
            run = PageRun()
            state = tools.call(
                "Runtime.evaluate",
                session,
                returnByValue=True,
                expression=(
                    "({title: document.title,"
                    " charts: document.querySelectorAll('.js-plotly-plot .main-svg').length"
                    " ? document.querySelectorAll('.js-plotly-plot').length : 0,"
                    " height: document.documentElement.scrollHeight})"
                ),
            )["result"]["value"]
            run.title, run.charts_drawn, run.height = (
                state["title"],
                state["charts"],
                state["height"],
            )
            clip = {"x": 0, "y": 0, "width": width, "height": min(run.height, MAX_HEIGHT)}
            shot = tools.call(
                "Page.captureScreenshot",
                session,
                format="png",
                captureBeyondViewport=True,
                clip={**clip, "scale": 1},
            )
            run.screenshot = base64.b64decode(shot["data"])
            tools.drain(0.3)
            run.console_errors = _console_errors(tools.events)
            run.requests = [
                e["params"]["request"]["url"]
                for e in tools.events
                if e["method"] == "Network.requestWillBeSent"
                and e["params"]["request"]["url"] != url
            ]
            return run
        finally:
            tools.close()
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Screenshot a page: ``python -m jixiao.report.browser PAGE.html OUT.png``."""
    page, out = argv if argv is not None else sys.argv[1:3]
    run = open_page(page)
    Path(out).write_bytes(run.screenshot)
    print(
        f"{out}: {len(run.screenshot)} bytes, {run.charts_drawn} charts, "
        f"{len(run.console_errors)} console errors, {len(run.network_requests)} network requests "
        f"({len(run.requests) - len(run.network_requests)} in-memory data:/blob: URLs)"
    )
    for line in run.console_errors + run.network_requests:
        print(f"  {line[:200]}")
    return 1 if run.console_errors or run.network_requests else 0


if __name__ == "__main__":
    sys.exit(main())
