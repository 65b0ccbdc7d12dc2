import os
from pathlib import Path

from contract_discovery.config import Config, ServiceSpec
from contract_discovery.discovery import (IgnoreMatcher, classify_bytes, discover_services, is_test_path,
                                          owner_of, parse_ignore_lines, walk)

from .conftest import write


def test_gitignore_patterns_negation_and_directories():
    m = IgnoreMatcher()
    m.push("", parse_ignore_lines(["*.log", "build/", "!keep.log", "/top.py", "docs/**/gen_*.py"]))
    assert m.ignored("a/b/x.log", False)
    assert not m.ignored("a/keep.log", False)
    assert m.ignored("build", True)
    assert m.ignored("src/build", True)  # files below it are never visited by the walk
    assert m.ignored("top.py", False)
    assert not m.ignored("sub/top.py", False)
    assert m.ignored("docs/a/b/gen_x.py", False)
    assert not m.ignored("docs/a/b/x.py", False)


def test_nested_gitignore_applies_below_its_folder(tmp_path):
    write(tmp_path, {"svc/.gitignore": "/generated.py\n", "svc/generated.py": "x", "svc/app.py": "x",
                     "generated.py": "x", ".gitignore": "ignored_dir/\n", "ignored_dir/a.py": "x"})
    files = walk(tmp_path, Config(), wanted=lambda p: p.endswith(".py")).files
    assert files == ("generated.py", "svc/app.py")


def test_config_excludes_and_skip_dirs(tmp_path):
    write(tmp_path, {"legacy/old.py": "x", "node_modules/lib/index.js": "x", "package.json": "{}", "app.py": "x",
                     ".venv/x.py": "x"})
    files = walk(tmp_path, Config(exclude=("legacy/**",))).files
    assert files == ("app.py", "package.json")


def test_tests_left_out_unless_asked(tmp_path):
    write(tmp_path, {"svc/tests/test_a.py": "x", "svc/test_b.py": "x", "svc/b_test.go": "x", "svc/c.test.ts": "x",
                     "svc/spec/d_spec.rb": "x", "svc/app.py": "x", "svc/conftest.py": "x"})
    assert walk(tmp_path, Config()).files == ("svc/app.py",)
    assert len(walk(tmp_path, Config(), include_tests=True).files) == 7
    assert is_test_path("a/__tests__/x.js") and not is_test_path("a/testing_utils.py")
    # a Django management command named like a test module is code (`manage.py test_email`)
    assert not is_test_path("api/plane/db/management/commands/test_email.py")
    assert is_test_path("api/plane/db/tests/management/commands/test_email.py")


def test_a_terraform_environment_named_test_is_read_and_its_other_files_stay_tests(tmp_path):
    write(tmp_path, {"infra/terraform/test/main.tf": "x", "infra/terraform/test/test.tfvars": "x",
                     "infra/terraform/production/main.tf": "x", "infra/terraform/test/helper_test.go": "x",
                     "infra/terraform/test/fixtures/main.tf": "x", "infra/test/app.py": "x",
                     "mod/tests/main.tf": "x", "mod/test/unit/test/main.tf": "x"})
    assert walk(tmp_path, Config()).files == ("infra/terraform/production/main.tf", "infra/terraform/test/main.tf",
                                              "infra/terraform/test/test.tfvars")
    assert not is_test_path("infra/terraform/test/main.tf") and is_test_path("infra/terraform/test/fixtures/main.tf")
    assert is_test_path("mod/tests/main.tf") and is_test_path("mod/test/unit/test/main.tf")


def test_symlink_loop_and_escape_are_not_followed(tmp_path):
    write(tmp_path, {"root/svc/app.py": "x", "outside/secret.py": "x"})
    root = tmp_path / "root"
    os.symlink(root, root / "svc" / "loop")
    os.symlink(tmp_path / "outside", root / "escape")
    os.symlink(tmp_path / "outside" / "secret.py", root / "svc" / "linked.py")
    result = walk(root, Config(), wanted=lambda p: p.endswith(".py"))
    assert result.files == ("svc/app.py",)
    kinds = {(e.path, e.kind) for e in result.errors}
    assert ("escape", "symlink") in kinds and ("svc/linked.py", "symlink") in kinds


def test_unreadable_directory_is_reported_and_walk_goes_on(tmp_path, monkeypatch):
    write(tmp_path, {"ok/a.py": "x", "locked/b.py": "x"})
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = walk(tmp_path, Config())
    assert result.files == ("ok/a.py",)
    assert [(e.path, e.kind) for e in result.errors] == [("locked", "unreadable")]


def test_services_from_manifests_contracts_and_config(tmp_path):
    write(tmp_path, {
        "services/checkout-service/contracts/deps.yaml": "service: checkout\n",
        "services/risk/pyproject.toml": "[project]\nname='risk'\n",
        "services/orders/go.mod": "module orders\n",
        "services/orders/infra/main.tf": "",
        "services/web/package.json": "{}",
        "services/ledger/Ledger.csproj": "<Project/>",
        "services/portal/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: support-portal\n",
    })
    walked = walk(tmp_path, Config())
    services = discover_services(tmp_path, Config(), walked)
    assert [(s.name, s.path) for s in services] == [
        ("checkout", "services/checkout-service"), ("ledger", "services/ledger"), ("orders", "services/orders"),
        ("support-portal", "services/portal"), ("risk", "services/risk"), ("web", "services/web")]
    # Terraform beside the Go code belongs to the same service.
    assert owner_of("services/orders/infra/main.tf", services).name == "orders"
    explicit = Config(services=(ServiceSpec("a", "services/risk"),))
    assert [(s.name, s.origin) for s in discover_services(tmp_path, explicit, walked)] == [("a", "config")]


def test_classify_bytes_binary_generated_utf16_minified():
    assert classify_bytes("a.py", b"\x00\x01\x02")[1].kind == "binary"
    assert classify_bytes("a.go", b"// Code generated by protoc. DO NOT EDIT.\npackage x")[1].kind == "generated"
    data, err = classify_bytes("a.py", "x = 'é'\n".encode("utf-16"))
    assert err is None and data == "x = 'é'\n".encode("utf-8")
    minified = b"var a=1;" * 40000
    assert classify_bytes("bundle.js", minified)[1].kind == "generated"
    assert classify_bytes("ok.py", b"import requests\n")[1] is None
    # round 21: a JPA entity's `@GeneratedValue` is no generated-file marker; `@Generated(...)` and `@generated` are
    entity = b"@Entity\npublic class Capture {\n    @Id @GeneratedValue Long id;\n}\n"
    assert classify_bytes("Capture.java", entity)[1] is None
    assert classify_bytes("Gen.java", b'@Generated("protoc")\npublic class Gen {}\n')[1].kind == "generated"
    assert classify_bytes("gen.ts", b"/** @generated by relay */\nexport const x = 1;\n")[1].kind == "generated"


def test_service_locator_agrees_with_owner_of():
    from contract_discovery.discovery import ServiceLocator
    from contract_discovery.model import Service

    services = [Service("root", "."), Service("a", "svc/a"), Service("b", "svc/a/b"), Service("c", "other/c")]
    locator = ServiceLocator(services)
    for path in ["x.py", "svc/a/x.py", "svc/a/b/y/z.py", "svc/ab/x.py", "other/c/d/e.go", "other/x.go", "svc/a"]:
        assert locator.owner(path) == owner_of(path, services), path
    assert ServiceLocator(services[1:]).owner("zzz/x.py") is None


def test_a_manifest_in_a_generic_folder_names_the_service_after_the_folder_above(tmp_path):
    write(tmp_path, {
        "src/cart/src/cart.csproj": "<Project/>",
        "src/shop/app/package.json": "{}",
        "src/api/go.mod": "module api\n",
        "src/package.json": "{}",  # a root-level "src" keeps its name: nothing above it
    })
    walked = walk(tmp_path, Config())
    names = {s.path: s.name for s in discover_services(tmp_path, Config(), walked)}
    assert names == {"src/cart/src": "cart", "src/shop/app": "shop", "src/api": "api", "src": "src"}


def test_a_setup_py_is_a_manifest_only_when_it_is_a_packaging_script(tmp_path):
    write(tmp_path, {
        "bookshelf/requirements.txt": "django\n",
        # a Django view module named setup.py: part of bookshelf, no service of its own
        "bookshelf/views/setup.py": "from django.views import View\n\nclass CreateAdmin(View):\n    pass\n",
        "bookshelf/views/books.py": "import requests\n",
        "libs/client/setup.py": "from setuptools import setup\n\nsetup(name='client')\n",
    })
    walked = walk(tmp_path, Config())
    assert {s.path for s in discover_services(tmp_path, Config(), walked)} == {"bookshelf", "libs/client"}


def test_node_modules_is_skipped_only_where_it_is_an_install(tmp_path):
    write(tmp_path, {
        "package.json": "{}",
        "node_modules/axios/index.js": "axios.get(url, {timeout: 1})\n",
        "packages/node_modules/@app/core/client.js": "axios.get(url, {timeout: 1})\n",
        "packages/node_modules/@app/core/package.json": "{}",
        "packages/node_modules/@app/core/node_modules/dep/index.js": "x\n",
    })
    files = walk(tmp_path, Config()).files
    assert "packages/node_modules/@app/core/client.js" in files
    assert not any(f.startswith("node_modules/") for f in files)
    assert not any("/core/node_modules/" in f for f in files)


def test_a_helm_charts_templates_vendor_folder_is_read_but_other_vendor_folders_are_not(tmp_path):
    write(tmp_path, {
        "charts/api/Chart.yaml": "name: api\n",
        "charts/api/templates/vendor/envoy/_tls.tpl": "timeout: 3s\n",
        "charts/api/vendor/lib/x.yaml": "timeout: 3s\n",  # beside templates/: not rendered
        "web/values.yaml": "timeout: 3s\n",  # a chart folder copied without its Chart.yaml
        "web/templates/vendor/y.yaml": "timeout: 3s\n",
        "other/templates/vendor/x.yaml": "timeout: 3s\n",  # no Chart.yaml or values.yaml above: not a chart
        "vendor/github.com/x/client.go": "package x\n",
    })
    files = walk(tmp_path, Config()).files
    assert "charts/api/templates/vendor/envoy/_tls.tpl" in files
    assert "web/templates/vendor/y.yaml" in files
    assert not any(f.startswith(("charts/api/vendor/", "other/templates/vendor/", "vendor/")) for f in files)


def test_an_aspnet_apps_bundled_client_libraries_are_skipped(tmp_path):
    write(tmp_path, {
        "src/Web/Web.csproj": "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />\n",
        "src/Web/wwwroot/libs/signalr/signalr.js": "setTimeout(reconnect, 5000)\n",
        "src/Web/wwwroot/lib/jquery/jquery.js": "$.ajax({timeout: 1})\n",
        "src/Web/wwwroot/js/app.js": "fetch(url, {signal: AbortSignal.timeout(2000)})\n",  # the app's own
        "src/Shared/libs/retry.js": "export const retries = 3\n",  # a libs folder elsewhere is source
    })
    files = walk(tmp_path, Config()).files
    assert "src/Web/wwwroot/js/app.js" in files and "src/Shared/libs/retry.js" in files
    assert not any(f.startswith(("src/Web/wwwroot/libs/", "src/Web/wwwroot/lib/")) for f in files)


def test_a_node_packages_bin_scripts_are_source_but_other_bin_folders_are_output(tmp_path):
    write(tmp_path, {
        "cronicle/package.json": "{}",
        "cronicle/bin/storage-cli.js": "request.get(url, {timeout: 5000})\n",
        "api/Api.csproj": "<Project />\n",
        "api/bin/Debug/net8.0/appsettings.json": "{}\n",
        "tools/bin/run.js": "x\n",  # no package.json beside it
    })
    files = walk(tmp_path, Config()).files
    assert "cronicle/bin/storage-cli.js" in files
    assert not any(f.startswith(("api/bin/", "tools/bin/")) for f in files)


def test_a_java_package_named_build_is_source_but_build_output_is_skipped(tmp_path):
    write(tmp_path, {
        "pom.xml": "<project/>",
        "src/main/java/com/acme/build/BuildInfoService.java": "class BuildInfoService {}\n",
        "src/main/kotlin/com/acme/dist/Dist.kt": "class Dist\n",
        "build/classes/Gen.java": "class Gen {}\n",
        "web/build/app.js": "fetch(url)\n",
        "web/src/build/entry.js": "fetch(url)\n",
        "target/generated-sources/Gen.java": "class Gen {}\n",
        "cli/src/build/credentials.ts": "fetch(url)\n",  # a command group named build: TypeScript source
        "api/dist/index.d.ts": "export {}\n",  # compiler output: declarations only
        "api/dist/index.js": "fetch(url)\n",
    })
    files = walk(tmp_path, Config()).files
    assert "src/main/java/com/acme/build/BuildInfoService.java" in files
    assert "src/main/kotlin/com/acme/dist/Dist.kt" in files
    assert "cli/src/build/credentials.ts" in files
    assert not any(f.startswith(("build/", "web/build/", "target/", "web/src/build/", "api/dist/")) for f in files)


def test_a_functions_code_folder_and_its_infrastructure_beside_it_are_one_service(tmp_path):
    """Round 20 (Terraform folder beside src/) and round 21 (an SAM template or serverless.yml beside src/)."""
    write(tmp_path, {
        "functions/notify/src/requirements.txt": "requests\n",
        "functions/notify/terraform/main.tf": 'resource "aws_lambda_function" "f" {}\n',
        "functions/receipts/src/requirements.txt": "boto3\n",
        "functions/receipts/template.yaml": "Resources:\n  F:\n    Type: AWS::Serverless::Function\n",
        "functions/plain/src/package.json": "{}",
        "functions/plain/template.yaml": "kind: ConfigMap\n",  # not a function template: the code folder stays
    })
    services = discover_services(tmp_path, Config(), walk(tmp_path, Config()))
    assert sorted(s.path for s in services) == ["functions/notify", "functions/plain/src", "functions/receipts"]
    assert owner_of("functions/receipts/template.yaml", services).path == "functions/receipts"
