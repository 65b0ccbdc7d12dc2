"""`${key:fallback}` placeholders: the property the service's configuration sets wins over the fallback."""

from __future__ import annotations

from contract_discovery.pipeline import scan
from contract_discovery.values import Env, Num, Ref, evaluate

JAVA = """package a;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.retry.annotation.Retryable;
public class C {
    @Value("${risk.timeout-ms:500}") private int timeoutMs;
    @Value("${risk.connect-ms:250}") private int connectMs;
    void m() { factory.setReadTimeout(timeoutMs); factory.setConnectTimeout(connectMs); }
    @Retryable(maxAttemptsExpression = "${risk.max-attempts:3}")
    public void post() { rest.post(); }
}
"""


def _values(root):
    return {(f.line, f.kind, f.attributes.get("phase")): (f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
                                                          f.attributes.get("resolved_from"))
            for f in scan(root).findings if f.kind in ("timeout", "retry")}


def test_spring_property_set_in_application_yml_beats_the_fallback(tmp_path):
    (tmp_path / "build.gradle").write_text("plugins { id 'java' }\n")
    src = tmp_path / "src/main/java/a"
    src.mkdir(parents=True)
    (src / "C.java").write_text(JAVA)
    res = tmp_path / "src/main/resources"
    res.mkdir(parents=True)
    (res / "application.yml").write_text("risk:\n  timeout-ms: 900\n  max-attempts: 4\n")
    got = _values(tmp_path)
    assert got[(7, "timeout", "read")] == (900, "config")
    assert got[(8, "retry", None)][0] == 4
    # not set anywhere: the fallback
    assert got[(7, "timeout", "connect")] == (250, "env_default")


def test_environment_variables_keep_their_default_and_deployment_first():
    def lookup(name):
        return {"$env:risk.timeout-ms": (Num(700.0), "config"), "risk.timeout-ms": (Num(900.0), "config"),
                "RISK_TIMEOUT": (Num(5.0), "constant")}.get(name)

    # the deployment's environment beats the configuration file
    assert evaluate(Env("risk.timeout-ms", Num(500.0)), lookup).value == 700.0
    # an upper-case environment variable is never read as a property of the same name
    assert evaluate(Env("RISK_TIMEOUT", Num(2.0)), lookup).value == 2.0
    assert evaluate(Ref("RISK_TIMEOUT"), lookup).value == 5.0
