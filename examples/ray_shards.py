"""Run the shards of one run as Ray tasks, then merge them into one dataset.

Ray is optional (`pip install "ray[default]"`); `run_shard` itself is a plain
function, so any scheduler that can call Python (Slurm array jobs, Kubernetes
jobs, a loop over machines) can run the same shards. See docs/sharding_with_ray.md.

    python examples/ray_shards.py --count 10000 --shards 8 --work-dir data/shards --out data/runs/merged
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.config import RunConfig  # noqa: E402
from core.merge import merge_parts  # noqa: E402
from core.runner import RunPaths, run  # noqa: E402
from core.shard import Shard, parse_shard  # noqa: E402


def run_shard(config_data: dict[str, Any], shard: str, run_dir: str) -> str:
    """Run (or resume) shard `K/N` of the config into `run_dir`; returns `run_dir` once it is complete.

    Safe to retry: a task that died mid-way resumes from the checkpoint in `run_dir`, and one
    that already finished returns at once.
    An API key comes from the task's environment (e.g. Ray's runtime_env env_vars).
    """
    config, paths, part = RunConfig.from_dict(config_data), RunPaths.for_run_dir(run_dir), parse_shard(shard)
    if _finished(paths, config, part):
        return run_dir
    result = run(config, paths, resume=True, shard=part)
    if result.state != "completed":
        raise RuntimeError(f"shard {shard}: {result.message}")
    return run_dir


def _finished(paths: RunPaths, config: RunConfig, shard: Shard) -> bool:
    """Whether this shard of this config already completed in `paths` (a retried task must not pay twice)."""
    try:
        metadata = json.loads(paths.metadata.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return False
    return metadata.get("fingerprint") == config.fingerprint() and metadata.get("shard") == shard.to_dict()


def shard_dirs(work_dir: str, shards: int) -> list[str]:
    return [str(Path(work_dir) / f"shard-{k}-of-{shards}") for k in range(1, shards + 1)]


def run_on_ray(config_data: dict[str, Any], shards: int, work_dir: str) -> list[str]:
    """Every shard as one Ray task (call `ray.init` first); returns the shard folders."""
    import ray

    task = ray.remote(max_retries=2)(run_shard)
    return ray.get([task.remote(config_data, f"{k}/{shards}", directory)
                    for k, directory in enumerate(shard_dirs(work_dir, shards), start=1)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--backend", default="offline")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--work-dir", default="data/shards")
    parser.add_argument("--out", required=True, help="folder of the merged run (must not hold a dataset yet)")
    parser.add_argument("--address", help="Ray cluster address (default: start Ray on this machine)")
    args = parser.parse_args(argv)
    import ray

    ray.init(address=args.address)
    config = RunConfig(count=args.count, seed=args.seed, backend=args.backend)
    parts = run_on_ray(config.to_dict(), args.shards, args.work_dir)
    metadata = merge_parts(args.out, parts)
    print(f"{metadata['counts']['accepted']} accepted examples in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
