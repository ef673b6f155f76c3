using System.Text.Json;
using Dapper;

namespace Iqts.Api.Events;

/// <summary>An event to write: its type, what it is about (<c>trainees/{id}</c>), its data, and the streams that read it.</summary>
public sealed record NewEvent(EventType Type, string Subject, object Data, IReadOnlyList<string> Streams);

/// <summary>An event as a stream holds it.</summary>
public sealed record StoredEvent
{
    public long Seq { get; init; }

    public long Position { get; init; }

    public Guid Id { get; init; }

    public string Type { get; init; } = "";

    public string Subject { get; init; } = "";

    public DateTimeOffset OccurredAt { get; init; }

    public string Data { get; init; } = "";
}

/// <summary>
/// The event log, on the caller's unit of work: an event is written in the transaction of the change it tells of, so
/// nothing is committed without its event and no event without its change (ADR 0008, participants). Each stream's
/// positions come from its own change counter, whose row stays locked until commit, so a stream is read in commit order
/// with no gap. With the event go its deliveries: one to each active subscription of the stream that wants its type.
/// </summary>
public static class EventLog
{
    /// <summary>Writes <paramref name="e"/> into each of its streams and queues its deliveries; its id (the CloudEvents id).</summary>
    public static async Task<Guid> AppendAsync(UnitOfWork work, NewEvent e, DateTimeOffset at, CancellationToken ct)
    {
        var id = Guid.CreateVersion7(at);
        var data = JsonSerializer.Serialize(e.Data, e.Data.GetType(), Json.Options);
        var queued = 0;
        // Streams in one order everywhere: each takes its counter's row lock to commit, and two writers taking two
        // counters in opposite orders (a return, then DfE's; DfE's, then a provider's) would deadlock on PostgreSQL.
        foreach (var stream in e.Streams.Order(StringComparer.Ordinal))
        {
            var (seq, subscriptions) = await InsertAsync(work, stream, id, e.Type.Name, e.Subject, at, data, ct);
            foreach (var subscription in subscriptions)
            {
                queued += await InsertDeliveryAsync(work, Guid.CreateVersion7(at), subscription, seq, e.Subject, at, ct);
            }
        }

        if (queued > 0)
        {
            work.AfterCommit(EventSignal.Pulse);
        }

        return id;
    }

    /// <summary>
    /// A <c>ping</c> for one subscription (<c>POST …/ping</c>): an event in no feed (the stream <c>ping</c>, which no
    /// subscription reads) and its one delivery, whatever the subscription's types. The delivery's id.
    /// </summary>
    public static async Task<Guid> PingAsync(UnitOfWork work, Guid subscription, object data, DateTimeOffset at, CancellationToken ct)
    {
        var subject = $"webhook-subscriptions/{subscription}";
        var (seq, _) = await InsertAsync(work, "ping", Guid.CreateVersion7(at), EventTypes.Ping.Name, subject, at, JsonSerializer.Serialize(data, Json.Options), ct);
        var delivery = Guid.CreateVersion7(at);
        await InsertDeliveryAsync(work, delivery, subscription, seq, subject, at, ct);
        work.AfterCommit(EventSignal.Pulse);
        return delivery;
    }

    /// <summary>
    /// The event at the stream's next position, and the active subscriptions of the stream that want its type (a
    /// subscription's types are <c>,a,b,</c>, or empty for every type). One round trip: the position (provisional on
    /// PostgreSQL, settled at commit; otherwise ChangeSequence's upsert, when this write does not hold the counter yet), the
    /// row, the subscriptions.
    /// </summary>
    private static async Task<(long Seq, List<Guid> Subscriptions)> InsertAsync(UnitOfWork work, string stream, Guid id, string type, string subject,
        DateTimeOffset at, string data, CancellationToken ct)
    {
        var scope = "events:" + stream;
        var (held, position) = await ChangeSequence.NextWithoutStatementAsync(work, scope, provisional: true, ct);
        work.Placed(position, "events", "position");
        await using var results = await work.Connection.QueryMultipleAsync(work.Command(
            $"""
            {(held ? "" : ChangeSequence.NextStatement + ";")}
            INSERT INTO events (stream, position, id, type, subject, occurred_at, data)
            VALUES (@stream, {(held ? "@position" : ChangeSequence.CurrentValue)}, @id, @type, @subject, @at, @data)
            RETURNING seq;
            SELECT id FROM webhook_subscriptions WHERE stream = @stream AND state = 'active' AND (types = '' OR types LIKE @like);
            """,
            new { scope, stream, position, id, type, subject, at, data, like = $"%,{type},%" }, ct));
        if (!held)
        {
            // The stream's counter is this write's now (ChangeSequence.NextAsync): its next events count in memory.
            work.Hold(scope, await results.ReadSingleAsync<long>());
        }

        var seq = await results.ReadSingleAsync<long>();
        return (seq, (await results.ReadAsync<Guid>()).ToList());
    }

    /// <summary>One delivery, due now.</summary>
    private static Task<int> InsertDeliveryAsync(UnitOfWork work, Guid id, Guid subscription, long eventSeq, string subject, DateTimeOffset at, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            """
            INSERT INTO webhook_deliveries (id, subscription_id, event_seq, subject, state, attempts, failures, next_attempt_at, created_at)
            VALUES (@id, @subscription, @eventSeq, @subject, 'pending', 0, 0, @at, @at)
            """,
            new { id, subscription, eventSeq, subject, at }, ct));

    /// <summary>A stream's events after <paramref name="after"/>, of <paramref name="types"/> when given; <paramref name="take"/> and one more.</summary>
    public static async Task<IReadOnlyList<StoredEvent>> ReadAsync(UnitOfWork work, string stream, long after, int take, IReadOnlyList<string> types, CancellationToken ct) =>
        (await work.Connection.QueryAsync<StoredEvent>(work.Command(
            $"""
            SELECT seq, position, id, type, subject, occurred_at, data FROM events
            WHERE stream = @stream AND position > @after{(types.Count == 0 ? "" : " AND " + work.Dialect.In("type", "types"))}
            ORDER BY position
            LIMIT @limit
            """,
            new { stream, after, types = types.ToArray(), limit = take + 1 }, ct))).ToList();
}

/// <summary>
/// Wakes this process's webhook worker when a transaction that queued deliveries commits, so a delivery leaves within
/// milliseconds rather than at the next poll; other instances find it at their next poll.
/// </summary>
public static class EventSignal
{
    private static readonly WakeSignal Signal = new();

    public static void Pulse() => Signal.Pulse();

    /// <summary>True when pulsed within <paramref name="timeout"/>.</summary>
    public static Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => Signal.WaitAsync(timeout, ct);
}
