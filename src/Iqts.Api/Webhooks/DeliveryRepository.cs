using Dapper;

namespace Iqts.Api.Webhooks;

/// <summary>
/// Webhook deliveries, on the caller's unit of work. They are written with their event (Events/EventLog.cs); the worker
/// claims due ones by lease, each the earliest pending one of its subscription and subject, so a subject's events arrive
/// in order (PostgreSQL's <c>FOR UPDATE SKIP LOCKED</c>, and on every engine a claim that only succeeds if the lease is free).
/// </summary>
public static class DeliveryRepository
{
    /// <summary>A delivery with its event and its subscription's URL.</summary>
    private const string Select =
        """
        SELECT d.seq, d.id, d.subscription_id, d.event_seq, d.subject, d.state, d.attempts, d.failures, d.next_attempt_at, d.locked_by, d.last_status,
               d.last_error, d.last_attempt_at, d.created_at, d.delivered_at, e.id AS event_id, e.type AS event_type, e.occurred_at AS event_time,
               e.data AS event_data, s.url
        FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq JOIN webhook_subscriptions s ON s.id = d.subscription_id
        """;

    /// <summary>How many deliveries wait, and since when the oldest has (the queue gauges').</summary>
    public static async Task<(long Depth, DateTimeOffset? Oldest)> BacklogAsync(UnitOfWork work, CancellationToken ct) =>
        (await work.Connection.ExecuteScalarAsync<long>(work.Command("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'", null, ct)),
         await work.Connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(work.Command(
             "SELECT created_at FROM webhook_deliveries WHERE state = 'pending' ORDER BY created_at LIMIT 1", null, ct)));

    /// <summary>Up to <paramref name="batch"/> deliveries due at <paramref name="now"/>, of active subscriptions, claimed for <paramref name="instance"/>.</summary>
    public static async Task<IReadOnlyList<Delivery>> ClaimAsync(UnitOfWork work, string instance, int batch, TimeSpan lease, DateTimeOffset now, CancellationToken ct)
    {
        var due = (await work.Connection.QueryAsync<long>(work.Command(
            $"""
            SELECT d.seq FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
            WHERE d.state = 'pending' AND d.next_attempt_at <= @now AND (d.locked_until IS NULL OR d.locked_until < @now) AND s.state = 'active'
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                              WHERE e.subscription_id = d.subscription_id AND e.subject = d.subject AND e.state = 'pending' AND e.seq < d.seq)
            ORDER BY d.next_attempt_at, d.seq
            LIMIT @batch{work.Dialect.SkipLocked}
            """,
            new { now, batch }, ct))).ToList();
        var claimed = new List<long>();
        foreach (var seq in due)
        {
            // Succeeds only if no one else holds the lease: the claim is safe on SQLite too, where nothing is skipped.
            claimed.AddRange(await work.Connection.QueryAsync<long>(work.Command(
                """
                UPDATE webhook_deliveries SET locked_by = @instance, locked_until = @until
                WHERE seq = @seq AND state = 'pending' AND (locked_until IS NULL OR locked_until < @now)
                RETURNING seq
                """,
                new { seq, instance, until = now + lease, now }, ct)));
        }

        return claimed.Count == 0 ? [] : (await work.Connection.QueryAsync<Delivery>(work.Command($"{Select} WHERE {work.Dialect.In("d.seq", "claimed")} ORDER BY d.seq", new { claimed = claimed.ToArray() }, ct))).ToList();
    }

    /// <summary>Records one attempt; false when the lease was lost (another instance has the delivery now, and its answer counts).</summary>
    public static async Task<bool> SaveAsync(UnitOfWork work, Delivery delivery, DeliveryStep step, DateTimeOffset now, CancellationToken ct) =>
        await work.Connection.ExecuteAsync(work.Command(
            """
            UPDATE webhook_deliveries SET state = @state, attempts = attempts + 1, failures = @Failures, next_attempt_at = @next, last_status = @Status,
                last_error = @error, last_attempt_at = @now, delivered_at = @delivered, locked_by = NULL, locked_until = NULL
            WHERE seq = @Seq AND locked_by = @LockedBy
            """,
            new
            {
                delivery.Seq,
                delivery.LockedBy,
                state = EnumText.Name(step.State),
                step.Failures,
                next = now + step.Delay,
                step.Status,
                error = step.Error is { Length: > 500 } e ? e[..500] : step.Error,
                now,
                delivered = step.State == DeliveryState.Delivered ? now : (DateTimeOffset?)null,
            }, ct)) == 1;

    /// <summary>A subscription's deliveries after the cursor position, oldest first; <paramref name="take"/> and one more.</summary>
    public static async Task<IReadOnlyList<Delivery>> ListAsync(UnitOfWork work, Guid subscriptionId, long after, int take, CancellationToken ct) =>
        (await work.Connection.QueryAsync<Delivery>(work.Command(
            $"{Select} WHERE d.subscription_id = @subscriptionId AND d.seq > @after ORDER BY d.seq LIMIT @limit", new { subscriptionId, after, limit = take + 1 }, ct))).ToList();

    public static async Task<Delivery?> FindAsync(UnitOfWork work, Guid subscriptionId, Guid id, CancellationToken ct) =>
        await work.Connection.QuerySingleOrDefaultAsync<Delivery>(work.Command($"{Select} WHERE d.subscription_id = @subscriptionId AND d.id = @id", new { subscriptionId, id }, ct));

    /// <summary>A failed delivery back to pending, due now, its backoff reset.</summary>
    public static Task RetryAsync(UnitOfWork work, long seq, DateTimeOffset now, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            "UPDATE webhook_deliveries SET state = 'pending', failures = 0, next_attempt_at = @now WHERE seq = @seq AND state = 'failed'", new { seq, now }, ct));
}
