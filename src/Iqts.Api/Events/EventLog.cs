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
            if (await InsertAsync(work, stream, id, e.Type.Name, e.Subject, at, data, mayHoldBack: true, ct) is not { } inserted)
            {
                continue;
            }

            var (seq, subscriptions) = inserted;
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
        var (seq, _) = (await InsertAsync(work, "ping", Guid.CreateVersion7(at), EventTypes.Ping.Name, subject, at, JsonSerializer.Serialize(data, Json.Options),
            mayHoldBack: false, ct))!.Value;
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
    /// <para>
    /// On PostgreSQL, the event of a stream that had no subscription when last looked at (<see cref="Subscribed"/>) may
    /// instead be held back with the write's other held rows (<see cref="UnitOfWork.WriteLaterAsync"/>), saving its round
    /// trip: a registration's fifth of seven, a batch row's second of two. Its deliveries are still written by the same
    /// statement, from the subscriptions it finds then (one made meanwhile by another instance gets its delivery, which
    /// the worker finds at its next poll instead of being woken). Null when held back.
    /// </para>
    /// </summary>
    private static async Task<(long Seq, List<Guid> Subscriptions)?> InsertAsync(UnitOfWork work, string stream, Guid id, string type, string subject,
        DateTimeOffset at, string data, bool mayHoldBack, CancellationToken ct)
    {
        var scope = "events:" + stream;
        var (held, position) = await ChangeSequence.NextWithoutStatementAsync(work, scope, provisional: true, ct);
        work.Placed(position, "events", "position");
        var mayHold = mayHoldBack && work.Dialect == SqlDialect.Postgres;
        if (held && mayHold && Subscribed.KnownNone(stream, type))
        {
            // The delivery's id is a UUIDv7 of the event's time, as Guid.CreateVersion7 makes (PostgreSQL 15 has no
            // uuidv7()): a random UUID's first 48 bits replaced by the Unix time in whole milliseconds, its version 4 made 7.
            await work.WriteLaterAsync(
                """
                WITH e AS (
                    INSERT INTO events (stream, position, id, type, subject, occurred_at, data)
                    VALUES (@stream, @position, @id, @type, @subject, @at, @data)
                    RETURNING seq)
                INSERT INTO webhook_deliveries (id, subscription_id, event_seq, subject, state, attempts, failures, next_attempt_at, created_at)
                SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                           placing substring(int8send(floor(extract(epoch FROM @at) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid,
                       s.id, e.seq, @subject, 'pending', 0, 0, @at, @at
                FROM e, webhook_subscriptions s
                WHERE s.stream = @stream AND s.state = 'active' AND (s.types = '' OR s.types LIKE @like)
                """,
                new { stream, position, id, type, subject, at, data, like = $"%,{type},%" }, ct);
            return null;
        }

        // What this write held back goes first (an event of it among them must keep its place before this one).
        await using var results = await work.ReadAfterHeldAsync(
            $"""
            {(held ? "" : ChangeSequence.NextStatement + ";")}
            INSERT INTO events (stream, position, id, type, subject, occurred_at, data)
            VALUES (@stream, {(held ? "@position" : ChangeSequence.CurrentValue)}, @id, @type, @subject, @at, @data)
            RETURNING seq;
            SELECT id FROM webhook_subscriptions WHERE stream = @stream AND state = 'active' AND (types = '' OR types LIKE @like);
            """,
            new { scope, stream, position, id, type, subject, at, data, like = $"%,{type},%" }, ct);
        ct = work.Token(ct);
        if (!held)
        {
            // The stream's counter is this write's now (ChangeSequence.NextAsync): its next events count in memory.
            work.Hold(scope, await SingleAsync(results, ct));
            await results.NextResultAsync(ct);
        }

        var seq = await SingleAsync(results, ct);
        await results.NextResultAsync(ct);
        var subscriptions = new List<Guid>();
        while (await results.ReadAsync(ct))
        {
            subscriptions.Add(results.GetGuid(0));
        }

        if (mayHold)
        {
            Subscribed.Seen(stream, type, subscriptions.Count > 0);
        }

        return (seq, subscriptions);
    }

    private static async Task<long> SingleAsync(System.Data.Common.DbDataReader results, CancellationToken ct) =>
        await results.ReadAsync(ct) ? results.GetInt64(0) : throw new InvalidOperationException("The statement returned no row.");

    /// <summary>
    /// Whether a stream had active subscriptions to a type of event when this process last wrote one, for a second: a
    /// stream with none is the common case (the benchmark's, and any provider not using webhooks), and its events can be
    /// held back. A subscription made or changed here forgets them all at once (<see cref="Forget"/>).
    /// </summary>
    public static class Subscribed
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Stream, string Type), (bool Any, long At)> Lookups = new();

        private const long FreshForMs = 1000;

        public static void Seen(string stream, string type, bool any) => Lookups[(stream, type)] = (any, Environment.TickCount64);

        public static bool KnownNone(string stream, string type) =>
            Lookups.TryGetValue((stream, type), out var seen) && !seen.Any && Environment.TickCount64 - seen.At < FreshForMs;

        public static void Forget() => Lookups.Clear();
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
