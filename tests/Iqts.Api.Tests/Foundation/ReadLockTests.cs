using System.Data.Common;
using System.Net;
using Iqts.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// A read never takes the write lock (issue 17, ADR 0007's writers' queue): while another connection holds a write
/// transaction open on the database, the reads of several statements (the award check, both reports) answer from their
/// snapshot instead of queueing behind the writer. On SQLite a plain transaction is BEGIN IMMEDIATE, the writers' lock:
/// before the read unit of work these three waited out the 30 s busy timeout and answered 500.
/// </summary>
public sealed class ReadLockTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    /// <summary>Far below the 30 s a read queued behind the writer would wait, far above what an unqueued read takes.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Award_check_and_both_reports_answer_while_a_writer_holds_the_database()
    {
        var ukprn = await api.CreateProviderAsync();
        var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0].TraineeId;
        await api.PrepareForAwardAsync(ukprn, trainee);
        var provider = await api.ClientForAsync("provider", ukprn);
        var dfe = await api.ClientForAsync("dfe");
        // Warm both clients' tokens and the routes before the writer takes the lock.
        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/api/v1/trainees/{trainee}/award-check")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dfe.GetAsync("/api/v1/reports/monthly?month=2026-02")).StatusCode);

        await using var writer = await HoldWriteTransactionAsync(ukprn);
        using var patience = new CancellationTokenSource(Patience);
        var reads = new[]
        {
            provider.GetAsync($"/api/v1/trainees/{trainee}/award-check", patience.Token),
            dfe.GetAsync("/api/v1/reports/monthly?month=2026-02", patience.Token),
            dfe.GetAsync("/api/v1/reports/annual?academicYear=2025", patience.Token),
            provider.GetAsync("/api/v1/reports/monthly?month=2026-02", patience.Token),
        };
        foreach (var response in await Task.WhenAll(reads))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The writer was really holding its lock all along: it still commits what it wrote.
        await writer.CommitAsync();
    }

    /// <summary>Another connection in the middle of a write: the engine's write lock (SQLite) or the provider's rows locked (PostgreSQL).</summary>
    private async Task<HeldWrite> HoldWriteTransactionAsync(string ukprn)
    {
        DbConnection connection = api.Database.Provider == "sqlite"
            ? new SqliteConnection(api.Database.ConnectionString)
            : new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE change_counters SET value = value WHERE scope = 'trainees:' || @ukprn";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "ukprn";
        parameter.Value = ukprn;
        command.Parameters.Add(parameter);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        return new HeldWrite(connection, transaction);
    }

    private sealed class HeldWrite(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        public Task CommitAsync() => transaction.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
