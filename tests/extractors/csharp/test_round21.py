"""Round 21 (C# held-out sets beatleader-server, teams-shifts-wfm-connectors, docspace-server, openmu,
symbol-collector): the shapes their first scans missed or reported wrongly, each with its traps."""

from __future__ import annotations

from tests.extractors.csharp.support import contracts, marker_line

RESENDS = """
public class Handler {
    private readonly HttpClient Backchannel;
    private async Task<JsonDocument> GetUser(string endpoint, string token) {
        var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.Add("DPoP", Make("GET", endpoint));
        var response = await Backchannel.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Context.RequestAborted);
        // If the request failed but the server provided a nonce, retry once.
        if (!response.IsSuccessStatusCode && response.Headers.TryGetValues("DPoP-Nonce", out var nonceValues))
        {
            _nonces[host] = nonceValues.FirstOrDefault();
            var retryRequest = new HttpRequestMessage(HttpMethod.Get, endpoint);
            retryRequest.Headers.Add("DPoP", Make("GET", endpoint));
            response = await Backchannel.SendAsync(retryRequest, HttpCompletionOption.ResponseHeadersRead, Context.RequestAborted); // nonce
        }
        return await Read(response);
    }
    public async Task<HttpResponseMessage> SendHttpRequest(Details details, HttpClient httpClient, HttpMethod httpMethod, string requestUrl)
    {
        using (var httpRequestMessage = new HttpRequestMessage(httpMethod, requestUrl))
        {
            httpRequestMessage.Headers.Authorization = new AuthenticationHeaderValue("Bearer", details.Token);
            var response = await httpClient.SendAsync(httpRequestMessage).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                details.Token = await this.GetAccessTokenAsync(details).ConfigureAwait(false);
                using (var retryRequestMessage = new HttpRequestMessage(httpMethod, requestUrl))
                {
                    retryRequestMessage.Headers.Authorization = new AuthenticationHeaderValue("Bearer", details.Token);
                    return await httpClient.SendAsync(retryRequestMessage).ConfigureAwait(false); // token
                }
            }
            return response;
        }
    }
    public async Task<HttpResponseMessage> Other(HttpClient httpClient, string a, string b)
    {
        var first = new HttpRequestMessage(HttpMethod.Get, a);
        var response = await httpClient.SendAsync(first);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // a different request (another URL), not the same one again
            details.Token = await this.GetAccessTokenAsync(details);
            var second = new HttpRequestMessage(HttpMethod.Get, b);
            return await httpClient.SendAsync(second); // other
        }
        return response;
    }
}
"""
COOKIES = """
public class CookieHttpHandler : DelegatingHandler {
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!_cookieCache.TryGetValue(_teamId, out var cookies) || cookies == null)
        {
            cookies = await RequestCookiesAsync(cancellationToken);
        }
        AddCookies(request, cookies);
        var response = await base.SendAsync(request, cancellationToken);
        if (IsAuthenticated(response))
        {
            return response;
        }
        cookies = await RequestCookiesAsync(cancellationToken);
        AddCookies(request, cookies);
        response = await base.SendAsync(request, cancellationToken); // cookies
        if (IsAuthenticated(response))
        {
            return response;
        }
        throw new UnauthorizedAccessException("Invalid credentials.");
    }
}
"""
NOT_RESENT = """
public class Reader {
    public async Task<string> Read(HttpClient client, string url) {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        var response = await client.SendAsync(request);
        // retry is left to the caller
        if (!response.IsSuccessStatusCode)
        {
            var log = new HttpRequestMessage(HttpMethod.Post, "/errors");
            await client.SendAsync(log); // report
        }
        return await response.Content.ReadAsStringAsync();
    }
}
"""


def test_a_request_sent_again_after_its_answer_said_sign_in_or_retry(tmp_path):
    found = contracts(tmp_path, {"Handler.cs": RESENDS, "CookieHttpHandler.cs": COOKIES, "Reader.cs": NOT_RESENT})
    at = {(name, line): value for name, line, kind, value in found if kind == "retry"}
    # a fresh copy of the same request (the same `new HttpRequestMessage(..)`) sent again: 2 tries
    assert at[("Handler.cs", marker_line(RESENDS, "nonce"))] == 2
    assert at[("Handler.cs", marker_line(RESENDS, "token"))] == 2
    # a sign-in whose answer is assigned (`cookies = await RequestCookiesAsync(..)`) before the repeat
    assert at[("CookieHttpHandler.cs", marker_line(COOKIES, "cookies"))] == 2
    # traps: another request after the sign-in, an error report after a failed answer
    assert ("Handler.cs", marker_line(RESENDS, "other")) not in at
    assert ("Reader.cs", marker_line(NOT_RESENT, "report")) not in at


CONNECTOR_OPTIONS = """
namespace Connector.Options
{
    public class ConnectorOptions
    {
        public int RetryIntervalSeconds { get; set; } = 5;
        public int RetryMaxAttempts { get; set; } = 5;
        public int LongOperationMaxAttempts { get; set; } = 8;
    }
}
"""
GRAPH_OPTIONS = """
namespace Connector.Graph.Options
{
    public class GraphOptions : ConnectorOptions
    {
        public string ClientId { get; set; }
        public int LongOperationMaxAttempts { get; set; } = 3;
    }
}
"""
GRAPH_SERVICE = """
using Polly;
namespace Connector.Graph.Services
{
    public class GraphService : IScheduleDestinationService
    {
        private readonly GraphOptions _options;
        public GraphService(GraphOptions options) { _options = options ?? throw new ArgumentNullException(nameof(options)); }
        public async Task Add(string teamId)
        {
            var policy = GetConflictRetryPolicy(_options.RetryMaxAttempts, _options.RetryIntervalSeconds); // inherited
            await policy.ExecuteAsync(() => Replace(teamId));
        }
        public async Task Share(string teamId)
        {
            var policy = GetConflictRetryPolicy(_options.LongOperationMaxAttempts, 15); // own
            await policy.ExecuteAsync(() => ShareAsync(teamId));
        }
        private static AsyncRetryPolicy GetConflictRetryPolicy(int retryCount, int retryInterval)
        {
            return Policy.Handle<HttpOperationException>().WaitAndRetryAsync(retryCount, a => TimeSpan.FromSeconds(retryInterval));
        }
    }
}
"""


def test_an_options_class_member_inherited_from_its_base_class(tmp_path):
    found = contracts(tmp_path, {"ConnectorOptions.cs": CONNECTOR_OPTIONS, "GraphOptions.cs": GRAPH_OPTIONS,
                                 "GraphService.cs": GRAPH_SERVICE})
    at = {(name, line): value for name, line, kind, value in found if kind == "retry"}
    # `GraphOptions : ConnectorOptions` reading RetryMaxAttempts it does not declare: the base class's 5
    assert at[("GraphService.cs", marker_line(GRAPH_SERVICE, "inherited"))] == 6
    # a member the derived class declares again keeps its own default
    assert at[("GraphService.cs", marker_line(GRAPH_SERVICE, "own"))] == 4


PRIMARY = """
using Polly;
public class PersistentConnection(IConnectionFactory connectionFactory, ILogger logger, int retryCount = 5)
    : IPersistentConnection
{
    private readonly IConnectionFactory _connectionFactory = connectionFactory;
    public async Task<bool> TryConnectAsync()
    {
        var builder = new ResiliencePipelineBuilder();
        var pipeline = builder.AddRetry(new RetryStrategyOptions // primary
        {
            MaxRetryAttempts = retryCount,
            Delay = TimeSpan.FromSeconds(1),
        }).Build();
        await pipeline.ExecuteAsync(async _ => { _connection = await _connectionFactory.CreateConnectionAsync(); });
        return true;
    }
}
"""
REGISTRATION = """
public static class Registration
{
    public static IServiceCollection AddBus(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IPersistentConnection>(sp =>
        {
            var cfg = sp.GetRequiredService<IConfiguration>();
            var retryCount = 5;
            if (!string.IsNullOrEmpty(cfg["core:eventBus:connectRetryCount"]))
            {
                retryCount = int.Parse(cfg["core:eventBus:connectRetryCount"]);
            }
            return new PersistentConnection(factory, logger, retryCount); // handed
        });
        services.AddSingleton(sp => new PersistentConnection(factory, logger)); // left out
        return services;
    }
}
"""
PRIMARY_NO_DEFAULT = """
using Polly;
public class Forwarding(int retryCount)
{
    public ResiliencePipeline Build() => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = retryCount }).Build(); // forwarder
}
"""


def test_a_primary_constructor_parameter_with_a_default(tmp_path):
    found = contracts(tmp_path, {"PersistentConnection.cs": PRIMARY, "Registration.cs": REGISTRATION,
                                 "Forwarding.cs": PRIMARY_NO_DEFAULT})
    at = {(name, line): value for name, line, kind, value in found if kind == "retry"}
    # rule (a): the class's own AddRetry with the default 5 (6 tries)
    assert at[("PersistentConnection.cs", marker_line(PRIMARY, "primary"))] == 6
    # rule (c) and (b): the construction handing 5 (unless configured), the one leaving it out
    assert at[("Registration.cs", marker_line(REGISTRATION, "handed"))] == 6
    assert at[("Registration.cs", marker_line(REGISTRATION, "left out"))] == 6
    # a primary constructor parameter without a default only forwards its callers' values
    assert ("Forwarding.cs", marker_line(PRIMARY_NO_DEFAULT, "forwarder")) not in at


LOCKS = """
public static class Locks
{
    public static IServiceCollection AddLocks(this IServiceCollection services, IConfiguration cfg)
    {
        services.AddFusionCache().WithOptions(new FusionCacheOptions
        {
            DefaultEntryOptions = new FusionCacheEntryOptions
            {
                LockTimeout = TimeSpan.FromSeconds(5), // lock
                FactoryHardTimeout = TimeSpan.FromSeconds(5) // factory
            }
        });
        services.AddSingleton(sp => new RedisLockProvider(client, logger, inner, opt =>
        {
            if (TimeSpan.TryParse(cfg["core:lock:minTimeout"], out var minTimeout))
            {
                opt.MinTimeout(minTimeout); // min
            }
        }));
        services.AddHttpClient("x").ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(10)); // client
        return services;
    }
}
"""


def test_lock_waits_are_no_call_timeouts(tmp_path):
    found = contracts(tmp_path, {"Locks.cs": LOCKS})
    at = {(name, line): value for name, line, kind, value in found if kind == "timeout"}
    assert ("Locks.cs", marker_line(LOCKS, "lock")) not in at
    assert ("Locks.cs", marker_line(LOCKS, "min")) not in at
    # the cache factory's hard timeout and an HttpClient's timeout stay
    assert at[("Locks.cs", marker_line(LOCKS, "factory"))] == 5000
    assert at[("Locks.cs", marker_line(LOCKS, "client"))] == 10000


RECONNECTS = """
public class ExDbClient
{
    private async ValueTask ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        while (!socket.Connected) // socket
        {
            try
            {
                await socket.ConnectAsync(this._host, this._port).ConfigureAwait(false);
            }
            catch
            {
                this._logger.LogWarning("Connection failed, trying again in 10 Seconds...");
                await Task.Delay(10000).ConfigureAwait(false);
            }
        }
        this._connection = new Connection(socket);
    }
}
"""
SECRETS = """
public class SecretStoreSettingsProvider
{
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        this._initTask = Task.Run(async () =>
            {
                while (!this._isInitialized && !cancellationToken.IsCancellationRequested) // secrets
                {
                    try
                    {
                        var secrets = await this._daprClient.GetBulkSecretAsync(SecretStoreName, cancellationToken: cancellationToken).ConfigureAwait(false);
                        foreach (var secret in secrets) { this._settings.Add(secret.Key, secret.Value); }
                        this._isInitialized = true;
                    }
                    catch (DaprException ex)
                    {
                        this._logger.LogWarning(ex, "Error retrieving the secrets. Trying again in 3 seconds...");
                        await Task.Delay(3000, cancellationToken).ConfigureAwait(false);
                    }
                }
            });
        return Task.CompletedTask;
    }
}
"""
NOT_RECONNECTS = """
public class Pump
{
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested) // pump
        {
            try
            {
                var item = await _channel.Reader.ReadAsync(ct);
                Handle(item);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "failed");
                await Task.Delay(1000, ct);
            }
        }
    }
}
"""


def test_a_connect_repeated_until_it_succeeds_is_an_unbounded_retry(tmp_path):
    found = contracts(tmp_path, {"ExDbClient.cs": RECONNECTS, "Secrets.cs": SECRETS, "Pump.cs": NOT_RECONNECTS})
    at = {(name, line): value for name, line, kind, value in found if kind == "retry"}
    assert ("ExDbClient.cs", marker_line(RECONNECTS, "socket")) in at
    assert at[("ExDbClient.cs", marker_line(RECONNECTS, "socket"))] is None
    assert ("Secrets.cs", marker_line(SECRETS, "secrets")) in at
    assert at[("Secrets.cs", marker_line(SECRETS, "secrets"))] is None
    # a worker loop reading the next item after a failure moves on: no retry
    assert ("Pump.cs", marker_line(NOT_RECONNECTS, "pump")) not in at


STREAM_CONSUMER = """
public class StreamBus
{
    private const int MaxRetryAttempts = 3;
    private async Task ProcessMessageWithRetryAsync(string eventName, StreamEntry entry, IDatabase db, string stream, long deliveryCount)
    {
        try
        {
            await ProcessEventAsync(eventName, entry);
            await db.StreamAcknowledgeAsync(stream, Group, entry.Id);
        }
        catch (Exception ex)
        {
            if (deliveryCount >= MaxRetryAttempts) // dlq
            {
                await MoveToDeadLetterQueueAsync(stream, entry, db, ex.Message);
                await db.StreamAcknowledgeAsync(stream, Group, entry.Id);
            }
        }
    }
    private void Report(long deliveryCount)
    {
        if (deliveryCount >= MaxRetryAttempts) // report
        {
            _metrics.Delete(entry);
        }
    }
}
"""


def test_a_consumer_dead_letters_after_its_delivery_count(tmp_path):
    found = contracts(tmp_path, {"StreamBus.cs": STREAM_CONSUMER})
    at = {(name, line): value for name, line, kind, value in found if kind == "retry"}
    assert at[("StreamBus.cs", marker_line(STREAM_CONSUMER, "dlq"))] == 3
    # the same comparison outside a failure's catch: no retry
    assert ("StreamBus.cs", marker_line(STREAM_CONSUMER, "report")) not in at


POST_CONFIGURE = """
public class OpenIdInitializer : IPostConfigureOptions<OpenIdOptions>
{
    public void PostConfigure(string name, OpenIdOptions options)
    {
        if (options.Backchannel == null)
        {
            options.Backchannel = new HttpClient(options.BackchannelHttpHandler ?? new HttpClientHandler());
            options.Backchannel.Timeout = options.BackchannelTimeout; // copied
        }
        options.Backchannel.Timeout = TimeSpan.FromSeconds(20); // set
        _client.Timeout = options.BackchannelTimeout; // other
    }
}
"""


def test_an_options_object_handing_its_own_setting_to_its_own_client(tmp_path):
    found = contracts(tmp_path, {"OpenIdInitializer.cs": POST_CONFIGURE})
    at = {(name, line): value for name, line, kind, value in found if kind == "timeout"}
    assert ("OpenIdInitializer.cs", marker_line(POST_CONFIGURE, "copied")) not in at
    assert at[("OpenIdInitializer.cs", marker_line(POST_CONFIGURE, "set"))] == 20000
    # another client given the options' value: still a client timeout
    assert ("OpenIdInitializer.cs", marker_line(POST_CONFIGURE, "other")) in at
