"""The deployment files in deploy/ (docs/deployment.md) load: YAML parses, each Dagster instance config validates
against Dagster's instance schema and, where the launcher's or storage's library is importable, against that
class's own config schema; the Helm values name Cipher's image, the module to load and the settings."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
import yaml
from dagster._config import process_config
from dagster._core.instance.config import dagster_instance_config

from cipher_pipeline.defs import defs
from cipher_pipeline.defs.tier1 import TRANSCRIPTION_POOL
from cipher_pipeline.settings import PROJECT_ROOT, Settings

DEPLOY = PROJECT_ROOT / "deploy"
INSTANCE_CONFIGS = [PROJECT_ROOT / "dagster.yaml", *sorted(DEPLOY.rglob("dagster.yaml"))]


def _yaml_files() -> list[Path]:
    return sorted([*DEPLOY.rglob("*.yaml"), PROJECT_ROOT / "workspace.yaml"])


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_yaml_parses_to_a_mapping(path):
    assert isinstance(yaml.safe_load(path.read_text()), dict)


@pytest.mark.parametrize("path", INSTANCE_CONFIGS, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_instance_config_validates(path, tmp_path):
    shutil.copy(path, tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))  # raises on a schema or concurrency-rule violation
    assert config["telemetry"] == {"enabled": False}
    pools = config["concurrency"]["pools"]
    assert pools["granularity"] == "op" and pools["default_limit"] >= 1
    launcher = config.get("run_launcher")
    if launcher and launcher["module"] != "dagster.core.launcher":
        try:
            cls = getattr(importlib.import_module(launcher["module"]), launcher["class"])
        except ImportError:
            pytest.skip(f"{launcher['module']} is not installed (cluster extra): its own schema is not checked")
        result = process_config(cls.config_type(), launcher["config"])
        assert result.success, [e.message for e in result.errors]


def test_postgres_instances_name_every_connection_field_from_the_environment():
    for path in INSTANCE_CONFIGS:
        storage = yaml.safe_load(path.read_text()).get("storage", {})
        if "postgres" in storage:
            db = storage["postgres"]["postgres_db"]
            assert all(isinstance(db[f], dict) and "env" in db[f] for f in ("hostname", "username", "password", "db_name"))


def test_postgres_storage_class_accepts_the_config(monkeypatch):
    pg = pytest.importorskip("dagster_postgres", reason="dagster-postgres (cluster extra) is not installed")
    for name in ("DAGSTER_PG_HOST", "DAGSTER_PG_USER", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB"):
        monkeypatch.setenv(name, "set-by-the-deployment")  # resolved when the instance loads, as in a pod
    config = yaml.safe_load((DEPLOY / "cluster" / "dagster.yaml").read_text())["storage"]["postgres"]
    result = process_config(pg.PostgresRunStorage.config_type(), config)
    assert result.success, [e.message for e in result.errors]


def test_transcription_is_the_pool_the_instance_limits():
    from dagster import AssetKey

    node = defs.get_repository_def().asset_graph.get(AssetKey("transcripts"))
    assert node.pools == {TRANSCRIPTION_POOL}
    # No other asset is in a pool: the pools' default limit bounds transcription and nothing else.
    others = [k for k in defs.get_repository_def().asset_graph.get_all_asset_keys() if k != AssetKey("transcripts")]
    assert all(not defs.get_repository_def().asset_graph.get(k).pools for k in others)


def test_helm_values_name_the_image_module_launcher_and_settings():
    values = yaml.safe_load((DEPLOY / "cluster" / "values.yaml").read_text())
    deployment = values["dagster-user-deployments"]["deployments"][0]
    assert deployment["image"]["repository"].endswith("/cipher-pipeline")
    assert deployment["dagsterApiGrpcArgs"] == ["--module-name", "cipher_pipeline.defs"]
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    assert values["postgresql"]["enabled"] is False
    assert values["telemetry"]["enabled"] is False
    assert values["concurrency"]["pools"]["defaultLimit"] >= 1
    launcher = values["runLauncher"]["config"]["k8sRunLauncher"]
    assert {s["name"] for s in launcher["envSecrets"]} == {"cipher-keys"}
    assert {c["name"] for c in launcher["envConfigMaps"]} == {"cipher-settings"}
    # The run pods mount the volume that holds Tier 1 and 2.
    assert any(m["mountPath"] == "/srv/cipher/data" for m in launcher["volumeMounts"])


def test_settings_files_use_only_settings_cipher_reads(monkeypatch):
    """Every CIPHER_* name in the deploy files is one Settings.from_env reads (a typo would be silently ignored)."""
    import re

    known = set(re.findall(r"CIPHER_[A-Z0-9_]+", (PROJECT_ROOT / "cipher_pipeline" / "settings.py").read_text()))
    for path in DEPLOY.rglob("*"):
        if path.is_file():
            for name in re.findall(r"CIPHER_[A-Z0-9_]+", path.read_text()):
                assert name in known, f"{path.relative_to(PROJECT_ROOT)} sets {name}, which Cipher does not read"
    configmap = yaml.safe_load((DEPLOY / "cluster" / "cipher-settings.configmap.yaml").read_text())["data"]
    for name, value in configmap.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()
    assert settings.tier3_root == configmap["CIPHER_TIER3_ROOT"]
    assert settings.tier2_release_root == configmap["CIPHER_TIER2_RELEASE_ROOT"]
    assert settings.tier2_ledger_root == configmap["CIPHER_TIER2_LEDGER_ROOT"]
    assert str(settings.data_root) == configmap["CIPHER_DATA_ROOT"]


def test_the_bucket_policy_lets_analysts_read_only_the_released_prefixes_and_only_the_pipeline_write():
    """deploy/cluster/s3-bucket-policy.json: the store-side half of "a held day is unreadable to the analyst role"
    (the other half: held days are never copied to the store). It names the prefixes the cluster's settings use."""
    import json

    policy = json.loads((DEPLOY / "cluster" / "s3-bucket-policy.json").read_text())
    configmap = yaml.safe_load((DEPLOY / "cluster" / "cipher-settings.configmap.yaml").read_text())["data"]
    released = {configmap[name].removeprefix("s3://") + "/*" for name in ("CIPHER_TIER2_RELEASE_ROOT", "CIPHER_TIER3_ROOT")}

    def resources(statement) -> set[str]:
        value = statement["Resource"]
        return {r.removeprefix("arn:aws:s3:::") for r in ([value] if isinstance(value, str) else value)}

    analyst = [s for s in policy["Statement"] if s.get("Principal", {}).get("AWS", "").endswith("role/cipher-analyst")]
    assert analyst and all(s["Effect"] == "Allow" for s in analyst)
    assert {a for s in analyst for a in s["Action"]} == {"s3:GetObject", "s3:ListBucket"}
    reads = [s for s in analyst if "s3:GetObject" in s["Action"]]
    assert set().union(*map(resources, reads)) == released
    for statement in analyst:
        if "s3:ListBucket" in statement["Action"]:
            assert {p.removesuffix("*") for p in statement["Condition"]["StringLike"]["s3:prefix"]} == {
                r.split("/", 1)[1].removesuffix("*") for r in released
            }
    (deny,) = [s for s in policy["Statement"] if s["Effect"] == "Deny"]
    assert deny["NotPrincipal"]["AWS"].endswith("role/cipher-pipeline") and "s3:PutObject" in deny["Action"]


def test_the_ledger_bucket_policy_keeps_analysts_out_and_lets_no_one_delete_a_line():
    """deploy/cluster/s3-ledger-bucket-policy.json: the gate's ledger (CIPHER_TIER2_LEDGER_ROOT) is evidence about
    Tier 2, not a released product. The pipeline writes it; QA reads it and adds review and withdrawal lines; the
    auditor reads it; the analyst role is denied the whole bucket, and no one deletes a line (docs/deployment.md)."""
    import json

    configmap = yaml.safe_load((DEPLOY / "cluster" / "cipher-settings.configmap.yaml").read_text())["data"]
    bucket, prefix = configmap["CIPHER_TIER2_LEDGER_ROOT"].removeprefix("s3://").split("/", 1)
    policy = json.loads((DEPLOY / "cluster" / "s3-ledger-bucket-policy.json").read_text())
    analytics = json.loads((DEPLOY / "cluster" / "s3-bucket-policy.json").read_text())

    def listed(value) -> list[str]:
        return [value] if isinstance(value, str) else list(value)

    def principals(statement) -> set[str]:
        who = statement.get("Principal") or statement.get("NotPrincipal")
        return {"*"} if who == "*" else {arn.rsplit("/", 1)[1] for arn in listed(who["AWS"])}

    def resources(statement) -> set[str]:
        return {r.removeprefix("arn:aws:s3:::") for r in listed(statement["Resource"])}

    # Its own bucket: nothing the analytics bucket's policy grants reaches it.
    assert all(not r.startswith(bucket) for s in analytics["Statement"] for r in resources(s))
    allows = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    assert all(r in (bucket, f"{bucket}/{prefix}/*") or r.startswith(f"{bucket}/{prefix}/") for s in allows for r in resources(s))
    granted = {role: {a for s in allows if role in principals(s) for a in s["Action"]} for role in
               ("cipher-pipeline", "cipher-qa", "cipher-auditor", "cipher-analyst")}
    assert granted["cipher-analyst"] == set()
    assert granted["cipher-pipeline"] == {"s3:GetObject", "s3:PutObject", "s3:ListBucket"}
    assert granted["cipher-qa"] == {"s3:GetObject", "s3:PutObject", "s3:ListBucket"}
    assert granted["cipher-auditor"] == {"s3:GetObject", "s3:ListBucket"}
    qa_writes = set().union(*(resources(s) for s in allows if "cipher-qa" in principals(s) and "s3:PutObject" in s["Action"]))
    assert qa_writes == {f"{bucket}/{prefix}/qa_log/*", f"{bucket}/{prefix}/release_log/*"}  # never the evidence

    denies = [s for s in policy["Statement"] if s["Effect"] == "Deny"]
    (analyst_deny,) = [s for s in denies if "Principal" in s and principals(s) == {"cipher-analyst"}]
    assert analyst_deny["Action"] == ["s3:*"] and resources(analyst_deny) == {bucket, f"{bucket}/*"}
    (no_delete,) = [s for s in denies if principals(s) == {"*"}]
    assert {"s3:DeleteObject", "s3:DeleteObjectVersion"} <= set(no_delete["Action"])
    (writers,) = [s for s in denies if "NotPrincipal" in s]
    assert principals(writers) == {"cipher-pipeline", "cipher-qa"} and "s3:PutObject" in writers["Action"]
