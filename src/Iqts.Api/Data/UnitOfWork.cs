using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Iqts.Api.Data;

/// <summary>
/// One connection, and for a write or a snapshot one transaction, for the length of a use case (ADR 0008). An
/// operation begins it, passes it to the repositories it calls (which only read and write rows on it) and commits it;
/// several operations may share one and commit together. Disposed without <see cref="CommitAsync"/>, nothing it wrote
/// is kept.
/// </summary>
public sealed partial class UnitOfWork : IAsyncDisposable
{
    private UnitOfWork(DbConnection connection, DbTransaction? transaction, SqlDialect dialect, bool runsToEnd = false)
    {
        _connection = connection;
        Transaction = transaction;
        Dialect = dialect;
        _runsToEnd = runsToEnd;
    }

    /// <summary>
    /// A write, once begun, runs to its commit or its rollback whatever its caller's token says (a client that went away,
    /// a worker told to stop): its statements are short, and cancelling one costs more than finishing it. On PostgreSQL,
    /// Npgsql answers a cancelled statement by asking the server to cancel it and waiting up to 2 s for the answer, all
    /// the while holding the transaction open, and with it the rows and the provider's change counter it locked; the
    /// provider's other writers waited behind clients that had left (measured: up to 2 s, where finishing took
    /// milliseconds). The token still counts while the write waits for its turn (<see cref="BeginWriteAsync"/>), before
    /// anything is begun; statements stay bounded by the command timeout.
    /// </summary>
    private readonly bool _runsToEnd;

    /// <summary>The token this unit's statements honour, their results' reads included: none once a write has begun.</summary>
    public CancellationToken Token(CancellationToken ct) => _runsToEnd ? CancellationToken.None : ct;

    private readonly DbConnection _connection;

    /// <summary>
    /// The unit's connection. While held-back writes sent ahead are in flight (<see cref="SendAheadAsync"/>) Npgsql would
    /// refuse another statement on it, so reaching for it first waits for them (and throws their error). The unit's own
    /// statements wait for them asynchronously (<see cref="SentAsync"/>); the wait here is for a repository's read in
    /// the middle of a batch (its next staged rows, a likely duplicate), at most one round trip's worth.
    /// </summary>
    public DbConnection Connection
    {
        get
        {
            if (_sending is { } sending)
            {
                _sending = null;
                sending.GetAwaiter().GetResult();
            }

            return _connection;
        }
    }

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

    /// <summary>A Dapper command on this unit's connection and transaction (on SQLite, its parameters named as written: <see cref="SqliteNamedParameters"/>).</summary>
    public CommandDefinition Command(string sql, object? parameters, CancellationToken ct) =>
        new(sql, Dialect == SqlDialect.Sqlite ? SqliteNamedParameters.Of(parameters) : parameters, Transaction, cancellationToken: Token(ct));

    /// <summary>
    /// A write: on SQLite <c>BEGIN IMMEDIATE</c> after this process's writers' queue (ADR 0007); on PostgreSQL READ
    /// COMMITTED, writers queueing on the rows they lock.
    /// </summary>
    public static async Task<UnitOfWork> BeginWriteAsync(IDbConnectionFactory db, CancellationToken ct)
    {
        var connection = await db.OpenForWriteAsync(ct);
        try
        {
            return new UnitOfWork(connection, await connection.BeginTransactionAsync(ct), db.Dialect, runsToEnd: true);
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
    /// IMMEDIATE, the writers' lock, for any isolation level asked). PostgreSQL: REPEATABLE READ READ ONLY, its statements
    /// planned with their values (<see cref="PostgresConnectionFactory.SnapshotStatements"/>).
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
                var statements = db is PostgresConnectionFactory postgres ? postgres.SnapshotStatements : PostgresConnectionFactory.ReadOnly;
                await connection.ExecuteAsync(new CommandDefinition(statements, transaction: transaction, cancellationToken: ct));
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

    /// <summary>Writes held back until the next flush, each with its parameters' values by name.</summary>
    private List<(string Sql, Dictionary<string, object?> Values)>? _later;

    /// <summary>
    /// How many held-back writes go in one round trip at the most. They are sent as a batch of positional statements
    /// (<see cref="Positional"/>), so Npgsql neither parses nor renames anything and prepares each statement once; when
    /// they were one text of named parameters, Npgsql looked every name up in the whole command's list, and at 64 that took
    /// back what the round trips saved (README, Batches).
    /// </summary>
    private const int LaterBatch = 64;

    /// <summary>
    /// A write whose answer nobody reads, and whose rows no statement of this unit reads afterwards (a history entry, an
    /// outbox message, a status log row). On PostgreSQL it is held back and sent with the others in one round trip, before
    /// the change numbers are settled (<see cref="SettleAsync"/>: at commit in the same round trip as the settling, and at
    /// a savepoint) or once <see cref="LaterBatch"/> are waiting, then sent ahead (<see cref="SendAheadAsync"/>): a round
    /// trip is much of what a batch's row costs there. On SQLite, which has no round trips and binds every parameter of a
    /// command by name against each of its statements, it runs at once. <paramref name="parameters"/> is an object whose
    /// properties name the SQL's parameters, or a dictionary of them.
    /// </summary>
    public Task WriteLaterAsync(string sql, object parameters, CancellationToken ct)
    {
        if (Transaction is null)
        {
            throw new InvalidOperationException("A write needs a write unit.");
        }

        if (Dialect != SqlDialect.Postgres)
        {
            return ExecuteAsync(sql, parameters, ct);
        }

        (_later ??= []).Add((sql, ParameterValues(parameters)));
        return _later.Count >= LaterBatch ? SendAheadAsync(ct) : Task.CompletedTask;
    }

    /// <summary>SQLite commands this write has run, by text, each compiled once (<see cref="ExecuteAsync"/>).</summary>
    private Dictionary<string, SqliteCommand>? _compiled;

    /// <summary>
    /// A write this unit may run many times over (a batch's rows: the trainee, its history entry, its TRN request); the
    /// number of rows it changed. On SQLite the statement is compiled once per unit and only its parameters are bound
    /// again: Microsoft.Data.Sqlite compiles a command's text anew for every command it is given (dotnet/efcore#14044),
    /// half of what a 43-column insert costs. Its parameters are those of <see cref="ParameterValues"/>, stored as
    /// Dapper stores them (<see cref="TypeHandlers.ForSqlite"/>). On PostgreSQL it is a positional statement
    /// (<see cref="Positional"/>), which Npgsql sends as it is and prepares once (Max Auto Prepare). The writes held back
    /// are not sent with it: measured so, a batch's commit was slower (README, Batches).
    /// </summary>
    public Task<int> ExecuteAsync(string sql, object parameters, CancellationToken ct) =>
        Compiled(sql, parameters) is { } command ? command.ExecuteNonQueryAsync(Token(ct))
        : _connection is NpgsqlConnection ? PositionalAsync([(sql, ParameterValues(parameters))], ct)
        : Connection.ExecuteAsync(Command(sql, parameters, ct));

    /// <summary>
    /// As <see cref="ExecuteAsync"/>, for statements whose results are read (each result in turn: <c>NextResultAsync</c>),
    /// after what this write held back (<see cref="CommandAfterHeld"/>; SQLite holds nothing back).
    /// </summary>
    public async Task<DbDataReader> ReadAfterHeldAsync(string sql, object parameters, CancellationToken ct)
    {
        await SentAsync();
        return Compiled(sql, parameters) is { } command ? await command.ExecuteReaderAsync(Token(ct)) : await Connection.ExecuteReaderAsync(CommandAfterHeld(sql, parameters, ct));
    }

    /// <summary>This SQLite write's command for <paramref name="sql"/>, compiled at its first use, with these parameters bound; null on PostgreSQL.</summary>
    private SqliteCommand? Compiled(string sql, object parameters)
    {
        if (_connection is not SqliteConnection sqlite || Transaction is not SqliteTransaction transaction)
        {
            return null;
        }

        if (!(_compiled ??= new(StringComparer.Ordinal)).TryGetValue(sql, out var command))
        {
            command = sqlite.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            _compiled[sql] = command;
        }

        command.Parameters.Clear();
        foreach (var (name, value) in ParameterValues(parameters))
        {
            command.Parameters.Add(TypeHandlers.ForSqlite(name, value));
        }

        return command;
    }

    /// <summary>
    /// As <see cref="Command"/>, the writes held back sent first in the same round trip: for a write whose rows must come
    /// after theirs in the database's order (an event written at once after one held back: deliveries of a subject are
    /// sent in the order of their rows). On SQLite nothing is held, so it is <see cref="Command"/>.
    /// </summary>
    public CommandDefinition CommandAfterHeld(string sql, object parameters, CancellationToken ct)
    {
        if (_later is not { Count: > 0 })
        {
            return Command(sql, parameters, ct);
        }

        var (held, all) = TakeHeld();
        all.AddDynamicParams(parameters);
        return Command(held + sql, all, ct);
    }

    /// <summary>Sends the held-back writes, after those sent ahead (<see cref="PositionalAsync"/> waits for them), in the order they were made, in one round trip.</summary>
    private async Task FlushAsync(CancellationToken ct)
    {
        if (_later is not { Count: > 0 })
        {
            return;
        }

        await PositionalAsync(TakeLater(), ct);
    }

    /// <summary>Held-back writes sent and not yet answered, at most one round trip of them (<see cref="SendAheadAsync"/>).</summary>
    private Task? _sending;

    /// <summary>
    /// Sends the held-back writes without waiting for their answer, once the previous ones sent so were answered: a batch
    /// goes on checking its next rows while PostgreSQL writes these, the two cores each busy (README, Batches). Their
    /// error, if any, is thrown by the unit's next statement, and a commit always waits for them.
    /// </summary>
    private async Task SendAheadAsync(CancellationToken ct)
    {
        await SentAsync();
        _sending = PositionalAsync(TakeLater(), ct);
    }

    /// <summary>Waits for the writes sent ahead, if any, and throws their error.</summary>
    private async Task SentAsync()
    {
        if (_sending is { } sending)
        {
            _sending = null;
            await sending;
        }
    }

    /// <summary>The writes held back, in the order they were made; none are held after.</summary>
    private List<(string Sql, Dictionary<string, object?> Values)> TakeLater()
    {
        var held = _later?.ToList() ?? [];
        _later?.Clear();
        return held;
    }

    /// <summary>
    /// PostgreSQL: <paramref name="statements"/> as one batch in one round trip, each with its parameters in order
    /// (<see cref="Positional"/>); the rows the last one changed.
    /// </summary>
    private async Task<int> PositionalAsync(IReadOnlyList<(string Sql, Dictionary<string, object?> Values)> statements, CancellationToken ct)
    {
        await SentAsync();
        await using var batch = new NpgsqlBatch((NpgsqlConnection)_connection, (NpgsqlTransaction?)Transaction);
        foreach (var (sql, values) in statements)
        {
            var (text, names) = Positional(sql);
            var command = new NpgsqlBatchCommand(text);
            foreach (var name in names)
            {
                command.Parameters.Add(TypeHandlers.ForPostgres(values.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"No value for @{name}.")));
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(Token(ct));
        return batch.BatchCommands[^1].RecordsAffected;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Text, string[] Names)> PositionalTexts = new(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="sql"/> with its named parameters numbered (<c>@ukprn</c> → <c>$1</c>, a name used twice the same
    /// number), and the names in that order; made once per text. Npgsql sends such a statement as it is: a text of named
    /// parameters it parses and renames on every execution.
    /// </summary>
    private static (string Text, string[] Names) Positional(string sql) => PositionalTexts.GetOrAdd(sql, text =>
    {
        var names = new List<string>();
        var numbered = ParameterName().Replace(text, m =>
        {
            var index = names.FindIndex(n => string.Equals(n, m.Groups[1].Value, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                names.Add(m.Groups[1].Value);
                index = names.Count - 1;
            }

            return "$" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        return (numbered, names.ToArray());
    });

    /// <summary>The held-back writes as one text, each statement's parameters renamed apart; none are held after.</summary>
    private (string Sql, DynamicParameters Parameters) TakeHeld()
    {
        var text = new System.Text.StringBuilder();
        var parameters = new DynamicParameters();
        for (var i = 0; i < (_later?.Count ?? 0); i++)
        {
            var (sql, values) = _later![i];
            text.Append(RenameApart(sql, values, $"w{i}_", parameters)).Append(";\n");
        }

        _later?.Clear();
        return (text.ToString(), parameters);
    }

    /// <summary><paramref name="sql"/> with each parameter named <paramref name="prefix"/> + its name, its value added to <paramref name="parameters"/>.</summary>
    private static string RenameApart(string sql, Dictionary<string, object?> values, string prefix, DynamicParameters parameters) =>
        ParameterName().Replace(sql, m =>
        {
            var name = m.Groups[1].Value;
            if (!values.TryGetValue(name, out var value))
            {
                throw new InvalidOperationException($"No value for @{name}.");
            }

            parameters.Add(prefix + name, value);
            return "@" + prefix + name;
        });

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![@\w])@(\w+)")]
    private static partial System.Text.RegularExpressions.Regex ParameterName();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.PropertyInfo[]> Properties = new();

    /// <summary>
    /// A statement's parameter values by name (any case), from an object's properties or a dictionary; one made here is
    /// returned as it is, so a caller may add to it.
    /// </summary>
    public static Dictionary<string, object?> ParameterValues(object parameters) => parameters switch
    {
        Dictionary<string, object?> ours when ours.Comparer == StringComparer.OrdinalIgnoreCase => ours,
        IEnumerable<KeyValuePair<string, object?>> named => new Dictionary<string, object?>(named, StringComparer.OrdinalIgnoreCase),
        _ => Properties.GetOrAdd(parameters.GetType(), t => t.GetProperties())
            .ToDictionary(p => p.Name, p => p.GetValue(parameters), StringComparer.OrdinalIgnoreCase),
    };

    /// <summary>
    /// Runs <paramref name="step"/> inside a savepoint of this write: kept when <paramref name="keep"/> says so, otherwise
    /// undone, so a batch's refused row leaves nothing the next rows could see.
    /// </summary>
    public async Task<T> InSavepointAsync<T>(Func<Task<T>> step, Func<T, bool> keep, CancellationToken ct)
    {
        const string name = "step";
        var transaction = Transaction ?? throw new InvalidOperationException("A savepoint needs a write.");
        // Provisional numbers are settled first: a rollback to the savepoint would undo their settling and free its locks.
        await SettleAsync(ct);
        var heldBefore = _counters?.Keys.ToHashSet(StringComparer.Ordinal) ?? [];
        await transaction.SaveAsync(name, Token(ct));
        var result = await step();
        if (!keep(result))
        {
            // What the step held back goes with it (what came before was sent when the numbers were settled, above).
            _later?.Clear();
            await SentAsync();
            await transaction.RollbackAsync(name, Token(ct));
            // A counter first taken inside the savepoint is no longer ours: the rollback undid its update and released its
            // row. One taken before stays held; the numbers the step used are simply never seen (a gap, not a repeat).
            foreach (var scope in _counters?.Keys.Where(k => !heldBefore.Contains(k)).ToList() ?? [])
            {
                _firstUse!.Remove(_counters![scope]);
                _counters.Remove(scope);
            }
        }

        // Released either way: a savepoint rolled back to stays on the stack until it is.
        await SentAsync();
        await transaction.ReleaseAsync(name, Token(ct));
        return result;
    }

    /// <summary>
    /// A unit of many changes (a batch): its change numbers are taken at once, as on SQLite, so the provider's queue is held
    /// from the first change to commit and no check waits for commit (a batch's thousands of rows would each need one).
    /// </summary>
    public bool Serialised { get; set; }

    /// <summary>A change counter this write uses: held (its row locked to commit) or, until commit, provisional.</summary>
    private sealed class Counter(string scope)
    {
        public string Scope { get; } = scope;

        /// <summary>The value stored in the row (held), and the last number handed out.</summary>
        public long Stored { get; set; }

        public long Last { get; set; }

        /// <summary>Provisional: the first number handed out (negative; each next one is one lower), how many, and where they were written.</summary>
        public bool Provisional { get; set; }

        public long First { get; init; }

        public int Count { get; set; }

        public HashSet<(string Table, string Column)> Placed { get; } = [];
    }

    private Dictionary<string, Counter>? _counters;

    /// <summary>The counters in the order this write first used them, the order their rows are locked in (as when each is taken at once).</summary>
    private List<Counter>? _firstUse;

    /// <summary>
    /// The next number of a counter this write already holds, without a statement: its row is locked from the first
    /// number to commit, so no other writer can take one meanwhile (<see cref="ChangeSequence"/>). False the first time.
    /// </summary>
    public bool TryNextHeld(string scope, out long next)
    {
        next = 0;
        if (_counters?.TryGetValue(scope, out var counter) != true || counter!.Provisional)
        {
            return false;
        }

        next = ++counter.Last;
        return true;
    }

    /// <summary>Records that this write took <paramref name="scope"/>'s counter, which now stores <paramref name="value"/>.</summary>
    public void Hold(string scope, long value)
    {
        var counter = new Counter(scope) { Stored = value, Last = value };
        (_counters ??= new(StringComparer.Ordinal))[scope] = counter;
        (_firstUse ??= []).Add(counter);
    }

    /// <summary>Numbers a provisional counter may hand out: blocks of this size never overlap within a process.</summary>
    private const long ProvisionalBlock = 1 << 20;

    /// <summary>This process's next provisional block, counting down from a random point far below zero (processes differ).</summary>
    private static long _nextBlock = -Random.Shared.NextInt64(1L << 58, 1L << 61);

    /// <summary>
    /// A provisional number (negative) for <paramref name="scope"/>, without touching its counter: PostgreSQL only, in a
    /// write that is not <see cref="Serialised"/>. Its real number is given at commit, in the order handed out, when the
    /// counter's row is locked for the few statements left (<see cref="SettleAsync"/>). The writer of each row that holds one
    /// says where with <see cref="Placed"/>. False when the scope's number must be taken now.
    /// </summary>
    public bool TryNextProvisional(string scope, out long next)
    {
        next = 0;
        if (Transaction is null || Serialised || Dialect != SqlDialect.Postgres)
        {
            return false;
        }

        if (_counters?.TryGetValue(scope, out var counter) == true)
        {
            if (!counter!.Provisional || counter.Count == ProvisionalBlock)
            {
                return false;
            }
        }
        else
        {
            counter = new Counter(scope) { Provisional = true, First = Interlocked.Add(ref _nextBlock, -ProvisionalBlock) + ProvisionalBlock };
            (_counters ??= new(StringComparer.Ordinal))[scope] = counter;
            (_firstUse ??= []).Add(counter);
        }

        next = counter.First - counter.Count++;
        return true;
    }

    /// <summary>Whether <paramref name="number"/> is provisional (real numbers start at 1; provisional ones are negative until commit).</summary>
    public static bool IsProvisional(long number) => number < 0;

    /// <summary>That rows of <paramref name="table"/> hold <paramref name="number"/> in <paramref name="column"/>: settled there at commit if provisional.</summary>
    public void Placed(long number, string table, string column)
    {
        if (IsProvisional(number))
        {
            var counter = _counters?.Values.SingleOrDefault(c => c.Provisional && number <= c.First && number > c.First - ProvisionalBlock)
                ?? throw new InvalidOperationException($"A provisional number was written to {table} after its counter was settled: it would never be.");
            counter.Placed.Add((table, column));
        }
    }

    /// <summary>
    /// Sends the writes held back (<see cref="WriteLaterAsync"/>), then takes the counters of the provisional numbers, in
    /// first-use order, and writes their real numbers where they were placed, in one round trip (each statement of it
    /// sees the last one's lock). From here on they are held.
    /// </summary>
    public Task SettleAsync(CancellationToken ct) => SettleAndCheckAsync(checks: [], ct);

    /// <summary>
    /// As <see cref="SettleAsync"/>, with <paramref name="checks"/>' statements last in the same round
    /// trip (under READ COMMITTED each statement reads what was committed when it starts, so after the counters' locks are
    /// taken); the first check's error, if any.
    /// </summary>
    private async Task<Errors.ApiError?> SettleAndCheckAsync(IReadOnlyList<CommitCheck> checks, CancellationToken ct)
    {
        await SentAsync();
        var provisional = _firstUse?.Where(c => c.Provisional).ToList() ?? [];
        if (provisional.Count == 0 && checks.Count == 0)
        {
            await FlushAsync(ct);
            return null;
        }

        var parameters = new DynamicParameters();
        var statements = new List<string>();
        for (var i = 0; i < provisional.Count; i++)
        {
            var c = provisional[i];
            parameters.Add($"s{i}", c.Scope);
            parameters.Add($"k{i}", (long)c.Count);
            parameters.Add($"f{i}", c.First);
            statements.Add($"INSERT INTO change_counters (scope, value) VALUES (@s{i}, @k{i}) ON CONFLICT (scope) DO UPDATE SET value = change_counters.value + @k{i} RETURNING value");
            // The first number handed out becomes the first of the k taken; "< 0" lets the partial index find the rows.
            statements.AddRange(c.Placed.Select(p =>
                $"UPDATE {p.Table} SET {p.Column} = (SELECT value FROM change_counters WHERE scope = @s{i}) - @k{i} + 1 + (@f{i} - {p.Column}) " +
                $"WHERE {p.Column} < 0 AND {p.Column} BETWEEN @f{i} - @k{i} + 1 AND @f{i}"));
        }

        for (var i = 0; i < checks.Count; i++)
        {
            statements.Add(RenameApart(checks[i].Sql.TrimEnd().TrimEnd(';'), ParameterValues(checks[i].Parameters), $"c{i}_", parameters));
        }

        // The writes held back go first in the same round trip: their rows are among those whose numbers are settled,
        // and they are written before the counters' rows are locked.
        await using var results = await Connection.QueryMultipleAsync(CommandAfterHeld(string.Join(";\n", statements), parameters, ct));
        foreach (var c in provisional)
        {
            var value = await results.ReadSingleAsync<long>();
            (c.Provisional, c.Stored, c.Last) = (false, value, value);
        }

        Errors.ApiError? error = null;
        foreach (var check in checks)
        {
            // Every check's results are read, in order, even after one has failed: they share the reader.
            error ??= await check.Decide(results);
        }

        return error;
    }

    /// <summary>A check at commit: its statements (one or more, with their parameters) and what decides from their results.</summary>
    private sealed record CommitCheck(string Sql, object Parameters, Func<SqlMapper.GridReader, Task<Errors.ApiError?>> Decide);

    private List<CommitCheck>? _commitChecks;

    /// <summary>
    /// A check that must see the provider's settled state (the trainee cap, duplicates), run at commit once the counters
    /// are locked, its statements sent in the same round trip as their settling (so the counters are held one round trip
    /// less); <paramref name="decide"/> reads their results, and its error undoes the write. Needed only where a
    /// provisional number left the write unqueued until then.
    /// </summary>
    public void CheckAtCommit(string sql, object parameters, Func<SqlMapper.GridReader, Task<Errors.ApiError?>> decide) =>
        (_commitChecks ??= []).Add(new CommitCheck(sql, parameters, decide));

    /// <summary>Commits, or returns the error of a check at commit and keeps nothing.</summary>
    public async Task<Errors.ApiError?> CommitAsync(CancellationToken ct)
    {
        if (Transaction is not null)
        {
            if (await SettleAndCheckAsync(_commitChecks ?? [], ct) is { } error)
            {
                await Transaction.RollbackAsync(Token(ct));
                return error;
            }

            // The numbers handed out in memory are written to their rows, in the same transaction, before it commits.
            foreach (var counter in _firstUse ?? [])
            {
                if (counter.Last > counter.Stored)
                {
                    await Connection.ExecuteAsync(Command("UPDATE change_counters SET value = @value WHERE scope = @scope", new { scope = counter.Scope, value = counter.Last }, ct));
                }
            }

            await Transaction.CommitAsync(Token(ct));
        }

        foreach (var action in _afterCommit ?? [])
        {
            action();
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SentAsync();
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException)
        {
            // A unit given up: a commit waits for what was sent ahead, so this failure was never going to be kept either.
        }

        foreach (var command in _compiled?.Values.ToList() ?? [])
        {
            await command.DisposeAsync();
        }

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
        return outcome.Failed || await work.CommitAsync(ct) is not { } refused ? outcome : refused;
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
