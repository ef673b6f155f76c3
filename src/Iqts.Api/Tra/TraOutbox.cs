using System.Data.Common;
using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tra;

/// <summary>A row of <c>tra_outbox</c> as inserted (its <c>seq</c> is the engine's identity).</summary>
public record OutboxRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<OutboxRow>();

    public Guid Id { get; init; }

    public Guid TraineeId { get; init; }

    public string Ukprn { get; init; } = "";

    public string Kind { get; init; } = "";

    /// <summary>A TRN request: <c>post</c> until TRS has it, then <c>poll</c>.</summary>
    public string? Phase { get; init; }

    /// <summary>A route update: the route as it was when the change was made (JSON).</summary>
    public string? Payload { get; init; }

    public string State { get; init; } = "";

    public int Attempts { get; init; }

    public int Failures { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public string? LockedBy { get; init; }

    public DateTimeOffset? LockedUntil { get; init; }

    public string? LastErrorCode { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }
}

/// <summary>A row as read, with its order.</summary>
public sealed record OutboxMessage : OutboxRow
{
    public long Seq { get; init; }

    public SubmissionKind KindValue => EnumText.Parse<SubmissionKind>(Kind);

    public TraSubmission ToSubmission() => new(Id.ToString(), TraineeId.ToString(), Ukprn, KindValue, EnumText.Parse<SubmissionState>(State), Attempts,
        LastErrorCode, LastError, TraRules.StatusOf(Payload), State == "pending" ? NextAttemptAt : null, CreatedAt, DeliveredAt);
}

/// <summary>
/// The transactional outbox to the TRA. Messages are written by the change that causes them, in its transaction
/// (<see cref="EnqueueTrnRequestAsync"/>, <see cref="EnqueueRouteAsync"/>); the worker claims due ones by lease, in
/// order per trainee (a message waits while an earlier one of its trainee is pending), several instances side by side
/// (PostgreSQL's <c>FOR UPDATE SKIP LOCKED</c>, and on every engine a claim that only succeeds if the lease is free).
/// </summary>
public sealed class TraOutbox(IDbConnectionFactory db, TimeProvider time)
{
    private static readonly string Select = $"SELECT seq, {OutboxRow.Columns.Select()} FROM tra_outbox";

    /// <summary>The actor of the TRA's own changes in a trainee's history (the TRN it gives).</summary>
    public static readonly Actor Tra = new(Guid.Empty, "TRA");

    public static Task EnqueueTrnRequestAsync(DbConnection connection, DbTransaction tx, Trainee trainee, DateTimeOffset now, CancellationToken ct) =>
        InsertAsync(connection, tx, trainee, SubmissionKind.TrnRequest, TraRules.Post, null, now, ct);

    /// <summary>The trainee's route as it is now; an awarded trainee's route holds from its award date.</summary>
    public static async Task EnqueueRouteAsync(DbConnection connection, DbTransaction tx, Trainee trainee, DateTimeOffset now, CancellationToken ct)
    {
        var holdsFrom = trainee.Status == TraineeStatus.Awarded
            ? await connection.QuerySingleOrDefaultAsync<DateOnly?>(new CommandDefinition(
                "SELECT awarded_on FROM awards WHERE ukprn = @Ukprn AND trainee_id = @TraineeId", new { trainee.Ukprn, trainee.TraineeId }, tx, cancellationToken: ct))
            : null;
        await InsertAsync(connection, tx, trainee, SubmissionKind.RouteUpdate, null, StoredJson.Serialize(TraRules.Route(trainee, holdsFrom)), now, ct);
    }

    private static Task<int> InsertAsync(DbConnection connection, DbTransaction tx, Trainee trainee, SubmissionKind kind, string? phase, string? payload, DateTimeOffset now,
        CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition($"INSERT INTO tra_outbox {OutboxRow.Columns.InsertValues()}", new OutboxRow
        {
            Id = Guid.CreateVersion7(now),
            TraineeId = trainee.TraineeId,
            Ukprn = trainee.Ukprn,
            Kind = EnumText.Name(kind),
            Phase = phase,
            Payload = payload,
            State = "pending",
            Attempts = 0,
            Failures = 0,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        }, tx, cancellationToken: ct));

    /// <summary>Claims up to <paramref name="batch"/> due messages for <paramref name="instance"/>, each the earliest pending one of its trainee.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(string instance, int batch, TimeSpan lease, CancellationToken ct)
    {
        var now = time.UtcNowMicros();
        await using var connection = await db.OpenForWriteAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = (await connection.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT o.seq FROM tra_outbox o
            WHERE o.state = 'pending' AND o.next_attempt_at <= @now AND (o.locked_until IS NULL OR o.locked_until < @now)
              AND NOT EXISTS (SELECT 1 FROM tra_outbox e WHERE e.trainee_id = o.trainee_id AND e.state = 'pending' AND e.seq < o.seq)
            ORDER BY o.next_attempt_at, o.seq
            LIMIT @batch{db.Dialect.SkipLocked}
            """,
            new { now, batch }, tx, cancellationToken: ct))).ToList();
        var claimed = new List<OutboxMessage>();
        foreach (var seq in due)
        {
            // Succeeds only if no one else holds the lease: the claim is safe on SQLite too, where nothing is skipped.
            claimed.AddRange(await connection.QueryAsync<OutboxMessage>(new CommandDefinition(
                $"""
                UPDATE tra_outbox SET locked_by = @instance, locked_until = @until
                WHERE seq = @seq AND state = 'pending' AND (locked_until IS NULL OR locked_until < @now)
                RETURNING seq, {OutboxRow.Columns.Select()}
                """,
                new { seq, instance, until = now + lease, now }, tx, cancellationToken: ct)));
        }

        await tx.CommitAsync(ct);
        return claimed;
    }

    /// <summary>
    /// Records one exchange: the message's new state, phase and next attempt. Only the lease holder may; false when the
    /// lease was lost (another instance has the message now, and its answer counts). Pass the transaction of the change
    /// the answer causes (a TRN stored on the trainee) so that both are committed together.
    /// </summary>
    public static async Task<bool> SaveAsync(DbConnection connection, DbTransaction? tx, OutboxMessage message, OutboxStep step, DateTimeOffset now, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE tra_outbox SET state = @state, phase = @Phase, attempts = attempts + 1, failures = @Failures, next_attempt_at = @next,
                last_error_code = @Code, last_error = @error, updated_at = @now, delivered_at = @delivered, locked_by = NULL, locked_until = NULL
            WHERE seq = @Seq AND locked_by = @LockedBy
            """,
            new
            {
                message.Seq,
                message.LockedBy,
                state = EnumText.Name(step.State),
                step.Phase,
                step.Failures,
                next = now + step.Delay,
                step.Code,
                error = step.Error is { Length: > 500 } e ? e[..500] : step.Error,
                now,
                delivered = step.State == SubmissionState.Delivered ? now : (DateTimeOffset?)null,
            }, tx, cancellationToken: ct)) == 1;

    public async Task<bool> SaveAsync(OutboxMessage message, OutboxStep step, CancellationToken ct)
    {
        await using var connection = await db.OpenForWriteAsync(ct);
        return await SaveAsync(connection, null, message, step, time.UtcNowMicros(), ct);
    }

    /// <summary>A parked message back to pending, due now, its backoff reset; false when no failed message has that id.</summary>
    public async Task<bool> RetryAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenForWriteAsync(ct);
        var now = time.UtcNowMicros();
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tra_outbox SET state = 'pending', failures = 0, next_attempt_at = @now, updated_at = @now WHERE id = @id AND state = 'failed'",
            new { id, now }, cancellationToken: ct)) == 1;
    }

    /// <summary>A provider's trainee's messages, oldest first; null when the trainee is not the provider's.</summary>
    public async Task<IReadOnlyList<TraSubmission>?> ForTraineeAsync(string ukprn, Guid traineeId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await TraineeRepository.FindAsync(connection, null, ukprn, traineeId, "", ct) is null)
        {
            return null;
        }

        return (await connection.QueryAsync<OutboxMessage>(new CommandDefinition(
            $"{Select} WHERE ukprn = @ukprn AND trainee_id = @traineeId ORDER BY seq", new { ukprn, traineeId }, cancellationToken: ct)))
            .Select(m => m.ToSubmission()).ToList();
    }

    /// <summary>Every provider's messages after the cursor position (in the order they were written), optionally of one state.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(SubmissionState? state, long after, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<OutboxMessage>(new CommandDefinition(
            $"{Select} WHERE seq > @after{(state is null ? "" : " AND state = @state")} ORDER BY seq LIMIT @take",
            new { after, state = EnumText.NameOrNull(state), take = limit + 1 }, cancellationToken: ct))).ToList();
    }

    /// <summary>How many messages are in each state, and the oldest pending one's age (for <c>-- tra status</c> and health).</summary>
    public async Task<(IReadOnlyDictionary<string, int> ByState, DateTimeOffset? OldestPending)> StatusAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var counts = (await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM tra_outbox GROUP BY state", cancellationToken: ct))).ToDictionary(r => r.State, r => (int)r.Count);
        var oldest = await connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT created_at FROM tra_outbox WHERE state = 'pending' ORDER BY created_at LIMIT 1", cancellationToken: ct));
        return (counts, oldest);
    }
}
