"""The whole journey of a new user, in headless Chromium against a real `streamlit run`:
generate 30 offline examples, open one in Browse, accept one in Review, look at the
Dashboard, export what was accepted and download it."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from core.review_store import ReviewStore
from core.validation.chat_format_validator import check_format

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"  # Debian's package; .ci/run installs it when missing
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
STEP_TIMEOUT_MS = 30_000
SELECTION_ATTEMPTS, SELECTION_WAIT_MS = 3, 5_000
CHARTS_ON_DASHBOARD = 8  # four distributions, map, climate groups, groundedness, lengths (offline: no tokens)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def studio_server(data_root: Path) -> Iterator[str]:
    """`streamlit run studio/app.py` on a free loopback port, its data in `data_root`."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "studio/app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=REPO, env={**os.environ, "WEATHERVANE_DATA_DIR": str(data_root)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output: list[str] = []
    try:
        for line in process.stdout:  # blocks until the server says where it listens, or exits
            output.append(line)
            if "URL:" in line:
                break
        else:
            raise AssertionError("streamlit exited before serving:\n" + "".join(output))
        threading.Thread(target=lambda: output.extend(process.stdout), daemon=True).start()
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


def wait_until_idle(page: Page) -> None:
    """Until the page's script run has finished, so every element it draws is there to use."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(state="attached")


def open_page(page: Page, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_role("heading", name=name, exact=True).wait_for()
    wait_until_idle(page)


def generate(page: Page, count: int) -> None:
    examples = page.get_by_label("Examples")
    examples.fill(str(count))
    examples.press("Enter")
    page.get_by_role("button", name="Launch run").click()
    page.get_by_text(f"{count} / {count} examples").wait_for()
    page.get_by_text("completed", exact=True).first.wait_for()


def open_first_record(page: Page) -> None:
    open_page(page, "Browse")
    conversation = page.get_by_role("tab", name="Conversation")
    for _ in range(SELECTION_ATTEMPTS):
        # The first row's selection cell, under the header. A click that lands while the
        # grid is still being redrawn is sometimes dropped; then the row is clicked again.
        page.get_by_test_id("stDataFrame").first.click(position={"x": 20, "y": 53})
        try:
            conversation.wait_for(timeout=SELECTION_WAIT_MS)
            return
        except PlaywrightTimeoutError:
            wait_until_idle(page)
    raise AssertionError(f"selecting the first row in Browse did not open it in {SELECTION_ATTEMPTS} clicks")


def accept_with_the_keyboard(page: Page, reviewer: str, queue_length: int) -> None:
    open_page(page, "Review")
    name = page.get_by_label("Reviewer")
    name.fill(reviewer)
    name.press("Enter")
    page.get_by_role("button", name="Accept").wait_for()
    wait_until_idle(page)
    page.evaluate("document.activeElement.blur()")  # shortcuts act outside text fields
    page.keyboard.press("a")
    page.get_by_text(f"1 of {queue_length} decided by {reviewer}").wait_for()


def export_accepted(page: Page) -> bytes:
    open_page(page, "Export")
    page.get_by_text("Reviewed-accepted only").click()
    page.get_by_role("heading", name="1 records match").wait_for()
    page.get_by_role("button", name="Write export").click()
    page.get_by_text("records written and re-read").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("^Download weathervane")).click()
    return Path(download.value.path()).read_bytes()


def accepted_records(data_root: Path) -> dict[str, dict]:
    (examples,) = data_root.glob("runs/*/tool_use_examples.jsonl")
    records = [json.loads(line) for line in examples.read_text(encoding="utf-8").splitlines()]
    return {record["id"]: record for record in records}


def test_generate_browse_review_chart_and_export_in_a_browser(tmp_path):
    with studio_server(tmp_path) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(STEP_TIMEOUT_MS)
        page.goto(url)
        generate(page, 30)
        open_first_record(page)
        accept_with_the_keyboard(page, "e2e", 30)
        open_page(page, "Dashboard")
        page.get_by_test_id("stVegaLiteChart").nth(CHARTS_ON_DASHBOARD - 1).wait_for()
        downloaded = export_accepted(page)
        browser.close()

    (decision,) = ReviewStore(tmp_path / "studio.sqlite").decisions()
    assert (decision.reviewer, decision.decision) == ("e2e", "accept")
    (exported,) = (tmp_path / "exports").glob("*/*.jsonl")
    assert exported.read_bytes() == downloaded
    (line,) = [json.loads(text) for text in downloaded.decode("utf-8").splitlines()]
    assert set(line) == {"messages", "tools", "parallel_tool_calls"} and check_format(line) == []
    assert line["messages"] == accepted_records(tmp_path)[decision.example_id]["messages"]
