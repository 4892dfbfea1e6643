"""The container files a trust may use (Dockerfile, compose.yaml) agree with the settings. No Docker engine runs on
these machines, so the image is not built here: the README says so. The same layout (two app servers, a worker, one
beat) is run for real, without containers, by tests/deploy/test_scale_out.py."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from medlead.config.settings import REQUIRED_IN_PRODUCTION

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_app_servers_workers_and_exactly_one_beat_with_every_required_setting() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]

    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    assert services["web"]["deploy"]["replicas"] >= 2
    assert "replicas" not in services["beat"].get("deploy", {})  # one scheduler, never two
    for name in ("migrate", "web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["MEDLEAD_ENV"] == "production"
        assert set(REQUIRED_IN_PRODUCTION) <= set(env), name
    assert services["worker"]["command"][:4] == ["celery", "-A", "medlead.config.celery", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "medlead.config.celery", "beat"]


def test_the_image_collects_static_files_with_every_required_setting_and_copies_what_exists() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    build_step = dockerfile[dockerfile.index("collectstatic") - 300 : dockerfile.index("collectstatic")]

    assert all(f"{name}=" in build_step for name in REQUIRED_IN_PRODUCTION)
    for source in re.findall(r"^COPY (\S+)", dockerfile, flags=re.M):
        assert (ROOT / source).exists(), source
