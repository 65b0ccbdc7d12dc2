"""Project references between the services of one build (contract_discovery/links.py): a
.csproj's ProjectReference and Gradle's project(":x") let a service read the constants and helper
publications of the projects it compiles in, and nothing else."""

from pathlib import Path

from contract_discovery.links import project_links
from contract_discovery.model import Service
from contract_discovery.pipeline import scan

from .conftest import write

_DEFAULTS = """namespace Acme.Common;

public static class Defaults
{
    public const int HttpTimeoutSeconds = 7;
}
"""
_CLIENT = """using Acme.Common;
namespace Acme.{name};

public class RiskClient
{{
    public RiskClient(HttpClient client)
    {{
        client.Timeout = TimeSpan.FromSeconds(Defaults.HttpTimeoutSeconds);
    }}
}}
"""
_REF = '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><ProjectReference Include="{path}" /></ItemGroup></Project>\n'


def _solution(tmp_path):
    write(tmp_path, {
        "Acme.Common/Acme.Common.csproj": '<Project Sdk="Microsoft.NET.Sdk"></Project>\n',
        "Acme.Common/Defaults.cs": _DEFAULTS,
        "Acme.Http/Acme.Http.csproj": _REF.format(path="..\\Acme.Common\\Acme.Common.csproj"),
        "Acme.Api/Acme.Api.csproj": _REF.format(path="..\\Acme.Http\\Acme.Http.csproj"),
        "Acme.Api/RiskClient.cs": _CLIENT.format(name="Api"),
        "Acme.Worker/Acme.Worker.csproj": '<Project Sdk="Microsoft.NET.Sdk"></Project>\n',
        "Acme.Worker/RiskClient.cs": _CLIENT.format(name="Worker"),
    })


def test_csproj_references_are_followed_transitively(tmp_path):
    _solution(tmp_path)
    services = [Service(name=n, path=n) for n in ("Acme.Api", "Acme.Common", "Acme.Http", "Acme.Worker")]
    assert project_links(tmp_path, services) == {"Acme.Api": ("Acme.Http", "Acme.Common"),
                                                 "Acme.Http": ("Acme.Common",)}


def test_a_referenced_projects_constant_resolves_and_an_unreferenced_one_does_not(tmp_path):
    _solution(tmp_path)
    result = scan(tmp_path)
    got = {(f.service, f.path, f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"])
           for f in result.findings if f.kind == "timeout"}
    assert got == {("Acme.Api", "Acme.Api/RiskClient.cs", 8, 7000, "constant"),
                   ("Acme.Worker", "Acme.Worker/RiskClient.cs", 8, None, "unresolved")}


def test_gradle_project_dependencies_follow_settings_and_explicit_project_dirs(tmp_path):
    write(tmp_path, {
        "settings.gradle.kts": 'include(":app", ":libs:http", ":shared")\n'
                               'project(":shared").projectDir = file("platform/shared")\n',
        "build.gradle.kts": "plugins { java }\n",
        "app/build.gradle.kts": 'dependencies {\n  implementation(project(":libs:http"))\n'
                                '  implementation(project(path = ":shared"))\n}\n',
        "platform/shared/build.gradle": "dependencies { implementation project(':libs:http') }\n",
        "tools/build.gradle": "// project(':app') in a comment of an unreadable-as-service folder\n",
        # a subproject that can also build alone: its own settings file does not hide the outer build
        "libs/http/settings.gradle.kts": 'rootProject.name = "http"\n',
        "libs/http/build.gradle.kts": 'dependencies { implementation(project(":shared")) }\n',
    })
    services = [Service(name="root", path="."), Service(name="app", path="app"),
                Service(name="http", path="libs/http"), Service(name="shared", path="platform/shared")]
    assert project_links(tmp_path, services) == {"app": ("http", "shared"), "shared": ("http",), "http": ("shared",)}


def test_unreadable_or_dangling_references_link_nothing(tmp_path):
    write(tmp_path, {
        "Api/Api.csproj": _REF.format(path="..\\Gone\\Gone.csproj"),
        "Self/Self.csproj": _REF.format(path="Self.csproj"),
    })
    services = [Service(name="Api", path="Api"), Service(name="Self", path="Self"), Service(name="Missing", path="Missing")]
    assert project_links(tmp_path, services) == {}
    assert project_links(Path(tmp_path) / "nowhere", services) == {}


def test_maven_dependencies_on_a_sibling_module_link_and_external_ones_do_not(tmp_path):
    pom = ("<project><parent><artifactId>acme-parent</artifactId></parent>"
           "<artifactId>{own}</artifactId><dependencies>{deps}</dependencies></project>\n")
    dep = "<dependency><groupId>com.acme</groupId><artifactId>{a}</artifactId></dependency>"
    write(tmp_path, {
        "pom.xml": pom.format(own="acme-parent", deps=""),
        "orders/pom.xml": pom.format(own="orders", deps=dep.format(a="acme-common") + dep.format(a="spring-web")
                                     + "<!-- " + dep.format(a="billing") + " -->"),
        "common/pom.xml": pom.format(own="acme-common", deps=dep.format(a="jackson-databind")),
        "billing/pom.xml": pom.format(own="billing", deps=""),
        "bom/pom.xml": "<project><artifactId>acme-bom</artifactId><dependencyManagement><dependencies>"
                       + dep.format(a="orders") + "</dependencies></dependencyManagement></project>\n",
        "it/pom.xml": pom.format(own="acme-it", deps="<dependency><artifactId>billing</artifactId>"
                                 "<scope>test</scope></dependency>"),
    })
    services = [Service(name="acme", path="."), Service(name="orders", path="orders"),
                Service(name="common", path="common"), Service(name="billing", path="billing"),
                Service(name="bom", path="bom"), Service(name="it", path="it")]
    assert project_links(tmp_path, services) == {"orders": ("common",)}
