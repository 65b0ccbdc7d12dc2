"""Values handed to a project's own helpers in another file (csharp.wrapper_call): proposed at the
call, kept and valued only when the helper's file publishes that parameter as a timeout or a retry
bound, within the same service (.csproj)."""

from __future__ import annotations

import shutil
from pathlib import Path

from contract_discovery.pipeline import scan
from contract_discovery.values import BinOp, Num, Ref
from extractors.csharp.extractor import EXTRACTOR
from tests.extractors.ruby.support import FIXTURES

WRAPPERS = FIXTURES / "csharp" / "wrappers"
CSPROJ = '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n'


def _service(tmp_path: Path) -> Path:
    shop = tmp_path / "shop"
    (shop / "Infrastructure").mkdir(parents=True)
    (shop / "Orders").mkdir()
    (shop / "Shop.csproj").write_text(CSPROJ)
    shutil.copy(WRAPPERS / "HttpHelper.cs", shop / "Infrastructure" / "HttpHelper.cs")
    shutil.copy(WRAPPERS / "OrderService.cs", shop / "Orders" / "OrderService.cs")
    # no word the prefilter knows: read because it mentions a published helper (Fetch)
    (shop / "Orders" / "Feed.cs").write_text(
        "namespace Shop.Orders;\n\n"
        "public class Feed : PageBase\n{\n"
        "    public Task<string> Load(string url) => HttpHelper.Fetch(Shared, url, 1200);\n"
        "    public Task<string> Page(string url, int size) => HttpHelper.Fetch(Shared, url, size);\n"
        "}\n")
    # another project of the solution: another service, whose calls the helper does not serve
    other = tmp_path / "reports"
    other.mkdir()
    (other / "Reports.csproj").write_text(CSPROJ)
    (other / "Export.cs").write_text(
        "using System.Net.Http;\nnamespace Reports;\n\n"
        "public class Export\n{\n"
        "    private readonly HttpClient _client = new();\n"
        "    public Task Send(string url) => HttpHelper.PostJsonAsync(_client, url, \"{}\", 2000);\n"
        "}\n")
    return tmp_path


def test_helper_calls_across_files_carry_the_values_they_hand_over(tmp_path: Path) -> None:
    result = scan(_service(tmp_path), jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
                  f.detector) for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [
        ("Feed.cs", 5, "timeout", 1200, "csharp.wrapper_call"),  # Page's `size` is its own parameter: not proposed
        ("HttpHelper.cs", 13, "timeout", None, "csharp.cancellation"),  # a defaulted parameter: still reported here
        # the helpers' other lines only forward their callers' values: not reported (the $forwarder convention)
        ("HttpHelper.cs", 85, "retry", 10, "csharp.wrapper_call"),  # Place's call of it in that file
        ("OrderService.cs", 21, "timeout", 2000, "csharp.wrapper_call"),  # its retry proposal: no attempts parameter
        ("OrderService.cs", 22, "timeout", 800, "csharp.wrapper_call"),  # a constant of the caller's file
        ("OrderService.cs", 23, "timeout", 1500, "csharp.wrapper_call"),  # by the parameter's name
        ("OrderService.cs", 24, "timeout", 30000, "csharp.timeout_option"),  # named for a timeout: read as before
        ("OrderService.cs", 25, "timeout", 2000, "csharp.timeout_option"),
        ("OrderService.cs", 26, "timeout", 45000, "csharp.wrapper_call"),  # a TimeSpan to a TimeSpan parameter
        ("OrderService.cs", 27, "retry", 4, "csharp.wrapper_call"),  # 3 retries after the first try
        ("OrderService.cs", 28, "timeout", 5000, "csharp.wrapper_call"),  # an extension method, in seconds
        ("OrderService.cs", 39, "timeout", 5000, "csharp.wrapper_call"),  # timeoutMs left out: its default
    ]  # Describe's pageSize is no timeout, the forwarders, locals, fields and strings were never proposed,
    #    and the Reports service's call finds no helper of its own


def test_helper_file_publishes_its_parameters_under_the_names_callers_use() -> None:
    path = WRAPPERS / "HttpHelper.cs"
    symbols = EXTRACTOR.extract("HttpHelper.cs", path.read_bytes()).symbols
    published = {k: v for k, v in symbols.items() if "$" in k}
    assert published["HttpHelper.PostJsonAsync.$timeout_param:3"] == Num(1.0)  # ms as the caller writes it
    assert published["PostJsonAsync.$timeout_param:timeoutMs"] == Num(1.0)
    assert published["HttpClient.GetWithTimeoutAsync.$timeout_param:1"] == Num(1000.0)  # the receiver is no argument
    assert published["HttpHelper.GetWithTimeoutAsync.$timeout_param:2"] == Num(1000.0)  # a static call passes it
    assert published["HttpHelper.WithRetries.$attempts_param:0"] == Num(2.0)  # attempts = retries + 1
    assert not any(k.startswith(("Describe.", "HttpHelper.Describe.")) for k in published)


def _project(folder: Path, name: str) -> Path:
    """A folder holding one .csproj (one service)."""
    folder.mkdir()
    (folder / f"{name}.csproj").write_text(CSPROJ)
    return folder


def test_interface_and_base_class_names_are_published_and_proposed(tmp_path: Path) -> None:
    svc = _project(tmp_path / "svc", "Svc")
    (svc / "ApiClient.cs").write_text(
        "using System.Threading;\nnamespace Svc.Clients;\n\n"
        "public class ApiClient : ClientBase, IApiClient\n{\n"
        "    public async Task<string> Call(string path, int timeoutSeconds)\n    {\n"
        "        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));\n"
        "        return await Send(path, cts.Token);\n    }\n}\n")
    (svc / "Checkout.cs").write_text(
        "namespace Svc.Checkout;\n\n"
        "public class Checkout\n{\n"
        "    private readonly IApiClient _api;\n"
        "    private readonly Ledger _ledger;\n"
        "    public Task Run() => _api.Call(\"/risk\", 3);\n"
        "    public Task Book() => _ledger.Call(\"/book\", 7);\n"  # another type's Call: not the helper
        "}\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["timeout_ms"]) for f in result.findings
                 if f.kind == "timeout" and f.detector == "csharp.wrapper_call")
    assert got == [("Checkout.cs", 7, 3000)]


def test_a_retry_count_an_options_object_takes_from_a_parameter_reaches_the_callers(tmp_path: Path) -> None:
    svc = _project(tmp_path / "jobs", "Jobs")
    (svc / "Queues.cs").write_text(
        "namespace Jobs.Infrastructure;\n\n"
        "public static class Queues\n{\n"
        "    public static IQueue<T> Create<T>(string name, int retries = 2) => new RedisQueue<T>(new RedisQueueOptions<T>\n"
        "    {\n"
        "        Name = name,\n"
        "        Retries = retries,\n"
        "    });\n}\n")
    (svc / "Startup.cs").write_text(
        "namespace Jobs;\n\n"
        "public class Startup\n{\n"
        "    private const int MailRetries = 4;\n"
        "    public void Configure()\n    {\n"
        "        Add(Queues.Create<Post>(\"posts\", 1));\n"
        "        Add(Queues.Create<Mail>(\"mail\", MailRetries));\n"
        "        Add(Queues.Create<Hook>(\"hooks\", retries: 0));\n"  # a named count: read by retry_option itself
        "        Add(Queues.Create<Item>(\"items\"));\n"  # the default: read at the helper's own line
        "    }\n}\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["max_attempts"], f.detector)
                 for f in result.findings if f.kind == "retry")
    assert got == [
        ("Queues.cs", 8, 3, "csharp.retry_option"),  # the parameter's default, 2 retries
        ("Startup.cs", 8, 2, "csharp.wrapper_call"),
        ("Startup.cs", 9, 5, "csharp.wrapper_call"),
        ("Startup.cs", 10, 1, "csharp.retry_option"),
    ]


def _chains(tmp_path: Path) -> Path:
    shop = _project(tmp_path / "shop", "Shop")
    for name in ("Transport.cs", "Checkout.cs"):
        shutil.copy(WRAPPERS / "chains" / name, shop / name)
    return tmp_path


def test_helper_chains_constructors_and_left_out_defaults_reach_the_calls(tmp_path: Path) -> None:
    result = scan(_chains(tmp_path), jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
                  f.detector) for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [
        ("Checkout.cs", 13, "timeout", 3000, "csharp.wrapper_call"),  # Fetch(.., 3) -> Send(.., FromSeconds(3))
        ("Checkout.cs", 14, "timeout", 20000, "csharp.wrapper_call"),  # timeout left out: `timeout ?? 20 s`
        ("Checkout.cs", 15, "timeout", 20000, "csharp.wrapper_call"),  # null handed over: the same fallback
        ("Checkout.cs", 16, "retry", 4, "csharp.wrapper_call"),  # maxAttempts left out: its default
        ("Checkout.cs", 17, "retry", 2, "csharp.retry_option"),  # a named bound: read at the call
        ("Checkout.cs", 18, "timeout", 8000, "csharp.wrapper_call"),  # new PriceCache(.., 8 s): kept in _timeout
        ("Transport.cs", 14, "timeout", 20000, "csharp.cancellation"),  # rule (a): the helper's own line, its default
        ("Transport.cs", 30, "retry", 4, "csharp.retry_loop"),
    ]  # Fetch and Relay only hand their parameter on (never reported; Relay has no caller), Banner's
    #    width is no timeout, and Fetch's retry proposal finds no attempts parameter


def test_forwarders_publish_their_parameter_in_terms_of_the_inner_helper() -> None:
    path = WRAPPERS / "chains" / "Transport.cs"
    symbols = EXTRACTOR.extract("Transport.cs", path.read_bytes()).symbols
    published = {k: v for k, v in symbols.items() if "$" in k}
    assert published["Transport.Fetch.$timeout_param:2"] == BinOp("*", Num(1000.0), Ref("Transport.Send.$timeout_param:2"))  # Send named by its class
    assert published["Transport.Send.$timeout_default:2"] == Num(20000.0)  # `timeout ?? TimeSpan.FromSeconds(20)`
    assert published["Transport.WithRetry.$attempts_default:1"] == Num(4.0)
    assert published["PriceCache.$timeout_param:1"] == Num(1.0)  # the constructor's parameter, kept in _timeout
    assert not any(k.startswith("Banner.") for k in published)  # a width is no timeout


def test_a_field_the_helper_sets_from_its_parameter_stands_for_the_parameter(tmp_path: Path) -> None:
    """``SetTimeout(int seconds) { ClientTimeout = seconds; client.Timeout = TimeSpan.FromSeconds(ClientTimeout); }``:
    the field is the parameter there, so the helper only forwards and ``SetTimeout(300)`` holds the contract."""
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text(CSPROJ)
    (svc / "WebClient.cs").write_text(
        "using System;\nusing System.Net.Http;\n\n"
        "public class WebClient\n{\n"
        "    protected int ClientTimeout = 100;\n"
        "    private HttpClient client = new();\n\n"
        "    public void SetTimeout(int seconds)\n    {\n"
        "        ClientTimeout = seconds;\n"
        "        client.Timeout = TimeSpan.FromSeconds(ClientTimeout);\n"
        "    }\n\n"
        "    public void Log(int seconds)\n    {\n"
        "        LastSeconds = seconds;\n"
        "        Console.WriteLine(LastSeconds);\n"
        "    }\n}\n")
    (svc / "UpdateService.cs").write_text(
        "public class UpdateService\n{\n"
        "    private readonly WebClient client;\n\n"
        "    public void Download()\n    {\n"
        "        client.SetTimeout(300);\n"
        "        client.Log(5);\n"
        "    }\n}\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms"), f.detector)
                 for f in result.findings if f.kind == "timeout")
    assert got == [("UpdateService.cs", 7, "timeout", 300000, "csharp.wrapper_call")]


def test_a_base_constructor_call_hands_its_arguments_to_the_base_class(tmp_path: Path) -> None:
    """``: base(source, options.Value.HttpClientTimeout)``: the base class's constructor keeps the timeout
    for its HttpClient; the setting's default (or a literal) is the contract, at the argument's line."""
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text(CSPROJ)
    (svc / "Collector.cs").write_text(
        "using System;\nusing System.Net.Http;\n\n"
        "public abstract class CommitCollector\n{\n"
        "    private readonly HttpClient _client;\n\n"
        "    protected CommitCollector(Uri source, TimeSpan httpClientTimeout)\n    {\n"
        "        _client = new HttpClient { Timeout = httpClientTimeout };\n"
        "    }\n}\n")
    (svc / "Host.cs").write_text(
        "using System;\nusing Microsoft.Extensions.Options;\n\n"
        "public class CollectorConfiguration\n{\n"
        "    public TimeSpan HttpClientTimeout { get; set; } = TimeSpan.FromMinutes(1);\n}\n\n"
        "public class CommitCollectorHost : CommitCollector, IDisposable\n{\n"
        "    public CommitCollectorHost(IOptionsSnapshot<CollectorConfiguration> options) : base(\n"
        "        new Uri(\"https://api.nuget.org/v3/index.json\"),\n"
        "        options.Value.HttpClientTimeout)\n    {\n    }\n\n"
        "    public CommitCollectorHost() : base(new Uri(\"https://x\"), TimeSpan.FromSeconds(30))\n    {\n    }\n\n"
        "    public CommitCollectorHost(string name) : this(name, 5)\n    {\n    }\n}\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms"), f.detector)
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [("Host.cs", 13, "timeout", 60000, "csharp.wrapper_call"),
                   ("Host.cs", 17, "timeout", 30000, "csharp.wrapper_call")]


def test_a_constructor_applying_its_own_parameter_publishes_it(tmp_path: Path) -> None:
    """``public Cache(.., int? timeoutMs = null) { _update = async () => await Task.WhenAny(task,
    Task.Delay(timeoutMs.Value)) .. }``: the construction that passes ``timeoutMs: 10000`` (on a line of
    its own: reported there) holds the contract; the constructor's line only forwards it."""
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text(CSPROJ)
    (svc / "Cache.cs").write_text(
        "using System;\nusing System.Threading.Tasks;\n\n"
        "public class Cache<T>\n{\n"
        "    private readonly Func<Task> _update;\n\n"
        "    public Cache(string name, Func<Task<T>> getData, int? timeoutMs = null)\n    {\n"
        "        _update = async () =>\n        {\n"
        "            var task = getData();\n"
        "            if (timeoutMs.HasValue && await Task.WhenAny(task, Task.Delay(timeoutMs.Value)) != task)\n"
        "                throw new TimeoutException();\n"
        "        };\n    }\n}\n")
    (svc / "RedisInstance.cs").write_text(
        "public class RedisInstance\n{\n"
        "    public Cache<string> Info() => new Cache<string>(\"info\",\n"
        "        () => Fetch(),\n"
        "        timeoutMs: 10000);\n"
        "    public Cache<string> Slow() => new Cache<string>(\"slow\", () => Fetch());\n}\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms"), f.detector)
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [("RedisInstance.cs", 5, "timeout", 10000, "csharp.wrapper_call")]


def _contracts(result):
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in result.findings if f.kind in ("timeout", "retry"))


def test_a_defaulted_parameter_is_a_contract_at_the_helper_and_at_each_call(tmp_path: Path) -> None:
    """Round-8 rule for a helper parameter with a default: (a) the helper's own line with the default,
    (b) each call that leaves it out with the default, (c) each call that passes one with its value; a
    singleton's ``X.Instance.M(..)`` names ``X.M``. A parameter without a default only forwards."""
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text(CSPROJ)
    (svc / "Pinger.cs").write_text(
        "using System;\nusing System.Net.Http;\nusing System.Threading;\nusing System.Threading.Tasks;\n\n"
        "public class Pinger\n{\n"
        "    public static Pinger Instance { get; } = new Pinger();\n\n"
        "    public async Task<int> GetPingTime(string url, int downloadTimeout = 9)\n    {\n"
        "        using var cts = new CancellationTokenSource();\n"
        "        cts.CancelAfter(TimeSpan.FromSeconds(downloadTimeout));\n"  # line 13: (a) 9000
        "        await new HttpClient().GetAsync(url, cts.Token);\n"
        "        return 1;\n    }\n\n"
        "    public async Task Fetch(string url, TimeSpan budget)\n    {\n"
        "        using var cts = new CancellationTokenSource(budget);\n"  # line 20: a forwarder, not reported
        "        await new HttpClient().GetAsync(url, cts.Token);\n    }\n}\n")
    (svc / "Caller.cs").write_text(
        "using System;\nusing System.Threading.Tasks;\n\n"
        "public class Caller\n{\n"
        "    public async Task Run(string url)\n    {\n"
        "        await Pinger.Instance.GetPingTime(url);\n"  # line 8: (b) 9000
        "        await Pinger.Instance.GetPingTime(url, 3);\n"  # line 9: (c) 3000
        "        await Pinger.Instance.Fetch(url, TimeSpan.FromSeconds(2));\n"  # line 10: (c) 2000
        "        var timeout = 4; // ok: a local, not a call\n"
        "    }\n}\n")
    assert _contracts(scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")) == [
        ("Caller.cs", 8, "timeout", 9000), ("Caller.cs", 9, "timeout", 3000), ("Caller.cs", 10, "timeout", 2000),
        ("Pinger.cs", 13, "timeout", 9000)]


def test_a_recursive_try_helper_with_a_defaulted_count(tmp_path: Path) -> None:
    """``TryAsync(Func<Task> task, int retryCount = 3)`` lowering its count and calling itself until it runs
    out: 3 attempts at its own recursive call (a) and at each call that leaves the count out (b); a call
    passing 5 gets 5."""
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text(CSPROJ)
    (svc / "Checker.cs").write_text(
        "using System;\nusing System.Threading.Tasks;\n\n"
        "public abstract class CheckerBase\n{\n"
        "    public async Task TryAsync(Func<Task> task, int retryCount = 3)\n    {\n"
        "        try\n        {\n            await task();\n        }\n"
        "        catch (Exception)\n        {\n"
        "            retryCount--;\n"
        "            if (retryCount <= 0)\n            {\n                throw;\n            }\n"
        "            await Task.Delay(1000);\n"
        "            await TryAsync(task, retryCount);\n"  # line 20: (a) 3
        "        }\n    }\n}\n\n"
        "public class Migrator : CheckerBase\n{\n"
        "    public async Task Migrate()\n    {\n"
        "        await TryAsync(ApplyMigrations);\n"  # line 29: (b) 3
        "        await TryAsync(Seed, 5);\n"  # line 30: (c) 5
        "        foreach (var item in Items()) { await Apply(item); } // ok: iterating over items\n"
        "    }\n}\n")
    assert _contracts(scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")) == [
        ("Checker.cs", 20, "retry", 3), ("Checker.cs", 29, "retry", 3), ("Checker.cs", 30, "retry", 5)]


def test_a_chain_through_a_same_named_method_of_another_class(tmp_path: Path) -> None:
    """``DownloadService.DownloadFileAsync(req, TimeSpan connectTimeout)`` handing its parameter to
    ``DownloaderHelper.Instance.DownloadFileAsync(..)`` (same name, another class: not a recursion), which
    sets the library's ``ConnectTimeout = (int)connectTimeout.TotalMilliseconds``: the value is at the outer
    call (a readonly field of 30 s), the two helpers only forward it."""
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text(CSPROJ)
    (svc / "DownloaderHelper.cs").write_text(
        "using System;\nusing System.Threading.Tasks;\nusing Downloader;\n\n"
        "public class DownloaderHelper\n{\n"
        "    public static DownloaderHelper Instance { get; } = new DownloaderHelper();\n\n"
        "    public async Task DownloadFileAsync(string url, string path, TimeSpan connectTimeout)\n    {\n"
        "        var request = new RequestConfiguration\n        {\n"
        "            ConnectTimeout = (int)connectTimeout.TotalMilliseconds,\n"  # line 13: a forwarder
        "        };\n"
        "        var options = new DownloadConfiguration { RequestConfiguration = request };\n"
        "        await using var downloader = new DownloadService(options);\n"
        "        await downloader.DownloadFileTaskAsync(url, path);\n    }\n}\n")
    (svc / "Downloads.cs").write_text(
        "using System;\nusing System.Threading.Tasks;\n\n"
        "public class Downloads\n{\n"
        "    public async Task DownloadFileAsync(string url, string path, TimeSpan connectTimeout)\n    {\n"
        "        await DownloaderHelper.Instance.DownloadFileAsync(url, path, connectTimeout);\n"  # a forwarder
        "    }\n}\n")
    (svc / "Updater.cs").write_text(
        "using System;\nusing System.Threading.Tasks;\n\n"
        "public class Updater\n{\n"
        "    private readonly int _timeout = 30;\n\n"
        "    public async Task Update(Downloads downloads, string url)\n    {\n"
        "        await downloads.DownloadFileAsync(url, \"a.zip\", TimeSpan.FromSeconds(_timeout));\n"  # line 10
        "    }\n}\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    assert _contracts(result) == [("Updater.cs", 10, "timeout", 30000)]


def test_a_settings_class_getter_reading_a_section_member_is_that_configuration_key(tmp_path: Path) -> None:
    """``JsonConfigSettings.NacosDefaultTimeOut`` whose getter returns ``GetAppSettings<NacosConfigDTO>(config,
    file, "nacos").DefaultTimeOut``: the appsettings key ``nacos:DefaultTimeOut`` (15000 ms); a getter of
    another object's value that names no section stays unresolved."""
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text(CSPROJ)
    (svc / "appsettings.json").write_text('{"nacos": {"DefaultTimeOut": 15000, "ServerAddresses": ["http://n:8848"]}}\n')
    (svc / "JsonConfigSettings.cs").write_text(
        "using Microsoft.Extensions.Configuration;\n\n"
        "public class JsonConfigSettings\n{\n"
        "    public static IConfiguration Configuration { get; set; }\n"
        "    public static int NacosDefaultTimeOut\n    {\n"
        "        get { return JsonConfigUtils.GetAppSettings<NacosConfigDTO>(Configuration, \"appsettings.json\", \"nacos\").DefaultTimeOut; }\n"
        "    }\n"
        "    public static int ListenInterval => Cache.Current.ListenInterval;\n"
        "}\n")
    (svc / "NacosSetup.cs").write_text(
        "using Nacos.V2.DependencyInjection;\n\n"
        "public static class NacosSetup\n{\n"
        "    public static void AddNacosSetup(this IServiceCollection services)\n    {\n"
        "        services.AddNacosV2Config(x =>\n        {\n"
        "            x.DefaultTimeOut = JsonConfigSettings.NacosDefaultTimeOut;\n"  # line 9
        "        });\n"
        "        services.AddNacosV2Naming(x =>\n        {\n"
        "            x.DefaultTimeOut = JsonConfigSettings.ListenInterval;\n"  # line 13: unresolved
        "        });\n    }\n}\n")
    assert _contracts(scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")) == [
        ("NacosSetup.cs", 9, "timeout", 15000), ("NacosSetup.cs", 13, "timeout", None)]


def test_a_getter_of_the_base_class_settings_reads_the_settings_type_default(tmp_path: Path) -> None:
    """``class OrionDataProvider : DashboardDataProvider<OrionSettings>`` with ``public int QueryTimeoutMs =>
    Settings.QueryTimeoutMs;`` and ``OrionSettings.QueryTimeoutMs { get; set; } = 10 * 1000`` in another file:
    Dapper's ``commandTimeout: QueryTimeoutMs`` (seconds) is 10000 s; a getter of an object of unknown type
    stays unresolved."""
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text(CSPROJ)
    (svc / "OrionSettings.cs").write_text(
        "public class OrionSettings\n{\n    public int QueryTimeoutMs { get; set; } = 10 * 1000;\n}\n")
    (svc / "OrionDataProvider.cs").write_text(
        "using Dapper;\n\n"
        "public class OrionDataProvider : DashboardDataProvider<OrionSettings>\n{\n"
        "    public int QueryTimeoutMs => Settings.QueryTimeoutMs;\n"
        "    public int OtherTimeoutMs => _cache.TimeoutMs;\n\n"
        "    public async Task Poll(DbConnection conn)\n    {\n"
        "        await conn.QueryAsync<Node>(\"Select 1\", commandTimeout: QueryTimeoutMs);\n"  # line 10
        "        await conn.QueryAsync<Node>(\"Select 2\", commandTimeout: OtherTimeoutMs);\n"  # line 11
        "    }\n}\n")
    assert _contracts(scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")) == [
        ("OrionDataProvider.cs", 10, "timeout", 10000000), ("OrionDataProvider.cs", 11, "timeout", None)]


def test_a_named_retry_count_is_read_as_the_helpers_own_loop_reads_it(tmp_path: Path) -> None:
    """``QueryWithRetryAsync(q, maxRetries: 3)`` whose loop gives up when ``attempt < maxRetries - 1`` fails
    makes 3 tries, not the library convention's 4; a helper whose loop retries ``maxRetries`` times after
    the first try keeps the +1."""
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text(CSPROJ)
    (svc / "Use.cs").write_text(
        "using System;\nusing System.Threading.Tasks;\n\n"
        "public class Use\n{\n"
        "    public Task<int> Run() => QueryWithRetryAsync(() => Task.FromResult(1), maxRetries: 3);\n"  # line 6: 3
        "    public Task<int> Again() => RetryAfterFirst(() => Task.FromResult(1), maxRetries: 3);\n\n"  # line 7: 4
        "    private async Task<T> QueryWithRetryAsync<T>(Func<Task<T>> query, int maxRetries = 2)\n    {\n"
        "        var attempt = 0;\n"
        "        while (true)\n        {\n"  # line 12: (a) 2
        "            try { return await query(); }\n"
        "            catch (TimeoutException) when (attempt < maxRetries - 1) { attempt++; await Task.Delay(100); }\n"
        "        }\n    }\n\n"
        "    private async Task<T> RetryAfterFirst<T>(Func<Task<T>> query, int maxRetries = 2)\n    {\n"
        "        for (var attempt = 0; ; attempt++)\n        {\n"  # line 21: (a) 3
        "            try { return await query(); }\n"
        "            catch (TimeoutException) when (attempt < maxRetries) { await Task.Delay(100); }\n"
        "        }\n    }\n}\n")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("max_attempts"))
                 for f in scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache").findings if f.kind == "retry")
    assert got == [("Use.cs", 6, 3), ("Use.cs", 7, 4), ("Use.cs", 12, 2), ("Use.cs", 21, 3)]
