using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Iqts.Api.Telemetry;

/// <summary>
/// The API's own spans and metrics, beside what the ASP.NET Core, HttpClient and Npgsql instrumentation give (ADR 0013).
/// Tags carry ids, codes, states and counts, never personal data: no name, date of birth or email goes into any of them
/// (a test reads every span and metric to make sure).
/// </summary>
public static class IqtsTelemetry
{
    /// <summary>The name of the API's ActivitySource and Meter.</summary>
    public const string Name = "Iqts.Api";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Deliveries to TRS and to webhook receivers, by <c>iqts.channel</c> (tra, webhook) and <c>iqts.result</c>.</summary>
    public static readonly Counter<long> DeliveryAttempts = Meter.CreateCounter<long>("iqts.delivery.attempts", "{attempt}",
        "Delivery attempts to TRS and to webhook receivers, by channel and result.");

    /// <summary>Bearer-token lookups in the in-memory cache, by <c>iqts.result</c> (hit, miss).</summary>
    public static readonly Counter<long> TokenCacheLookups = Meter.CreateCounter<long>("iqts.token_cache.lookups", "{lookup}",
        "Bearer-token lookups: hit (known to this instance) or miss (read from the database).");

    /// <summary>Requests a rate limiter refused, by <c>iqts.limiter</c> (token, address, failed_authentication).</summary>
    public static readonly Counter<long> RateLimitRefusals = Meter.CreateCounter<long>("iqts.rate_limit.refusals", "{request}",
        "Requests refused with 429, by limiter.");

    /// <summary>How long a write waited for the writers' gate (ADR 0007): SQLite's single writer, PostgreSQL's <c>Database:Writers</c>.</summary>
    public static readonly Histogram<double> WriterGateWait = Meter.CreateHistogram<double>("iqts.writer_gate.wait", "s",
        "How long a write waited for its turn at the writers' gate (SQLite: one writer; PostgreSQL: Database:Writers at once).");

    private static readonly ConcurrentDictionary<string, (long Depth, double OldestAge)> Queues = new(StringComparer.Ordinal);

    private static readonly ObservableGauge<long> QueueDepth;

    static IqtsTelemetry()
    {
        QueueDepth = Meter.CreateObservableGauge("iqts.queue.depth", () => Queues.Select(q => new Measurement<long>(q.Value.Depth, new KeyValuePair<string, object?>("iqts.queue", q.Key))),
            "{message}", "Messages waiting in the TRA outbox and the webhook queue, as their workers last read them.");
        Meter.CreateObservableGauge("iqts.queue.oldest_age", () => Queues.Select(q => new Measurement<double>(q.Value.OldestAge, new KeyValuePair<string, object?>("iqts.queue", q.Key))),
            "s", "Age of the oldest message waiting in the TRA outbox and the webhook queue, as their workers last read them.");
    }

    /// <summary>Whether anything collects the queue gauges: when not (telemetry off), the workers do not count their queues.</summary>
    public static bool QueuesObserved => QueueDepth.Enabled;

    /// <summary>A worker's latest reading of its queue, which the gauges report.</summary>
    public static void QueueRead(string queue, long depth, TimeSpan oldestAge) => Queues[queue] = (depth, Math.Max(0, oldestAge.TotalSeconds));

    /// <summary>A delivery's span: one message of the TRA outbox or one webhook delivery, with its id.</summary>
    public static Activity? StartDelivery(string channel, string messageId)
    {
        var activity = Source.StartActivity($"{channel} deliver", ActivityKind.Internal);
        activity?.SetTag("iqts.channel", channel);
        activity?.SetTag("iqts.message.id", messageId);
        return activity;
    }

    /// <summary>A delivery's result on its span and in the attempts counter.</summary>
    public static void Delivered(Activity? activity, string channel, string result)
    {
        activity?.SetTag("iqts.result", result);
        DeliveryAttempts.Add(1, new KeyValuePair<string, object?>("iqts.channel", channel), new KeyValuePair<string, object?>("iqts.result", result));
    }
}
