"""Round 10, second wave (held-out C# sets: AElf, das-employmentcheck, das-employer-incentives): an
options object bound in place into a local (``var sms = config.GetSection("Sms").Get<SmsOptions>()``) is
read through appsettings.json's section; a count read through ``?.`` with a fallback (``settings?.Retries
?? 3``) is the fallback; gRPC deadlines computed from a project clock's now and gRPC channel waits with
a deadline; Durable Functions ``RetryOptions(interval, maxNumberOfAttempts)``; a Polly policy-builder
lambda handed to a ``...Handler`` constructor (``new TransientRetryHandler(p => p.RetryAsync(3))``)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

CSPROJ = '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n'


def _contracts(root: Path):
    result = scan(root, jobs=1, cache_dir=root / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in result.findings if f.kind in ("timeout", "retry"))


def _service(tmp_path: Path, files: dict[str, str]) -> Path:
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text(CSPROJ)
    for name, body in files.items():
        (svc / name).write_text(body)
    return tmp_path


PROGRAM = (
    "var builder = WebApplication.CreateBuilder(args);\n"
    "var sms = builder.Configuration.GetSection(\"Sms\").Get<SmsOptions>()!;\n"
    "builder.Services.AddHttpClient<SmsClient>(c =>\n"
    "    {\n"
    "        c.Timeout = TimeSpan.FromSeconds(sms.TimeoutSeconds);\n"
    "    })\n"
    "    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(sms.Retries, n => TimeSpan.FromMilliseconds(200)));\n"
    "var mail = builder.Configuration.GetSection(\"Mail\").Get<MailOptions>() ?? new MailOptions();\n"
    "builder.Services.AddHttpClient<MailClient>(c => c.Timeout = TimeSpan.FromSeconds(mail.TimeoutSeconds));\n"
    "var other = builder.Configuration.Get<SmsOptions>();  // the whole configuration: no section\n"
    "var app = builder.Build();\n"
)
OPTIONS = (
    "public class SmsOptions { public int TimeoutSeconds { get; set; } public int Retries { get; set; } }\n"
    "public class MailOptions { public int TimeoutSeconds { get; set; } = 7; }\n"
)
APPSETTINGS = '{\n  "Sms": { "TimeoutSeconds": 4, "Retries": 3 },\n  "Mail": { }\n}\n'


def test_an_options_local_bound_from_a_section_reads_appsettings(tmp_path: Path) -> None:
    root = _service(tmp_path, {"Program.cs": PROGRAM, "Options.cs": OPTIONS, "appsettings.json": APPSETTINGS})
    found = _contracts(root)
    assert ("Program.cs", 5, "timeout", 4000) in found
    assert ("Program.cs", 7, "retry", 4) in found
    assert ("Program.cs", 9, "timeout", 7000) in found  # not in appsettings: the class's default


def test_a_service_lookup_is_still_a_typed_local(tmp_path: Path) -> None:
    # the older DI shape next to the new one, and a Get<T>() on something that is not a section
    body = (
        "public class Jobs\n{\n"
        "    public void Run(IServiceProvider provider, IConfiguration config)\n    {\n"
        "        var options = provider.GetRequiredService<MailOptions>();\n"
        "        var client = new HttpClient { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };\n"
        "        var cache = store.Get<MailOptions>();\n"
        "        var again = new HttpClient { Timeout = TimeSpan.FromSeconds(cache.TimeoutSeconds) };\n"
        "    }\n}\n"
    )
    root = _service(tmp_path, {"Jobs.cs": body, "Options.cs": OPTIONS, "appsettings.json": APPSETTINGS})
    found = {(n, line): v for n, line, _, v in _contracts(root)}
    assert found[("Jobs.cs", 6)] == 7000  # the class's default
    assert found.get(("Jobs.cs", 8)) is None  # store.Get<T>() is no configuration section


def test_a_conditional_access_count_with_a_fallback_is_the_fallback(tmp_path: Path) -> None:
    body = (
        "using Polly;\n"
        "public class Policies\n{\n"
        "    public readonly AsyncRetryPolicy LockRetryPolicy;\n"
        "    public Policies(IOptions<PolicySettings> policySettings)\n    {\n"
        "        var retryPolicies = policySettings.Value?.RetryPolicies;\n"
        "        LockRetryPolicy = Policy\n"
        "            .Handle<EntityLockedException>()\n"
        "            .WaitAndRetryAsync(\n"
        "                retryPolicies?.LockedRetryAttempts ?? 3,\n"
        "                retryAttempt => TimeSpan.FromMilliseconds(retryPolicies?.LockedRetryWaitInMilliSeconds ?? 5000));\n"
        "        var other = Policy.Handle<Exception>().RetryAsync(retryPolicies?.Count());\n"
        "    }\n}\n"
    )
    found = _contracts(_service(tmp_path, {"Policies.cs": body}))
    assert ("Policies.cs", 10, "retry", 4) in found
    assert ("Policies.cs", 13, "retry", None) in found  # a method call through ?.: unknown


def test_grpc_deadlines_from_a_project_clock_and_channel_waits(tmp_path: Path) -> None:
    body = (
        "using Grpc.Core;\n"
        "public class Client\n{\n"
        "    private const int DialTimeout = 500;\n"
        "    protected CallOptions CreateOption()\n    {\n"
        "        return new CallOptions().WithDeadline(TimestampHelper.GetUtcNow().ToDateTime()\n"
        "            .AddMilliseconds(DialTimeout));\n"
        "    }\n"
        "    public async Task<bool> TryRecoverAsync()\n    {\n"
        "        await _channel.TryWaitForStateChangedAsync(_channel.State,\n"
        "            DateTime.UtcNow.AddSeconds(3));\n"
        "        await _channel.TryWaitForStateChangedAsync(_channel.State, DateTime.MaxValue);\n"
        "        var expiry = _clock.GetUtcNow().AddSeconds(30);  // no deadline handed to a call\n"
        "        return true;\n"
        "    }\n}\n"
    )
    found = _contracts(_service(tmp_path, {"Client.cs": body}))
    assert ("Client.cs", 7, "timeout", 500) in found
    assert ("Client.cs", 12, "timeout", 3000) in found
    assert not [c for c in found if c[1] in (14, 15)]


def test_durable_functions_retry_options_count_attempts(tmp_path: Path) -> None:
    body = (
        "using Microsoft.Azure.WebJobs.Extensions.DurableTask;\n"
        "public class Orchestrator\n{\n"
        "    public async Task Run(IDurableOrchestrationContext context)\n    {\n"
        "        await context.CallActivityWithRetryAsync(nameof(Match), new RetryOptions(TimeSpan.FromSeconds(1), 3), input);\n"
        "        await context.CallActivityWithRetryAsync(nameof(Match),\n"
        "            new RetryOptions(TimeSpan.FromSeconds(1), 5) { BackoffCoefficient = 2 }, input);\n"
        "        await context.CallActivityAsync(nameof(Other), input);\n"
        "        var retry = new RetryOptions(TimeSpan.FromSeconds(5), 2);\n"
        "    }\n}\n"
    )
    found = _contracts(_service(tmp_path, {"Orchestrator.cs": body}))
    assert ("Orchestrator.cs", 6, "retry", 3) in found
    assert ("Orchestrator.cs", 7, "retry", 5) in found
    assert ("Orchestrator.cs", 10, "retry", 2) in found
    assert not [c for c in found if c[1] == 9]


def test_retry_options_of_another_library_are_not_durable(tmp_path: Path) -> None:
    body = "public class X\n{\n    void M()\n    {\n        var o = new RetryOptions(TimeSpan.FromSeconds(1), 3);\n    }\n}\n"
    assert _contracts(_service(tmp_path, {"X.cs": body})) == []


def test_a_policy_builder_lambda_handed_to_a_handler_constructor(tmp_path: Path) -> None:
    body = (
        "using Polly;\n"
        "public static class Registrations\n{\n"
        "    static void Add(IServiceCollection services)\n    {\n"
        "        var clientBuilder = new HttpClientBuilder()\n"
        "            .WithDefaultHeaders()\n"
        "            .WithHandler(new TransientRetryHandler(p => p.RetryAsync(3)));\n"
        "        var thing = new Thing(p => p.RetryAsync(2));\n"
        "        var retry = 5;  // a `retry` variable\n"
        "    }\n}\n"
    )
    found = _contracts(_service(tmp_path, {"Registrations.cs": body}))
    assert found == [("Registrations.cs", 8, "retry", 4)]


def test_a_counted_loop_leaving_on_a_good_answer_and_waiting_otherwise_is_a_retry(tmp_path: Path) -> None:
    body = (
        "public class Peer\n{\n"
        "    private const int TimeOutRetryTimes = 3;\n"
        "    protected async Task<StreamMessage> StreamRequestAsync(IMessage message)\n    {\n"
        "        for (var i = 0; i < TimeOutRetryTimes; i++)\n        {\n"
        "            await _jobs.SendAsync(new StreamJob { Message = message });\n"
        "            var result = await _pool.GetResultAsync(promise, requestId, 2000);\n"
        "            if (result.Item1)\n            {\n"
        "                return result.Item2;\n"
        "            }\n"
        "            await Task.Delay(500);\n"
        "        }\n"
        "        return null;\n"
        "    }\n"
        "    protected async Task<Page> Pages(string url)\n    {\n"
        "        for (var page = 0; page < MaxPages; page++)\n        {\n"
        "            var result = await _client.GetPage(url, page);\n"
        "            if (result.Last)\n            {\n"
        "                return result;\n"
        "            }\n"
        "            await Task.Delay(500);\n"
        "        }\n"
        "        return null;\n"
        "    }\n"
        "    protected async Task<Reply> NoWait(string url)\n    {\n"
        "        for (var attempt = 0; attempt < 3; attempt++)\n        {\n"
        "            var result = await _client.Get(url);\n"
        "            if (result.Ok)\n            {\n"
        "                return result;\n"
        "            }\n"
        "            Log(result);\n"
        "        }\n"
        "        return null;\n"
        "    }\n}\n"
    )
    found = _contracts(_service(tmp_path, {"Peer.cs": body}))
    assert ("Peer.cs", 6, "retry", 3) in found
    assert not [c for c in found if c[1] in (19, 32)]


def test_durable_isolated_retry_policy_and_azure_core_retry_policy(tmp_path: Path) -> None:
    body = (
        "using Microsoft.DurableTask;\n"
        "public class Orchestrator\n{\n"
        "    public async Task Run(TaskOrchestrationContext context)\n    {\n"
        "        var options = TaskOptions.FromRetryPolicy(new RetryPolicy(4, TimeSpan.FromSeconds(5)));\n"
        "        var core = new RetryPolicy(3, DelayStrategy.CreateFixedDelayStrategy());\n"
        "    }\n}\n"
    )
    found = _contracts(_service(tmp_path, {"Orchestrator.cs": body}))
    assert ("Orchestrator.cs", 6, "retry", 4) in found
    assert not [c for c in found if c[1] == 7]
