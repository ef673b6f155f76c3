using System.Data.Common;
using Dapper;
using Iqts.Api.Data;
using Iqts.Api.Tests.Infrastructure;
using Npgsql;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// The writers' gate of <see cref="IDbConnectionFactory.OpenForWriteAsync"/> (ADR 0007): SQLite has one place, PostgreSQL
/// <c>Database:Writers</c> (two here); a writer beyond them waits until a place is handed on, and a writer that gives up
/// waiting takes none. No test waits on the clock: the pool is warmed first, so an open the gate lets through completes
/// before <c>OpenForWriteAsync</c> returns (checked on a reader's open), and a task still running then is one the gate
/// holds.
/// </summary>
public sealed class WritersGateTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private IDbConnectionFactory _factory = null!;
    private int _places;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        (_factory, _places) = _database.Provider == "postgres"
            ? (new PostgresConnectionFactory(NpgsqlDataSource.Create(_database.ConnectionString), writers: 2), 2)
            : ((IDbConnectionFactory)new SqliteConnectionFactory(_database.ConnectionString), 1);
    }

    public async Task DisposeAsync()
    {
        switch (_factory)
        {
            case IAsyncDisposable disposable:
                await disposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        await _database.DisposeAsync();
    }

    /// <summary>Every place taken, from a pool warmed with spare connections (an open that is let through then completes at once).</summary>
    private async Task<List<DbConnection>> FillAsync()
    {
        var warm = new List<DbConnection>();
        for (var i = 0; i < _places + 2; i++)
        {
            warm.Add(await _factory.OpenAsync(CancellationToken.None));
        }

        foreach (var connection in warm)
        {
            await connection.DisposeAsync();
        }

        var open = new List<DbConnection>();
        for (var i = 0; i < _places; i++)
        {
            open.Add(await _factory.OpenForWriteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        }

        var reader = _factory.OpenAsync(CancellationToken.None);
        Assert.True(reader.IsCompleted, "an open from the warm pool completes at once, so a writer's open still running is held by the gate");
        await (await reader).DisposeAsync();
        return open;
    }

    [Fact]
    public async Task A_writer_beyond_the_places_waits_until_one_is_disposed()
    {
        var open = await FillAsync();
        var next = _factory.OpenForWriteAsync(CancellationToken.None);
        Assert.False(next.IsCompleted, "a writer beyond the places was let in");

        await open[0].DisposeAsync();
        await using var connection = await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT 1"));
        foreach (var other in open.Skip(1))
        {
            await other.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_connection_closed_without_being_disposed_hands_on_its_place()
    {
        var open = await FillAsync();
        var next = _factory.OpenForWriteAsync(CancellationToken.None);
        await open[0].CloseAsync();
        await using var connection = await next.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var other in open)
        {
            await other.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_writer_that_gives_up_waiting_takes_no_place()
    {
        var open = await FillAsync();
        using var giveUp = new CancellationTokenSource();
        var waiting = _factory.OpenForWriteAsync(giveUp.Token);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        await open[0].DisposeAsync();
        // The place the first writer handed on is free: the cancelled writer neither took it nor holds another.
        var connection = await _factory.OpenForWriteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var beyond = _factory.OpenForWriteAsync(CancellationToken.None);
        Assert.False(beyond.IsCompleted, "the gate let in more writers than it has places");
        await connection.DisposeAsync();
        foreach (var other in open.Skip(1))
        {
            await other.DisposeAsync();
        }

        await (await beyond.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
    }

    [Fact]
    public async Task Readers_do_not_wait_for_the_gate_nor_postgres_writers_without_a_limit()
    {
        var open = await FillAsync();
        await using (var reader = await _factory.OpenAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.Equal(1L, await reader.ExecuteScalarAsync<long>("SELECT 1"));
        }

        foreach (var connection in open)
        {
            await connection.DisposeAsync();
        }

        if (_database.Provider == "postgres")
        {
            await using var unlimited = new PostgresConnectionFactory(NpgsqlDataSource.Create(_database.ConnectionString), writers: 0);
            var writers = new List<DbConnection>();
            for (var i = 0; i < 5; i++)
            {
                writers.Add(await unlimited.OpenForWriteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
            }

            Assert.Equal(5, writers.Count(c => c.State == System.Data.ConnectionState.Open));
            foreach (var connection in writers)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
