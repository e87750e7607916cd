"""A behaviour oracle for reworking the validator: freeze every verdict, change the code, prove nothing moved.

    python3 bench/validation_oracle.py freeze DIR   # before: 3,000 bench records, 3,000 mutations, their verdicts
    python3 bench/validation_oracle.py check DIR    # after: re-validate DIR's records; exit 1 if a verdict differs

The mutations break records the ways real data breaks (digits changed, condition words, places
and days slipped into answers, tool values scaled, tool messages dropped, units and punctuation
swapped, bad arguments, messages reordered), so a change in any of the four checks shows; a fixed
seed makes the corpus the same on every machine. The session-2 speed work kept 6000/6000.
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_validation import _records  # noqa: E402
from core.validation import validate_record  # noqa: E402

WORDS = ("sunny", "rain", "snow", "cloudy", "fog", "thunderstorms", "clear skies", "drizzle", "no rain",
         "a chance of showers", "freezing", "below freezing", "in the low 30s", "mid-20s", "overcast", "sleet")
PLACES = ("Paris", "Oslo", "Tokyo", "Cairo", "Lima", "Springfield", "Portland", "Reykjavik", "Moscow's", "La Paz")
DAYS = ("Monday", "on Saturday", "tomorrow", "this weekend", "today", "2026-03-14", "March 3rd",
        "the day after tomorrow")
BAD_ARGUMENTS = ('{"latitude": 91, "longitude": 0}', '{"city": 3}', "{bad json",
                 '{"latitude": 48.8, "longitude": 2.3, "days": 20}', "[]")


def _insert(message: dict, prefix: str, pool: tuple[str, ...], rng: random.Random) -> None:
    parts = message["content"].split(" ")
    position = rng.randrange(len(parts) + 1)
    parts.insert(position, prefix + rng.choice(pool))
    message["content"] = " ".join(parts)


def mutate(record: dict, rng: random.Random) -> dict:
    """A copy of `record` broken in one of nine ways (messages reordered when the drawn way does not apply)."""
    record = copy.deepcopy(record)
    messages = record["messages"]
    texts = [m for m in messages if m.get("role") == "assistant" and m.get("content")]
    tools = [m for m in messages if m.get("role") == "tool"]
    kind = rng.randrange(9)
    if kind == 0 and texts:
        message = rng.choice(texts)
        message["content"] = re.sub(r"\d", lambda d: str(rng.randrange(10)) if rng.random() < .4 else d.group(),
                                    message["content"])
    elif kind in (1, 2, 3) and texts:
        _insert(rng.choice(texts), *(("", WORDS), ("in ", PLACES), ("", DAYS))[kind - 1], rng)
    elif kind == 4 and tools:
        message = rng.choice(tools)
        message["content"] = re.sub(r"\d+\.\d", lambda d: f"{float(d.group()) * rng.choice([0.5, 1, 2, -1]):.1f}",
                                    message["content"])
    elif kind == 5 and tools:
        messages.remove(rng.choice(tools))
    elif kind == 6:
        for message in texts:
            message["content"] = message["content"].replace("°C", rng.choice(["°F", " degrees", "°C", " C"])) \
                .replace(". ", rng.choice([". ", "; ", "? ", ", "]))
    elif kind == 7:
        for message in messages:
            for call in message.get("tool_calls") or []:
                if rng.random() < .5:
                    call["function"]["arguments"] = rng.choice(BAD_ARGUMENTS)
    elif len(messages) > 3:
        first, second = rng.randrange(1, len(messages)), rng.randrange(1, len(messages))
        messages[first], messages[second] = messages[second], messages[first]
    return record


def verdict(record: dict) -> str:
    return json.dumps(validate_record(record).to_dict(), sort_keys=True, default=str)


def freeze(folder: Path) -> None:
    base = asyncio.run(_records(3000, 42))
    rng = random.Random(20261125)
    records = base + [mutate(record, rng) for record in base]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "records.jsonl").write_text("".join(json.dumps(record) + "\n" for record in records))
    (folder / "verdicts.jsonl").write_text("".join(verdict(record) + "\n" for record in records))
    print(f"froze {len(records)} verdicts in {folder}")


def check(folder: Path) -> int:
    records = [json.loads(line) for line in (folder / "records.jsonl").read_text().splitlines()]
    expected = (folder / "verdicts.jsonl").read_text().splitlines()
    changed = [(index, now) for index, (record, then) in enumerate(zip(records, expected))
               if (now := verdict(record)) != then]
    print(f"{len(records) - len(changed)}/{len(records)} verdicts identical")
    for index, now in changed[:5]:
        print(f"--- record {index}\nfrozen {expected[index][:1500]}\nnow    {now[:1500]}")
    return 1 if changed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("freeze", "check"))
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    if args.action == "freeze":
        freeze(args.folder)
    else:
        sys.exit(check(args.folder))


if __name__ == "__main__":
    main()
