"""docker-compose.yml and its Dockerfiles, checked without a Docker engine.

No Docker engine runs where these tests run, so they check what can be checked
statically: the compose file parses and wires its services together, every file
it and the Dockerfiles name exists, and the Dockerfiles install the same Debian
packages as scripts/setup.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent


def _compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return document


def _dockerfiles() -> list[Path]:
    services = _compose()["services"].values()
    names = {
        service["build"]["dockerfile"] for service in services if "build" in service
    }
    return [REPO / name for name in sorted(names)]


def _setup_packages() -> set[str]:
    script = (REPO / "scripts" / "setup").read_text()
    packages = set(re.findall(r'missing\+=\("?([^")]+)"?\)', script))
    return {name.replace("$pg_major", "15") for name in packages}


def test_compose_runs_the_database_a_migration_and_the_api() -> None:
    services = _compose()["services"]

    assert set(services) == {"db", "migrate", "api"}
    assert services["migrate"]["command"] == ["db-migrate"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    api_depends = services["api"]["depends_on"]["migrate"]["condition"]
    assert api_depends == "service_completed_successfully"
    assert "healthcheck" in services["db"]
    assert "healthcheck" in services["api"]
    volume = services["db"]["volumes"][0].split(":")[0]
    assert volume in _compose()["volumes"]


def test_every_file_the_containers_name_exists() -> None:
    dockerfiles = _dockerfiles()
    assert len(dockerfiles) == 2
    for dockerfile in dockerfiles:
        assert dockerfile.is_file(), dockerfile
        for line in dockerfile.read_text().splitlines():
            if line.startswith("COPY "):
                *sources, _destination = line.split()[1:]
                for source in sources:
                    assert (REPO / source).exists(), f"{dockerfile.name}: {source}"


def test_dockerfiles_install_what_the_setup_script_installs() -> None:
    setup = _setup_packages()
    assert "postgresql-15-cron" in setup
    for dockerfile in _dockerfiles():
        text = dockerfile.read_text().replace("\\\n", " ")
        for command in re.findall(r"apt-get install ([^&]+)", text):
            packages = {word for word in command.split() if not word.startswith("-")}
            assert packages <= setup, f"{dockerfile.name} installs {packages - setup}"
