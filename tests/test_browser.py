"""A real Chromium through ``khaosan serve``: search ดีป้า → open an article → open a fact card → see the evidence.

Drives Debian's ``chromium`` (``.ci/run`` installs it, with a Thai font) through
Playwright, against the real ``khaosan serve`` subprocess on a free loopback
port over a dataset made from our own fictional articles.  Screenshots of every
step go to ``tests/artifacts/browser/`` (git-ignored) for a person to look at.
Skips when Playwright or Chromium is absent.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "query"
ARTIFACTS = Path(__file__).parent / "artifacts" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 # without these the closed network refuses the browser's background connections
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str | None:
    for name in (os.environ.get("KHAOSAN_CHROMIUM"), "chromium", "chromium-browser"):
        path = shutil.which(name) if name else None
        if path:
            return path
    return None


sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    from khaosan.outputs.dataset import run_extract
    from khaosan.pipeline.settings import Settings

    out = tmp_path_factory.mktemp("browser_ds")
    run_extract([FIXTURES], out, Settings.from_env().replace(formats=("jsonl", "sqlite")))
    return out


@pytest.fixture(scope="module")
def server(dataset, tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "khaosan.pipeline.cli", "serve", str(dataset),
                                 "--port", str(port), "--host", "127.0.0.1"], stdout=fh, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"khaosan serve exited with {proc.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"khaosan serve did not answer on {base}:\n{log.read_text()}")
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def _shot(page, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000
    return path


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(fg: tuple[float, ...], bg: tuple[float, ...]) -> float:
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)")


def _colours(locator) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(text colour, effective background colour) of an element, walking up past transparent backgrounds."""
    fg, bg = locator.evaluate("""el => {
        const fg = getComputedStyle(el).color;
        let node = el, bg = 'rgba(0, 0, 0, 0)';
        while (node && node.nodeType === 1) {
            const c = getComputedStyle(node).backgroundColor;
            if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') { bg = c; break; }
            node = node.parentElement;
        }
        return [fg, bg === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : bg];
    }""")
    return tuple(map(float, _RGB.match(fg).groups())), tuple(map(float, _RGB.match(bg).groups()))


def test_search_article_fact_card_evidence(server, page):
    # 1. Datasette's own search box on the articles table, in Thai
    page.goto(f"{server}/khaosan/articles")
    box = page.locator("input[name=_search]")
    box.fill("ดีป้า")
    box.press("Enter")
    page.wait_for_url(re.compile(r"_search="))
    page.wait_for_load_state("networkidle")
    _shot(page, "01-search-depa")
    assert page.get_by_text("q-depa-cm").first.is_visible()
    assert page.get_by_text("q-cm-budget").count() == 0  # an article without ดีป้า is not a hit

    # 2. open the article from the results (its doc_id links to the article page)
    page.locator("a[href*='/article/q-depa-cm']").first.click()
    page.wait_for_url(re.compile(r"/article/q-depa-cm"))
    page.wait_for_load_state("networkidle")
    _shot(page, "02-article")
    assert page.get_by_text("ผู้อำนวยการใหญ่สำนักงานส่งเสริมเศรษฐกิจดิจิทัล").first.is_visible()
    marks = page.locator("mark")
    assert marks.count() >= 5  # every family's facts are highlighted
    for i in range(marks.count()):
        fg, bg = _colours(marks.nth(i))
        assert _contrast(fg, bg) >= 4.5, (marks.nth(i).inner_text(), fg, bg)  # WCAG AA for body text

    # 3. open the fact card of the highlighted ดีป้า
    page.locator("a[href*='/fact/']", has_text="ดีป้า").first.click()
    page.wait_for_url(re.compile(r"/fact/"))
    page.wait_for_load_state("networkidle")
    _shot(page, "03-fact-card")

    # 4. the evidence, highlighted, inside its sentence, with the article's provenance
    evidence = page.locator("mark", has_text="ดีป้า").first
    assert evidence.is_visible()
    assert evidence.inner_text().strip() == "ดีป้า"
    fg, bg = _colours(evidence)
    assert _contrast(fg, bg) >= 4.5
    body = page.locator("body").inner_text()
    assert "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล" in body  # the canonical name the alias resolved to
    assert "จะใช้งบประมาณ" in body  # the rest of the sentence around the evidence
    assert "2024-03-05" in body and "ดีป้า ทุ่มงบพัฒนาเมืองอัจฉริยะเชียงใหม่" in body  # date and title
