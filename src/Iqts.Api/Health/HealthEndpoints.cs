using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Iqts.Api.Health;

/// <summary>How the process stands.</summary>
/// <param name="Status">live, ready or unavailable.</param>
/// <param name="Details">For readiness: what each check found, e.g. <c>tra</c>: pull-only or push with the outbox's counts.</param>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, string>? Details = null);

/// <summary>The database answers a trivial query.</summary>
public sealed class DatabaseHealthCheck(IDbConnectionFactory db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The database did not answer.", ex);
        }
    }
}

public static class HealthEndpoints
{
    /// <summary>Checks that must pass for <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and every readiness check (the database) passes.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/health").WithTags("Health").AllowAnonymous().DisableRateLimiting();
        group.MapGet("/live", () => TypedResults.Ok(new HealthResponse("live")))
            .WithName("GetLiveness")
            .WithSummary("Liveness: the process is up");
        group.MapGet("/ready", Ready)
            .WithName("GetReadiness")
            .WithSummary("Readiness: the process is up and its database answers")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Ready(HealthCheckService health, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), ct);
        var details = report.Entries.Where(e => e.Value.Description is not null).ToDictionary(e => e.Key, e => e.Value.Description!);
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Json(new HealthResponse("unavailable", details), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new HealthResponse("ready", details));
    }
}
