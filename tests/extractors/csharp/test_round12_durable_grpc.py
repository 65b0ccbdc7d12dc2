"""Round 12, fixes after the held-out sets (cecochat, fullstackhero, opengeh-process-manager, fhir-server):

- Durable Task's isolated worker (``Microsoft.DurableTask``): ``context.CallActivityAsync(nameof(A), input,
  options)`` given TaskOptions built from ``TaskRetryOptions.FromRetryPolicy(new RetryPolicy(
  maxNumberOfAttempts: 8, ..))`` is a retry of 8 attempts at each call; options from a constructor
  parameter (or a base class's member named for retries) count what the class's constructions pass
  (``new Step(context, _defaultRetryOptions)``), unknown when they differ; the policy's creation is
  then not reported on its own;
- a gRPC call's deadline held by a local (``DateTime deadline = _clock.GetNowUtc().Add(span);``), passed
  by name or as the generated method's third positional argument;
- a loop deadline ``DateTime.UtcNow + TimeSpan.FromMinutes(2)`` and a Durable orchestration's
  ``context.CurrentUtcDateTime.AddSeconds(n)``; a retry loop bounded by such a deadline (``while
  (DateTime.UtcNow < deadline)``: ``deadline`` names no items);
- Confluent.Kafka settings on a lambda's parameter (``AddKafka(config => config.MessageTimeoutMs = ..)``),
  ``adminClient.GetMetadata(TimeSpan)``; Cosmos DB's ``WithThrottlingRetryOptions(wait, retries)``;
- not a retry: StackExchange.Redis's ``ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds:
  1000)``, two different calls that both end in ``.ConfigureAwait(false)`` in a try and its catch."""

from __future__ import annotations

from .support import contracts as _contracts


ORCHESTRATION = (
    "using Microsoft.DurableTask;\n"                                              # 1
    "public class Orchestration_V1\n"                                             # 2
    "{\n"                                                                         # 3
    "    private readonly TaskRetryOptions _defaultRetryOptions;\n"               # 4
    "    private readonly TaskOptions _defaultTaskOptions;\n"                     # 5
    "    public Orchestration_V1()\n"                                             # 6
    "    {\n"                                                                     # 7
    "        _defaultRetryOptions = TaskRetryOptions.FromRetryPolicy(\n"          # 8
    "            new RetryPolicy(\n"                                              # 9
    "                maxNumberOfAttempts: 8,\n"                                   # 10
    "                firstRetryInterval: TimeSpan.FromSeconds(30)));\n"           # 11
    "        _defaultTaskOptions = new TaskOptions(_defaultRetryOptions);\n"      # 12
    "    }\n"                                                                     # 13
    "    public async Task Run(TaskOrchestrationContext context)\n"               # 14
    "    {\n"                                                                     # 15
    "        await context.CallActivityAsync(\n"                                  # 16
    "            nameof(Start), new Input(1), _defaultTaskOptions);\n"            # 17
    "        await context.CallActivityAsync(nameof(Read), new Input(2), new TaskOptions(_defaultRetryOptions));\n"  # 18
    "        await context.CallActivityAsync(nameof(Log), new Input(3));\n"       # 19: no options: no retry
    "        await new Step(context, _defaultRetryOptions).ExecuteAsync();\n"     # 20
    "    }\n"                                                                     # 21
    "}\n"                                                                         # 22
)

STEP = (
    "using Microsoft.DurableTask;\n"                                              # 1
    "internal class Step(TaskOrchestrationContext context, TaskRetryOptions retry) : StepBase(context, retry)\n"  # 2
    "{\n"                                                                         # 3
    "    private readonly TaskOptions _options = new(retry);\n"                   # 4
    "    public async Task ExecuteAsync()\n"                                      # 5
    "    {\n"                                                                     # 6
    "        await Context.CallActivityAsync(nameof(Enqueue), new Input(4), _options);\n"        # 7: as constructed
    "        await Context.CallActivityAsync(\n"                                  # 8
    "            name: nameof(Mark), input: new Input(5), options: DefaultRetryOptions);\n"      # base class's
    "        await Context.CallActivityAsync(nameof(Other), new Input(6), _cache);\n"            # 10: not options
    "    }\n"                                                                     # 11
    "}\n"                                                                         # 12
)


def test_durable_task_isolated_worker_retries_at_each_call(tmp_path):
    got = _contracts(tmp_path, {"Orchestration_V1.cs": ORCHESTRATION, "Step.cs": STEP})
    assert ("Orchestration_V1.cs", 16, "retry", 8) in got
    assert ("Orchestration_V1.cs", 18, "retry", 8) in got
    assert ("Step.cs", 7, "retry", 8) in got  # round 12: `new Step(context, _defaultRetryOptions)` says 8
    assert ("Step.cs", 8, "retry", 8) in got
    lines = {(path, line) for path, line, kind, _ in got if kind == "retry"}
    assert ("Orchestration_V1.cs", 19) not in lines  # no options handed: the SDK does not retry
    assert ("Orchestration_V1.cs", 10) not in lines and ("Orchestration_V1.cs", 9) not in lines  # the policy itself
    assert ("Step.cs", 10) not in lines  # `_cache` is no retry options


STEP_BASE = (
    "using Microsoft.DurableTask;\n"                                              # 1
    "internal abstract class StepBase(TaskOrchestrationContext context, TaskRetryOptions retry)\n"  # 2
    "{\n"                                                                         # 3
    "    protected TaskOrchestrationContext Context { get; } = context;\n"       # 4
    "    protected TaskOptions DefaultRetryOptions { get; } = new(retry);\n"     # 5
    "}\n"                                                                         # 6
)

OTHER_ORCHESTRATION = (
    "using Microsoft.DurableTask;\n"                                              # 1
    "public class Other_V1\n"                                                     # 2
    "{\n"                                                                         # 3
    "    private readonly TaskRetryOptions _retry = TaskRetryOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(1)));\n"
    "    public async Task Run(TaskOrchestrationContext context)\n"               # 5
    "    {\n"                                                                     # 6
    "        await new Lonely(context, _retry).ExecuteAsync();\n"                 # 7
    "    }\n"                                                                     # 8
    "}\n"                                                                         # 9
    "internal class Lonely(TaskOrchestrationContext context, TaskRetryOptions retry)\n"  # 10
    "{\n"                                                                         # 11
    "    public async Task ExecuteAsync() =>\n"                                   # 12
    "        await context.CallActivityAsync(nameof(Work), 1, new TaskOptions(retry));\n"  # 13
    "}\n"                                                                         # 14
)


def test_step_classes_read_the_count_their_constructions_pass(tmp_path):
    got = _contracts(tmp_path, {"Orchestration_V1.cs": ORCHESTRATION, "Step.cs": STEP, "StepBase.cs": STEP_BASE,
                                "Other_V1.cs": OTHER_ORCHESTRATION})
    assert ("Step.cs", 7, "retry", 8) in got  # `new Step(context, _defaultRetryOptions)`: 8 attempts
    assert ("Step.cs", 8, "retry", 8) in got  # the base's DefaultRetryOptions, built from the same parameter
    assert ("Other_V1.cs", 13, "retry", 3) in got  # positional RetryPolicy(3, ..) handed to the constructor


def test_step_class_constructed_with_different_counts_stays_unknown(tmp_path):
    twice = ORCHESTRATION.replace("        await new Step(context, _defaultRetryOptions).ExecuteAsync();\n",
                                  "        await new Step(context, _defaultRetryOptions).ExecuteAsync();\n"
                                  "        await new Step(context, _otherRetry).ExecuteAsync();\n")
    twice = twice.replace("    private readonly TaskOptions _defaultTaskOptions;\n",
                          "    private readonly TaskOptions _defaultTaskOptions;\n"
                          "    private readonly TaskRetryOptions _otherRetry = TaskRetryOptions.FromRetryPolicy(new RetryPolicy(2, TimeSpan.FromSeconds(1)));\n")
    got = _contracts(tmp_path, {"Orchestration_V1.cs": twice, "Step.cs": STEP})
    assert ("Step.cs", 7, "retry", None) in got


def test_call_activity_outside_durable_task_is_not_read(tmp_path):
    body = ("// retry\npublic class Jobs\n{\n    public async Task Run(IActivityRunner runner)\n    {\n"
            "        await runner.CallActivityAsync(nameof(A), input, _retryOptions);\n    }\n}\n")
    assert _contracts(tmp_path, {"Jobs.cs": body}) == []


GRPC = (
    "using Grpc.Core;\n"                                                          # 1
    "public class ChatsClient\n"                                                  # 2
    "{\n"                                                                         # 3
    "    public async Task<Reply> GetChats(Request request, Metadata headers, CancellationToken ct)\n"  # 4
    "    {\n"                                                                     # 5
    "        DateTime deadline = _clock.GetNowUtc().Add(TimeSpan.FromSeconds(5));\n"  # 6
    "        var reply = await _client.GetUserChatsAsync(request, headers, deadline, ct);\n"  # 7
    "        DateTime until = DateTime.UtcNow.AddSeconds(2);\n"                   # 8
    "        await _auth.RegisterAsync(request, deadline: until, cancellationToken: ct);\n"  # 9
    "        var pageSize = 20;\n"                                                # 10
    "        await _client.ListAsync(request, headers, pageSize, ct);\n"          # 11: not a deadline
    "        return reply;\n"                                                     # 12
    "    }\n"                                                                     # 13
    "}\n"                                                                         # 14
)


def test_grpc_deadline_through_a_local(tmp_path):
    got = _contracts(tmp_path, {"ChatsClient.cs": GRPC})
    assert ("ChatsClient.cs", 7, "timeout", 5000) in got
    assert ("ChatsClient.cs", 9, "timeout", 2000) in got
    assert not any(line == 11 for _, line, _, _ in got)


def test_positional_deadline_needs_grpc(tmp_path):
    body = GRPC.replace("using Grpc.Core;\n", "// deadline\n")
    got = _contracts(tmp_path, {"ChatsClient.cs": body})
    assert not any(line == 7 for _, line, _, _ in got)  # no gRPC in the file: a third argument is just that
    assert ("ChatsClient.cs", 9, "timeout", 2000) in got  # the named one still is


LOOPS = (
    "using Microsoft.DurableTask;\n"                                              # 1
    "public class Waits\n"                                                        # 2
    "{\n"                                                                         # 3
    "    public async Task WaitForDatabaseAsync(string cs, CancellationToken ct)\n"  # 4
    "    {\n"                                                                     # 5
    "        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);\n"         # 6
    "        while (DateTime.UtcNow < deadline)\n"                                # 7
    "        {\n"                                                                 # 8
    "            try { await _db.OpenAsync(cs, ct); return; }\n"                  # 9
    "            catch (TimeoutException) { await Task.Delay(1000, ct); }\n"      # 10
    "        }\n"                                                                 # 11
    "    }\n"                                                                     # 12
    "    public async Task PollJobAsync(TaskOrchestrationContext context, long id)\n"  # 13
    "    {\n"                                                                     # 14
    "        var expiryTime = context.CurrentUtcDateTime.AddSeconds(60);\n"       # 15
    "        while (context.CurrentUtcDateTime < expiryTime)\n"                   # 16
    "        {\n"                                                                 # 17
    "            var status = await context.CallActivityAsync<int>(nameof(GetStatus), id);\n"  # 18
    "            if (status == 1) return;\n"                                      # 19
    "            await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(5), CancellationToken.None);\n"  # 20
    "        }\n"                                                                 # 21
    "    }\n"                                                                     # 22
    "    public void ReadAll(TextReader reader)\n"                                # 23
    "    {\n"                                                                     # 24
    "        var line = reader.ReadLine();\n"                                     # 25
    "        while (line != null) { Handle(line); line = reader.ReadLine(); }\n"  # 26: not a retry
    "    }\n"                                                                     # 27
    "}\n"                                                                         # 28
)


def test_loop_deadlines_and_retry_until_deadline(tmp_path):
    got = _contracts(tmp_path, {"Waits.cs": LOOPS})
    assert ("Waits.cs", 7, "timeout", 120000) in got
    assert ("Waits.cs", 7, "retry", None) in got
    assert ("Waits.cs", 16, "timeout", 60000) in got
    assert not any(line == 26 for _, line, _, _ in got)


KAFKA = (
    "using Confluent.Kafka;\n"                                                    # 1
    "public static class KafkaHealth\n"                                           # 2
    "{\n"                                                                         # 3
    "    public static IHealthChecksBuilder AddBackplane(this IHealthChecksBuilder checks)\n"  # 4
    "    {\n"                                                                     # 5
    "        return checks.AddKafka(config =>\n"                                  # 6
    "        {\n"                                                                 # 7
    "            config.MessageSendMaxRetries = 1;\n"                             # 8
    "            config.MessageTimeoutMs = 5000;\n"                               # 9
    "        }, name: \"kafka\");\n"                                              # 10
    "    }\n"                                                                     # 11
    "    public static void Topics(IAdminClient adminClient, Thing other)\n"      # 12
    "    {\n"                                                                     # 13
    "        var metadata = adminClient.GetMetadata(TimeSpan.FromSeconds(5));\n"  # 14
    "        var x = other.GetMetadata(TimeSpan.FromSeconds(7));\n"               # 15: not a Kafka client
    "    }\n"                                                                     # 16
    "}\n"                                                                         # 17
)


def test_kafka_settings_on_a_lambda_parameter_and_admin_metadata(tmp_path):
    got = _contracts(tmp_path, {"KafkaHealth.cs": KAFKA})
    assert ("KafkaHealth.cs", 8, "retry", 2) in got
    assert ("KafkaHealth.cs", 9, "timeout", 5000) in got
    assert ("KafkaHealth.cs", 14, "timeout", 5000) in got
    assert not any(line == 15 for _, line, _, _ in got)


def test_kafka_names_without_kafka_are_not_read(tmp_path):
    body = ("// timeout\npublic static class Q\n{\n    public static void Set(Builder b)\n    {\n"
            "        b.Configure(config => { config.MessageTimeoutMs = 5000; });\n    }\n}\n")
    assert _contracts(tmp_path, {"Q.cs": body}) == []


REDIS_AND_COSMOS = (
    "using StackExchange.Redis;\n"                                                # 1
    "using Microsoft.Azure.Cosmos.Fluent;\n"                                      # 2
    "public class Clients\n"                                                      # 3
    "{\n"                                                                         # 4
    "    public ConfigurationOptions Redis() => new ConfigurationOptions\n"       # 5
    "    {\n"                                                                     # 6
    "        ConnectRetry = 16,\n"                                                # 7
    "        ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 1000)\n"  # 8: back-off only
    "    };\n"                                                                    # 9
    "    public CosmosClient Cosmos(string cs) => new CosmosClientBuilder(cs)\n"  # 10
    "        .WithThrottlingRetryOptions(TimeSpan.FromSeconds(5), 3)\n"           # 11
    "        .Build();\n"                                                         # 12
    "}\n"                                                                         # 13
)


def test_redis_reconnect_backoff_is_no_retry_and_cosmos_throttling_retries(tmp_path):
    got = _contracts(tmp_path, {"Clients.cs": REDIS_AND_COSMOS})
    assert ("Clients.cs", 7, "retry", 16) in got
    assert not any(line == 8 for _, line, _, _ in got)
    assert ("Clients.cs", 11, "retry", 4) in got


def test_storage_exponential_retry_still_counts(tmp_path):
    body = ("// retry\npublic class S\n{\n    public BlobRequestOptions O() => new BlobRequestOptions\n    {\n"
            "        RetryPolicy = new ExponentialRetry(TimeSpan.FromSeconds(2), 5)\n    };\n}\n")
    assert ("S.cs", 6, "retry", 6) in _contracts(tmp_path, {"S.cs": body})


OUTBOX = (
    "// retry\n"                                                                  # 1
    "public class Dispatcher\n"                                                   # 2
    "{\n"                                                                         # 3
    "    public async Task DispatchAsync(Message message, CancellationToken ct)\n"  # 4
    "    {\n"                                                                     # 5
    "        try\n"                                                               # 6
    "        {\n"                                                                 # 7
    "            await _outbox.MarkAsFailedAsync(message, \"bad payload\", true, ct).ConfigureAwait(false);\n"  # 8
    "            await _bus.PublishAsync(message, ct).ConfigureAwait(false);\n"   # 9
    "        }\n"                                                                 # 10
    "        catch (Exception ex)\n"                                              # 11
    "        {\n"                                                                 # 12
    "            await _outbox.MarkAsFailedAsync(message, ex.Message, false, ct).ConfigureAwait(false);\n"  # 13
    "        }\n"                                                                 # 14
    "    }\n"                                                                     # 15
    "    public async Task SendAsync(Request req, CancellationToken ct)\n"        # 16
    "    {\n"                                                                     # 17
    "        try { await _client.SendAsync(req, ct).ConfigureAwait(false); }\n"   # 18
    "        catch (HttpRequestException) { await _client.SendAsync(req, ct).ConfigureAwait(false); }\n"  # 19
    "    }\n"                                                                     # 20
    "}\n"                                                                         # 21
)


def test_configure_await_does_not_make_two_calls_the_same(tmp_path):
    got = _contracts(tmp_path, {"Dispatcher.cs": OUTBOX})
    assert not any(line == 13 for _, line, _, _ in got)  # another message marked failed: no retry
    assert ("Dispatcher.cs", 19, "retry", 2) in got  # the same send again: one retry


EXTERNAL_EVENT = (
    "using Microsoft.DurableTask;\n"                                              # 1
    "internal class Enqueue(TaskOrchestrationContext context)\n"                  # 2
    "{\n"                                                                         # 3
    "    public async Task WaitAsync()\n"                                         # 4
    "    {\n"                                                                     # 5
    "        var timeout = TimeSpan.FromDays(14);\n"                              # 6
    "        await context.WaitForExternalEvent<int>(eventName: \"done\", timeout: timeout);\n"  # 7
    "        var seconds = 30;\n"                                                 # 8
    "        await _jobs.StartAsync(\"x\", timeout: seconds);\n"                  # 9: an int says no unit
    "    }\n"                                                                     # 10
    "}\n"                                                                         # 11
)


def test_named_timeout_argument_through_a_local_timespan(tmp_path):
    got = _contracts(tmp_path, {"Enqueue.cs": EXTERNAL_EVENT})
    assert ("Enqueue.cs", 7, "timeout", 14 * 86400000) in got
    assert not any(line == 9 for _, line, _, _ in got)
