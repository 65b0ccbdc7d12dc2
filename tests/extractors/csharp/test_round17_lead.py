"""Round 17 (lead, csharp): a health check registered with a TimeSpan given positionally is cut after
that span (HealthCheckRegistration.Timeout): a timeout at the called name. A registration without a
span, a TimeSpan handed to something that is no health check, and a named ``timeout:`` (read once, by
named_arguments) are not reported twice or at all."""

from __future__ import annotations

from .support import contracts

SETUP = """using System;
using Microsoft.Extensions.Diagnostics.HealthChecks;
public static class Setup
{
    public static IServiceCollection AddPersistence(this IServiceCollection services, IHealthChecksBuilder healthCheckBuilder)
    {
        healthCheckBuilder.AddCheck<DbCheck>("Database", HealthStatus.Unhealthy, Array.Empty<string>(), TimeSpan.FromSeconds(10));
        healthCheckBuilder
            .AddAzureKeyVault(UriFactory, credentials, SetupChecks, "Key-Vault", HealthStatus.Unhealthy, [], TimeSpan.FromSeconds(30));
        healthCheckBuilder.AddCheck<OtherCheck>("Other");
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), timeout: TimeSpan.FromSeconds(3));
        services.AddSingleton(TimeSpan.FromSeconds(5));
        cache.Add("timeout", TimeSpan.FromSeconds(7));
        // healthCheckBuilder.AddCheck<X>("x", HealthStatus.Unhealthy, [], TimeSpan.FromSeconds(9));
        return services;
    }
}
"""


def test_health_check_registrations_with_a_positional_span(tmp_path) -> None:
    found = [(line, value) for name, line, kind, value in contracts(tmp_path, {"Setup.cs": SETUP}) if kind == "timeout"]
    assert sorted(found) == [(7, 10000), (9, 30000), (11, 3000)]
