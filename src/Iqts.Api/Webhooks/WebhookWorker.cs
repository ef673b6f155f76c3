using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using Iqts.Api.Events;
using Iqts.Api.Telemetry;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Webhooks;

/// <summary>
/// Delivers webhooks as TRS does: each event POSTed in CloudEvents 1.0 binary mode (the <c>ce-</c> headers, the data as
/// the body), signed under RFC 9421 with the newest key (<c>ecdsa-p384-sha384</c> over the method, the target URI, the
/// body's Content-Digest, its type and the event's id, type and time), any 2xx within the timeout delivering. Otherwise
/// TRS's schedule, then failed; a subscription whose deliveries have all failed for three days is paused and says why.
/// Deliveries are claimed by lease, each subscription's in order per subject, several instances side by side; a killed
/// instance's claims run out and are sent again (at least once; the <c>ce-id</c> is the same every time).
/// </summary>
public sealed partial class WebhookWorker(
    IDbConnectionFactory db, IHttpClientFactory http, WebhookKeys keys, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookWorker> log)
    : BackgroundService
{
    public const string HttpClientName = "webhooks";

    /// <summary>The components every signature covers (issue 21), as they are named in <c>Signature-Input</c>.</summary>
    public static readonly string[] CoveredComponents = ["@method", "@target-uri", "content-digest", "content-type", "ce-id", "ce-type", "ce-time"];

    private static readonly JsonEventFormatter Formatter = new();

    public string Instance { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Worker)
        {
            NotDelivering(log);
            return;
        }

        // When idle, woken by a commit of this instance that queued a delivery; otherwise the next poll (real time:
        // due-ness is judged by the app's clock).
        await WorkerLoop.RunAsync(async ct => await RunOnceAsync(ct) > 0, ct => EventSignal.WaitAsync(options.Value.PollInterval, ct),
            ex => PassFailed(log, ex), stoppingToken);
    }

    /// <summary>One pass: the due deliveries claimed, sent side by side and recorded; how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        IReadOnlyList<Delivery> batch;
        await using (var work = await UnitOfWork.BeginWriteAsync(db, ct))
        {
            var now = time.UtcNowMicros();
            if (IqtsTelemetry.QueuesObserved)
            {
                var (depth, oldest) = await DeliveryRepository.BacklogAsync(work, ct);
                IqtsTelemetry.QueueRead("webhook_deliveries", depth, oldest is { } since ? now - since : TimeSpan.Zero);
            }

            batch = await DeliveryRepository.ClaimAsync(work, Instance, settings.BatchSize, settings.Lease, now, ct);
            await work.CommitAsync(ct);
        }

        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = settings.BatchSize, CancellationToken = ct }, DeliverAsync);
        return batch.Count;
    }

    private async ValueTask DeliverAsync(Delivery delivery, CancellationToken ct)
    {
        using var activity = IqtsTelemetry.StartDelivery("webhook", delivery.Id.ToString());
        var (status, error) = await SendAsync(delivery, ct);
        var step = WebhookRules.AfterAttempt(status, error, delivery.Failures);
        IqtsTelemetry.Delivered(activity, "webhook", EnumText.Name(step.State));
        var saved = await db.WriteAsync<bool>(async work =>
        {
            var now = time.UtcNowMicros();
            if (!await DeliveryRepository.SaveAsync(work, delivery, step, now, ct))
            {
                return false;
            }

            var delivered = step.State == DeliveryState.Delivered;
            var failingSince = delivered ? null : await FailingSinceAsync(work, delivery.SubscriptionId, ct);
            var pause = WebhookRules.Pauses(failingSince, now, options.Value)
                ? $"Paused on {now:yyyy-MM-dd HH:mm} UTC: every delivery has failed since {failingSince:yyyy-MM-dd HH:mm} UTC (last: {step.Error}). Fix the receiver, then PATCH state to active."
                : null;
            await SubscriptionRepository.RecordOutcomeAsync(work, delivery.SubscriptionId, delivered, now, pause, ct);
            if (pause is not null)
            {
                Paused(log, delivery.SubscriptionId);
            }

            return true;
        }, ct);
        if (!saved.Value)
        {
            TakenOver(log, delivery.Id);
        }
    }

    private static async Task<DateTimeOffset?> FailingSinceAsync(UnitOfWork work, Guid subscriptionId, CancellationToken ct) =>
        (await SubscriptionRepository.FindByIdAsync(work, subscriptionId, ct))?.FailingSince;

    /// <summary>The request sent, and the receiver's status, or why there was none.</summary>
    private async Task<(int? Status, string? Error)> SendAsync(Delivery delivery, CancellationToken ct)
    {
        try
        {
            using var request = await BuildAsync(delivery);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.Timeout);
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return ((int)response.StatusCode, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"No answer within {options.Value.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.InnerException is ReceiverAddressRefusedException refused ? refused.Message : $"No connection to the receiver ({ex.HttpRequestError}).");
        }
    }

    /// <summary>The event in CloudEvents binary mode, signed.</summary>
    public async Task<HttpRequestMessage> BuildAsync(Delivery delivery)
    {
        var settings = options.Value;
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = delivery.EventId.ToString(),
            Type = delivery.EventType,
            Source = settings.Source,
            Subject = delivery.Subject,
            Time = delivery.EventTime,
            DataSchema = new Uri(settings.Source, "/swagger/v1/swagger.json"),
            DataContentType = "application/json",
            Data = JsonDocument.Parse(delivery.EventData).RootElement,
        };
        using var content = cloudEvent.ToHttpContent(ContentMode.Binary, Formatter);
        var body = await content.ReadAsByteArrayAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        foreach (var (name, values) in content.Headers)
        {
            request.Content.Headers.TryAddWithoutValidation(name, values);
        }

        request.Content.Headers.TryAddWithoutValidation("Content-Digest", MessageSignatures.ContentDigest(body));
        var (keyId, key) = keys.Signing;
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var parameters = new MessageSignatures.Parameters(CoveredComponents, created, created + (long)settings.SignatureLifetime.TotalSeconds, keyId, Tag: "iqts-webhooks");
        var (input, signature) = MessageSignatures.Sign(key, "sig1", parameters, name => name switch
        {
            "@method" => request.Method.Method,
            "@target-uri" => request.RequestUri!.AbsoluteUri,
            _ => request.Content.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null,
        });
        request.Headers.TryAddWithoutValidation("Signature-Input", input);
        request.Headers.TryAddWithoutValidation("Signature", signature);
        return request;
    }

    // Deliveries and subscriptions by id; never an event's data.
    [LoggerMessage(Level = LogLevel.Information, Message = "Webhooks: Webhooks:Worker is false, so this instance delivers nothing; another instance's worker does.")]
    private static partial void NotDelivering(ILogger log);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the webhook worker failed; the next pass retries.")]
    private static partial void PassFailed(ILogger log, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} was taken over by another instance; its answer stands.")]
    private static partial void TakenOver(ILogger log, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId} is paused: its deliveries have failed for too long.")]
    private static partial void Paused(ILogger log, Guid subscriptionId);
}
