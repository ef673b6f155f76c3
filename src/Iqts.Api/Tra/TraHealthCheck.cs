using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Tra;

/// <summary>
/// Says in <c>/health/ready</c> how the API reaches the TRA: pull-only (no <c>Tra:BaseUrl</c>), or pushing through the
/// outbox with how many messages wait and how many are parked. Never makes the API unready: the outbox keeps the
/// messages, and a parked one makes it degraded, for a person to look at.
/// </summary>
public sealed class TraHealthCheck(IOptions<TraOptions> options, IDbConnectionFactory db) : IHealthCheck
{
    public const string PullOnlyDescription = "pull-only: Tra:BaseUrl is not set, so nothing is sent to TRS; the TRA reads GET /api/v1/awards.";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.PullOnly)
        {
            return HealthCheckResult.Healthy(PullOnlyDescription);
        }

        var status = await db.ReadAsync(work => TraOutbox.StatusAsync(work, cancellationToken), cancellationToken);
        var text = $"push: {status.Pending} message(s) pending{(status.OldestPending is { } o ? $" (oldest from {o:O})" : "")}, {status.Failed} failed.";
        return status.Failed > 0 ? HealthCheckResult.Degraded(text) : HealthCheckResult.Healthy(text);
    }
}
