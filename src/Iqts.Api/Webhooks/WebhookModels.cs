using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Iqts.Api.Webhooks;

/// <summary><c>Webhooks:*</c>, checked at start-up.</summary>
public sealed class WebhookOptions
{
    /// <summary>The CloudEvents <c>source</c> of every event (<c>ce-source</c>): this API.</summary>
    public Uri Source { get; set; } = new("https://iqts.education.gov.uk/api/v1");

    /// <summary>
    /// Whether a subscription may name a loopback address (<c>http://127.0.0.1:…</c> included): for development and tests
    /// only. Otherwise an <c>https</c> URL whose host resolves only to public addresses.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Whether a subscription may name a private or link-local address (a receiver inside the same network).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Whether this instance runs the delivery worker (the deliveries are shared: any number may run it).</summary>
    public bool Worker { get; set; } = true;

    /// <summary>How often the worker looks for due deliveries when it is not woken by a commit of this instance.</summary>
    [TimeSpanRange("00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed delivery is the claiming instance's.</summary>
    [TimeSpanRange("00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Deliveries one worker claims at a time and sends side by side.</summary>
    [Range(1, 200)]
    public int BatchSize { get; set; } = 32;

    /// <summary>How long a receiver has to answer: any 2xx within it delivers (TRS: 30 s).</summary>
    [TimeSpanRange("00:00:00.100", "00:02:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A subscription that has failed every delivery for this long is paused, and says why.</summary>
    [TimeSpanRange("00:01:00", "30.00:00:00")]
    public TimeSpan PauseAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long a signature is valid for (its <c>expires</c> after <c>created</c>; TRS: 300 s).</summary>
    [TimeSpanRange("00:00:10", "01:00:00")]
    public TimeSpan SignatureLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The signing keys, EC P-384 in PKCS#8 PEM: all are published in the JWKS, the newest (by <c>CreatedOn</c>) signs, so a
    /// key is rotated by adding the next one a while before it signs and removing the old one once receivers have it.
    /// Without any, an instance makes a key of its own at start-up and says so: fine for one instance in development.
    /// </summary>
    public List<WebhookSigningKey> SigningKeys { get; set; } = [];
}

public sealed class WebhookSigningKey
{
    [Required]
    public string Id { get; set; } = "";

    [Required]
    public string PrivateKeyPem { get; set; } = "";

    public DateTimeOffset CreatedOn { get; set; }
}

public enum SubscriptionState
{
    Active,
    Paused,
}

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>A webhook subscription as its owner sends it.</summary>
/// <param name="Url">Where events are POSTed: <c>https</c>, to a host that resolves to public addresses only (at most 2,000 characters).</param>
/// <param name="Types">The event types wanted (see the README's table); empty or absent for every type.</param>
/// <param name="State"><c>active</c> (the default) or <c>paused</c>: a paused subscription is sent nothing; the feed still has every event.</param>
public sealed record SubscriptionRequest([property: Required] string? Url, IReadOnlyList<string>? Types, SubscriptionState? State);

/// <summary>A webhook subscription as stored: its owner's stream, and how its deliveries stand.</summary>
public sealed record Subscription : IVersioned
{
    public Guid Id { get; init; }

    public string Stream { get; init; } = "";

    public string Url { get; init; } = "";

    public IReadOnlyList<string> Types { get; init; } = [];

    public SubscriptionState State { get; init; }

    public string? PausedReason { get; init; }

    public DateTimeOffset? FailingSince { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }
}

/// <summary>A webhook subscription.</summary>
/// <param name="SubscriptionId">Its id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Types">The event types it wants; empty for every type.</param>
/// <param name="State">Whether it is sent events.</param>
/// <param name="PausedReason">Why it was paused by the API (its receiver failed every delivery for three days); null otherwise.</param>
/// <param name="FailingSince">Since when every delivery has failed; null while its receiver answers.</param>
public sealed record SubscriptionResponse(string SubscriptionId, string Url, IReadOnlyList<string> Types, SubscriptionState State, string? PausedReason,
    DateTimeOffset? FailingSince, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public SubscriptionResponse(Subscription s)
        : this(s.Id.ToString(), s.Url, s.Types, s.State, s.PausedReason, s.FailingSince, s.CreatedAt, s.UpdatedAt)
    {
    }
}

/// <summary>The owner's subscriptions (at most <see cref="WebhookRules.MaxSubscriptions"/>).</summary>
public sealed record SubscriptionList(IReadOnlyList<SubscriptionResponse> Items);

/// <summary>One event sent, or to be sent, to one subscription.</summary>
public sealed record Delivery
{
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid SubscriptionId { get; init; }

    public long EventSeq { get; init; }

    public string Subject { get; init; } = "";

    public string State { get; init; } = "";

    public int Attempts { get; init; }

    public int Failures { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public string? LockedBy { get; init; }

    public int? LastStatus { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>The event, read with the delivery.</summary>
    public Guid EventId { get; init; }

    public string EventType { get; init; } = "";

    public DateTimeOffset EventTime { get; init; }

    public string EventData { get; init; } = "";

    /// <summary>The subscription's URL, read with the delivery.</summary>
    public string Url { get; init; } = "";
}

/// <summary>A delivery as its subscription's owner sees it.</summary>
/// <param name="DeliveryId">Its id.</param>
/// <param name="EventId">The event's id, <c>ce-id</c>: the same on every attempt.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="State"><c>pending</c> (to be sent, or retried), <c>delivered</c> (a 2xx came back) or <c>failed</c> (given up after about three days; it can be retried).</param>
/// <param name="Attempts">How many times it was sent.</param>
/// <param name="LastStatus">The HTTP status of the last answer; null when there was none (no connection, a timeout, an address refused).</param>
/// <param name="LastError">Why the last attempt failed, when it did.</param>
/// <param name="NextAttemptAt">When a pending delivery is sent next.</param>
public sealed record DeliveryResponse(string DeliveryId, string EventId, string EventType, DeliveryState State, int Attempts, int? LastStatus, string? LastError,
    DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, DateTimeOffset CreatedAt)
{
    public DeliveryResponse(Delivery d)
        : this(d.Id.ToString(), d.EventId.ToString(), d.EventType, EnumText.Parse<DeliveryState>(d.State), d.Attempts, d.LastStatus, d.LastError, d.LastAttemptAt,
            d.State == "pending" ? d.NextAttemptAt : null, d.DeliveredAt, d.CreatedAt)
    {
    }
}

/// <summary>
/// An event as the feed gives it, and as a webhook carries it (in CloudEvents binary mode: these are the <c>ce-</c>
/// headers, and <c>data</c> is the body).
/// </summary>
/// <param name="Id">The event's id (<c>ce-id</c>), the same in every stream and on every delivery: deduplicate by it.</param>
/// <param name="Type">What happened (<c>ce-type</c>): see the README's table of event types.</param>
/// <param name="Source">This API (<c>ce-source</c>).</param>
/// <param name="Subject">What it is about (<c>ce-subject</c>), e.g. <c>trainees/{traineeId}</c>; deliveries about one subject come in order.</param>
/// <param name="Time">When the change was made (<c>ce-time</c>).</param>
/// <param name="Data">Ids, the new state and an <c>href</c> to read the resource; no personal data.</param>
public sealed record EventEnvelope(string Id, string Type, string Source, string Subject, DateTimeOffset Time, JsonElement Data);
