"""How long each studio page takes to render over a 3,000-record run (target: under a second).

    python bench/bench_studio_pages.py [--count 3000] [--repeat 5] [--data-dir /tmp/weathervane-bench]

Generates an offline run once (kept in the data dir for later benches), then
renders every page with Streamlit's AppTest: the first render of a page reads
the files, the following ones are served from the cache and are what a user
feels on every click. Prints the median of `--repeat` warm renders per page.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from core.config import RunConfig  # noqa: E402
from core.runner import RunPaths, run  # noqa: E402

APP = str(Path(__file__).resolve().parents[1] / "studio" / "app.py")
PAGES = ("views/generate.py", "views/runs.py", "views/browse.py", "views/groundedness.py")
SELECTIONS = {"views/browse.py": "browse_table", "views/groundedness.py": "grounded_table"}


def ensure_run(data_dir: Path, count: int) -> Path:
    run_dir = data_dir / "runs" / f"bench-{count}"
    paths = RunPaths.for_run_dir(run_dir)
    if not paths.metadata.exists():
        run_dir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        run(RunConfig(count=count, seed=1), paths, resume=True)
        print(f"generated {count} offline examples in {time.perf_counter() - started:.1f} s")
    return run_dir


def timed(app: AppTest) -> float:
    started = time.perf_counter()
    app.run(timeout=60)
    elapsed = time.perf_counter() - started
    if app.exception:
        raise SystemExit(f"the page raised: {app.exception[0].message}")
    return elapsed


def bench_page(page: str, repeat: int) -> tuple[float, float, list[float]]:
    app = AppTest.from_file(APP, default_timeout=60)
    app.switch_page(page)
    first = timed(app)
    warm = [timed(app) for _ in range(repeat)]
    if page in SELECTIONS:  # a record open: the conversation and its validation are rendered too
        app.session_state[SELECTIONS[page]] = {"selection": {"rows": [0], "columns": [], "cells": []}}
        timed(app)
        return first, statistics.median(warm), [timed(app) for _ in range(repeat)]
    return first, statistics.median(warm), []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/weathervane-bench"))
    args = parser.parse_args()
    os.environ["WEATHERVANE_DATA_DIR"] = str(args.data_dir)
    ensure_run(args.data_dir, args.count)
    original = PagesManager.__init__

    def served_navigation(self, *a, **k):  # as a live server: st.navigation, not the pages/ folder
        original(self, *a, **k)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = served_navigation
    print(f"{'page':<24}{'first render':>14}{'warm median':>14}{'record open':>14}")
    for page in PAGES:
        first, warm, opened = bench_page(page, args.repeat)
        open_text = f"{statistics.median(opened):.3f} s" if opened else "–"
        print(f"{page:<24}{first:>12.3f} s{warm:>12.3f} s{open_text:>14}")


if __name__ == "__main__":
    main()
