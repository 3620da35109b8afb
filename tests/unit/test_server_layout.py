"""gunicorn's default layout follows the cores (mosaic.config.server_layout, gunicorn.conf.py)."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

from mosaic.config import (
    SERVER_THREADS,
    available_cores,
    cpu_quota,
    cpu_quota_v1,
    server_layout,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.unit


@pytest.mark.parametrize("cores", [1, 2, 3, 8])
def test_the_default_is_one_worker_per_core_with_two_threads(cores: int) -> None:
    assert server_layout({}, cores=cores) == (cores, 2, "gthread")
    assert SERVER_THREADS == 2


def test_unset_or_empty_settings_fall_back_to_the_default() -> None:
    """docker-compose.prod.yml passes `${WEB_CONCURRENCY:-}`: empty when the operator sets none."""
    empty = {"WEB_CONCURRENCY": "", "GUNICORN_THREADS": "", "GUNICORN_WORKER_CLASS": ""}
    assert server_layout(empty, cores=4) == (4, 2, "gthread")


def test_the_environment_overrides_each_part() -> None:
    env = {"WEB_CONCURRENCY": "3", "GUNICORN_THREADS": "4", "GUNICORN_WORKER_CLASS": "sync"}
    assert server_layout(env, cores=2) == (3, 4, "sync")
    assert server_layout({"GUNICORN_THREADS": "1"}, cores=2) == (2, 1, "gthread")


def test_no_cores_reported_still_gives_one_worker() -> None:
    assert server_layout({}, cores=0)[0] == 1


@pytest.mark.parametrize(
    ("text", "cores"),
    [("max 100000\n", None), ("150000 100000\n", 1.5), ("200000 100000", 2.0), ("", None)],
)
def test_cpu_quota_reads_cgroup_v2_cpu_max(text: str, cores: float | None) -> None:
    assert cpu_quota(text) == cores


@pytest.mark.parametrize(
    ("quota", "period", "cores"),
    [("-1\n", "100000\n", None), ("100000\n", "100000\n", 1.0), ("150000", "100000", 1.5)],
)
def test_cpu_quota_v1_reads_cgroup_v1_cfs_files(
    tmp_path: Path, quota: str, period: str, cores: float | None
) -> None:
    (tmp_path / "cpu.cfs_quota_us").write_text(quota)
    (tmp_path / "cpu.cfs_period_us").write_text(period)
    assert cpu_quota_v1(tmp_path) == cores


def test_available_cores_is_the_affinity_capped_by_the_quota(tmp_path: Path) -> None:
    affinity, nowhere = len(os.sched_getaffinity(0)), tmp_path / "missing"
    quota = tmp_path / "cpu.max"
    quota.write_text("max 100000\n")
    assert available_cores(quota, v1_folder=nowhere) == affinity
    quota.write_text("50000 100000\n")  # half a core: still one worker
    assert available_cores(quota, v1_folder=nowhere) == 1
    quota.write_text(f"{(affinity + 4) * 100000} 100000\n")  # a quota above the affinity
    assert available_cores(quota, v1_folder=nowhere) == affinity
    assert available_cores(nowhere, v1_folder=nowhere) == affinity


def test_available_cores_reads_cgroup_v1_without_cpu_max(tmp_path: Path) -> None:
    """Docker on a cgroup v1 host (this machine) sets `cpus: 1` as a CFS quota, not cpu.max."""
    (tmp_path / "cpu.cfs_quota_us").write_text("100000\n")
    (tmp_path / "cpu.cfs_period_us").write_text("100000\n")
    assert available_cores(tmp_path / "no-cpu.max", v1_folder=tmp_path) == 1
    (tmp_path / "cpu.max").write_text("max 100000\n")  # cgroup v2 wins where it exists
    assert available_cores(tmp_path / "cpu.max", v1_folder=tmp_path) == len(os.sched_getaffinity(0))


def test_gunicorn_conf_uses_the_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_WORKER_CLASS"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (
        available_cores(),
        SERVER_THREADS,
        "gthread",
    )
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("GUNICORN_THREADS", "1")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (conf["workers"], conf["threads"]) == (5, 1)
