using Dapper;
using Iqts.Api.Trainees;

namespace Iqts.Api.Benchmark;

/// <summary>
/// The benchmark's yardstick: the same trainee row read with Dapper and written as JSON, with no
/// authentication, authorisation, rate limiting or ETag. Mapped only when
/// <c>Benchmark:BaselineEndpoint</c> is true (bench/run.sh sets it); never part of the contract.
/// </summary>
public static class BaselineEndpoint
{
    public static void MapBaseline(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Benchmark:BaselineEndpoint"))
        {
            return;
        }

        app.MapGet("/bench/baseline/{id:guid}", async (Guid id, IDbConnectionFactory db, CancellationToken ct) =>
        {
            // The API's own read path (its unit of work and command), so the ratio measures the pipeline, not the data access.
            await using var work = await UnitOfWork.OpenReadAsync(db, ct);
            var row = await work.Connection.QuerySingleOrDefaultAsync<TraineeRow>(work.Command(
                $"SELECT {TraineeRow.Columns.Select()} FROM trainees WHERE id = @id", new { id }, ct));
            return row is null ? Results.NotFound() : Results.Ok(new TraineeResponse(row.ToTrainee()));
        }).AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
    }
}
