"""Dataset quality figures: 1,000 offline examples through the real runner.

First-attempt pass rate, mean groundedness, achieved distributions, city
coverage, and one sample record per persona, for a person to read.

    python bench/dataset_figures.py
"""
import collections
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from core.config import RunConfig
from core.runner import RunPaths, run
from core.locations import BY_ID
config = RunConfig(count=1000, seed=42)
with tempfile.TemporaryDirectory() as d:
    paths = RunPaths.for_output(Path(d) / "examples.jsonl")
    result = run(config, paths)
    recs = [json.loads(l) for l in paths.examples.read_text().splitlines()]
    rej = [json.loads(l) for l in paths.examples.with_name("rejected.jsonl").read_text().splitlines()] if paths.examples.with_name("rejected.jsonl").exists() else []
    meta = json.loads(paths.metadata.read_text())
allr = recs + rej
first = sum(r["metadata"]["attempts"] == 1 and r["metadata"]["validation"]["passed"] for r in allr)
print("state", result.state, "accepted", len(recs), "rejected", len(rej))
print("first-attempt pass", first, "/", len(allr))
g = [r["metadata"]["validation"]["groundedness"] for r in recs]
print("mean groundedness", round(sum(g)/len(g), 4))
for key in ("scenario", "intent", "error_kind"):
    print(key, dict(collections.Counter(r["metadata"][key] for r in allr)))
print("persona", dict(collections.Counter(r["tags"]["persona"] for r in allr)))
cities = {l for r in allr for l in r["metadata"]["locations"]}
labels = {loc.label for loc in BY_ID.values()}
print("cities used", len(cities & labels), "of", len(labels))
rng = random.Random(5)
for persona in ("neutral", "twain", "franklin"):
    r = rng.choice([r for r in recs if r["tags"]["persona"] == persona and r["metadata"]["scenario"] != "success"] if persona != "neutral" else [r for r in recs if r["tags"]["persona"] == persona])
    print(f"\n--- {persona} · {r['metadata']['scenario']} · {r['metadata']['intent']} · {r['metadata']['error_kind']} · {r['metadata']['simulated_date']}")
    for m in r["messages"][1:]:
        if m["role"] == "tool": print("  tool:", m["content"][:110] + "…")
        elif m.get("tool_calls"): print("  call:", "; ".join(c["function"]["name"] + c["function"]["arguments"] for c in m["tool_calls"]), "(weight 0)" if m.get("weight") == 0 else "")
        else: print(f"  {m['role']}:", m["content"])
