"""The Ray example's shard task: a plain function, run under Ray's local mode when Ray is installed."""
import importlib.util
import json

from core.config import RunConfig
from core.merge import merge_parts
from examples.ray_shards import run_on_ray, run_shard, shard_dirs

CONFIG = RunConfig(count=12, seed=3)


def run_every_shard(shards, work_dir):
    """As Ray tasks when Ray is importable, else by calling the task function in turn."""
    if importlib.util.find_spec("ray") is None:
        return [run_shard(CONFIG.to_dict(), f"{k}/{shards}", directory)
                for k, directory in enumerate(shard_dirs(str(work_dir), shards), start=1)]
    import ray

    ray.init(local_mode=True, include_dashboard=False, num_cpus=1)
    try:
        return run_on_ray(CONFIG.to_dict(), shards, str(work_dir))
    finally:
        ray.shutdown()


def test_the_shard_tasks_of_a_run_merge_into_the_whole_dataset(tmp_path):
    parts = run_every_shard(3, tmp_path / "shards")

    metadata = merge_parts(tmp_path / "merged", parts)

    counts = metadata["counts"]
    assert counts["planned"] == 12 and counts["accepted"] + counts["rejected"] == 12
    assert [part["shard"] for part in metadata["merged_from"]] == ["1/3", "2/3", "3/3"]


def test_a_retried_task_of_a_finished_shard_returns_without_running_again(tmp_path):
    directory = str(tmp_path / "shard")
    run_shard(CONFIG.to_dict(), "2/2", directory)
    metadata = tmp_path / "shard" / "generation_metadata.json"
    first = json.loads(metadata.read_text())["generated_at"], metadata.stat().st_mtime_ns

    assert run_shard(CONFIG.to_dict(), "2/2", directory) == directory
    assert (json.loads(metadata.read_text())["generated_at"], metadata.stat().st_mtime_ns) == first
