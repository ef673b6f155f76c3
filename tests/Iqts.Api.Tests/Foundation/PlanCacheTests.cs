using Dapper;
using Iqts.Api.Data;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// PostgreSQL plans each prepared statement of the API once (<c>plan_cache_mode=force_generic_plan</c>, ADR 0007), except
/// in a snapshot, whose aggregates plan with their values; <c>Database:PlanOnce=false</c> leaves PostgreSQL's default.
/// One pooled connection throughout, so the snapshot's setting is seen to end with its transaction (connections are not
/// reset between uses).
/// </summary>
public sealed class PlanCacheTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static async Task<string> ModeAsync(UnitOfWork work) =>
        await work.Connection.ExecuteScalarAsync<string>(work.Command("SHOW plan_cache_mode", null, CancellationToken.None)) ?? "";

    private async Task<(string Read, string Snapshot, string WriteAfter)> ModesAsync(bool planOnce)
    {
        await using var factory = PostgresConnectionFactory.Create($"{_database.ConnectionString};Maximum Pool Size=1", planOnce: planOnce);
        string read, snapshot, after;
        await using (var work = await UnitOfWork.OpenReadAsync(factory, CancellationToken.None))
        {
            read = await ModeAsync(work);
        }

        await using (var work = await UnitOfWork.BeginSnapshotAsync(factory, CancellationToken.None))
        {
            snapshot = await ModeAsync(work);
        }

        await using (var work = await UnitOfWork.BeginWriteAsync(factory, CancellationToken.None))
        {
            after = await ModeAsync(work);
        }

        return (read, snapshot, after);
    }

    [PostgresFact]
    public async Task Statements_are_planned_once_but_in_a_snapshot()
    {
        Assert.Equal(("force_generic_plan", "auto", "force_generic_plan"), await ModesAsync(planOnce: true));
    }

    [PostgresFact]
    public async Task Turned_off_PostgreSQL_chooses_as_it_would()
    {
        Assert.Equal(("auto", "auto", "auto"), await ModesAsync(planOnce: false));
    }
}
