"""Round 13 (lead, from the seqera-helm-charts measure set): values files a chart ships under another
name than values*.yaml (`examples/ingress/wildcard-tls.yaml`, handed to `helm install -f`) are read
for the ingress annotations they set."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

EXAMPLE = (
    "global:\n"
    "  platformExternalDomain: example.com\n"
    "ingress:\n"
    "  enabled: true\n"
    "  annotations:\n"
    "    # proxy timeouts in seconds\n"
    "    nginx.ingress.kubernetes.io/proxy-read-timeout: \"3600\"\n"
    "    nginx.ingress.kubernetes.io/proxy-send-timeout: \"3600\"\n")


def _timeouts(root: Path) -> list[tuple]:
    return sorted((f.path, f.line, f.attributes["timeout_ms"]) for f in scan(root).findings if f.kind == "timeout")


def test_example_values_file_with_another_name_is_read_for_its_annotations(tmp_path):
    path = tmp_path / "charts/platform/examples/ingress-configurations/wildcard-tls.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(EXAMPLE)
    assert _timeouts(tmp_path) == [
        ("charts/platform/examples/ingress-configurations/wildcard-tls.yaml", 7, 3600000),
        ("charts/platform/examples/ingress-configurations/wildcard-tls.yaml", 8, 3600000)]


def test_annotation_keys_in_prose_or_other_yaml_are_not_settings(tmp_path):
    # the annotation named in a comment and in a string of a workflow: no annotations mapping
    (tmp_path / "ci.yaml").write_text(
        "# set nginx.ingress.kubernetes.io/proxy-read-timeout: \"3600\" on your ingress\n"
        "jobs:\n"
        "  docs:\n"
        "    run: echo 'nginx.ingress.kubernetes.io/proxy-read-timeout'\n")
    assert _timeouts(tmp_path) == []


def test_a_manifest_with_the_annotation_is_read_once_as_a_manifest(tmp_path):
    (tmp_path / "ingress.yaml").write_text(
        "apiVersion: networking.k8s.io/v1\n"
        "kind: Ingress\n"
        "metadata:\n"
        "  name: web\n"
        "  annotations:\n"
        "    nginx.ingress.kubernetes.io/proxy-read-timeout: \"30\"\n")
    assert _timeouts(tmp_path) == [("ingress.yaml", 6, 30000)]
