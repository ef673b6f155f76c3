using System.Data.Common;
using Dapper;

namespace Iqts.Api.Data;

/// <summary>
/// The few SQL fragments that differ between engines. Everything else is written once:
/// both engines accept @name parameters, RETURNING, ON CONFLICT … DO UPDATE and LIMIT.
/// A SQL Server dialect would be one more instance here plus a migrations folder.
/// </summary>
public sealed record SqlDialect(string Name, string ForUpdate, string SkipLocked)
{
    /// <summary>SQLite has one writer at a time: nothing to lock row by row, nothing to skip.</summary>
    public static readonly SqlDialect Sqlite = new("sqlite", ForUpdate: "", SkipLocked: "");

    /// <summary>PostgreSQL locks the rows a write reads; a worker's claim skips rows another worker is claiming.</summary>
    public static readonly SqlDialect Postgres = new("postgres", ForUpdate: " FOR UPDATE", SkipLocked: " FOR UPDATE SKIP LOCKED");

    private const long MigrationLockKey = 0x1A75_0001;

    /// <summary>
    /// <c>column</c> is one of the list <c>@parameter</c>: Dapper expands a list into <c>IN (@p1, @p2 …)</c> for SQLite, and
    /// passes it to Npgsql as one array, which only <c>= ANY(…)</c> takes.
    /// </summary>
    public string In(string column, string parameter) => this == Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>Ids for <see cref="In"/>: Dapper applies no type handler to a list's items, so SQLite gets them as the text it stores.</summary>
    public System.Collections.IEnumerable Ids(IEnumerable<Guid> ids) => this == Postgres ? ids.ToArray() : ids.Select(id => id.ToString("D")).ToArray();

    /// <summary>
    /// Serialises migrators across processes. PostgreSQL: a session advisory lock.
    /// SQLite: nothing here; each migration runs in BEGIN IMMEDIATE, which already serialises writers.
    /// </summary>
    public async Task<IAsyncDisposable> AcquireMigrationLockAsync(DbConnection connection, CancellationToken ct)
    {
        if (this != Postgres)
        {
            return NoLock.Instance;
        }

        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = MigrationLockKey }, cancellationToken: ct));
        return new AdvisoryLock(connection);
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class AdvisoryLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = MigrationLockKey });
    }
}
