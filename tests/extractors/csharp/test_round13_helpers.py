"""Round 13, shapes of the winget-cli-restsource set (held out):

- a retry helper whose bound defaults to a constant of its class (``int maxRetries = MaxRetries`` with
  ``public const int MaxRetries = 3``) is reported at its loop with the constant (rule (a)) AND publishes
  the parameter: a generic call leaving it out (``RetryHelper.RunAndRetryWithExceptionAsync<HttpRequestException>(
  func, name, waitTime: 30000)``) gets 3 (rule (b)), one passing 5 gets 5 (rule (c));
- a loop retrying on the answer with its bound at its end (``if (++tries < maxRetries) await Task.Delay(w);
  else return r;``, or ``if (++tries >= max) return r; await Task.Delay(..);``) is a retry: ``maxRetries`` tries;
- not retries: a paging loop with the same shape whose counter names pages, and a loop whose tail guard
  is not named for tries."""

from __future__ import annotations

from pathlib import Path


from .support import contracts as _contracts


HELPER = (
    "using System;\n"                                                              # 1
    "using System.Threading.Tasks;\n"                                              # 2
    "public static class RetryHelper\n"                                            # 3
    "{\n"                                                                          # 4
    "    public const int MaxRetries = 3;\n"                                       # 5
    "    public const int WaitTime = 10000;\n"                                     # 6
    "    public static async Task RunAndRetryWithExceptionAsync<TException>(\n"   # 7
    "        Func<Task> func, string name, int maxRetries = MaxRetries, int waitTime = WaitTime)\n"  # 8
    "        where TException : Exception\n"                                       # 9
    "    {\n"                                                                      # 10
    "        int tries = 0;\n"                                                     # 11
    "        while (true)\n"                                                       # 12: retry 3 (rule a)
    "        {\n"                                                                  # 13
    "            try { await func(); return; }\n"                                  # 14
    "            catch (TException)\n"                                             # 15
    "            {\n"                                                              # 16
    "                if (++tries < maxRetries) { await Task.Delay(waitTime); }\n"  # 17
    "                else { throw; }\n"                                            # 18
    "            }\n"                                                              # 19
    "        }\n"                                                                  # 20
    "    }\n"                                                                      # 21
    "    public static async Task<TReturn> RunAndRetryWithValueAsync<TReturn>(\n"  # 22
    "        Func<Task<TReturn>> func, TReturn retryValue, int maxRetries = MaxRetries)\n"  # 23
    "        where TReturn : struct, Enum\n"                                       # 24
    "    {\n"                                                                      # 25
    "        int tries = 0;\n"                                                     # 26
    "        while (true)\n"                                                       # 27: retry 3 (rule a)
    "        {\n"                                                                  # 28
    "            TReturn returnValue = await func();\n"                            # 29
    "            if (!returnValue.Equals(retryValue))\n"                           # 30
    "            {\n"                                                              # 31
    "                return returnValue;\n"                                        # 32
    "            }\n"                                                              # 33
    "            if (++tries < maxRetries)\n"                                      # 34
    "            {\n"                                                              # 35
    "                await Task.Delay(1000);\n"                                    # 36
    "            }\n"                                                              # 37
    "            else\n"                                                           # 38
    "            {\n"                                                              # 39
    "                return retryValue;\n"                                         # 40
    "            }\n"                                                              # 41
    "        }\n"                                                                  # 42
    "    }\n"                                                                      # 43
    "}\n"                                                                          # 44
)

CALLS = (
    "using System.Net.Http;\n"                                                     # 1
    "using System.Threading.Tasks;\n"                                              # 2
    "public class Update\n"                                                        # 3
    "{\n"                                                                          # 4
    "    private const int RetryWaitTime = 30000;\n"                               # 5
    "    public async Task Go(HttpClient c)\n"                                     # 6
    "    {\n"                                                                      # 7
    "        await RetryHelper.RunAndRetryWithExceptionAsync<HttpRequestException>(\n"  # 8: retry 3 (rule b)
    "            async () => { await c.GetAsync(\"http://pkg/x\"); },\n"           # 9
    "            \"x\",\n"                                                         # 10
    "            waitTime: RetryWaitTime);\n"                                      # 11
    "        await RetryHelper.RunAndRetryWithExceptionAsync<HttpRequestException>(async () => { await c.GetAsync(\"http://pkg/y\"); }, \"y\", 5);\n"  # 12: retry 5 (rule c)
    "        // ok: the word retry in a comment, RunAndRetryWithExceptionAsync named in a string below\n"  # 13
    "        var note = \"RunAndRetryWithExceptionAsync(3)\";\n"                    # 14
    "    }\n"                                                                      # 15
    "}\n"                                                                          # 16
)

LOOPS = (
    "using System;\n"                                                              # 1
    "using System.Threading.Tasks;\n"                                              # 2
    "public class Refresher\n"                                                     # 3
    "{\n"                                                                          # 4
    "    private async Task<bool> RunWithRetryAsync(Func<Task<bool>> func)\n"      # 5
    "    {\n"                                                                      # 6
    "        const int maxRetries = 3;\n"                                          # 7
    "        int tries = 0;\n"                                                     # 8
    "        while (true)\n"                                                       # 9: retry 3
    "        {\n"                                                                  # 10
    "            bool ok = await func();\n"                                        # 11
    "            if (ok) { return ok; }\n"                                         # 12
    "            if (++tries < maxRetries) { await Task.Delay(10000); }\n"         # 13
    "            else { return ok; }\n"                                            # 14
    "        }\n"                                                                  # 15
    "    }\n"                                                                      # 16
    "    private async Task<string> Ask(Func<Task<string>> func)\n"                # 17
    "    {\n"                                                                      # 18
    "        var attempt = 0;\n"                                                   # 19
    "        while (true)\n"                                                       # 20: retry 5 (inverse form)
    "        {\n"                                                                  # 21
    "            var answer = await func();\n"                                     # 22
    "            if (answer != null) return answer;\n"                             # 23
    "            if (++attempt >= 5) return null;\n"                               # 24
    "            await Task.Delay(500);\n"                                         # 25
    "        }\n"                                                                  # 26
    "    }\n"                                                                      # 27
    "    private async Task<int> Pages(Func<int, Task<int>> fetch)\n"              # 28
    "    {\n"                                                                      # 29
    "        int page = 0;\n"                                                      # 30
    "        while (true)\n"                                                       # 31: ok: walks pages
    "        {\n"                                                                  # 32
    "            var n = await fetch(page);\n"                                     # 33
    "            if (n == 0) return page;\n"                                       # 34
    "            if (++page < 10) { await Task.Delay(100); }\n"                    # 35
    "            else { return page; }\n"                                          # 36
    "        }\n"                                                                  # 37
    "    }\n"                                                                      # 38
    "}\n"                                                                          # 39
)


def test_constant_default_published_and_tail_guarded_loops(tmp_path: Path) -> None:
    got = _contracts(tmp_path, {"RetryHelper.cs": HELPER, "Update.cs": CALLS, "Refresher.cs": LOOPS})
    assert ("RetryHelper.cs", 12, "retry", 3) in got
    assert ("RetryHelper.cs", 27, "retry", 3) in got
    assert ("Update.cs", 8, "retry", 3) in got
    assert ("Update.cs", 12, "retry", 5) in got
    assert ("Refresher.cs", 9, "retry", 3) in got
    assert ("Refresher.cs", 20, "retry", 5) in got
    # traps: a paging loop of the same shape, a comment, a string
    assert not [g for g in got if g[0] == "Refresher.cs" and g[1] == 31]
    assert not [g for g in got if g[0] == "Update.cs" and g[1] in (13, 14)]


# --- round 13, dotnet-monitor / crank / cliptok / CecoChat -------------------------------------------------

MONITOR = (
    "using System;\n"                                                              # 1
    "using System.Diagnostics;\n"                                                  # 2
    "using System.Threading;\n"                                                    # 3
    "using System.Threading.Tasks;\n"                                              # 4
    "public class ProcessInfoImpl\n"                                               # 5
    "{\n"                                                                          # 6
    "    public static readonly TimeSpan ExtendedProcessInfoTimeout = TimeSpan.FromMilliseconds(1000);\n"  # 7
    "    private static readonly TimeSpan AttachTimeout = TimeSpan.FromSeconds(10);\n"  # 8
    "    private static readonly TimeSpan WaitForExitTimeout = TimeSpan.FromSeconds(2);\n"  # 9
    "    public static async Task<string> FromEndpointAsync(Client c, TimeSpan? timeout = null)\n"  # 10
    "    {\n"                                                                      # 11
    "        using CancellationTokenSource source = new CancellationTokenSource(timeout ?? ExtendedProcessInfoTimeout);\n"  # 12: 1000
    "        return await c.GetInfoAsync(source.Token);\n"                         # 13
    "    }\n"                                                                      # 14
    "    public static async Task<string> Fetch(HttpClient c, TimeSpan? timeout = null)\n"  # 15
    "    {\n"                                                                      # 16
    "        if (timeout == null)\n"                                               # 17
    "        {\n"                                                                  # 18
    "            timeout = TimeSpan.FromSeconds(7);\n"                             # 19
    "        }\n"                                                                  # 20
    "        using var cts = new CancellationTokenSource(timeout.Value);\n"        # 21: 7000
    "        return await c.GetStringAsync(\"http://info/x\", cts.Token);\n"        # 22
    "    }\n"                                                                      # 23
    "    public async Task Attach(DiagnosticsClient client, Guid clsid, string path, CancellationToken ct)\n"  # 24
    "    {\n"                                                                      # 25
    "        await client.AttachProfilerAsync(\n"                                  # 26: 10000
    "            AttachTimeout,\n"                                                 # 27
    "            clsid, path, Array.Empty<byte>(), ct);\n"                         # 28
    "    }\n"                                                                      # 29
    "    public async Task Stop(Process p, Rule rule, CancellationToken token)\n"  # 30
    "    {\n"                                                                      # 31
    "        using var timeoutSource = new CancellationTokenSource();\n"           # 32
    "        timeoutSource.CancelAfter(WaitForExitTimeout);\n"                     # 33: ok: a process exit
    "        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeoutSource.Token);\n"  # 34
    "        await p.WaitForExitAsync(linked.Token);\n"                            # 35
    "        using var durationSource = new CancellationTokenSource();\n"          # 36
    "        durationSource.CancelAfter(rule.RuleDuration.Value);\n"               # 37: ok: a run length
    "        await rule.RunAsync(durationSource.Token);\n"                         # 38
    "        var project = await XDocument.LoadAsync(projectFileStream, LoadOptions.None, new CancellationTokenSource(3000).Token);\n"  # 39: ok: a local file
    "        var deadline = DateTime.UtcNow.AddSeconds(5);\n"                      # 40
    "        while (!p.HasExited && DateTime.UtcNow < deadline)\n"                 # 41: ok: a process exit
    "        {\n"                                                                  # 42
    "            await Task.Delay(200);\n"                                         # 43
    "        }\n"                                                                  # 44
    "        await member.TimeoutAsync(mute.ExpireTime + TimeSpan.FromSeconds(10), \"muted\");\n"  # 45: ok: a moment (Discord mute)
    "        await Task.Delay(WaitForExitTimeout); Regex.IsMatch(path, \"^a$\", RegexOptions.None, WaitForExitTimeout);\n"  # 46: ok: a pause, a regex
    "    }\n"                                                                      # 47
    "}\n"                                                                          # 48
)


def test_positional_timeout_fallbacks_and_local_waits(tmp_path: Path) -> None:
    got = _contracts(tmp_path, {"ProcessInfoImpl.cs": MONITOR})
    assert ("ProcessInfoImpl.cs", 12, "timeout", 1000) in got
    assert ("ProcessInfoImpl.cs", 21, "timeout", 7000) in got
    assert ("ProcessInfoImpl.cs", 26, "timeout", 10000) in got
    for line in (27, 33, 37, 39, 41, 45, 46):
        assert not [g for g in got if g[1] == line], (line, got)


DO_WHILE = (
    "using System.Net.Http;\n"                                                     # 1
    "using System.Threading.Tasks;\n"                                              # 2
    "public class Sender\n"                                                        # 3
    "{\n"                                                                          # 4
    "    public async Task<HttpResponseMessage> Send(HttpClient client)\n"         # 5
    "    {\n"                                                                      # 6
    "        HttpResponseMessage response;\n"                                      # 7
    "        var retries = 0;\n"                                                   # 8
    "        do\n"                                                                 # 9: retry 3
    "        {\n"                                                                  # 10
    "            response = await client.GetAsync(\"http://orders/x\");\n"        # 11
    "            retries++;\n"                                                     # 12
    "        }\n"                                                                  # 13
    "        while (!response.IsSuccessStatusCode && retries < 3);\n"              # 14
    "        return response;\n"                                                   # 15
    "    }\n"                                                                      # 16
    "    public async Task<int> Pages(HttpClient client)\n"                        # 17
    "    {\n"                                                                      # 18
    "        var page = 0; string next;\n"                                         # 19
    "        do\n"                                                                 # 20: ok: paging
    "        {\n"                                                                  # 21
    "            next = await client.GetStringAsync(\"http://orders/page\");\n"    # 22
    "            page++;\n"                                                        # 23
    "        }\n"                                                                  # 24
    "        while (next != null && page < 10);\n"                                 # 25
    "        var retry = 0;\n"                                                     # 26: ok: a variable named retry
    "        do { retry++; } while (retry < 3 && !Done());\n"                      # 27: ok: no call but a check
    "        return page;\n"                                                       # 28
    "    }\n"                                                                      # 29
    "}\n"                                                                          # 30
)


def test_do_while_retry_on_outcome(tmp_path: Path) -> None:
    got = _contracts(tmp_path, {"Sender.cs": DO_WHILE})
    assert ("Sender.cs", 9, "retry", 3) in got
    assert not [g for g in got if g[1] in (20, 26, 27)], got


BROWSER = (
    "using System;\n"                                                              # 1
    "using System.Net.Http;\n"                                                     # 2
    "using System.Threading.Tasks;\n"                                              # 3
    "public sealed class WebBrowser\n"                                             # 4
    "{\n"                                                                          # 5
    "    public const byte MaxTries = 5;\n"                                        # 6
    "    private readonly HttpClient _client = new();\n"                           # 7
    "    public async Task<HttpResponseMessage?> UrlGet(Uri request, byte maxTries = MaxTries)\n"  # 8
    "    {\n"                                                                      # 9
    "        ArgumentOutOfRangeException.ThrowIfZero(maxTries);\n"                 # 10
    "        for (byte i = 0; i < maxTries; i++)\n"                                # 11: retry 5 (rule a)
    "        {\n"                                                                  # 12
    "            var response = await Send(request);\n"                            # 13
    "            if (response == null) continue;\n"                                # 14
    "            return response;\n"                                               # 15
    "        }\n"                                                                  # 16
    "        Console.WriteLine(Strings.FormatErrorRequestFailedTooManyTimes(maxTries));\n"  # 17: ok: a message
    "        return null;\n"                                                       # 18
    "    }\n"                                                                      # 19
    "    private async Task<HttpResponseMessage?> Send(Uri request)\n"             # 20
    "    {\n"                                                                      # 21
    "        try { return await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, request)); }\n"  # 22
    "        catch (HttpRequestException) { return null; }\n"                      # 23
    "    }\n"                                                                      # 24
    "}\n"                                                                          # 25
)

BROWSER_CALLS = (
    "using System;\n"                                                              # 1
    "using System.Threading.Tasks;\n"                                              # 2
    "public class Store\n"                                                         # 3
    "{\n"                                                                          # 4
    "    private readonly WebBrowser _web = new();\n"                              # 5
    "    public async Task Check(Uri uri)\n"                                       # 6
    "    {\n"                                                                      # 7
    "        await _web.UrlGet(uri);\n"                                           # 8: retry 5 (rule b)
    "        await _web.UrlGet(uri, 2);\n"                                        # 9: retry 2 (rule c)
    "    }\n"                                                                      # 10
    "}\n"                                                                          # 11
)


def test_result_loop_bound_by_constant_default_is_published(tmp_path: Path) -> None:
    got = _contracts(tmp_path, {"WebBrowser.cs": BROWSER, "Store.cs": BROWSER_CALLS})
    assert ("WebBrowser.cs", 11, "retry", 5) in got
    assert ("Store.cs", 8, "retry", 5) in got
    assert ("Store.cs", 9, "retry", 2) in got
    assert not [g for g in got if g[0] == "WebBrowser.cs" and g[1] in (10, 17)], got


QUEUES = (
    "using System;\n"                                                              # 1
    "using System.Threading.Tasks;\n"                                              # 2
    "public class Storage\n"                                                       # 3
    "{\n"                                                                          # 4
    "    private async Task<T> UseAsync<T>(Func<FtpClient, Task<T>> useAsync)\n"   # 5
    "    {\n"                                                                      # 6
    "        var ftpClient = await _pool.RentAsync();\n"                           # 7
    "        try\n"                                                                # 8
    "        {\n"                                                                  # 9
    "            return await useAsync(ftpClient);\n"                              # 10
    "        }\n"                                                                  # 11
    "        catch (FtpException)\n"                                               # 12
    "        {\n"                                                                  # 13
    "            var newFtpClient = await _pool.ReplaceAsync(ftpClient);\n"        # 14
    "            return await useAsync(newFtpClient);\n"                           # 15: retry 2
    "        }\n"                                                                  # 16
    "    }\n"                                                                      # 17
    "    private async Task<T> Other<T>(Func<FtpClient, Task<T>> useAsync)\n"      # 18
    "    {\n"                                                                      # 19
    "        try { return await useAsync(_primary); }\n"                           # 20
    "        catch (FtpException) { return await useAsync(_backup); }\n"           # 21: ok: another server
    "    }\n"                                                                      # 22
    "    public async Task<Item?> Dequeue()\n"                                     # 23
    "    {\n"                                                                      # 24
    "        var evt = await _repo.GetNextAsync();\n"                              # 25
    "        if (evt.AttemptCount >= 10)\n"                                        # 26: retry 10
    "        {\n"                                                                  # 27
    "            await _repo.DeleteAsync(evt.Id);\n"                               # 28
    "            return null;\n"                                                   # 29
    "        }\n"                                                                  # 30
    "        if (user.LoginAttemptCount >= 5)\n"                                   # 31: ok: a lockout, nothing dequeued
    "        {\n"                                                                  # 32
    "            await _users.LockAsync(user);\n"                                  # 33
    "        }\n"                                                                  # 34
    "        await _repo.IncrementAttemptCountAsync(evt.Id);\n"                    # 35
    "        return evt;\n"                                                        # 36
    "    }\n"                                                                      # 37
    "}\n"                                                                          # 38
)


def test_fresh_client_retry_and_queue_give_up(tmp_path: Path) -> None:
    got = _contracts(tmp_path, {"Storage.cs": QUEUES})
    assert ("Storage.cs", 15, "retry", 2) in got
    assert ("Storage.cs", 26, "retry", 10) in got
    assert not [g for g in got if g[1] in (21, 31, 35)], got


RACES = (
    "using System;\n"                                                              # 1
    "using System.Threading.Tasks;\n"                                              # 2
    "public class Runner\n"                                                        # 3
    "{\n"                                                                          # 4
    "    public async Task Stop(TaskCompletionSource<bool> processLifetimeTask, Task<string> call)\n"  # 5
    "    {\n"                                                                      # 6
    "        await Task.WhenAny(processLifetimeTask.Task, Task.Delay(TimeSpan.FromSeconds(5)));\n"  # 7: ok: a process ending
    "        if (await Task.WhenAny(call, Task.Delay(3000)) != call) throw new TimeoutException();\n"  # 8: timeout 3000
    "    }\n"                                                                      # 9
    "}\n"                                                                          # 10
)


def test_race_with_a_process_lifetime_is_no_timeout(tmp_path: Path) -> None:
    got = _contracts(tmp_path, {"Runner.cs": RACES})
    assert ("Runner.cs", 8, "timeout", 3000) in got
    assert not [g for g in got if g[1] == 7], got


STOPS = (
    "using System;\n"                                                              # 1
    "using System.Threading;\n"                                                    # 2
    "using System.Threading.Tasks;\n"                                              # 3
    "public sealed class CaptureOperation : IOperation\n"                          # 4
    "{\n"                                                                          # 5
    "    public async Task Run(CancellationToken token)\n"                         # 6
    "    {\n"                                                                      # 7
    "        using CancellationTokenSource stop = new(TimeSpan.FromSeconds(30));\n"  # 8: timeout 30000 (its own StopAsync sends)
    "        await StopAsync(stop.Token);\n"                                       # 9
    "    }\n"                                                                      # 10
    "    public async Task StopAsync(CancellationToken token) => await _channel.SendMessage(\"stop\", token);\n"  # 11
    "}\n"                                                                          # 12
    "public class Reconnector : PeriodicRunner\n"                                  # 13
    "{\n"                                                                          # 14
    "    public async Task Finish()\n"                                             # 15
    "    {\n"                                                                      # 16
    "        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));\n"  # 17: ok: the runner's own stop
    "        await StopAsync(cts.Token);\n"                                        # 18
    "    }\n"                                                                      # 19
    "}\n"                                                                          # 20
)


def test_own_stop_async_versus_inherited_runner_stop(tmp_path: Path) -> None:
    got = _contracts(tmp_path, {"Ops.cs": STOPS})
    assert ("Ops.cs", 8, "timeout", 30000) in got
    assert not [g for g in got if g[1] == 17], got
