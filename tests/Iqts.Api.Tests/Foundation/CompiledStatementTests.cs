using Dapper;
using Iqts.Api.Data;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// A write a unit of work runs again (<see cref="UnitOfWork.ExecuteAsync"/>): on SQLite its statement is compiled once
/// and its parameters bound without Dapper, so each value must be stored exactly as Dapper stores it (uuids, dates and
/// timestamps as fixed-format text, enums as numbers), and every run must bind its own values.
/// </summary>
public sealed class CompiledStatementTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Insert = "INSERT INTO stored (n, a, b, c, d, e, f, g, h, i) VALUES (@N, @A, @B, @C, @D, @E, @F, @G, @H, @I)";

    private sealed record Row(int N, Guid A, Guid? B, DateOnly C, DateTimeOffset D, string E, string? F, long G, bool H, TraineeStatus I);

    [Fact]
    public async Task A_statement_run_again_stores_every_value_as_Dapper_does_and_binds_each_run_its_own()
    {
        var ct = CancellationToken.None;
        var id = Guid.CreateVersion7();
        // An hour east of UTC and to the microsecond: stored in UTC, six places, as every timestamp is.
        var at = new DateTimeOffset(2026, 12, 5, 9, 30, 15, TimeSpan.FromHours(1)).AddTicks(1_234_560);
        Row First(int n) => new(n, id, null, new DateOnly(1990, 2, 28), at, "Zoë", null, 1L << 40, true, TraineeStatus.Withdrawn);
        Row Second(int n) => new(n, Guid.CreateVersion7(), id, new DateOnly(2001, 12, 31), at.AddDays(-3), "Ng", "Ō'Brien", -7, false, TraineeStatus.Registered);

        await using var work = await UnitOfWork.BeginWriteAsync(api.Db, ct);
        await work.Connection.ExecuteAsync(work.Command(
            "CREATE TEMP TABLE stored (n integer, a uuid, b uuid, c date, d timestamptz, e text, f text, g bigint, h boolean, i integer)", null, ct));
        var second = Second(0);
        foreach (var row in new[] { First(0), second with { N = 2 } })
        {
            await work.Connection.ExecuteAsync(work.Command(Insert, row, ct));
        }

        // Compiled at its first run, bound again at its second.
        Assert.Equal(1, await work.ExecuteAsync(Insert, First(1), ct));
        Assert.Equal(1, await work.ExecuteAsync(Insert, second with { N = 3 }, ct));

        var stored = (await work.Connection.QueryAsync(work.Command("SELECT * FROM stored ORDER BY n", null, ct)))
            .Cast<IDictionary<string, object?>>()
            .Select(r => r.Where(c => c.Key != "n").Select(c => c.Value).ToList())
            .ToList();
        Assert.Equal(4, stored.Count);
        Assert.Equal(stored[0], stored[1]);
        Assert.Equal(stored[2], stored[3]);
        Assert.NotEqual(stored[1], stored[3]);
    }
}
