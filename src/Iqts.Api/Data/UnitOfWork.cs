using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Iqts.Api.Data;

/// <summary>
/// One connection, and for a write or a snapshot one transaction, for the length of a use case (ADR 0008). An
/// operation begins it, passes it to the repositories it calls (which only read and write rows on it) and commits it;
/// several operations may share one and commit together. Disposed without <see cref="CommitAsync"/>, nothing it wrote
/// is kept.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private UnitOfWork(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
    }

    public DbConnection Connection { get; }

    /// <summary>Null for a read of one statement, which is its own snapshot.</summary>
    public DbTransaction? Transaction { get; }

    public SqlDialect Dialect { get; }

    /// <summary>
    /// A write that will be rolled back whatever happens (a batch's dry run): records no rule reads (history, events,
    /// outboxes) are left out (<c>TraineeChanges</c>).
    /// </summary>
    public bool Rehearsal { get; set; }

    /// <summary>The row lock a write takes on what it reads and changes (PostgreSQL; SQLite has one writer at a time).</summary>
    public string ForUpdate => Transaction is null ? "" : Dialect.ForUpdate;

    /// <summary>A Dapper command on this unit's connection and transaction.</summary>
    public CommandDefinition Command(string sql, object? parameters, CancellationToken ct) => new(sql, parameters, Transaction, cancellationToken: ct);

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
    /// A read of several statements from one snapshot, never the write lock. SQLite: a deferred transaction, which in
    /// WAL mode reads one snapshot and takes no lock that a writer waits for (Microsoft.Data.Sqlite would otherwise begin
    /// IMMEDIATE, the writers' lock, for any isolation level asked). PostgreSQL: REPEATABLE READ READ ONLY.
    /// </summary>
    public static async Task<UnitOfWork> BeginSnapshotAsync(IDbConnectionFactory db, CancellationToken ct)
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

    /// <summary>A read of one statement: a connection and no transaction (a statement is its own snapshot).</summary>
    public static async Task<UnitOfWork> OpenReadAsync(IDbConnectionFactory db, CancellationToken ct) => new(await db.OpenAsync(ct), null, db.Dialect);

    private List<Action>? _afterCommit;

    /// <summary>Something to do once this unit's writes are committed (a worker woken), never when they are not.</summary>
    public void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    /// <summary>
    /// Runs <paramref name="step"/> inside a savepoint of this write: kept when <paramref name="keep"/> says so, otherwise
    /// undone, so a batch's refused row leaves nothing the next rows could see.
    /// </summary>
    public async Task<T> InSavepointAsync<T>(Func<Task<T>> step, Func<T, bool> keep, CancellationToken ct)
    {
        const string name = "step";
        var transaction = Transaction ?? throw new InvalidOperationException("A savepoint needs a write.");
        var heldBefore = _counters?.Keys.ToHashSet(StringComparer.Ordinal) ?? [];
        await transaction.SaveAsync(name, ct);
        var result = await step();
        if (!keep(result))
        {
            await transaction.RollbackAsync(name, ct);
            // A counter first taken inside the savepoint is no longer ours: the rollback undid its update and released its
            // row. One taken before stays held; the numbers the step used are simply never seen (a gap, not a repeat).
            foreach (var scope in _counters?.Keys.Where(k => !heldBefore.Contains(k)).ToList() ?? [])
            {
                _counters!.Remove(scope);
            }
        }

        // Released either way: a savepoint rolled back to stays on the stack until it is.
        await transaction.ReleaseAsync(name, ct);
        return result;
    }

    /// <summary>A change counter this write has taken (its row locked to commit): the value stored in the row, and the last one handed out.</summary>
    private sealed class HeldCounter(long stored)
    {
        public long Stored { get; } = stored;

        public long Last { get; set; } = stored;
    }

    private Dictionary<string, HeldCounter>? _counters;

    /// <summary>
    /// The next number of a counter this write already holds, without a statement: its row is locked from the first
    /// number to commit, so no other writer can take one meanwhile (<see cref="ChangeSequence"/>). False the first time.
    /// </summary>
    public bool TryNextHeld(string scope, out long next)
    {
        next = 0;
        if (_counters?.TryGetValue(scope, out var counter) != true)
        {
            return false;
        }

        next = ++counter!.Last;
        return true;
    }

    /// <summary>Records that this write took <paramref name="scope"/>'s counter, which now stores <paramref name="value"/>.</summary>
    public void Hold(string scope, long value) => (_counters ??= new(StringComparer.Ordinal))[scope] = new HeldCounter(value);

    public async Task CommitAsync(CancellationToken ct)
    {
        if (Transaction is not null)
        {
            // The numbers handed out in memory are written to their rows, in the same transaction, before it commits.
            foreach (var (scope, counter) in _counters ?? [])
            {
                if (counter.Last > counter.Stored)
                {
                    await Connection.ExecuteAsync(Command("UPDATE change_counters SET value = @value WHERE scope = @scope", new { scope, value = counter.Last }, ct));
                }
            }

            await Transaction.CommitAsync(ct);
        }

        foreach (var action in _afterCommit ?? [])
        {
            action();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Transaction is not null)
        {
            await Transaction.DisposeAsync();
        }

        await Connection.DisposeAsync();
    }
}

/// <summary>How an operation runs a unit of work start to finish.</summary>
public static class UnitsOfWork
{
    /// <summary>A write that commits when <paramref name="write"/> returns a value and keeps nothing when it returns an error.</summary>
    public static async Task<Errors.Outcome<T>> WriteAsync<T>(this IDbConnectionFactory db, Func<UnitOfWork, Task<Errors.Outcome<T>>> write, CancellationToken ct)
    {
        await using var work = await UnitOfWork.BeginWriteAsync(db, ct);
        var outcome = await write(work);
        if (!outcome.Failed)
        {
            await work.CommitAsync(ct);
        }

        return outcome;
    }

    /// <summary>A read of one statement.</summary>
    public static async Task<T> ReadAsync<T>(this IDbConnectionFactory db, Func<UnitOfWork, Task<T>> read, CancellationToken ct)
    {
        await using var work = await UnitOfWork.OpenReadAsync(db, ct);
        return await read(work);
    }

    /// <summary>A read of several statements whose figures must agree: one snapshot, never the write lock.</summary>
    public static async Task<T> SnapshotAsync<T>(this IDbConnectionFactory db, Func<UnitOfWork, Task<T>> read, CancellationToken ct)
    {
        await using var work = await UnitOfWork.BeginSnapshotAsync(db, ct);
        var result = await read(work);
        await work.CommitAsync(ct);
        return result;
    }
}
