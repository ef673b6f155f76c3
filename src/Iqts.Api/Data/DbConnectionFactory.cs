using System.Data.Common;
using System.Diagnostics;
using Iqts.Api.Telemetry;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Iqts.Api.Data;

/// <summary>The seam between repositories and the engine: an open connection and the engine's SQL dialect.</summary>
public interface IDbConnectionFactory
{
    SqlDialect Dialect { get; }

    /// <summary>A connection to read with (and for a write the engine queues itself).</summary>
    Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// A connection to write with: open it for each write transaction and dispose it when the transaction is done. On
    /// SQLite, which has one writer at a time, writers of this process queue for it here, in order, instead of polling
    /// the database's lock; PostgreSQL queues writers on its own row locks.
    /// </summary>
    Task<DbConnection> OpenForWriteAsync(CancellationToken ct);
}

public sealed class SqliteConnectionFactory : IDbConnectionFactory, IDisposable
{
    private readonly string _connectionString;

    /// <summary>The single writer's turn.</summary>
    private readonly WritersGate _writer = new(1);

    public SqliteConnectionFactory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy database until the command timeout runs out.
            DefaultTimeout = 30,
        };
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        _connectionString = builder.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // WAL lets readers run beside the single writer; the setting persists in the file.
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
    }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public Task<DbConnection> OpenAsync(CancellationToken ct) => OpenAsync(new SqliteConnection(_connectionString), ct);

    public Task<DbConnection> OpenForWriteAsync(CancellationToken ct) => _writer.OpenAsync(OpenAsync, ct);

    private static async Task<DbConnection> OpenAsync(SqliteConnection connection, CancellationToken ct)
    {
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        // Writers of another process (the CLI, a second instance) still meet at SQLite's lock: its busy handler waits
        // for them in fine steps (Microsoft.Data.Sqlite's own retry sleeps in coarse ones).
        command.CommandText = "PRAGMA busy_timeout = 10000;";
        await command.ExecuteNonQueryAsync(ct);
        return connection;
    }

    public void Dispose() => _writer.Dispose();
}

/// <summary>
/// Pooled connections from one Npgsql data source, disposed with the app. Write transactions of this process take turns
/// through a FIFO gate of <paramref name="writers"/> places (0: no gate): a writer beyond what the machine can run at
/// once only adds its locks and its share of the cores to every other writer's wait (ADR 0007).
/// </summary>
public sealed class PostgresConnectionFactory(NpgsqlDataSource dataSource, int writers = 0, bool plansOnce = false) : IDbConnectionFactory, IAsyncDisposable
{
    private readonly WritersGate? _writers = writers > 0 ? new WritersGate(writers) : null;

    /// <summary>
    /// The data source, with statements prepared automatically and no session reset unless the connection string says
    /// otherwise: the API sends the same few statements over and over, and prepared, PostgreSQL parses and plans each once
    /// per connection (measured, issue 23: a single writer's <c>POST /trainees</c> up to twice as fast, 16 writers' PATCH
    /// 30% more per second). With <paramref name="planOnce"/> (<c>Database:PlanOnce</c>) it also plans each of them once,
    /// not again at every execution.
    /// </summary>
    public static PostgresConnectionFactory Create(string connectionString, int writers = 0, bool planOnce = true)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            // Npgsql otherwise resets a pooled connection's session (seven statements) before its next command, on every
            // request; the API leaves no session state behind (no SET, no temporary tables, advisory locks released, the
            // token listener's connection unlistened), so the reset guards nothing (measured: +20-36% GET /trainees/{id}).
            builder.NoResetOnClose = true;
        }

        var source = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        if (planOnce)
        {
            // A prepared statement is planned once, not at every execution: PostgreSQL's default plans anew each time a
            // generic plan looks dearer, which a range over parameters always does (the settling of change numbers);
            // binding, where it plans, was a third of the statement time its log gave a POST /trainees. The writes and
            // the one-statement reads find their rows by key or by a range of an index, so the generic plan is the plan
            // (measured, issue 23: POST /trainees at 16 writers 725 to 924 a second, p99 44 to 37 ms). Set once per
            // physical connection, not as a startup option, which PgBouncer refuses by default. Snapshots (the reports'
            // aggregates) plan with their values: SnapshotStatements.
            source.UsePhysicalConnectionInitializer(
                connection =>
                {
                    using var command = new NpgsqlCommand(PlanOnceStatement, connection);
                    command.ExecuteNonQuery();
                },
                async connection =>
                {
                    await using var command = new NpgsqlCommand(PlanOnceStatement, connection);
                    await command.ExecuteNonQueryAsync();
                });
        }

        return new PostgresConnectionFactory(source.Build(), writers, planOnce);
    }

    private const string PlanOnceStatement = "SET plan_cache_mode = force_generic_plan";

    public SqlDialect Dialect => SqlDialect.Postgres;

    /// <summary>What a snapshot of any PostgreSQL connection sends after its <c>BEGIN</c>.</summary>
    public const string ReadOnly = "SET TRANSACTION READ ONLY";

    /// <summary>
    /// What a snapshot (<see cref="UnitOfWork.BeginSnapshotAsync"/>) sends after its <c>BEGIN</c>: read only, and where
    /// the connection plans each statement once (<c>plansOnce</c>), planned with its values again. A snapshot holds the multi-statement
    /// reads (the reports, the evidence), whose aggregates were up to twice as slow on a generic plan (the annual report's
    /// p50 2.7 against 5.4 ms, bench/reports.sh).
    /// </summary>
    public string SnapshotStatements => plansOnce ? $"{ReadOnly}; SET LOCAL plan_cache_mode = auto" : ReadOnly;

    public async Task<DbConnection> OpenAsync(CancellationToken ct) => await dataSource.OpenConnectionAsync(ct);

    public Task<DbConnection> OpenForWriteAsync(CancellationToken ct) => _writers is null ? OpenAsync(ct) : _writers.OpenAsync(OpenAsync, ct);

    public ValueTask DisposeAsync()
    {
        _writers?.Dispose();
        return dataSource.DisposeAsync();
    }
}

/// <summary>
/// Writers' turns (ADR 0007): at most so many write connections open at once, the others waiting in the order they asked
/// (SemaphoreSlim keeps a FIFO queue of waiters). A place is handed on when its connection stops being open (closed,
/// disposed or broken), watched through <c>StateChange</c>, which both drivers raise (<c>NpgsqlConnection</c> is sealed).
/// </summary>
public sealed class WritersGate(int places) : IDisposable
{
    private readonly SemaphoreSlim _places = new(places, places);

    /// <summary>A connection from <paramref name="open"/>, once a place is free; the wait is measured (<c>iqts.writer_gate.wait</c>).</summary>
    public async Task<DbConnection> OpenAsync(Func<CancellationToken, Task<DbConnection>> open, CancellationToken ct)
    {
        var waiting = Stopwatch.GetTimestamp();
        await _places.WaitAsync(ct);
        IqtsTelemetry.WriterGateWait.Record(Stopwatch.GetElapsedTime(waiting).TotalSeconds);
        try
        {
            var connection = await open(ct);
            var released = 0;
            connection.StateChange += (_, change) =>
            {
                if (change.CurrentState != System.Data.ConnectionState.Open && Interlocked.Exchange(ref released, 1) == 0)
                {
                    _places.Release();
                }
            };
            return connection;
        }
        catch
        {
            _places.Release();
            throw;
        }
    }

    public void Dispose() => _places.Dispose();
}
