"""Round 18, second-wave fixes for the thor set (AIDotNet/Thor):

- goto re-dispatch loops bounded in the ``else`` of a give-up test after the count moved (``rateLimit++; if
  (rateLimit > 50) { .. } else { goto limitGoto; }``: 51 tries), or by a give-up ``return`` before the count moves
  (``if (count > 5) { ..; return; } count++; goto rateLimit;``: 7); of several catches, the general one bounds the
  loop; a count moved in the catch before ``if (tries < 3) goto again;`` is seen by the test (3 tries, not 4);
- a cache entry's lifetime timer (``new CancellationTokenSource(ttl)`` whose token only removes the entry) is no
  deadline, so a cache helper's TTL argument is no timeout."""

from __future__ import annotations

from .support import contracts as _contracts, marker_line as _line


GOTO = """public class ChatService
{
    public async Task ChatAsync(HttpContext context, Request request)
    {
        var rateLimit = 0;
        var model = request.Model;
        limitGoto: // chat
        try
        {
            await client.SendAsync(request);
        }
        catch (ThorRateLimitException)
        {
            rateLimit++;
            if (rateLimit > 10)
            {
                context.Response.StatusCode = 429;
            }
            else
            {
                request.Model = model;
                goto limitGoto;
            }
        }
        catch (Exception e)
        {
            rateLimit++;
            if (rateLimit > 50)
            {
                context.Response.StatusCode = 400;
            }
            else
            {
                request.Model = model;
                goto limitGoto;
            }
        }
    }

    public async Task EditAsync(HttpContext context)
    {
        int count = 0;
        rateLimit: // image
        try
        {
            await client.SendAsync(request);
        }
        catch (RateLimitException)
        {
            if (count > 5)
            {
                context.Response.StatusCode = 429;
                return;
            }
            count++;
            goto rateLimit;
        }
    }

    public async Task FetchAsync(HttpClient client, string url)
    {
        var tries = 0;
        again: // counted first
        try
        {
            await client.GetStringAsync(url);
        }
        catch (HttpRequestException)
        {
            tries++;
            if (tries < 3)
                goto again;
            throw;
        }
    }

    public void Walk(string s)
    {
        int i = 0;
        next: // ok: a goto over local data, no catch, no pause
        if (i < s.Length) { i++; goto next; }
    }
}
"""


def test_goto_redispatch_bounds_thor(tmp_path):
    found = _contracts(tmp_path, {"ChatService.cs": GOTO})
    name = "ChatService.cs"
    assert found == sorted([
        (name, _line(GOTO, "chat"), "retry", 51),  # the general catch's bound, not the rate-limit one (11)
        (name, _line(GOTO, "image"), "retry", 7),
        (name, _line(GOTO, "counted first"), "retry", 3),
    ], key=repr)


CACHE = """using Microsoft.Extensions.Caching.Memory;
public sealed class MemoryCache(IMemoryCache memoryCache) : IServiceCache
{
    public async ValueTask CreateAsync(string key, object value, TimeSpan? ttl = null)
    {
        if (ttl.HasValue)
        {
            memoryCache.Set(key, value, ttl.Value);
            var token = new CancellationTokenSource(ttl.Value); // ok: a timer that drops the entry
            token.Token.Register(() => memoryCache.Remove(key));
        }
        memoryCache.Set(key, value);
        await ValueTask.CompletedTask;
    }

    public async Task CallAsync(Socket socket, TimeSpan limit)
    {
        var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5)); // closes
        cts.Token.Register(() => socket.Close());
        await socket.ReceiveAsync(buffer);
    }
}
"""

CACHE_CALLER = """public class UserService(IServiceCache memoryCache)
{
    public async Task GetEmailCodeAsync(string email, string code)
    {
        await memoryCache.CreateAsync("email-" + email, code, TimeSpan.FromMinutes(5)); // ok: a cache TTL
    }
}
"""


def test_cache_ttl_timer_is_no_deadline_thor(tmp_path):
    found = _contracts(tmp_path, {"MemoryCache.cs": CACHE, "UserService.cs": CACHE_CALLER})
    assert found == [("MemoryCache.cs", _line(CACHE, "closes"), "timeout", 5000)]
