"""Round 12, the round-11 requests for Azure Functions configuration (dicom-server):

- a project's generic options binder (``AddFunctionsOptions<T>(configuration, T.SectionName)`` whose body
  binds ``"DicomFunctions:" + sectionName``, a bool parameter choosing the prefix) binds each call's type;
- a custom top-level section of ``host.json`` is configuration the app reads through the host's
  configuration (``builder.GetHostConfiguration()``); the host's own sections stay no keys of the app;
- a field of a partial class declared in another of its files (``_options`` kept from
  ``IOptions<DataCleanupOptions>``) types the class's other files' reads (``_options.RetryOptions``);
- host.json's app-wide ``"retry": {"strategy": .., "maxRetryCount": n}``: n + 1 attempts (-1: forever)."""

from __future__ import annotations

import json
from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.appsettings.extractor import EXTRACTOR as APPSETTINGS
from extractors.csharp.options_binders import binder_sections
from extractors.treesitter import parse

LIB_CSPROJ = '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n'
APP_CSPROJ = ('<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework>'
              '<AzureFunctionsVersion>v4</AzureFunctionsVersion></PropertyGroup>'
              '<ItemGroup><ProjectReference Include="../Functions/Functions.csproj" /></ItemGroup></Project>\n')

REGISTRATION = (
    "public static class ServiceCollectionExtensions\n"
    "{\n"
    "    public static IServiceCollection ConfigureFunctions(this IServiceCollection services, IConfiguration configuration)\n"
    "    {\n"
    "        return services\n"
    "            .AddFunctionsOptions<CleanupOptions>(configuration, CleanupOptions.SectionName)\n"
    "            .AddFunctionsOptions<PurgeOptions>(configuration, \"Purge\", isDicomFunction: false);\n"
    "    }\n"
    "    private static IServiceCollection AddFunctionsOptions<T>(this IServiceCollection services, IConfiguration configuration,\n"
    "        string sectionName, bool isDicomFunction = true) where T : class\n"
    "    {\n"
    "        string path = isDicomFunction ? FunctionsConfiguration.SectionName + \":\" + sectionName : sectionName;\n"
    "        services.AddOptions<T>().Bind(configuration.GetSection(path));\n"
    "        return services;\n"
    "    }\n"
    "}\n"
)

CONSTANTS = (
    "internal static class FunctionsConfiguration\n{\n    public const string SectionName = \"DicomFunctions\";\n}\n"
    "public class CleanupOptions\n{\n    internal const string SectionName = \"Cleanup\";\n"
    "    public ActivityRetryOptions RetryOptions { get; set; }\n}\n"
)

FUNCTION = (
    "public partial class CleanupFunction\n"                                     # 1
    "{\n"                                                                         # 2
    "    private readonly CleanupOptions _options;\n"                             # 3
    "    public CleanupFunction(IOptions<CleanupOptions> options) => _options = options.Value;\n"  # 4
    "}\n"                                                                         # 5
)

ORCHESTRATION = (
    "public partial class CleanupFunction\n"                                     # 1
    "{\n"                                                                         # 2
    "    [FunctionName(nameof(CleanupAsync))]\n"                                  # 3
    "    public async Task CleanupAsync([OrchestrationTrigger] IDurableOrchestrationContext context)\n"  # 4
    "    {\n"                                                                     # 5
    "        await context.CallActivityWithRetryAsync(nameof(DeleteAsync), _options.RetryOptions, 1);\n"  # 6
    "    }\n"                                                                     # 7
    "}\n"                                                                         # 8
)

HOST = {
    "version": "2.0",
    "extensions": {"durableTask": {"hubName": "cleanup"}},
    "DicomFunctions": {"Cleanup": {"RetryOptions": {"MaxNumberOfAttempts": 4}}},
}


def test_binder_sections_follow_the_call_arguments():
    got = binder_sections(parse("c_sharp", REGISTRATION.encode()).root_node)
    assert repr(got["$options-section:PurgeOptions"]) == "Str(value='Purge')"
    assert "FunctionsConfiguration.SectionName" in repr(got["$options-section:CleanupOptions"])
    assert "CleanupOptions.SectionName" in repr(got["$options-section:CleanupOptions"])


def test_binder_without_get_section_binds_nothing():
    src = ("static class S { static IServiceCollection AddThing<T>(this IServiceCollection s, string name) {"
           " s.AddSingleton<T>(); return s; }\n void M(IServiceCollection s) { s.AddThing<Foo>(\"Foo\"); } }\n")
    assert binder_sections(parse("c_sharp", src.encode()).root_node) == {}


def test_host_json_custom_sections_are_configuration():
    result = APPSETTINGS.extract("App/host.json", json.dumps(HOST).encode())
    names = set(result.symbols)
    assert "DicomFunctions:Cleanup:RetryOptions:MaxNumberOfAttempts" in names
    assert not any(name.startswith(("extensions", "version")) for name in names)  # the host's own sections


def test_durable_retry_options_of_a_partial_class_read_from_host_json(tmp_path: Path):
    lib = tmp_path / "Functions"
    lib.mkdir()
    (lib / "Functions.csproj").write_text(LIB_CSPROJ)
    (lib / "ServiceCollectionExtensions.cs").write_text(REGISTRATION)
    (lib / "Constants.cs").write_text(CONSTANTS)
    (lib / "CleanupFunction.cs").write_text(FUNCTION)
    (lib / "CleanupFunction.Orchestration.cs").write_text(ORCHESTRATION)
    app = tmp_path / "App"
    app.mkdir()
    (app / "App.csproj").write_text(APP_CSPROJ)
    (app / "host.json").write_text(json.dumps(HOST, indent=2))
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = [(f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("max_attempts"))
           for f in result.findings if f.kind == "retry"]
    assert ("CleanupFunction.Orchestration.cs", 6, 4) in got


def test_host_json_app_wide_retry(tmp_path: Path):
    (tmp_path / "F.csproj").write_text(LIB_CSPROJ)
    (tmp_path / "host.json").write_text(
        '{\n  "version": "2.0",\n  "retry": {\n    "strategy": "exponentialBackoff",\n    "maxRetryCount": 5,\n'
        '    "minimumInterval": "00:00:10",\n    "maximumInterval": "00:15:00"\n  }\n}\n')
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = [(f.path, f.line, f.attributes.get("max_attempts")) for f in result.findings if f.kind == "retry"]
    assert got == [("host.json", 5, 6)]


def test_host_json_retry_forever_and_unknown_strategy(tmp_path: Path):
    (tmp_path / "F.csproj").write_text(LIB_CSPROJ)
    (tmp_path / "host.json").write_text('{"retry": {"strategy": "fixedDelay", "maxRetryCount": -1}}\n')
    sub = tmp_path / "other"
    sub.mkdir()
    (sub / "appsettings.json").write_text('{"Export": {"retry": {"strategy": "later", "maxRetryCount": 3}}}\n')
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = [(f.path, f.attributes.get("max_attempts")) for f in result.findings if f.kind == "retry"]
    assert got == [("host.json", None)]
