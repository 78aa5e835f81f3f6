#!/usr/bin/env python3
"""Opens a korpus report in headless Chromium (through ChromeDriver's
WebDriver protocol, Python standard library only) and checks that it
loaded without script errors, that its sections and charts are there,
and that clicking a column header sorts a table.

Usage: check_report.py KORPUS_BINARY [--screenshot FILE]

Builds the report of the bundled corpus (`korpus report corpus -o DIR
--by file`) in a temporary directory. Needs /usr/bin/chromium and
/usr/bin/chromedriver (Debian's chromium and chromium-driver); the page
is opened from a file: URL, so nothing leaves the machine.
Exits 1 with a message naming the failed check.
"""

import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECTIONS = ["overview", "words", "variants", "kwic", "collocates", "keywords", "cleaning", "provenance"]


def fail(msg):
    print(f"check_report: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read().decode() or "{}").get("value")
        except urllib.error.HTTPError as e:
            fail(f"{method} {path}: {e.code} {e.read().decode()[:500]}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        el = self.s("POST", "/element", {"using": "css selector", "value": css})
        return list(el.values())[0]


def main():
    if len(sys.argv) < 2:
        fail("usage: check_report.py KORPUS_BINARY [--screenshot FILE]")
    korpus = os.path.abspath(sys.argv[1])
    shot = sys.argv[sys.argv.index("--screenshot") + 1] if "--screenshot" in sys.argv else None
    for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"]:
        if not os.path.exists(tool):
            fail(f"{tool} is missing (apt-get install chromium chromium-driver)")
    work = tempfile.mkdtemp(prefix="korpus-browser-")
    report = os.path.join(work, "report")
    r = subprocess.run(
        [korpus, "report", "corpus", "-o", report, "--by", "file"],
        cwd=ROOT, capture_output=True, text=True,
    )
    if r.returncode != 0:
        fail(f"korpus report exited {r.returncode}: {r.stderr[-2000:]}")

    port = free_port()
    drv_proc = subprocess.Popen(
        ["/usr/bin/chromedriver", f"--port={port}", "--allowed-ips=127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        drv = Driver(port)
        for _ in range(100):
            try:
                urllib.request.urlopen(drv.base + "/status", timeout=2)
                break
            except Exception:
                time.sleep(0.1)
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": "/usr/bin/chromium",
                        "args": [
                            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync",
                            f"--user-data-dir={work}/profile", "--window-size=1280,1600",
                        ],
                    },
                    "goog:loggingPrefs": {"browser": "ALL"},
                }
            }
        }
        resp = drv.call("POST", "/session", caps)
        drv.session = resp["sessionId"]
        drv.s("POST", "/url", {"url": "file://" + os.path.join(report, "index.html")})
        for _ in range(100):
            if drv.js("return document.documentElement.getAttribute('data-ready');") == "1":
                break
            time.sleep(0.1)
        else:
            fail("the page's script did not run (no data-ready)")

        # No script errors (the browser log holds none of level SEVERE).
        logs = drv.s("POST", "/se/log", {"type": "browser"}) or []
        severe = [e for e in logs if e.get("level") == "SEVERE"]
        if severe:
            fail(f"script errors: {severe}")

        # Sections and charts.
        ids = drv.js("return Array.from(document.querySelectorAll('section')).map(s => s.id);")
        if ids != SECTIONS:
            fail(f"sections {ids}, expected {SECTIONS}")
        charts = drv.js("return document.querySelectorAll('figure.chart svg').length;")
        if charts < 7:
            fail(f"{charts} charts, expected at least 7")
        texts = drv.js("return Array.from(document.querySelectorAll('figure.chart svg text')).map(t => t.textContent.trim());")
        for label in ["frequency (occurrences)", "rank (log scale)", "Tiongkok", "China"]:
            if label not in texts:
                fail(f"no chart shows '{label}'")
        kwic_nodes = drv.js("return Array.from(document.querySelectorAll('#kwic-1 td.node')).map(t => t.textContent);")
        if not kwic_nodes or any(n.lower() != "tiongkok" for n in kwic_nodes):
            fail(f"concordance nodes: {kwic_nodes}")
        # The node column is aligned: every node cell starts at the same x.
        xs = drv.js("return Array.from(document.querySelectorAll('#kwic-1 td.node')).map(t => Math.round(t.getBoundingClientRect().left));")
        if len(set(xs)) != 1:
            fail(f"node column not aligned: {xs}")

        # Sorting: by item (text, ascending), then freq (numbers,
        # ascending, then descending on a second click).
        def column(n):
            return drv.js(f"return Array.from(document.querySelectorAll('#freq tbody tr')).map(r => r.cells[{n}].textContent);")

        before = column(1)
        drv.s("POST", f"/element/{drv.find('#freq th:nth-child(2)')}/click", {})
        items = column(1)
        if items != sorted(before) or items == before:
            fail(f"clicking 'item' did not sort the items: {items[:5]}")
        freq_th = drv.find("#freq th:nth-child(3)")
        drv.s("POST", f"/element/{freq_th}/click", {})
        freqs = [int(x) for x in column(2)]
        if freqs != sorted(freqs):
            fail(f"clicking 'freq' did not sort ascending: {freqs[:5]}")
        drv.s("POST", f"/element/{freq_th}/click", {})
        freqs = [int(x) for x in column(2)]
        if freqs != sorted(freqs, reverse=True):
            fail(f"a second click did not sort descending: {freqs[:5]}")
        if drv.js("return document.querySelector('#freq th:nth-child(3)').getAttribute('aria-sort');") != "descending":
            fail("aria-sort not set")

        if shot:
            drv.s("POST", "/url", {"url": "file://" + os.path.join(report, "index.html")})
            time.sleep(0.5)
            png = base64.b64decode(drv.s("GET", "/screenshot"))
            with open(shot, "wb") as f:
                f.write(png)
        drv.s("DELETE", "")
        print(f"check_report: ok: {len(ids)} sections, {charts} charts, no script errors, sorting works")
    finally:
        drv_proc.terminate()
        drv_proc.wait()


if __name__ == "__main__":
    main()
