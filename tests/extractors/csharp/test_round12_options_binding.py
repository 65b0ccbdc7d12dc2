"""Round 12: options classes bound to a configuration section by a project's registration helper named for
options (``builder.RegisterOptions<KafkaOptions>(config.GetSection("Backplane:Kafka"))``) or by
``config.GetSection("ChatsClient").Bind(_chatsClientOptions)`` into a field or local declared with the type:
their members read from appsettings.json (the CecoChat set). Not bound: ``Bind(x)`` of a name the file
does not declare, a helper not named for options."""

from __future__ import annotations

import json
from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.appsettings.bindings import bound_sections

CSPROJ = '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n'

OPTIONS = (
    "public sealed class ChatsClientOptions\n{\n"
    "    public TimeSpan CallTimeout { get; init; }\n"
    "}\n"
    "public sealed class KafkaOptions\n{\n"
    "    public int MessageTimeoutMs { get; init; }\n"
    "}\n"
)

PROGRAM = (
    "public class Program\n"                                                               # 1
    "{\n"                                                                                  # 2
    "    private readonly ChatsClientOptions _chatsClientOptions = new();\n"               # 3
    "    public async Task Main(WebApplicationBuilder builder, ContainerBuilder container)\n"  # 4
    "    {\n"                                                                              # 5
    "        builder.Configuration.GetSection(\"ChatsClient\").Bind(_chatsClientOptions);\n"  # 6
    "        container.RegisterOptions<KafkaOptions>(builder.Configuration.GetSection(\"Backplane:Kafka\"));\n"  # 7
    "        using var cts = new CancellationTokenSource(_chatsClientOptions.CallTimeout);\n"  # 8
    "        await _client.PingAsync(cts.Token);\n"                                         # 9
    "    }\n"                                                                              # 10
    "}\n"                                                                                  # 11
)

SETTINGS = {"ChatsClient": {"CallTimeout": "00:00:05.0"}, "Backplane": {"Kafka": {"MessageTimeoutMs": 300000}}}


def test_sections_bound_by_bind_into_a_field_and_a_register_options_helper():
    got = bound_sections(PROGRAM)
    assert got["$options-section:ChatsClientOptions"].value == "ChatsClient"
    assert got["$options-section:KafkaOptions"].value == "Backplane:Kafka"


def test_not_bound_without_a_declared_type_or_an_options_helper():
    src = ("void M() { cfg.GetSection(\"A\").Bind(unknown); registry.Register<Thing>(cfg.GetSection(\"B\")); }\n")
    assert bound_sections(src) == {}


def test_member_of_a_field_bound_with_bind_reads_appsettings(tmp_path: Path):
    (tmp_path / "App.csproj").write_text(CSPROJ)
    (tmp_path / "Options.cs").write_text(OPTIONS)
    (tmp_path / "Program.cs").write_text(PROGRAM)
    (tmp_path / "appsettings.json").write_text(json.dumps(SETTINGS))
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = [(f.path, f.line, f.attributes.get("timeout_ms")) for f in result.findings if f.kind == "timeout"]
    assert ("Program.cs", 8, 5000) in got


def test_options_property_defaulted_to_the_class_constant():
    """Round 12 (fhir-server): ``public int MaxRetryCount { get; set; } = DefaultMaxRetryCount;`` with the class's
    ``private const int DefaultMaxRetryCount = 3;`` publishes the member's default 3; a default read from
    another object is not published."""
    from extractors.csharp.extractor import EXTRACTOR

    src = (b"public class IntegrationDataStoreConfiguration\n{\n    private const int DefaultMaxRetryCount = 3;\n"
           b"    public int MaxRetryCount { get; set; } = DefaultMaxRetryCount;\n"
           b"    public int Other { get; set; } = Settings.Count;\n}\n")
    symbols = EXTRACTOR.extract("Configs/IntegrationDataStoreConfiguration.cs", src).symbols
    assert repr(symbols["IntegrationDataStoreConfiguration.MaxRetryCount"]) == "Num(value=3.0)"
    assert "IntegrationDataStoreConfiguration.Other" not in symbols
