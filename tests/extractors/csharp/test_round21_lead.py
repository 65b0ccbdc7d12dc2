"""Round 21 (lead, polyglot18): provider-side dedupe by a request key in C#, and a typed client's timeout in
`AddHttpClient<T>((sp, client) => ...)` with its BaseAddress."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from tests.extractors.csharp.support import CSPROJ

CONTROLLER = '''using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Distributed;

[ApiController]
[Route("v1/charges")]
public sealed class CaptureController : ControllerBase
{
    private readonly IDistributedCache _cache;

    [HttpPost]
    public async Task<IActionResult> Capture([FromHeader(Name = "Idempotency-Key")] string key, Req body)
    {
        var seen = await _cache.GetStringAsync($"capture:{key}");
        if (seen is not null)
        {
            return Ok(seen);
        }
        return Ok("new");
    }

    [HttpGet("{id}")]
    public IActionResult Trace([FromHeader(Name = "X-Request-ID")] string requestId, string id)
    {
        _logger.LogInformation("request {RequestId}", requestId);
        return Ok(id);
    }

    [HttpPut]
    public async Task<IActionResult> Price(string sku)
    {
        var v = await _cache.GetStringAsync(sku);
        if (v != null) { return Ok(v); }
        return Ok("none");
    }

    [HttpPatch]
    public async Task<IActionResult> Patch()
    {
        if (Request.Headers.TryGetValue("Idempotency-Key", out var token))
        {
            if (await _db.Payments.AnyAsync(p => p.Key == token.ToString())) { return Ok(); }
        }
        return Ok();
    }
}
'''

PROGRAM = '''var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHttpClient<AcquirerClient>((sp, client) =>
{
    client.BaseAddress = new Uri("http://acquirer:8443");
    client.Timeout = TimeSpan.FromMilliseconds(2500);
});
'''


def _scan(tmp_path: Path) -> list:
    (tmp_path / "App.csproj").write_text(CSPROJ)
    (tmp_path / "CaptureController.cs").write_text(CONTROLLER)
    (tmp_path / "Program.cs").write_text(PROGRAM)
    return scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache").findings


def test_from_header_key_looked_up_and_answered_is_a_dedupe(tmp_path):
    keys = sorted((f.line, f.attributes["key"], f.attributes["operation"], f.attributes["handler"])
                  for f in _scan(tmp_path) if f.kind == "idempotency_key")
    assert keys == [(11, "Idempotency-Key", "POST /v1/charges", "Capture"),
                    (39, "Idempotency-Key", "PATCH /v1/charges", "Patch")]


def test_typed_client_timeout_in_a_two_parameter_lambda_takes_the_base_address(tmp_path):
    timeouts = [(f.line, f.attributes["timeout_ms"], f.target.url if f.target else None)
                for f in _scan(tmp_path) if f.kind == "timeout"]
    assert (5, 2500, "http://acquirer:8443") in timeouts
