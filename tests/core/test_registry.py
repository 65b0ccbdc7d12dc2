from contract_discovery import registry


def test_builtin_hints_cover_every_name_an_extractor_claims():
    names = ["app.py", "stub.pyi", "a.js", "a.mjs", "a.cjs", "a.jsx", "a.ts", "a.mts", "a.cts", "a.tsx", "main.go",
             "A.java", "A.kt", "build.kts", "x.rb", "tasks.rake", "Gemfile", "A.cs", "main.tf", "k8s.yaml", "k8s.yml",
             "application.yml", "application-prod.yaml", "bootstrap.yml", "application.properties", "app.properties",
             "README.md", "Dockerfile", "x.json", "x.toml", "x.txt", "build.gradle.kts"]
    for name in names:
        real = {registry._load(spec).name for spec in registry._BUILTIN.values() if registry._load(spec).claims(f"svc/{name}")}
        lazy = {e.name for e in registry.extractors() if e.claims(f"svc/{name}")}
        assert real == lazy, name


def test_a_lazy_extractor_imports_nothing_for_files_it_cannot_claim():
    lazy = registry.LazyExtractor("python", registry._BUILTIN["python"], (".py",))
    assert lazy.claims("README.md") is False and lazy._real is None
    assert lazy.claims("app.py") is True and lazy._real is not None


def test_exact_hints_agree_with_the_real_claims():
    for name in registry._EXACT_HINTS:
        real = registry._load(registry._BUILTIN[name])
        for ext in registry._BUILTIN_HINTS[name]:
            assert real.claims(f"svc/x{ext}" if ext.startswith(".") else f"svc/{ext}"), (name, ext)
    assert registry.is_claimed("a/b.py") and not registry.is_claimed("a/README.md")


def test_a_rails_apps_default_application_yml_is_read_as_its_config():
    # (the Ruby extractor's own claims() also takes Rails YAML; the registry routes it to railsconfig)
    for name in ("application.yml.default", "application.yml.example", "application.yml.sample"):
        assert {e.name for e in registry.extractors() if e.claims(f"idp/config/{name}")} == {"railsconfig"}
    assert not any(e.claims("idp/lib/notes.default") for e in registry.extractors())
