using Dapper;

namespace Iqts.Api.Webhooks;

/// <summary>A row of <c>webhook_subscriptions</c>: the types as <c>,a,b,</c>, the state as its name.</summary>
public sealed record SubscriptionRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<SubscriptionRow>();

    public Guid Id { get; init; }

    public string Stream { get; init; } = "";

    public string Url { get; init; } = "";

    public string Types { get; init; } = "";

    public string State { get; init; } = "";

    public string? PausedReason { get; init; }

    public DateTimeOffset? FailingSince { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public Subscription ToSubscription() => SharedProperties.Copy<SubscriptionRow, Subscription>(this) with
    {
        Types = WebhookRules.TypesOf(Types),
        State = EnumText.Parse<SubscriptionState>(State),
    };

    public static SubscriptionRow From(Subscription s) => SharedProperties.Copy<Subscription, SubscriptionRow>(s) with
    {
        Types = WebhookRules.StoredTypes(s.Types),
        State = EnumText.Name(s.State),
    };
}

/// <summary>Webhook subscriptions, on the caller's unit of work; every read is narrowed to the owner's stream.</summary>
public static class SubscriptionRepository
{
    private static readonly string Select = $"SELECT {SubscriptionRow.Columns.Select()} FROM webhook_subscriptions";

    public static async Task<IReadOnlyList<Subscription>> ListAsync(UnitOfWork work, string stream, CancellationToken ct) =>
        (await work.Connection.QueryAsync<SubscriptionRow>(work.Command($"{Select} WHERE stream = @stream ORDER BY created_at, id", new { stream }, ct)))
            .Select(r => r.ToSubscription()).ToList();

    /// <summary>The owner's subscription; null when there is none with that id in its stream (another owner's included).</summary>
    public static async Task<Subscription?> FindAsync(UnitOfWork work, string stream, Guid id, CancellationToken ct, bool forUpdate = false) =>
        (await work.Connection.QuerySingleOrDefaultAsync<SubscriptionRow>(work.Command(
            $"{Select} WHERE stream = @stream AND id = @id{(forUpdate ? work.ForUpdate : "")}", new { stream, id }, ct)))?.ToSubscription();

    /// <summary>A subscription by id alone, for the worker (which acts for every owner).</summary>
    public static async Task<Subscription?> FindByIdAsync(UnitOfWork work, Guid id, CancellationToken ct) =>
        (await work.Connection.QuerySingleOrDefaultAsync<SubscriptionRow>(work.Command($"{Select} WHERE id = @id", new { id }, ct)))?.ToSubscription();

    public static Task InsertAsync(UnitOfWork work, Subscription subscription, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO webhook_subscriptions {SubscriptionRow.Columns.InsertValues()}", SubscriptionRow.From(subscription), ct));

    public static Task UpdateAsync(UnitOfWork work, Subscription subscription, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            $"UPDATE webhook_subscriptions SET {SubscriptionRow.Columns.SetAllBut("id", "stream", "created_at")} WHERE id = @Id", SubscriptionRow.From(subscription), ct));

    /// <summary>The subscription and its deliveries.</summary>
    public static async Task DeleteAsync(UnitOfWork work, Guid id, CancellationToken ct)
    {
        await work.Connection.ExecuteAsync(work.Command("DELETE FROM webhook_deliveries WHERE subscription_id = @id", new { id }, ct));
        await work.Connection.ExecuteAsync(work.Command("DELETE FROM webhook_subscriptions WHERE id = @id", new { id }, ct));
    }

    /// <summary>After a delivery's answer: failing since the first failure after a success, or not failing; paused, with why, when it has failed too long.</summary>
    public static Task RecordOutcomeAsync(UnitOfWork work, Guid id, bool delivered, DateTimeOffset now, string? pauseReason, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            delivered
                ? "UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = @id AND failing_since IS NOT NULL"
                : pauseReason is null
                    ? "UPDATE webhook_subscriptions SET failing_since = @now WHERE id = @id AND failing_since IS NULL"
                    : "UPDATE webhook_subscriptions SET state = 'paused', paused_reason = @pauseReason, updated_at = @now, row_version = row_version + 1 WHERE id = @id AND state = 'active'",
            new { id, now, pauseReason }, ct));
}
