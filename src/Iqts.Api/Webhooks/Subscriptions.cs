using System.Text.Json.Nodes;
using Iqts.Api.Events;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Webhooks;

/// <summary>
/// <c>POST /webhook-subscriptions</c>: the URL and types checked (the receiver's host resolved and its addresses
/// checked before the write), at most ten per owner. A subscription receives the events written after it.
/// </summary>
public sealed class CreateSubscription(IDbConnectionFactory db, ReceiverAddresses addresses, IOptions<WebhookOptions> options, TimeProvider time)
{
    public async Task<Outcome<Subscription>> RunAsync(string stream, SubscriptionRequest request, CancellationToken ct)
    {
        if (request.Url is { } url && await addresses.ProblemAsync(url, ct) is { } problem)
        {
            return ApiErrors.Validation("url", problem);
        }

        return await db.WriteAsync<Subscription>(async work =>
        {
            var others = await SubscriptionRepository.ListAsync(work, stream, ct);
            var decided = WebhookRules.Subscription(request, options.Value, others.Count);
            if (decided.Failed)
            {
                return decided.Error;
            }

            var now = time.UtcNowMicros();
            var subscription = new Subscription
            {
                Id = Guid.CreateVersion7(now),
                Stream = stream,
                Url = decided.Value.Url!,
                Types = decided.Value.Types!,
                State = decided.Value.State ?? SubscriptionState.Active,
                CreatedAt = now,
                UpdatedAt = now,
                RowVersion = 1,
            };
            await SubscriptionRepository.InsertAsync(work, subscription, ct);
            // This process's writers stop holding back events of the stream as if it had no subscription (EventLog).
            work.AfterCommit(EventLog.Subscribed.Forget);
            return subscription;
        }, ct);
    }
}

/// <summary>
/// <c>PATCH /webhook-subscriptions/{id}</c>: a JSON merge patch of the URL, types or state, checked against <c>If-Match</c>.
/// Made active again, a paused subscription forgets why it was paused and how long it had failed.
/// </summary>
public sealed class UpdateSubscription(IDbConnectionFactory db, ReceiverAddresses addresses, IOptions<WebhookOptions> options, TimeProvider time)
{
    public static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<SubscriptionResponse, SubscriptionRequest>(Json.Options);

    public async Task<Outcome<Subscription>> RunAsync(string stream, Guid id, VersionCheck ifMatch, JsonObject patch, CancellationToken ct)
    {
        if (patch["url"] is JsonValue value && value.TryGetValue<string>(out var url) && await addresses.ProblemAsync(url, ct) is { } problem)
        {
            return ApiErrors.Validation("url", problem);
        }

        return await db.WriteAsync<Subscription>(async work =>
        {
            var current = await SubscriptionRepository.FindAsync(work, stream, id, ct, forUpdate: true);
            var decided = ifMatch.Check(current, "webhook subscription")
                .Then(found => MergePatch.Apply(new SubscriptionRequest(found.Url, found.Types, found.State), patch, Json.Options, Immutable))
                .Then(request => WebhookRules.Subscription(request, options.Value, others: 0));
            if (decided.Failed)
            {
                return decided.Error;
            }

            var state = decided.Value.State ?? current!.State;
            var next = current! with
            {
                Url = decided.Value.Url!,
                Types = decided.Value.Types!,
                State = state,
                PausedReason = state == SubscriptionState.Active ? null : current.PausedReason,
                FailingSince = state == SubscriptionState.Active && current.State == SubscriptionState.Paused ? null : current.FailingSince,
            };
            if (next.Url == current.Url && next.Types.SequenceEqual(current.Types) && next.State == current.State && next.PausedReason == current.PausedReason
                && next.FailingSince == current.FailingSince)
            {
                return current;
            }

            var saved = next with { UpdatedAt = time.UtcNowMicros(), RowVersion = current.RowVersion + 1 };
            await SubscriptionRepository.UpdateAsync(work, saved, ct);
            work.AfterCommit(EventLog.Subscribed.Forget);
            return saved;
        }, ct);
    }
}

/// <summary>
/// The smaller use cases of a subscription: delete it (with its deliveries), send it a <c>ping</c>, retry a failed
/// delivery. Each finds the subscription in the caller's own stream, so another owner's answers as an unknown one.
/// </summary>
public sealed class ManageSubscription(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<bool>> DeleteAsync(string stream, Guid id, CancellationToken ct) =>
        db.WriteAsync<bool>(async work =>
        {
            if (await SubscriptionRepository.FindAsync(work, stream, id, ct, forUpdate: true) is null)
            {
                return ApiErrors.NotFound("webhook subscription");
            }

            await SubscriptionRepository.DeleteAsync(work, id, ct);
            return true;
        }, ct);

    /// <summary>A <c>ping</c> event queued to this subscription alone, whatever its types and state; the delivery.</summary>
    public Task<Outcome<Delivery>> PingAsync(string stream, Guid id, CancellationToken ct) =>
        db.WriteAsync<Delivery>(async work =>
        {
            if (await SubscriptionRepository.FindAsync(work, stream, id, ct) is null)
            {
                return ApiErrors.NotFound("webhook subscription");
            }

            var deliveryId = await EventLog.PingAsync(work, id, new { subscriptionId = id.ToString() }, time.UtcNowMicros(), ct);
            return (await DeliveryRepository.FindAsync(work, id, deliveryId, ct))!;
        }, ct);

    /// <summary>A failed delivery due again now, its schedule started afresh; 409 for one that has not failed.</summary>
    public Task<Outcome<Delivery>> RetryAsync(string stream, Guid id, Guid deliveryId, CancellationToken ct) =>
        db.WriteAsync<Delivery>(async work =>
        {
            var delivery = await SubscriptionRepository.FindAsync(work, stream, id, ct) is null ? null : await DeliveryRepository.FindAsync(work, id, deliveryId, ct);
            if (delivery is null || delivery.State != "failed")
            {
                return delivery is null ? ApiErrors.NotFound("delivery") : ApiErrors.DeliveryNotFailed(delivery.State);
            }

            await DeliveryRepository.RetryAsync(work, delivery.Seq, time.UtcNowMicros(), ct);
            work.AfterCommit(EventSignal.Pulse);
            return (await DeliveryRepository.FindAsync(work, id, deliveryId, ct))!;
        }, ct);
}
