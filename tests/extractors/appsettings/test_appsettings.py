"""appsettings.json values for a .NET service's settings (extractors/appsettings): the file's keys,
options classes bound to a section, case-insensitive keys, and what an environment's file does not do."""

import shutil
from pathlib import Path

import pytest

from contract_discovery.pipeline import scan
from contract_discovery.values import Num, Ref, Str
from extractors.appsettings.bindings import bound_sections
from extractors.appsettings.extractor import EXTRACTOR, strip_jsonc, timespan_ms

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "appsettings"


def test_keys_are_published_with_colons_comments_and_trailing_commas_allowed():
    data = b'\xef\xbb\xbf{\n  // c\n  "Risk": {"TimeoutSeconds": 4, /* p99 */ "Hosts": ["a", "b",], "On": true, "Url": "http://x//y",},\n}\n'
    result = EXTRACTOR.extract("src/Api/appsettings.json", data)
    assert result.errors == ()
    assert result.symbols == {"Risk:TimeoutSeconds": Num(4.0), "Risk:Hosts:0": Str("a"), "Risk:Hosts:1": Str("b"),
                              "Risk:Url": Str("http://x//y")}


def test_an_environments_file_is_kept_apart():
    result = EXTRACTOR.extract("Api/appsettings.Production.json", b'{"Risk": {"TimeoutSeconds": 60}}')
    assert result.symbols == {"$appsettings:Production:Risk:TimeoutSeconds": Num(60.0)}


@pytest.mark.parametrize("text,ms", [("00:00:30", 30000.0), ("00:00:01.500", 1500.0), ("1.00:00:00", 86400000.0),
                                     ("00:02:00", 120000.0), ("00:61:00", None), ("30s", None), ("12:00", None)])
def test_timespan_strings_are_ms(text, ms):
    assert timespan_ms(text) == ms


def test_claims_only_appsettings_files():
    assert EXTRACTOR.claims("Api/appsettings.json") and EXTRACTOR.claims("Api/appsettings.Staging.json")
    assert not EXTRACTOR.claims("Api/settings.json") and not EXTRACTOR.claims("Api/appsettings.json.bak")


def test_broken_or_huge_files_give_an_error_with_the_path():
    broken = EXTRACTOR.extract("Api/appsettings.json", b'{\n "Risk": {\n "TimeoutSeconds": 4\n')
    assert broken.symbols == {} and broken.errors[0].kind == "parse_error" and broken.errors[0].path == "Api/appsettings.json"
    assert broken.errors[0].line == 4
    huge = EXTRACTOR.extract("Api/appsettings.json", b"{" + b" " * (600 * 1024) + b"}")
    assert huge.errors[0].kind == "too_large"
    assert strip_jsonc('{"a": "// not a comment", "b": 1,}') == '{"a": "// not a comment", "b": 1 }'


def test_bindings_of_options_classes_to_sections():
    source = """
        services.Configure<ScoringOptions>(Configuration.GetSection("Scoring"));
        services.AddOptions<PayOptions>().Bind(builder.Configuration.GetSection(PayOptions.SectionName));
        services.AddOptions<MailOptions>().BindConfiguration(nameof(MailOptions));
        var search = config.GetSection("Search").Get<SearchOptions>();
        services.Configure<Twice>(Configuration.GetSection("A"));
        services.Configure<Twice>(Configuration.GetSection("B"));
        services.Configure<Lambda>(o => o.Timeout = 3);
    """
    assert bound_sections(source) == {
        "$options-section:ScoringOptions": Str("Scoring"), "$options-section:PayOptions": Ref("PayOptions.SectionName"),
        "$options-section:MailOptions": Str("MailOptions"), "$options-section:SearchOptions": Str("Search")}


def test_a_service_reads_its_appsettings_through_keys_and_bound_options(tmp_path):
    shutil.copytree(FIXTURE / "Risk.Api", tmp_path / "svc" / "Risk.Api")
    result = scan(tmp_path / "svc")
    got = {(f.path, f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"])
           for f in result.findings if f.kind == "timeout"}
    assert got == {
        # GetValue's default: the key is in no file
        ("Risk.Api/Program.cs", 4, 9000, "literal"),
        # Configuration["Scoring:TimeoutSeconds"]: appsettings.json, not the Development file's 60
        ("Risk.Api/Program.cs", 5, 4000, "config"),
        # IOptions<ScoringOptions> bound to "Scoring": the file's 4 over the class default 30
        ("Risk.Api/ScoringClient.cs", 16, 4000, "config"),
        # a TimeSpan string, section named by the class's own constant
        ("Risk.Api/ScoringClient.cs", 21, 1500, "config"),
        # an options class bound to no section keeps its default
        ("Risk.Api/ScoringClient.cs", 27, 3000, "constant"),
    }
    assert result.errors == ()
    assert [s.languages for s in result.services] == [("csharp",)]


# --- timeouts the configuration files set themselves (extractors/appsettings/settings_files.py) ---

GATEWAY = FIXTURE / "Gateway"


@pytest.mark.parametrize("name", ["appsettings.json", "ocelot.json", "skyapm.json"])
def test_configuration_files_report_the_timeouts_they_set(name):
    from tests.annotations import check_annotations

    path = GATEWAY / name
    result = EXTRACTOR.extract(f"Gateway/{name}", path.read_bytes())
    assert result.errors == ()
    assert check_annotations(result.findings, path, f"Gateway/{name}") == []


def test_library_files_are_claimed_but_publish_no_keys():
    assert EXTRACTOR.claims("Gateway/ocelot.json") and EXTRACTOR.claims("Gateway/ocelot.Production.json")
    assert EXTRACTOR.claims("Api/skyapm.json") and not EXTRACTOR.claims("Api/ocelot.json.bak")
    result = EXTRACTOR.extract("Gateway/ocelot.json", (GATEWAY / "ocelot.json").read_bytes())
    assert result.symbols == {}
    assert sorted(f.line for f in result.findings) == [9, 17]


def test_an_environments_connection_string_is_reported_at_its_line():
    data = b'{\n  "ConnectionStrings": {\n    "Db": "Server=db;Database=x;Connect Timeout=45"\n  }\n}\n'
    result = EXTRACTOR.extract("Api/appsettings.Production.json", data)
    assert [(f.line, f.kind, f.attributes["timeout_ms"], f.attributes["phase"]) for f in result.findings] == \
        [(3, "timeout", 45000, "connect")]
    assert result.symbols == {"$appsettings:Production:ConnectionStrings:Db": Str("Server=db;Database=x;Connect Timeout=45")}


def test_a_broken_file_never_raises():
    result = EXTRACTOR.extract("Api/appsettings.json", b'{"Db": "Server=db;Database=x;Connect Timeout=5", "x": [}')
    assert [e.kind for e in result.errors] == ["parse_error"]
    assert [f.attributes["timeout_ms"] for f in result.findings] == [5000]


def test_azure_retry_options_in_appsettings_and_host_json():
    # round 11 (dicom-server): Azure.Core RetryOptions bound from configuration by the Azure SDK clients
    data = (b'{\n  "BlobStore": {\n    "Retry": {\n      "Delay": "00:00:04",\n      "MaxRetries": 6,\n'
            b'      "Mode": "Exponential",\n      "NetworkTimeout": "00:02:00"\n    }\n  },\n'
            b'  "Export": { "Retry": { "MaxRetries": 3 } },\n'
            b'  "Policy": { "MaxRetries": 2, "Name": "RetryTimeout" },\n'
            b'  "Note": "MaxRetries 6, Mode Exponential"\n}\n')
    result = EXTRACTOR.extract("Api/appsettings.json", data)
    assert sorted((f.line, f.kind, f.attributes.get("max_attempts", f.attributes.get("timeout_ms")))
                  for f in result.findings) == [(5, "retry", 7), (7, "timeout", 120000)]
    assert result.symbols["BlobStore:Retry:MaxRetries"] == Num(6.0)  # still published for code that reads it
    host = (b'{\n  "version": "2.0",\n  "functionTimeout": "00:10:00",\n  "extensions": {\n'
            b'    "serviceBus": {\n      "clientRetryOptions": {\n        "mode": "exponential",\n'
            b'        "tryTimeout": "00:01:00",\n        "maxRetries": 3\n      }\n    }\n  }\n}\n')
    assert EXTRACTOR.claims("Functions/host.json") and not EXTRACTOR.claims("Functions/host.json.bak")
    result = EXTRACTOR.extract("Functions/host.json", host)
    assert result.symbols == {}  # host.json keys are no configuration keys of the app
    assert sorted((f.line, f.kind, f.attributes.get("max_attempts", f.attributes.get("timeout_ms")))
                  for f in result.findings) == [(8, "timeout", 60000), (9, "retry", 4)]


def _values(result):
    return sorted((f.line, f.kind, f.attributes.get("max_attempts", f.attributes.get("timeout_ms")))
                  for f in result.findings)


def test_host_json_event_hubs_client_retry_options_without_max_retries_callrecord_insights():
    host = (b'{\n  "version": "2.0",\n  "extensions": {\n    "eventHubs": {\n      "maxEventBatchSize": 100,\n'
            b'      "clientRetryOptions": {\n        "mode": "exponential",\n        "tryTimeout": "00:01:00",\n'
            b'        "delay": "00:00:00.80"\n      }\n    }\n  }\n}\n')
    assert _values(EXTRACTOR.extract("Functions/host.json", host)) == [(6, "retry", 4), (8, "timeout", 60000)]
    # the same section in an app's appsettings.json is the app's own: no library default assumed
    assert _values(EXTRACTOR.extract("Api/appsettings.json", host)) == []
    # another extension's retry options without a count: nothing
    other = (b'{\n  "extensions": {\n    "queues": {\n      "clientRetryOptions": {\n        "mode": "fixed"\n'
             b'      }\n    }\n  }\n}\n')
    assert _values(EXTRACTOR.extract("Functions/host.json", other)) == []


def test_a_dapr_secret_store_files_connection_strings_round21():
    # round 21 (openmu): Dapr's local secret store (`secrets.json`) holds the services' connection strings
    data = (b'{\n  "App.Context": "Server=database;Port=5432;Database=app;Command Timeout=120;",\n'
            b'  "Other": "plain secret value",\n  "Note": "Timeout=30 is not a connection string here"\n}\n')
    assert EXTRACTOR.claims("deploy/dapr-components/secrets.json")
    assert not EXTRACTOR.claims("deploy/dapr-components/mysecretsfile.json")
    result = EXTRACTOR.extract("deploy/dapr-components/secrets.json", data)
    assert [(f.line, f.attributes["timeout_ms"]) for f in result.findings] == [(2, 120000)]
    assert result.symbols == {}  # no configuration keys of the app


def test_options_bound_in_a_configure_lambda_round21():
    # round 21 (symbol-collector): AddOptions<T>().Configure<IConfiguration>((o, f) => f.Bind("Section", o))
    source = ('services.AddOptions<SymbolClientOptions>()\n'
              '    .Configure<IConfiguration>((o, f) => f.Bind("SymbolClient", o))\n'
              '    .Validate(o => o.BaseAddress is {}, "BaseAddress is required.");\n'
              'services.AddOptions<OtherOptions>().Configure<IConfiguration>((o, f) => g.Bind("Other", x));\n')
    assert bound_sections(source) == {"$options-section:SymbolClientOptions": Str("SymbolClient")}
