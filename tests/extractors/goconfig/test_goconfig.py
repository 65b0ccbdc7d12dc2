"""goconfig: the config files a Go service loads, published as `$go-config:` keys, and the Go
extractor's config fields resolved through them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from contract_discovery.pipeline import scan
from contract_discovery.values import Num, Str
from extractors.goconfig.extractor import EXTRACTOR, is_go_config

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "goconfig"


@pytest.mark.parametrize("path", [
    "configs/config.yaml",  # kratos
    "app/order/cmd/api/etc/order.yaml",  # go-zero
    "conf/frpc.toml",
    "config/webhooks.yml",
    "config.json",
    "deploy-config.yaml",
    "config.example.yml",
    "cfg/settings.json",
])
def test_claims_the_config_files_of_a_go_service(path: str) -> None:
    assert is_go_config(path)


@pytest.mark.parametrize("path", [
    "docker-compose.yml",
    "config/docker-compose.yaml",
    ".golangci.yml",
    "config/package.json",
    "config/tsconfig.json",
    "charts/api/values.yaml",
    "config/values.yaml",
    "deploy/k8s/config.yaml",
    "api/openapi.yaml",
    "internal/service.yaml",  # a name that says nothing, outside a config folder
    "app.yaml",  # App Engine's deployment descriptor
    "config/settings.go",
])
def test_does_not_claim_other_tools_files(path: str) -> None:
    assert not is_go_config(path)


def test_publishes_normalised_keys_and_durations_in_ms() -> None:
    data = (FIXTURES / "shop" / "configs" / "config.yaml").read_bytes()
    symbols = EXTRACTOR.extract("configs/config.yaml", data).symbols
    assert symbols["$go-config:server.http.timeout"] == Num(1000.0)  # "1s"
    assert symbols["$go-config:data.redis.readtimeout"] == Num(200.0)  # read_timeout: 0.2s
    assert symbols["$go-config:data.redis.maxretries"] == Num(4.0)  # a number stays a number
    assert symbols["$go-config:data.payment.timeoutms"] == Num(1500.0)
    assert symbols["$go-config:data.payment.url"] == Str("http://payment:8080")
    # tails of two names or more, for code holding a sub-struct (`conf *conf.Data`)
    assert symbols["$go-config~redis.readtimeout"] == Num(200.0)
    assert "$go-config~readtimeout" not in symbols  # one name alone says too little
    assert "$go-config:data.redis.addr" in symbols and "$go-config:retry.attempts" in symbols


def test_a_tail_two_leaves_give_different_values_is_left_out() -> None:
    data = b"grpc:\n  user:\n    timeout: 1s\n  order:\n    timeout: 2s\nhttp:\n  user:\n    timeout: 3s\n"
    symbols = EXTRACTOR.extract("configs/config.yaml", data).symbols
    assert symbols["$go-config:grpc.user.timeout"] == Num(1000.0)
    assert "$go-config~user.timeout" not in symbols  # 1 s or 3 s: nobody can tell
    assert symbols["$go-config~order.timeout"] == Num(2000.0)


def test_toml_and_json() -> None:
    toml = EXTRACTOR.extract("conf/frpc.toml", b'[transport]\ndialServerTimeout = 10\nprotocol = "tcp"\n').symbols
    assert toml["$go-config:transport.dialservertimeout"] == Num(10.0)
    js = EXTRACTOR.extract("config/app.json", b'{"Http": {"Read-Timeout": "500ms"}}').symbols
    assert js["$go-config:http.readtimeout"] == Num(500.0)


@pytest.mark.parametrize("data", [
    b"apiVersion: v1\nkind: ConfigMap\ndata:\n  timeout: 5s\n",  # a Kubernetes manifest in a config folder
    b"server:\n  timeout: {{ .Values.timeout }}\n",  # a template: does not parse
    b"- a\n- b\n",  # not a mapping
    b"\xff\xfe\x00",
    b"",
])
def test_yields_nothing_for_what_is_not_a_config_mapping(data: bytes) -> None:
    result = EXTRACTOR.extract("config/config.yaml", data)
    assert result.symbols == {} and result.errors == () and result.findings == ()


def test_a_config_field_takes_its_value_from_the_config_file(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", root)
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path, f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
                  f.attributes.get("resolved_from"))
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [
        ("internal/data/data.go", 17, "timeout", 200, "config"),  # conf.Redis.ReadTimeout: data.redis.read_timeout
        ("internal/data/data.go", 18, "timeout", 200, "config"),
        ("internal/data/data.go", 19, "retry", 5, None),  # max_retries 4, go-redis counts retries
        ("internal/data/data.go", 30, "timeout", 1500, "config"),  # tagged timeout_ms: the tag names the key
        ("internal/data/data.go", 35, "timeout", 2000, "literal"),  # a literal needs no config
        ("internal/server/client.go", 13, "timeout", 3000, "config"),  # not in the file: viper's default (a setting's)
        ("internal/server/client.go", 15, "timeout", 1000, "config"),  # the file's value over the default
    ]
