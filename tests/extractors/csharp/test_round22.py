"""Round 22 (C# held-out sets eligibility-checking-engine, get-an-identity, mission-critical-online,
vc-platform, agileconfig, altinn-authentication, adnc, das-provider-relationships, education-benchmarking):
the shapes their first scans missed or reported wrongly, each with its traps."""

from __future__ import annotations

from tests.extractors.csharp.support import contracts, marker_line

# a project's own retry helper whose bound is a parameter named for tries: its file holds no other token
FUNCTION_UTIL = """
namespace App.Common
{
    public static class FunctionUtil
    {
        public static async Task<T> TRYAsync<T>(Func<Task<T>> func, int tryCount)
        {
            T result = default(T);
            for (int i = 0; i < tryCount; i++)
            {
                try
                {
                    result = await func();
                    break;
                }
                catch
                {
                    if (i == (tryCount - 1))
                    {
                        throw;
                    }
                }
            }
            return result;
        }
    }
}
"""
PROXY = """
namespace App.Service
{
    public class Proxy
    {
        public async Task<bool> AllClientsDoActionAsync(string address, WebsocketAction action)
        {
            var result = await FunctionUtil.TRYAsync(async () => // forward
            {
                dynamic result = await _restClient.PostAsync<dynamic>(address + "/RemoteOP/AllClientsDoAction", action);
                return (bool)result.success;
            }, 5);
            var tryCount = 3; // a local named for tries, no helper call
            return result;
        }
    }
}
"""


def test_own_retry_helper_with_a_try_count_parameter(tmp_path):
    found = contracts(tmp_path, {"FunctionUtil.cs": FUNCTION_UTIL, "Proxy.cs": PROXY})
    assert found == [("Proxy.cs", marker_line(PROXY, "forward"), "retry", 5)]


# a value returned from a guard that leaves, and again from the catch: an error answer, no second attempt
GUARD_ANSWERS = """
public class SelfIdentifiedLinkTokenService
{
    public SelfIdentifiedLinkTokenResult Validate(string token)
    {
        try
        {
            tokenHandler.ValidateToken(token, validationParameters, out SecurityToken validatedToken);
            if (!string.Equals(purpose, PurposeValue, StringComparison.Ordinal))
            {
                return SelfIdentifiedLinkTokenResult.Invalid();
            }
            return SelfIdentifiedLinkTokenResult.Valid(fromPartyUuid, toPartyUuid, jti);
        }
        catch (SecurityTokenException ex)
        {
            _logger.LogInformation(ex, "rejected");
            return SelfIdentifiedLinkTokenResult.Invalid();
        }
    }
    public IActionResult OnPost()
    {
        try
        {
            csv.ValidateHeader<UserImportRow>();
            if (csv.HeaderRecord!.Length != UserImportRow.ColumnCount)
            {
                ModelState.AddModelError(nameof(Upload), "The selected file contains invalid headers");
                return this.PageWithErrors();
            }
        }
        catch (HeaderValidationException)
        {
            ModelState.AddModelError(nameof(Upload), "The selected file contains invalid headers");
            return this.PageWithErrors();
        }
        return Page();
    }
    public Response Send(Client client, Request request)
    {
        try
        {
            return client.Send(request);
        }
        catch (IOException)
        {
            return client.Send(request); // again
        }
    }
}
"""


def test_error_answer_returned_from_a_guard_and_the_catch_is_no_retry(tmp_path):
    found = contracts(tmp_path, {"Service.cs": GUARD_ANSWERS})
    assert found == [("Service.cs", marker_line(GUARD_ANSWERS, "again"), "retry", 2)]


# a settings class whose getters parse a setting with a default in code
SYS_CONFIGURATION = """
namespace AlwaysOn.Shared
{
    public class SysConfiguration
    {
        public SysConfiguration(IConfiguration configuration) { Configuration = configuration; }
        private IConfiguration Configuration { get; }
        public int ComsosRequestTimeoutSeconds
        {
            get
            {
                var value = Configuration["COSMOS_REQUEST_TIMEOUT_SECONDS"];
                return int.TryParse(value, out int result) ? result : 60;
            }
        }
        public int ComsosMaxRetryCount
        {
            get
            {
                var value = Configuration["COSMOS_MAX_RETRY_COUNT"];
                return int.TryParse(value, out int result) ? result : 9;
            }
        }
        public int HealthServiceOverallTimeoutSeconds => int.TryParse(Configuration["HEALTH_TIMEOUT"], out var r) ? r : 20;
        public int Computed { get { var value = Compute(); return value > 3 ? value : 7; } }
    }
}
"""
COSMOS_SERVICE = """
namespace AlwaysOn.Shared.Services
{
    public class CosmosDbService
    {
        public CosmosDbService(SysConfiguration sysConfig, TokenCredential tokenCredential)
        {
            CosmosClientBuilder clientBuilder = new CosmosClientBuilder(sysConfig.CosmosEndpointUri, tokenCredential)
                .WithConnectionModeDirect()
                .WithRequestTimeout(TimeSpan.FromSeconds(sysConfig.ComsosRequestTimeoutSeconds)) // request
                .WithThrottlingRetryOptions(TimeSpan.FromSeconds(30), sysConfig.ComsosMaxRetryCount); // throttled
            _dbClient = clientBuilder.Build();
        }
        public async Task Check(SysConfiguration sysConfig)
        {
            var cts = new CancellationTokenSource(TimeSpan.FromSeconds(sysConfig.HealthServiceOverallTimeoutSeconds)); // health
            await _healthCheckService.CheckHealthAsync(cts.Token);
            var other = new CancellationTokenSource(TimeSpan.FromSeconds(sysConfig.Computed)); // computed
            await _healthCheckService.CheckHealthAsync(other.Token);
        }
    }
}
"""


def test_settings_getter_parsing_a_setting_with_a_default(tmp_path):
    found = contracts(tmp_path, {"SysConfiguration.cs": SYS_CONFIGURATION, "CosmosDbService.cs": COSMOS_SERVICE})
    assert ("CosmosDbService.cs", marker_line(COSMOS_SERVICE, "request"), "timeout", 60000) in found
    assert ("CosmosDbService.cs", marker_line(COSMOS_SERVICE, "throttled"), "retry", 10) in found
    assert ("CosmosDbService.cs", marker_line(COSMOS_SERVICE, "health"), "timeout", 20000) in found
    # a getter that computes its value (no setting parsed) stays unknown
    assert ("CosmosDbService.cs", marker_line(COSMOS_SERVICE, "computed"), "timeout", 7000) not in found


# the WebJobs host's retry strategy made in code; a look-alike type is not it
WEBJOBS_STRATEGY = """
public static class HostExtensions
{
    public static IHostBuilder ConfigureDasServices(this IHostBuilder hostBuilder)
    {
        hostBuilder.ConfigureServices((context, services) =>
        {
            services.AddTransient<IRetryStrategy>(_ => new ExponentialBackoffRetryAttribute(5, "00:00:10", "00:00:20")); // exponential
            services.AddTransient<IRetryStrategy>(_ => new FixedDelayRetryAttribute(maxRetryCount: 3, delayInterval: "00:00:05")); // fixed
            services.AddTransient<IRetryStrategy>(_ => new FixedDelayRetryAttribute(-1, "00:00:05")); // forever
            var unrelated = new ExponentialBackoff(5);
        });
        return hostBuilder;
    }
}
"""


def test_webjobs_retry_strategy_made_in_code(tmp_path):
    found = contracts(tmp_path, {"HostExtensions.cs": WEBJOBS_STRATEGY})
    assert found == sorted([("HostExtensions.cs", marker_line(WEBJOBS_STRATEGY, "exponential"), "retry", 6),
                            ("HostExtensions.cs", marker_line(WEBJOBS_STRATEGY, "fixed"), "retry", 4),
                            ("HostExtensions.cs", marker_line(WEBJOBS_STRATEGY, "forever"), "retry", None)], key=repr)


# the legacy Cosmos DB SDK's throttling retries; DotNetCore.CAP's failed-message retries
LIBRARY_RETRIES = """
using Microsoft.Azure.Documents.Client;
using DotNetCore.CAP;
public class Clients
{
    public IDocumentClient CreateDocumentClient()
    {
        var connectionPolicy = new ConnectionPolicy
        {
            RetryOptions =
            {
                MaxRetryAttemptsOnThrottledRequests = 4, // nested
                MaxRetryWaitTimeInSeconds = 10
            }
        };
        var other = new ConnectionPolicy();
        other.RetryOptions.MaxRetryAttemptsOnThrottledRequests = 2; // member
        return new DocumentClient(new Uri(_configuration.Uri), _configuration.AuthKey, connectionPolicy);
    }
    protected void SetCapBasicInfo(CapOptions capOptions, string version)
    {
        capOptions.FailedRetryInterval = 60;
        capOptions.FailedRetryCount = 50; // cap
    }
    public void Register(IServiceCollection services)
    {
        services.AddCap(x => { x.FailedRetryCount = 5; x.UseRabbitMQ("localhost"); }); // lambda
        var stats = new JobStats { FailedRetryCount = 3 };
    }
}
"""
NO_CAP = """
public class Worker
{
    public int Retries() { var s = new JobStats(); s.FailedRetryCount = 3; return s.FailedRetryCount; }
}
"""


def test_documentdb_throttling_and_cap_failed_retries(tmp_path):
    found = contracts(tmp_path, {"Clients.cs": LIBRARY_RETRIES, "Worker.cs": NO_CAP})
    assert found == sorted([("Clients.cs", marker_line(LIBRARY_RETRIES, "nested"), "retry", 5),
                            ("Clients.cs", marker_line(LIBRARY_RETRIES, "member"), "retry", 3),
                            ("Clients.cs", marker_line(LIBRARY_RETRIES, "cap"), "retry", 51),
                            ("Clients.cs", marker_line(LIBRARY_RETRIES, "lambda"), "retry", 6)], key=repr)


# polls of the service's own database are no retries; a poll of another service is still reported
OWN_DB_POLLS = """
public class ApplicationGateway
{
    private readonly IEligibilityCheckContext _db;
    private string GetReference()
    {
        const int maxAttempts = 5;
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            var timestamp = DateTime.UtcNow.Ticks.ToString();
            var reference = timestamp.Substring(timestamp.Length - 8);
            if (_db.Applications.FirstOrDefault(x => x.Reference == reference) == null) return reference;
            Task.Delay(5).Wait();
        }
        return Guid.NewGuid().ToString("N").Substring(0, 8);
    }
    public async Task Process(Item checkHashResult, string hashedStatus)
    {
        for (int i = 1; i <= 3; i++)
        {
            var firstValidCheck = await _db.CheckEligibilities
               .Where(x => x.EligibilityCheckHashID == checkHashResult.EligibilityCheckHashID)
               .OrderByDescending(x => x.Created).AsNoTracking().FirstOrDefaultAsync();
            if (firstValidCheck != null)
            {
                _logger.LogInformation($"Found, Attempt:{i} ");
                break;
            }
            await Task.Delay(1000);
        }
    }
    public async Task<string> Remote(HttpClient client)
    {
        for (int i = 1; i <= 3; i++) // remote
        {
            var status = await client.GetStringAsync("http://jobs/status");
            if (status == "done") { return status; }
            await Task.Delay(1000);
        }
        return null;
    }
}
"""


def test_polls_of_the_own_database_are_no_retries(tmp_path):
    found = contracts(tmp_path, {"ApplicationGateway.cs": OWN_DB_POLLS})
    assert found == [("ApplicationGateway.cs", marker_line(OWN_DB_POLLS, "remote"), "retry", 3)]


# an extension method's DatabaseFacade; the design-time settings stay (the C# sets label them: arcade-services)
DESIGN_TIME = """
public class EligibilityCheckContext : DbContext
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        if (EF.IsDesignTime)
        {
            optionsBuilder.UseSqlServer(opt => opt.CommandTimeout(7200)); // design
        }
    }
}
public static class DatabaseFacadeExtensions
{
    public static void MigrateIfNotApplied(this DatabaseFacade databaseFacade, string targetMigration)
    {
        var connectionTimeout = databaseFacade.GetDbConnection().ConnectionTimeout;
        if (databaseFacade.GetCommandTimeout() is null)
        {
            databaseFacade.SetCommandTimeout(connectionTimeout); // facade
        }
    }
    public static void Other(Settings settings)
    {
        settings.SetCommandTimeout(30); // not a database
    }
}
"""


def test_database_facade_command_timeout(tmp_path):
    found = contracts(tmp_path, {"Ctx.cs": DESIGN_TIME})
    assert found == sorted([("Ctx.cs", marker_line(DESIGN_TIME, "design"), "timeout", 7200000),
                            ("Ctx.cs", marker_line(DESIGN_TIME, "facade"), "timeout", None)], key=repr)


# a queue consumer giving a message up outside a catch once it was delivered that many times
DEQUEUE_OUTSIDE_CATCH = """
public class ProcessEligibilityBulkCheckUseCase
{
    public async Task<MessageResponse> Execute(string queueName)
    {
        var items = await _storageQueueGateway.ProcessQueueAsync(queueName);
        foreach (var item in items)
        {
            bool deleteQueueMessage = false;
            try
            {
                var response = await _processEligibilityCheckUseCase.Execute(item.Guid);
                if (response.Status == "queuedForProcessing")
                {
                    if (item.DequeueCount >= 4) // outside
                    {
                        await _gateway.UpdateStatus(item.Guid, "error");
                        deleteQueueMessage = true;
                    }
                }
                if (item.DequeueCount > 1)
                {
                    _logger.LogInformation("redelivered");
                }
            }
            catch (Exception ex)
            {
                if (item.DequeueCount >= 3) // inside
                {
                    deleteQueueMessage = true;
                }
            }
        }
    }
}
"""


def test_delivery_count_give_up_outside_a_catch(tmp_path):
    found = contracts(tmp_path, {"Proc.cs": DEQUEUE_OUTSIDE_CATCH})
    assert found == sorted([("Proc.cs", marker_line(DEQUEUE_OUTSIDE_CATCH, "outside"), "retry", 4),
                            ("Proc.cs", marker_line(DEQUEUE_OUTSIDE_CATCH, "inside"), "retry", 3)], key=repr)


# a value chosen by the hosting environment: the deployed branch
ENVIRONMENT_TERNARY = """
public static class DependencyRegistrarExtension
{
    public static List<IAsyncPolicy<HttpResponseMessage>> Policies(this Registrar _)
    {
        var timeoutPolicy = Policy.TimeoutAsync<HttpResponseMessage>(_.IsDevelopment() ? 10 : 9); // dev
        var t2 = Policy.TimeoutAsync<HttpResponseMessage>(TimeSpan.FromSeconds(env.IsProduction() ? 30 : 5)); // prod
        var t3 = Policy.TimeoutAsync<HttpResponseMessage>(!builder.Environment.IsDevelopment() ? 20 : 60); // negated
        var t4 = Policy.TimeoutAsync<HttpResponseMessage>(useFast ? 1 : 2); // other
        return [timeoutPolicy, t2, t3, t4];
    }
}
"""


def test_environment_ternary_takes_the_deployed_branch(tmp_path):
    found = contracts(tmp_path, {"Reg.cs": ENVIRONMENT_TERNARY})
    assert found == sorted([("Reg.cs", marker_line(ENVIRONMENT_TERNARY, "dev"), "timeout", 9000),
                            ("Reg.cs", marker_line(ENVIRONMENT_TERNARY, "prod"), "timeout", 30000),
                            ("Reg.cs", marker_line(ENVIRONMENT_TERNARY, "negated"), "timeout", 20000),
                            ("Reg.cs", marker_line(ENVIRONMENT_TERNARY, "other"), "timeout", None)], key=repr)


# an initializer's members under #if RELEASE / #if DEBUG: the release build's branch
PREPROCESSOR_BRANCHES = """
public static class ResilienceHelpers
{
    public static HttpRetryStrategyOptions SentryRetryStrategy() =>
        new HttpRetryStrategyOptions // release
        {
            BackoffType = DelayBackoffType.Exponential,
#if RELEASE
            // let it retry for a while
            MaxRetryAttempts = 6,
#else
            MaxRetryAttempts = 3,
#endif
            OnRetry = arguments => ValueTask.CompletedTask,
        };
    public static HttpRetryStrategyOptions Debugging() =>
        new HttpRetryStrategyOptions // debug
        {
#if DEBUG
            MaxRetryAttempts = 1,
#else
            MaxRetryAttempts = 5,
#endif
        };
}
"""


def test_preprocessor_branches_take_the_release_build(tmp_path):
    found = contracts(tmp_path, {"ResilienceHelpers.cs": PREPROCESSOR_BRANCHES})
    assert found == sorted([("ResilienceHelpers.cs", marker_line(PREPROCESSOR_BRANCHES, "release"), "retry", 7),
                            ("ResilienceHelpers.cs", marker_line(PREPROCESSOR_BRANCHES, "debug"), "retry", 6)], key=repr)


# options bound with `Configure<IConfiguration>((o, f) => f.Bind("Section", o))` in a file naming no GetSection
OPTIONS_CLASS = """
public class SymbolClientOptions
{
    public Uri BaseAddress { get; set; } = null!;
    public TimeSpan HttpClientTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
public class SymbolClient
{
    public SymbolClient(SymbolClientOptions options, HttpClient httpClient)
    {
        httpClient.Timeout = options.HttpClientTimeout; // bound
    }
}
"""
STARTUP = """
public static class Startup
{
    private static void ConfigureServices(IServiceCollection services)
    {
        services.AddOptions<SymbolClientOptions>()
            .Configure<IConfiguration>((o, f) => f.Bind("SymbolClient", o))
            .Validate(o => o.BaseAddress is {}, "BaseAddress is required.");
    }
}
"""
APPSETTINGS = """{
  "SymbolClient": {
    "BaseAddress": "https://symbol-collector.service",
    "HttpClientTimeout": "00:20:00"
  }
}
"""


def test_options_bound_in_a_configure_lambda(tmp_path):
    found = contracts(tmp_path, {"SymbolClient.cs": OPTIONS_CLASS, "Startup.cs": STARTUP,
                                 "appsettings.json": APPSETTINGS})
    assert ("SymbolClient.cs", marker_line(OPTIONS_CLASS, "bound"), "timeout", 1200000) in found


# a RabbitMQ consumer that requeues a failed message once, keyed by its id, and rejects it the second time
REQUEUE_ONCE = """
public class EventBusRabbitMQ
{
    private async Task Consumer_Received(object sender, BasicDeliverEventArgs eventArgs)
    {
        Guid.TryParse(eventArgs.BasicProperties.MessageId, out var messageId);
        try
        {
            await ProcessEvent(eventName, @event);
        }
        catch (IntegrationEventRejectExeption ex)
        {
            if (_rejectedEvents.ContainsKey(ex.EventId)) // once
            {
                _rejectedEvents.TryRemove(ex.EventId, out _);
                await _consumerChannel.BasicRejectAsync(eventArgs.DeliveryTag, requeue: false);
            }
            else
            {
                _rejectedEvents.TryAdd(ex.EventId, eventArgs.Body.Span.ToArray());
                await _consumerChannel.BasicNackAsync(eventArgs.DeliveryTag, multiple: false, requeue: true);
            }
        }
        if (_handlers.ContainsKey(eventName)) // both ack
        {
            await _consumerChannel.BasicAckAsync(eventArgs.DeliveryTag, false);
        }
        else
        {
            await _consumerChannel.BasicRejectAsync(eventArgs.DeliveryTag, requeue: false);
        }
        if (_known.Contains(messageId)) // requeue forever, nothing recorded
        {
            await _consumerChannel.BasicRejectAsync(eventArgs.DeliveryTag, false);
        }
        else
        {
            await _consumerChannel.BasicNackAsync(eventArgs.DeliveryTag, false, true);
        }
    }
}
"""


def test_rabbitmq_requeue_once_by_message_id(tmp_path):
    found = contracts(tmp_path, {"EventBusRabbitMQ.cs": REQUEUE_ONCE})
    assert found == [("EventBusRabbitMQ.cs", marker_line(REQUEUE_ONCE, "once"), "retry", 2)]



# Dapper's multi-mapping overloads: the fourth argument is the parameters, not a command timeout
DAPPER_MULTI_MAPPING = """
using Dapper;
public class DatabaseConnection
{
    public int ConnectionTimeout => connection.ConnectionTimeout;
    public Task<IEnumerable<TReturn>> QueryAsync<TReturn>(PlatformQuery query, Type[] types, Func<object[], TReturn> map, string[] splitOn) =>
        connection.QueryAsync(query.QueryTemplate.RawSql, types, map, query.QueryTemplate.Parameters, splitOn: string.Join(", ", splitOn));
    public Task<IEnumerable<R>> Pairs(string sql, object p, IDbTransaction tx) =>
        connection.QueryAsync<A, B, R>(sql, (a, b) => Combine(a, b), p, tx);
    public Task<IEnumerable<T>> Plain<T>(string sql, object p, IDbTransaction tx) =>
        connection.QueryAsync<T>(sql, p, tx, 45); // positional
}
"""


def test_dapper_multi_mapping_overloads(tmp_path):
    found = contracts(tmp_path, {"DatabaseConnection.cs": DAPPER_MULTI_MAPPING})
    assert found == [("DatabaseConnection.cs", marker_line(DAPPER_MULTI_MAPPING, "positional"), "timeout", 45000)]
