"""Round 11, fixes after the held-out sets of the second wave (exchange-set-service,
external-notification-service, s-100-permit-service, trade-imports-processor):

- a count read from configuration handed to a house helper (``CommonHelper.GetRetryPolicy(logger,
  retryCount, sleep)`` with ``var retryCount = Convert.ToInt32(builder.Configuration["A:RetryCount"])``,
  ``cfg.GetValue<int>("A:B")``, inline too) is the call's contract (rule c), valued from
  appsettings.json, null when no file sets it; a local of the method is read from inside the
  ``AddPolicyHandler((s, _) => ..)`` lambda;
- a section named by a bare constant (``Configure<T>(configuration.GetSection(SectionConst))``,
  ``GetSection(Cfg).Get<Cfg>()`` with a constant named as the class), and an options class of a library
  project bound in the app that references it;
- ``HttpStandardResilienceOptions`` members added one by one to a custom pipeline
  (``AddRetry(options.Retry)``: 4 attempts, ``AddTimeout(options.TotalRequestTimeout)``: 30 s,
  ``AttemptTimeout``: 10 s)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

CSPROJ = '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n'
LIB_CSPROJ = '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n'
APP_CSPROJ = ('<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>'
              '<ItemGroup><ProjectReference Include="../Lib/Lib.csproj" /></ItemGroup></Project>\n')


def _contracts(root: Path):
    result = scan(root, jobs=1, cache_dir=root / ".cache")
    return sorted(((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                    f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                   for f in result.findings if f.kind in ("timeout", "retry")), key=repr)


def _project(root: Path, name: str, csproj: str, files: dict[str, str]) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / f"{name}.csproj").write_text(csproj)
    for file, body in files.items():
        (folder / file).write_text(body)


HELPER = (
    "using Polly;\n"
    "public static class CommonHelper\n"
    "{\n"
    "    public static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy(ILogger logger, int retryCount, double sleepDuration)\n"
    "    {\n"
    "        return Policy.HandleResult<HttpResponseMessage>(r => !r.IsSuccessStatusCode)\n"
    "            .WaitAndRetryAsync(retryCount, a => TimeSpan.FromSeconds(Math.Pow(sleepDuration, a - 1)));\n"
    "    }\n"
    "}\n"
)

PROGRAM = (
    "public class Program\n"
    "{\n"
    "    public static void Main(WebApplicationBuilder builder, IConfiguration cfg)\n"
    "    {\n"
    "        var retryCount = Convert.ToInt32(builder.Configuration[\"RetryConfiguration:RetryCount\"]);\n"
    "        var sleepDuration = Convert.ToDouble(builder.Configuration[\"RetryConfiguration:SleepDuration\"]);\n"
    "        builder.Services.AddHttpClient<IA, A>().AddPolicyHandler((services, request) =>\n"
    "            CommonHelper.GetRetryPolicy(null, retryCount, sleepDuration));\n"
    "        var other = cfg.GetValue<int>(\"Other:RetryCount\");\n"
    "        var p = CommonHelper.GetRetryPolicy(null, other, 2);\n"
    "        builder.Services.AddHttpClient(\"c\").AddPolicyHandler(CommonHelper.GetRetryPolicy(null, Convert.ToInt32(cfg[\"RetryConfiguration:RetryCount\"]), 2));\n"
    "        var plain = 5;\n"
    "        builder.Services.AddHttpClient(\"d\").AddPolicyHandler((s, _) => CommonHelper.GetRetryPolicy(null, plain, 2));\n"
    "        builder.Services.AddHttpClient(\"e\").AddPolicyHandler((s, plain) => CommonHelper.GetRetryPolicy(null, plain, 2));  // ok: the lambda's own parameter\n"
    "        var q = CommonHelper.GetRetryPolicy(null, cfg[\"RetryCount\"], 2);  // ok: no section, no typed read\n"
    "        var r = CommonHelper.GetRetryPolicy(null, Compute(), 2);  // ok: a run decides\n"
    "    }\n"
    "}\n"
)

SETTINGS = '{ "RetryConfiguration": { "RetryCount": 3, "SleepDuration": 2 } }\n'


def test_configured_count_handed_to_a_house_retry_helper(tmp_path: Path) -> None:
    _project(tmp_path, "Api", CSPROJ, {"CommonHelper.cs": HELPER, "Program.cs": PROGRAM, "appsettings.json": SETTINGS})
    found = _contracts(tmp_path)
    retries = [c for c in found if c[2] == "retry" and c[0] == "Program.cs"]
    assert ("Program.cs", 8, "retry", 4) in retries     # a configured local read inside the lambda: 3 retries
    assert ("Program.cs", 10, "retry", None) in retries  # GetValue<int> of a key no file sets: reported, null
    assert ("Program.cs", 11, "retry", 4) in retries    # read inline
    assert ("Program.cs", 13, "retry", 6) in retries    # a plain local of the method, from inside the lambda
    lines = {c[1] for c in retries}
    assert not lines & {14, 15, 16}
    # the helper's own WaitAndRetryAsync forwards its parameter: not a contract
    assert not [c for c in found if c[0] == "CommonHelper.cs"]


LIB_POLICY = (
    "using Microsoft.Extensions.Options;\n"
    "using Polly;\n"
    "public class WaitAndRetryConfiguration { public string RetryCount { get; set; } }\n"
    "public class WaitAndRetryPolicy\n"
    "{\n"
    "    private readonly IOptions<WaitAndRetryConfiguration> _c;\n"
    "    public WaitAndRetryPolicy(IOptions<WaitAndRetryConfiguration> c) { _c = c; }\n"
    "    public AsyncRetryPolicy<HttpResponseMessage> Get()\n"
    "    {\n"
    "        var retryCount = int.Parse(_c.Value.RetryCount);\n"
    "        return Policy.HandleResult<HttpResponseMessage>(r => true)\n"
    "            .WaitAndRetryAsync(retryCount, _ => TimeSpan.FromSeconds(2));\n"
    "    }\n"
    "}\n"
)

APP_PROGRAM = (
    "public class ProductKeyServiceApiConfiguration { public int RequestTimeoutInMinutes { get; set; } }\n"
    "public class Program\n"
    "{\n"
    "    private const string WaitAndRetryConfiguration = \"WaitAndRetryConfiguration\";\n"
    "    private const string ProductKeyServiceApiConfiguration = \"ProductKeyServiceApiConfiguration\";\n"
    "    public static void Main(WebApplicationBuilder builder, IConfiguration configuration)\n"
    "    {\n"
    "        builder.Services.Configure<WaitAndRetryConfiguration>(configuration.GetSection(WaitAndRetryConfiguration));\n"
    "        var api = builder.Configuration.GetSection(ProductKeyServiceApiConfiguration).Get<ProductKeyServiceApiConfiguration>();\n"
    "        builder.Services.AddHttpClient<IA, A>(client =>\n"
    "        {\n"
    "            client.Timeout = TimeSpan.FromMinutes(api.RequestTimeoutInMinutes);\n"
    "        });\n"
    "    }\n"
    "}\n"
)

APP_SETTINGS = ('{ "WaitAndRetryConfiguration": { "RetryCount": "2" },'
                ' "ProductKeyServiceApiConfiguration": { "RequestTimeoutInMinutes": 5 } }\n')


def test_section_named_by_a_constant_and_bound_in_the_referencing_app(tmp_path: Path) -> None:
    _project(tmp_path, "Lib", LIB_CSPROJ, {"WaitAndRetryPolicy.cs": LIB_POLICY})
    _project(tmp_path, "App", APP_CSPROJ, {"Program.cs": APP_PROGRAM, "appsettings.json": APP_SETTINGS})
    found = _contracts(tmp_path)
    assert ("Program.cs", 12, "timeout", 300000) in found    # GetSection(const named as the class).Get<T>()
    assert ("WaitAndRetryPolicy.cs", 12, "retry", 3) in found  # the library's options, bound in the app


def test_library_options_bound_differently_by_two_apps_stay_unknown(tmp_path: Path) -> None:
    _project(tmp_path, "Lib", LIB_CSPROJ, {"WaitAndRetryPolicy.cs": LIB_POLICY})
    _project(tmp_path, "App", APP_CSPROJ, {"Program.cs": APP_PROGRAM, "appsettings.json": APP_SETTINGS})
    other = APP_PROGRAM.replace('WaitAndRetryConfiguration = "WaitAndRetryConfiguration"',
                                'WaitAndRetryConfiguration = "OtherRetry"')
    _project(tmp_path, "App2", APP_CSPROJ, {"Program.cs": other,
                                            "appsettings.json": '{ "OtherRetry": { "RetryCount": "7" } }\n'})
    found = _contracts(tmp_path)
    assert ("WaitAndRetryPolicy.cs", 12, "retry", None) in found


STANDARD = (
    "using Microsoft.Extensions.Http.Resilience;\n"
    "public static class Setup\n"
    "{\n"
    "    public static void Add(IServiceCollection services)\n"
    "    {\n"
    "        var resilienceOptions = new HttpStandardResilienceOptions { Retry = { UseJitter = true } };\n"
    "        services.AddHttpClient(\"data\")\n"
    "            .AddResilienceHandler(\"DataApi\", builder =>\n"
    "            {\n"
    "                builder\n"
    "                    .AddTimeout(resilienceOptions.TotalRequestTimeout)\n"
    "                    .AddRetry(resilienceOptions.Retry)\n"
    "                    .AddTimeout(resilienceOptions.AttemptTimeout);\n"
    "            });\n"
    "        var tuned = new HttpStandardResilienceOptions { Retry = { MaxRetryAttempts = 5 },\n"
    "                                                        AttemptTimeout = { Timeout = TimeSpan.FromSeconds(3) } };\n"
    "        services.AddHttpClient(\"tuned\").AddResilienceHandler(\"T\", b => b.AddRetry(tuned.Retry).AddTimeout(tuned.AttemptTimeout));\n"
    "        var later = new HttpStandardResilienceOptions();\n"
    "        later.Retry.MaxRetryAttempts = 9;\n"
    "        services.AddHttpClient(\"later\").AddResilienceHandler(\"L\", b => b.AddRetry(later.Retry));  // ok: set afterwards\n"
    "        var other = new RetryStrategyHolder();\n"
    "        services.AddHttpClient(\"other\").AddResilienceHandler(\"O\", b => b.AddRetry(other.Retry));  // ok: not the standard options\n"
    "    }\n"
    "}\n"
)


def test_standard_resilience_options_members_added_one_by_one(tmp_path: Path) -> None:
    _project(tmp_path, "Api", CSPROJ, {"Setup.cs": STANDARD})
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    found = {(f.line, f.kind): f for f in result.findings if f.kind in ("timeout", "retry")}
    assert found[(11, "timeout")].attributes["timeout_ms"] == 30000
    assert found[(11, "timeout")].attributes["phase"] == "total"
    assert found[(12, "retry")].attributes["max_attempts"] == 4
    assert found[(12, "retry")].attributes["backoff"] == "exponential"
    assert found[(13, "timeout")].attributes["timeout_ms"] == 10000
    assert found[(13, "timeout")].attributes["phase"] == "per_try"
    assert found[(17, "retry")].attributes["max_attempts"] == 6
    assert found[(17, "timeout")].attributes["timeout_ms"] == 3000
    assert (20, "retry") not in found
    assert (22, "retry") not in found


EVENT_GRID = (
    "using Azure.ResourceManager.EventGrid.Models;\n"
    "public class EventSubscriptionConfiguration\n"
    "{\n"
    "    private readonly EventGridDomainConfiguration _config;\n"
    "    private EventSubscriptionRetryPolicy SetRetryPolicy() => new()\n"
    "    {\n"
    "        MaxDeliveryAttempts = 10,\n"
    "        EventTimeToLiveInMinutes = 60,\n"
    "    };\n"
    "    private EventSubscriptionRetryPolicy Configured() => new()\n"
    "    {\n"
    "        MaxDeliveryAttempts = _config.MaxDeliveryAttempts,\n"
    "    };\n"
    "    private Other NotEventGrid() => new() { MaxDeliveryAttempts = 3 };  // ok: another type\n"
    "}\n"
)


def test_event_grid_subscription_retry_policy(tmp_path: Path) -> None:
    _project(tmp_path, "Api", CSPROJ, {"EventSubscriptionConfiguration.cs": EVENT_GRID})
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    found = {(f.line, f.kind): f for f in result.findings if f.kind in ("timeout", "retry")}
    assert found[(7, "retry")].attributes["max_attempts"] == 10       # attempts in all: no +1
    assert found[(8, "timeout")].attributes["timeout_ms"] == 3600000  # minutes
    assert found[(8, "timeout")].attributes["phase"] == "deadline"
    assert (12, "retry") in found and found[(12, "retry")].attributes["max_attempts"] is None  # configured: unknown
    assert (14, "retry") not in found
