#!/usr/bin/env python3
"""Print one offline conversation in each voice for the same plan.

The three conversations make the same tool calls with the same results; only
the words differ. Examples:

    python3 scripts/show_offline_voices.py
    python3 scripts/show_offline_voices.py --index 7 --seed 3
    python3 scripts/show_offline_voices.py --scenario error
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.backends.offline import OfflineBackend  # noqa: E402
from core.config import SCENARIOS, RunConfig  # noqa: E402
from core.generation import run_conversation  # noqa: E402
from core.personas import PERSONAS  # noqa: E402
from core.plan import ExamplePlan, build_plans  # noqa: E402

WIDTH = 100
PLANS_SEARCHED = 200


def pick_plan(seed: int, index: int | None, scenario: str) -> ExamplePlan:
    """The plan at `index`, or the first plan of `scenario` (multi-turn ones show the most)."""
    plans = build_plans(RunConfig(count=max(PLANS_SEARCHED, (index or 0) + 1), seed=seed))
    if index is not None:
        return plans[index]
    return next(plan for plan in plans if plan.scenario == scenario and (
        scenario != "multi_turn" or len(plan.follow_ups) == 2))


def render(messages: list[dict], tool_chars: int) -> str:
    lines = []
    for message in messages[1:]:  # the system message is the persona prompt, printed once above
        role = message["role"]
        if role == "tool":
            content = message["content"]
            shown = content if len(content) <= tool_chars else content[:tool_chars] + "…"
            lines.append(f"  [tool] {shown}")
        elif message.get("tool_calls"):
            for call in message["tool_calls"]:
                mistake = "  (weight 0: a scripted mistake)" if message.get("weight") == 0 else ""
                lines.append(f"  [assistant → {call['function']['name']}] {call['function']['arguments']}{mistake}")
        else:
            label = f"  [{role}] "
            lines.append(textwrap.fill(message["content"], WIDTH, initial_indent=label,
                                       subsequent_indent=" " * len(label)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=42, help="run seed the plans are built from (default 42)")
    parser.add_argument("--index", type=int, help="plan index to show (default: the first plan of --scenario)")
    parser.add_argument("--scenario", choices=SCENARIOS, default="multi_turn", help="default multi_turn")
    parser.add_argument("--backend-seed", type=int, default=0, help="the offline backend's seed (default 0)")
    parser.add_argument("--tool-chars", type=int, default=160, help="tool results are cut to this length")
    args = parser.parse_args(argv)
    if args.index is not None and args.index < 0:
        parser.error(f"--index must be 0 or more, got {args.index}")

    plan = pick_plan(args.seed, args.index, args.scenario)
    print(f"Plan {plan.index} (run seed {args.seed}): {plan.scenario}, intent {plan.intent}, "
          f"places {', '.join(plan.location_ids) or '(invented)'}, error {plan.error_kind}, "
          f"follow-ups {', '.join(plan.follow_ups) or 'none'}, date {plan.simulated_date}")
    for name, persona in PERSONAS.items():
        messages, _ = asyncio.run(run_conversation(replace(plan, persona=name), OfflineBackend(args.backend_seed)))
        print(f"\n=== {persona.label} ({persona.tone}) ===")
        print(render(messages, args.tool_chars))
    return 0


if __name__ == "__main__":
    sys.exit(main())
