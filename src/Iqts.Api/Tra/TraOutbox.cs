using Dapper;
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

    public SubmissionState StateValue => EnumText.Parse<SubmissionState>(State);

    public TraSubmission ToSubmission() => new(Id.ToString(), TraineeId.ToString(), Ukprn, KindValue, StateValue, Attempts,
        LastErrorCode, LastError, TraRules.StatusOf(Payload), StateValue == SubmissionState.Pending ? NextAttemptAt : null, CreatedAt, DeliveredAt);
}

/// <summary>
/// The transactional outbox to the TRA, on the caller's unit of work. Messages are written by the change that causes
/// them, in its transaction (<see cref="TraOutboxParticipant"/>); the worker claims due ones by lease, in order per trainee
/// (a message waits while an earlier one of its trainee is pending), several instances side by side (PostgreSQL's
/// <c>FOR UPDATE SKIP LOCKED</c>, and on every engine a claim that only succeeds if the lease is free).
/// </summary>
public static class TraOutbox
{
    private static readonly string Select = $"SELECT seq, {OutboxRow.Columns.Select()} FROM tra_outbox";

    private static readonly string Pending = EnumText.Name(SubmissionState.Pending);

    /// <summary>The actor of the TRA's own changes in a trainee's history (the TRN it gives).</summary>
    public static readonly Actor Tra = new(Guid.Empty, "TRA");

    public static Task EnqueueTrnRequestAsync(UnitOfWork work, Trainee trainee, DateTimeOffset now, CancellationToken ct) =>
        InsertAsync(work, trainee, SubmissionKind.TrnRequest, TraRules.Post, null, now, ct);

    /// <summary>The trainee's route as it is now; an awarded trainee's route holds from its award date.</summary>
    public static async Task EnqueueRouteAsync(UnitOfWork work, Trainee trainee, DateTimeOffset now, CancellationToken ct)
    {
        var holdsFrom = trainee.Status == TraineeStatus.Awarded
            ? await work.Connection.QuerySingleOrDefaultAsync<DateOnly?>(work.Command(
                "SELECT awarded_on FROM awards WHERE ukprn = @Ukprn AND trainee_id = @TraineeId", new { trainee.Ukprn, trainee.TraineeId }, ct))
            : null;
        await InsertAsync(work, trainee, SubmissionKind.RouteUpdate, null, StoredJson.Serialize(TraRules.Route(trainee, holdsFrom)), now, ct);
    }

    /// <summary>Held back to the change's next round trip: nothing in the change reads the outbox.</summary>
    private static Task InsertAsync(UnitOfWork work, Trainee trainee, SubmissionKind kind, string? phase, string? payload, DateTimeOffset now, CancellationToken ct) =>
        work.WriteLaterAsync($"INSERT INTO tra_outbox {OutboxRow.Columns.InsertValues()}", new OutboxRow
        {
            Id = Guid.CreateVersion7(now),
            TraineeId = trainee.TraineeId,
            Ukprn = trainee.Ukprn,
            Kind = EnumText.Name(kind),
            Phase = phase,
            Payload = payload,
            State = Pending,
            Attempts = 0,
            Failures = 0,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        }, ct);

    /// <summary>Claims up to <paramref name="batch"/> messages due at <paramref name="now"/> for <paramref name="instance"/>, each the earliest pending one of its trainee.</summary>
    public static async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(UnitOfWork work, string instance, int batch, TimeSpan lease, DateTimeOffset now, CancellationToken ct)
    {
        var due = (await work.Connection.QueryAsync<long>(work.Command(
            $"""
            SELECT o.seq FROM tra_outbox o
            WHERE o.state = @pending AND o.next_attempt_at <= @now AND (o.locked_until IS NULL OR o.locked_until < @now)
              AND NOT EXISTS (SELECT 1 FROM tra_outbox e WHERE e.trainee_id = o.trainee_id AND e.state = @pending AND e.seq < o.seq)
            ORDER BY o.next_attempt_at, o.seq
            LIMIT @batch{work.Dialect.SkipLocked}
            """,
            new { now, batch, pending = Pending }, ct))).ToList();
        var claimed = new List<OutboxMessage>();
        foreach (var seq in due)
        {
            // Succeeds only if no one else holds the lease: the claim is safe on SQLite too, where nothing is skipped.
            claimed.AddRange(await work.Connection.QueryAsync<OutboxMessage>(work.Command(
                $"""
                UPDATE tra_outbox SET locked_by = @instance, locked_until = @until
                WHERE seq = @seq AND state = @pending AND (locked_until IS NULL OR locked_until < @now)
                RETURNING seq, {OutboxRow.Columns.Select()}
                """,
                new { seq, instance, until = now + lease, now, pending = Pending }, ct)));
        }

        return claimed;
    }

    /// <summary>
    /// When nothing is due: one message that waits on an outage (<see cref="TraRules.OutageCodes"/>) and has not been tried
    /// for <paramref name="probeInterval"/>, claimed early to learn whether TRS is back (<see cref="TraRules.AfterProbe"/>).
    /// </summary>
    public static async Task<IReadOnlyList<OutboxMessage>> ClaimProbeAsync(UnitOfWork work, string instance, TimeSpan lease, DateTimeOffset now, TimeSpan probeInterval,
        CancellationToken ct)
    {
        var seq = await work.Connection.QuerySingleOrDefaultAsync<long?>(work.Command(
            $"""
            SELECT o.seq FROM tra_outbox o
            WHERE o.state = @pending AND o.next_attempt_at > @now AND o.last_error_code IN ({Outage}) AND o.updated_at <= @triedBefore
              AND (o.locked_until IS NULL OR o.locked_until < @now)
              AND NOT EXISTS (SELECT 1 FROM tra_outbox e WHERE e.trainee_id = o.trainee_id AND e.state = @pending AND e.seq < o.seq)
            ORDER BY o.next_attempt_at, o.seq
            LIMIT 1{work.Dialect.SkipLocked}
            """,
            new { now, pending = Pending, triedBefore = now - probeInterval }, ct));
        return seq is null ? [] : (await work.Connection.QueryAsync<OutboxMessage>(work.Command(
            $"""
            UPDATE tra_outbox SET locked_by = @instance, locked_until = @until
            WHERE seq = @seq AND state = @pending AND (locked_until IS NULL OR locked_until < @now)
            RETURNING seq, {OutboxRow.Columns.Select()}
            """,
            new { seq, instance, until = now + lease, now, pending = Pending }, ct))).ToList();
    }

    /// <summary>TRS answers again: every message waiting on an outage is due now instead of at its backoff's end. How many.</summary>
    public static Task<int> WakeAsync(UnitOfWork work, DateTimeOffset now, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            $"UPDATE tra_outbox SET next_attempt_at = @now WHERE state = @pending AND next_attempt_at > @now AND last_error_code IN ({Outage})",
            new { now, pending = Pending }, ct));

    /// <summary>The outage codes as a SQL list (our own constants, never input).</summary>
    private static readonly string Outage = string.Join(", ", TraRules.OutageCodes.Select(c => $"'{c}'"));

    /// <summary>
    /// Records one exchange: the message's new state, phase and next attempt. Only the lease holder may; false when the
    /// lease was lost (another instance has the message now, and its answer counts).
    /// </summary>
    public static async Task<bool> SaveAsync(UnitOfWork work, OutboxMessage message, OutboxStep step, DateTimeOffset now, CancellationToken ct) =>
        await work.Connection.ExecuteAsync(work.Command(
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
            }, ct)) == 1;

    /// <summary>The trainee's TRN request still pending, whoever holds its lease; null when there is none.</summary>
    public static async Task<OutboxMessage?> PendingTrnRequestAsync(UnitOfWork work, Guid traineeId, CancellationToken ct) =>
        await work.Connection.QuerySingleOrDefaultAsync<OutboxMessage>(work.Command(
            $"{Select} WHERE trainee_id = @traineeId AND kind = 'trn_request' AND state = @pending ORDER BY seq LIMIT 1", new { traineeId, pending = Pending }, ct));

    /// <summary>
    /// A TRN request completed by TRS's webhook: delivered now, its lease cleared, so an instance polling it at this moment
    /// finds its lease lost and records nothing (the webhook's answer stands).
    /// </summary>
    public static Task CompleteTrnRequestAsync(UnitOfWork work, long seq, DateTimeOffset now, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            """
            UPDATE tra_outbox SET state = 'delivered', phase = @poll, last_error_code = NULL, last_error = NULL, updated_at = @now, delivered_at = @now,
                locked_by = NULL, locked_until = NULL
            WHERE seq = @seq AND state = @pending
            """,
            new { seq, now, poll = TraRules.Poll, pending = Pending }, ct));

    /// <summary>A parked message back to pending, due now, its backoff reset; false when no failed message has that id.</summary>
    public static async Task<bool> RetryAsync(UnitOfWork work, Guid id, DateTimeOffset now, CancellationToken ct) =>
        await work.Connection.ExecuteAsync(work.Command(
            "UPDATE tra_outbox SET state = @pending, failures = 0, next_attempt_at = @now, updated_at = @now WHERE id = @id AND state = @failed",
            new { id, now, pending = Pending, failed = EnumText.Name(SubmissionState.Failed) }, ct)) == 1;

    /// <summary>A trainee's messages, oldest first.</summary>
    public static async Task<IReadOnlyList<TraSubmission>> ForTraineeAsync(UnitOfWork work, string ukprn, Guid traineeId, CancellationToken ct) =>
        (await work.Connection.QueryAsync<OutboxMessage>(work.Command(
            $"{Select} WHERE ukprn = @ukprn AND trainee_id = @traineeId ORDER BY seq", new { ukprn, traineeId }, ct)))
            .Select(m => m.ToSubmission()).ToList();

    /// <summary>Every provider's messages after the cursor position (in the order they were written), optionally of one state.</summary>
    public static async Task<IReadOnlyList<OutboxMessage>> ListAsync(UnitOfWork work, SubmissionState? state, long after, int limit, CancellationToken ct) =>
        (await work.Connection.QueryAsync<OutboxMessage>(work.Command(
            $"{Select} WHERE seq > @after{(state is null ? "" : " AND state = @state")} ORDER BY seq LIMIT @take",
            new { after, state = EnumText.NameOrNull(state), take = limit + 1 }, ct))).ToList();

    /// <summary>How many messages wait, and since when the oldest has (the queue gauges').</summary>
    public static async Task<(long Depth, DateTimeOffset? Oldest)> BacklogAsync(UnitOfWork work, CancellationToken ct) =>
        (await work.Connection.ExecuteScalarAsync<long>(work.Command("SELECT COUNT(*) FROM tra_outbox WHERE state = @pending", new { pending = Pending }, ct)),
         await work.Connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(work.Command(
             "SELECT created_at FROM tra_outbox WHERE state = @pending ORDER BY created_at LIMIT 1", new { pending = Pending }, ct)));

    /// <summary>How many messages are in each state, and the oldest pending one's time (for <c>-- tra status</c> and health).</summary>
    public static async Task<OutboxStatus> StatusAsync(UnitOfWork work, CancellationToken ct)
    {
        var counts = (await work.Connection.QueryAsync<(string State, long Count)>(work.Command(
            "SELECT state, COUNT(*) FROM tra_outbox GROUP BY state", null, ct))).ToDictionary(r => EnumText.Parse<SubmissionState>(r.State), r => (int)r.Count);
        var oldest = await work.Connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(work.Command(
            "SELECT created_at FROM tra_outbox WHERE state = @pending ORDER BY created_at LIMIT 1", new { pending = Pending }, ct));
        return new OutboxStatus(counts.GetValueOrDefault(SubmissionState.Pending), counts.GetValueOrDefault(SubmissionState.Delivered),
            counts.GetValueOrDefault(SubmissionState.Failed), oldest);
    }
}

/// <summary>The outbox in figures: how many messages in each state, and when the oldest pending one was written.</summary>
public sealed record OutboxStatus(int Pending, int Delivered, int Failed, DateTimeOffset? OldestPending);

/// <summary>
/// A participant of every trainee change: the TRA hears of it through the outbox, in the change's transaction. A new
/// trainee gets its TRN request; once the trainee has a TRN, every change of its route sends the route again.
/// </summary>
public sealed class TraOutboxParticipant : ITraineeChangeParticipant
{
    public Task RecordAsync(TraineeChanged changed, CancellationToken ct) => changed.Before switch
    {
        // A trainee registered with the TRN its provider knew needs no TRN request (DfE's Register: "don't request a TRN
        // if we already have one"): its route goes to that TRN, and TRS's 10001 (no such person) parks it for a person.
        null when changed.After.Trn is not null => TraOutbox.EnqueueRouteAsync(changed.Work, changed.After, changed.At, ct),
        null => TraOutbox.EnqueueTrnRequestAsync(changed.Work, changed.After, changed.At, ct),
        { } before when changed.After.Trn is not null && TraRules.RouteChanged(before, changed.After) => TraOutbox.EnqueueRouteAsync(changed.Work, changed.After, changed.At, ct),
        _ => Task.CompletedTask,
    };
}
