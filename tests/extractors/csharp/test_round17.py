"""Round 17, shapes of the held-out sets das-recruit, nuget-insights and iotedge-agent (each test names its set):

- a Polly schedule written as a C# 12 collection expression (``WaitAndRetry([1s, 2s, 4s])``): 4 tries;
- the WebJobs queue trigger's ``MaxDequeueCount`` (``Configure<QueuesOptions>(o => o.MaxDequeueCount = 5)``,
  ``AddAzureStorageQueues(o => ..)``), a ``maxDequeueCount`` key in host.json / appsettings.json: deliveries =
  attempts; ``MaxRetriesBeforePoisonQueue: 20`` in appsettings.json (Kernel Memory's queues): 21 tries;
- the transient-fault-handling block's strategies (``new ExponentialBackoff(3, ..)`` / ``FixedInterval`` /
  ``Incremental``, in a file using RetryPolicy / RetryStrategy): n + 1 tries, int.MaxValue unbounded;
- ``SetOperationTimeoutInMilliseconds(30000)``: a setter whose name gives the unit;
- ``async Task<bool> WaitForInit() => await Task.WhenAny(initTask, Task.Delay(wait)) == initTask;``: a bounded wait;
- a method calling itself once more from its catch with its bool flag set (``GetTwin(true)`` under
  ``if (!retrying)``): 2 tries;
- a retry loop whose catch filter is a predicate method of the file (``when (ShouldRetry(attempt, ..))`` with
  ``return attempt < 3 && ..;``): 3 tries."""

from __future__ import annotations

from .support import contracts as _contracts, marker_line as _line


POLLY_COLLECTION = """using Polly;
public static class PollyRetryPolicy
{
    public static Polly.Retry.RetryPolicy GetPolicy() =>
        Policy
            .Handle<Exception>()
            .WaitAndRetry([ // schedule
                TimeSpan.FromSeconds(1),
                TimeSpan.FromSeconds(2),
                TimeSpan.FromSeconds(4)
            ]);
    static readonly int[] Ports = [80, 443];
}
"""


def test_polly_schedule_as_collection_expression_das_recruit(tmp_path):
    found = _contracts(tmp_path, {"PollyRetryPolicy.cs": POLLY_COLLECTION})
    assert found == [("PollyRetryPolicy.cs", _line(POLLY_COLLECTION, "schedule"), "retry", 4)]


WEBJOBS = """public class Program
{
    public static void Main()
    {
        var host = new HostBuilder()
            .ConfigureServices((context, services) =>
            {
                services.Configure<QueuesOptions>(options =>
                {
                    options.BatchSize = 1;
                    options.MaxDequeueCount = 5; // dequeues
                    options.MaxPollingInterval = TimeSpan.FromSeconds(10);
                });
            });
        var message = Receive();
        message.DequeueCount = 2;
        int maxDequeueCount = 3;
        Log("MaxDequeueCount = 4");
    }
    static void Jobs(IWebJobsBuilder b) => b.AddAzureStorageQueues(o => o.MaxDequeueCount = 3); // lambda
}
"""

HOST_JSON = """{
  "version": "2.0",
  "extensions": {
    "queues": {
      "visibilityTimeout": "00:00:30",
      "maxDequeueCount": 4
    }
  },
  "Custom": { "maxDequeueCount": "nine", "dequeueCount": 2 }
}
"""

APPSETTINGS = """{
  "QueuesOptions": {
    "batchSize": 1,
    "maxDequeueCount": 5
  },
  "RabbitMQ": {
    "MaxRetriesBeforePoisonQueue": 20
  }
}
"""


def test_webjobs_max_dequeue_count_das_recruit(tmp_path):
    found = _contracts(tmp_path, {"Program.cs": WEBJOBS, "host.json": HOST_JSON, "appsettings.json": APPSETTINGS})
    assert ("Program.cs", _line(WEBJOBS, "dequeues"), "retry", 5) in found
    assert ("Program.cs", _line(WEBJOBS, "lambda"), "retry", 3) in found
    assert ("host.json", 6, "retry", 4) in found
    assert ("appsettings.json", 4, "retry", 5) in found
    assert ("appsettings.json", 7, "retry", 21) in found
    # the message's own counter, a local, a log text and an app section of host.json are no settings
    assert not [c for c in found if c[0] == "host.json" and c[1] != 6]
    assert len([c for c in found if c[0] == "Program.cs"]) == 2


TFH = """using Microsoft.Azure.Devices.Edge.Util.TransientFaultHandling;
public class Connection
{
    static readonly RetryStrategy Transient =
        new ExponentialBackoff(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(4)); // exp
    static readonly RetryStrategy Forever =
        new ExponentialBackoff(int.MaxValue, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(4)); // forever
    static readonly RetryStrategy Named = new Incremental("inc", 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)); // named
    Task<T> Run<T>(Func<Task<T>> f) => new RetryPolicy(new Detection(), Transient).ExecuteAsync(f);
}
"""

OTHER_BACKOFF = """public class Reconnect
{
    // another library's backoff type, in a file without the transient-fault-handling block
    readonly ExponentialBackoff backoff = new ExponentialBackoff(5, 100);
}
"""


def test_transient_fault_handling_strategies_iotedge(tmp_path):
    found = _contracts(tmp_path, {"Connection.cs": TFH, "Reconnect.cs": OTHER_BACKOFF})
    assert found == sorted([("Connection.cs", _line(TFH, "exp"), "retry", 4),
                            ("Connection.cs", _line(TFH, "forever"), "retry", None),
                            ("Connection.cs", _line(TFH, "named"), "retry", 3)], key=repr)


WAITS = """public class ModuleClientProvider
{
    const uint ModuleClientTimeoutMilliseconds = 30000;
    static readonly TimeSpan InitWait = TimeSpan.FromSeconds(5);
    Task initTask;
    void Create(ISdkModuleClient moduleClient)
    {
        moduleClient.SetOperationTimeoutInMilliseconds(ModuleClientTimeoutMilliseconds); // setter
    }
    public void SetOperationTimeoutInMilliseconds(uint ms) => this.inner.OperationTimeoutInMilliseconds = ms;
    async Task<bool> WaitForInit() =>
        await Task.WhenAny(this.initTask, Task.Delay(InitWait)) == this.initTask; // race
    async Task HeadStart(Task v6)
    {
        await Task.WhenAny(v6, Task.Delay(250));
        await ConnectV4();
    }
}
"""


def test_unit_named_setter_and_returned_race_iotedge(tmp_path):
    found = _contracts(tmp_path, {"ModuleClientProvider.cs": WAITS})
    assert found == sorted([("ModuleClientProvider.cs", _line(WAITS, "setter"), "timeout", 30000),
                            ("ModuleClientProvider.cs", _line(WAITS, "race"), "timeout", 5000)], key=repr)


FLAG = """public class EdgeAgentConnection
{
    async Task<Option<Twin>> GetTwin(bool retrying = false)
    {
        IModuleClient moduleClient = null;
        try
        {
            moduleClient = await this.connection.GetOrCreateModuleClient();
            return Option.Some(await moduleClient.GetTwinAsync());
        }
        catch (Exception e)
        {
            if (!retrying && moduleClient != null)
            {
                await moduleClient.CloseAsync();
                return await this.GetTwin(true); // again
            }
            return Option.None<Twin>();
        }
    }
    async Task Walk(Node node, bool deep)
    {
        try { await this.Visit(node); } catch (Exception) { }
        foreach (var child in node.Children) await this.Walk(child, true);
    }
}
"""


def test_bool_flag_recursion_iotedge(tmp_path):
    found = _contracts(tmp_path, {"EdgeAgentConnection.cs": FLAG})
    assert found == [("EdgeAgentConnection.cs", _line(FLAG, "again"), "retry", 2)]


PREDICATE = """public static class HttpClientExtensions
{
    public static async Task<T> ProcessWithRetriesAsync<T>(this HttpClient httpClient, Func<HttpRequestMessage> getRequest,
        CancellationToken token)
    {
        var attempt = 0;
        while (true) // loop
        {
            var fetchedHeaders = false;
            attempt++;
            try
            {
                using var request = getRequest();
                using var response = await httpClient.SendAsync(request, token);
                fetchedHeaders = true;
                return await Read<T>(response);
            }
            catch (Exception ex) when (ShouldRetryStreamException(attempt, fetchedHeaders, ex, token))
            {
                Log(ex, attempt);
            }
        }
    }

    private static bool ShouldRetryStreamException(int attempt, bool fetchedHeaders, Exception ex, CancellationToken token)
    {
        return attempt < 3
            && fetchedHeaders
            && !token.IsCancellationRequested;
    }
}
"""


def test_catch_filter_predicate_method_nuget_insights(tmp_path):
    found = _contracts(tmp_path, {"HttpClientExtensions.cs": PREDICATE})
    assert found == [("HttpClientExtensions.cs", _line(PREDICATE, "loop"), "retry", 3)]


SQS_CONSUMER = """public static class AmazonConsumerExtensions
{
    public static void AddConsumers(MessageBusBuilder mbb, AwsSqsOptions options)
    {
        mbb.Consume<ResourceEvent>(x =>
            x.WithConsumer<ClearanceDecisionConsumer>()
                .Queue(options.QueueName)
                .VisibilityTimeout(options.VisibilityTimeout)
                .SkipUndeclaredMessageTypes());
        var sqs = new SqsClientOptions { VisibilityTimeout = TimeSpan.FromSeconds(30), Timeout = TimeSpan.FromSeconds(9) }; // client
    }
}
public class AwsSqsOptions { public int VisibilityTimeout { get; set; } = 30; }
"""


def test_queue_visibility_timeout_is_no_bound_btms_gateway(tmp_path):
    found = _contracts(tmp_path, {"AmazonConsumerExtensions.cs": SQS_CONSUMER})
    assert found == [("AmazonConsumerExtensions.cs", _line(SQS_CONSUMER, "client"), "timeout", 9000)]


PROXY = """using Polly;
using Polly.Extensions.Http;
using Polly.Timeout;
public static class Proxy
{
    public static readonly int DefaultHttpClientTimeoutSeconds = 10;
    public static readonly int DefaultCdsHttpClientRetries = 3;

    public static IHttpClientBuilder AddHttpProxyClientWithRetry(this IServiceCollection services,
        int httpClientTimeoutInSeconds, int httpClientRetryCount)
    {
        var strategy = Policy.WrapAsync(
            HttpPolicyExtensions.HandleTransientHttpError()
                .WaitAndRetryAsync(httpClientRetryCount, _ => TimeSpan.FromMilliseconds(1000)),
            Policy.TimeoutAsync<HttpResponseMessage>(TimeSpan.FromSeconds(httpClientTimeoutInSeconds)));
        return services.AddHttpClient("proxy-with-retry").AddPolicyHandler(strategy);
    }
}
"""

CONFIGURE = """public static class ConfigureServices
{
    public static void AddServices(WebApplicationBuilder builder)
    {
        var httpClientTimeoutSeconds = builder.Configuration.GetValue(
            "HttpClientTimeoutSeconds",
            Proxy.DefaultHttpClientTimeoutSeconds
        );
        var cdsHttpClientRetries = builder.Configuration.GetValue("CdsHttpClientRetries", Proxy.DefaultCdsHttpClientRetries);
        builder.Services.AddHttpProxyClientWithRetry( // defaults
            httpClientTimeoutSeconds,
            cdsHttpClientRetries
        );
        var fromFile = builder.Configuration.GetValue("ProxyRetries", 1);
        builder.Services.AddHttpProxyClientWithRetry(5, fromFile); // configured
    }
}
"""

SETTINGS = """{
  "ProxyRetries": 6
}
"""


def test_configuration_get_value_with_default_btms_gateway(tmp_path):
    found = _contracts(tmp_path, {"Proxy.cs": PROXY, "ConfigureServices.cs": CONFIGURE, "appsettings.json": SETTINGS})
    at = _line(CONFIGURE, "defaults")
    assert ("ConfigureServices.cs", at, "timeout", 10000) in found
    assert ("ConfigureServices.cs", at, "retry", 4) in found
    configured = _line(CONFIGURE, "configured")
    assert ("ConfigureServices.cs", configured, "timeout", 5000) in found
    assert ("ConfigureServices.cs", configured, "retry", 7) in found


DISPOSAL = """public class CosmosService : IAsyncDisposable
{
    private static readonly TimeSpan s_disposeTimeout = TimeSpan.FromSeconds(2);
    public async ValueTask DisposeAsync() { await DisposeAsyncCore(); }
    private async ValueTask DisposeAsyncCore()
    {
        using var cts = new CancellationTokenSource(s_disposeTimeout);
        var keys = await _cacheService.GetGroupKeysAsync("cosmos", cts.Token);
        foreach (var key in keys) (await _cacheService.GetAsync<CosmosClient>(key, cts.Token))?.Dispose();
    }
    public async Task<Item> Read(string id)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3)); // read
        return await _container.ReadItemAsync<Item>(id, new PartitionKey(id), cancellationToken: cts.Token);
    }
}
"""


def test_disposal_bound_is_no_call_timeout_azure_mcp(tmp_path):
    found = _contracts(tmp_path, {"CosmosService.cs": DISPOSAL})
    assert found == [("CosmosService.cs", _line(DISPOSAL, "read"), "timeout", 3000)]


STATE_POLL = """public class DatabricksStatementRequest
{
    public async ValueTask<Resp> WaitForResultAsync(HttpClient client, string endpoint, CancellationToken ct)
    {
        Resp? response = null;
        do
        {
            try
            {
                response = await GetResponseAsync(client, endpoint, response, 100, ct);
                if (response.IsSucceeded)
                    return response;
            }
            catch (TaskCanceledException tce)
            {
                Log(tce);
            }
        }
        while (response.IsPending || response.IsRunning);
        throw new DatabricksException(response);
    }
    public async Task<Resp> Send(HttpClient client)
    {
        Resp r = null;
        do // retry
        {
            try { r = await client.GetAsync(); if (r.Ok) return r; }
            catch (HttpRequestException e) { Log(e); }
        }
        while (!r.Ok);
        return r;
    }
}
"""


def test_job_state_poll_is_no_retry_geh_electricity_market(tmp_path):
    found = _contracts(tmp_path, {"DatabricksStatementRequest.cs": STATE_POLL})
    assert found == [("DatabricksStatementRequest.cs", _line(STATE_POLL, "retry"), "retry", None)]


POISON = """public class RabbitMQConfig
{
    public int MaxRetriesBeforePoisonQueue { get; set; } = 20; // rabbit
    public int DelayBeforeRetryingMsecs { get; set; } = 500;
}
public class SimpleQueuesConfig { public int MaxRetriesBeforePoisonQueue { get; set; } = 1; } // simple
public class QueueMessage { public int MaxDequeueCount { get; set; } = 3; }
"""


def test_poison_queue_default_of_an_options_class_kernel_memory(tmp_path):
    found = _contracts(tmp_path, {"Config.cs": POISON})
    assert found == sorted([("Config.cs", _line(POISON, "rabbit"), "retry", 21),
                            ("Config.cs", _line(POISON, "simple"), "retry", 2)], key=repr)


VOICE = """public class VoiceStateService
{
    public async Task LeaveVoiceChannelInternal(ulong guildId)
    {
        var complete = new TaskCompletionSource<bool>();
        Task OnUpdate(SocketUser user, SocketVoiceState o, SocketVoiceState n) { complete.TrySetResult(true); return Task.CompletedTask; }
        try
        {
            _client.UserVoiceStateUpdated += OnUpdate;
            await SendLeaveVoiceChannelInternalAsync(guildId);
            await Task.WhenAny(Task.Delay(1500), complete.Task); // leave
        }
        finally { _client.UserVoiceStateUpdated -= OnUpdate; }
    }
    public async Task<bool> Join(ulong guildId, ulong channelId)
    {
        var stateSource = new TaskCompletionSource<bool>();
        var serverSource = new TaskCompletionSource<bool>();
        await SendJoinVoiceChannelInternalAsync(guildId, channelId);
        var delayTask = Task.Delay(2500); // join
        var a = Task.WhenAny(delayTask, stateSource.Task);
        var b = Task.WhenAny(delayTask, serverSource.Task);
        var results = await Task.WhenAll(a, b);
        return results[0] != delayTask && results[1] != delayTask;
    }
    public async Task<string> Ask(IMessageChannel channel)
    {
        var answer = new TaskCompletionSource<string>();
        await channel.SendMessageAsync("Your guess?");
        await Task.WhenAny(Task.Delay(30000), answer.Task);
        return answer.Task.IsCompleted ? answer.Task.Result : null;
    }
    public async Task Eyeballs(Task v6)
    {
        await Task.WhenAny(v6, Task.Delay(250));
        await ConnectV4Async();
    }
}
"""


def test_race_for_the_signal_of_an_own_request_nadekobot(tmp_path):
    # the waits for the gateway's answer to a request this method sent are bounds; a prompt to a person and a
    # head start are not
    found = _contracts(tmp_path, {"VoiceStateService.cs": VOICE})
    assert found == sorted([("VoiceStateService.cs", _line(VOICE, "leave"), "timeout", 1500),
                            ("VoiceStateService.cs", _line(VOICE, "join"), "timeout", 2500)], key=repr)
