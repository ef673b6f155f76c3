using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Iqts.Api.Data;

/// <summary>
/// One connection and one transaction for the length of a use case. A write unit is opened through the writers' queue
/// (<see cref="IDbConnectionFactory.OpenForWriteAsync"/>) and takes the engine's write lock at once; a read unit takes
/// one consistent snapshot and never the write lock, so a read does not wait for writers nor hold them up. Disposed
/// without <see cref="CommitAsync"/>, nothing it wrote is kept.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private UnitOfWork(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public SqlDialect Dialect { get; }

    /// <summary>
    /// A write: on SQLite <c>BEGIN IMMEDIATE</c> after this process's writers' queue (ADR 0007); on PostgreSQL READ
    /// COMMITTED, writers queueing on the rows they lock.
    /// </summary>
    public static async Task<UnitOfWork> BeginWriteAsync(IDbConnectionFactory db, CancellationToken ct)
    {
        var connection = await db.OpenForWriteAsync(ct);
        try
        {
            return new UnitOfWork(connection, await connection.BeginTransactionAsync(ct), db.Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A read of several statements from one snapshot. SQLite: a deferred transaction, which in WAL mode reads one
    /// snapshot and takes no lock that a writer waits for (Microsoft.Data.Sqlite would otherwise begin IMMEDIATE, the
    /// writers' lock, for any isolation level asked). PostgreSQL: REPEATABLE READ READ ONLY, one snapshot for every
    /// statement.
    /// </summary>
    public static async Task<UnitOfWork> BeginReadAsync(IDbConnectionFactory db, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        try
        {
            DbTransaction transaction;
            if (connection is SqliteConnection sqlite)
            {
                transaction = sqlite.BeginTransaction(deferred: true);
            }
            else
            {
                transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
                await connection.ExecuteAsync(new CommandDefinition("SET TRANSACTION READ ONLY", transaction: transaction, cancellationToken: ct));
            }

            return new UnitOfWork(connection, transaction, db.Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task CommitAsync(CancellationToken ct) => Transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
