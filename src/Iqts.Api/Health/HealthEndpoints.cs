using Dapper;
using Iqts.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iqts.Api.Health;

public sealed record HealthResponse(string Status);

public static class HealthEndpoints
{
    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and the database answers too.</summary>
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

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Ready(IDbConnectionFactory db, ILoggerFactory logs, CancellationToken ct)
    {
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: ct));
            return TypedResults.Ok(new HealthResponse("ready"));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            logs.CreateLogger("Iqts.Api.Health").LogWarning(ex, "Readiness check failed: the database did not answer");
            return TypedResults.Json(new HealthResponse("unavailable"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
