using System.Text.Json;
using Iqts.Api.Events;

namespace Iqts.Api.Webhooks;

/// <summary>
/// Events for integrators: the gap-free feed of each role's stream, and webhook subscriptions to the same events. Each
/// role reads and subscribes to its own: a provider its trainees, returns and approval; the TRA awards; DfE providers.
/// </summary>
[Tags("Events"), Authorize(Roles = Roles.Provider + "," + Roles.Tra + "," + Roles.Dfe)]
public static class WebhookEndpoints
{
    /// <summary>The caller's events in commit order (gap-free cursor): the pull alternative to webhooks, and the way to catch up</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page; keep the last one to resume.</param>
    /// <param name="types">Only these event types, comma-separated (e.g. <c>trainee.trn_received,trainee.awarded</c>).</param>
    /// <remarks>The same events, with the same ids and data, as the webhooks carry; an event is here once its change has committed.</remarks>
    [Get("/events"), EndpointName("ListEvents"), Problems(400)]
    private static Task<Results<Ok<Page<EventEnvelope>>, ProblemHttpResult>> Events(
        int? limit, string? cursor, string? types, [AsParameters] Caller caller, IDbConnectionFactory db, Microsoft.Extensions.Options.IOptions<WebhookOptions> options,
        CancellationToken ct)
    {
        var (wanted, query) = WebhookRules.TypesQuery(types);
        return Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => EventLog.ReadAsync(work, StreamOf(caller), after, take, wanted, ct), ct),
            e => e.Position, e => Envelope(e, options.Value), query);
    }

    /// <summary>The caller's webhook subscriptions</summary>
    [Get("/webhook-subscriptions"), EndpointName("ListWebhookSubscriptions")]
    private static async Task<Ok<SubscriptionList>> List([AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        TypedResults.Ok(new SubscriptionList([.. (await db.ReadAsync(work => SubscriptionRepository.ListAsync(work, StreamOf(caller), ct), ct)).Select(s => new SubscriptionResponse(s))]));

    /// <summary>Subscribe a receiver to the caller's events (all of them, or the types named)</summary>
    /// <remarks>The URL is https, to a host that resolves to public addresses only (checked again on every delivery); at most 10 subscriptions. Verify each delivery's signature against GET /.well-known/webhook-jwks.json.</remarks>
    [Example("subscription", "A receiver for TRNs and awards", """{ "url": "https://203.0.113.10/iqts/webhooks", "types": ["trainee.trn_received", "trainee.awarded"] }""")]
    [Post("/webhook-subscriptions"), EndpointName("CreateWebhookSubscription"), ETag, Problems(400, 413, 415, 422)]
    private static async Task<Results<Created<SubscriptionResponse>, ProblemHttpResult>> Create(
        SubscriptionRequest request, [AsParameters] Caller caller, CreateSubscription create, CancellationToken ct) =>
        ETags.Created(caller.Response, await create.RunAsync(StreamOf(caller), request, ct), s => s.RowVersion, s => $"/api/v1/webhook-subscriptions/{s.Id}",
            s => new SubscriptionResponse(s));

    /// <summary>One of the caller's webhook subscriptions, with why it is paused if it is</summary>
    [Get("/webhook-subscriptions/{subscriptionId}"), EndpointName("GetWebhookSubscription"), ETag, Problems(404)]
    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> Get(PathId subscriptionId, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        ETags.OkOrNotFound(caller.Response, await db.ReadAsync(work => SubscriptionRepository.FindAsync(work, StreamOf(caller), subscriptionId, ct), ct),
            "webhook subscription", s => s.RowVersion, s => new SubscriptionResponse(s));

    /// <summary>Change a subscription: its URL, types, or state (JSON merge patch); If-Match is honoured</summary>
    [Example("resume", "Active again after the receiver was fixed", """{ "state": "active" }""")]
    [Patch("/webhook-subscriptions/{subscriptionId}"), EndpointName("UpdateWebhookSubscription"), ETag, IfMatch]
    [MergePatch(typeof(SubscriptionRequest), "SubscriptionPatch", "The fields of a webhook subscription that PATCH may change (JSON merge patch, RFC 7396).")]
    [Problems(400, 404, 412, 413, 415)]
    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> Patch(
        PathId subscriptionId, HttpRequest request, [AsParameters] Caller caller, UpdateSubscription update, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        var updated = patch.Failed ? patch.Error : await update.RunAsync(StreamOf(caller), subscriptionId, caller.IfMatch, patch.Value, ct);
        return ETags.Ok(caller.Response, updated, s => s.RowVersion, s => new SubscriptionResponse(s));
    }

    /// <summary>Delete a subscription and its deliveries</summary>
    [Delete("/webhook-subscriptions/{subscriptionId}"), EndpointName("DeleteWebhookSubscription"), Problems(404)]
    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(PathId subscriptionId, [AsParameters] Caller caller, ManageSubscription manage, CancellationToken ct) =>
        Answers.NoContent(await manage.DeleteAsync(StreamOf(caller), subscriptionId, ct));

    /// <summary>Send the subscription a ping event, to test its receiver and its signature check</summary>
    [Post("/webhook-subscriptions/{subscriptionId}/ping"), EndpointName("PingWebhookSubscription"), IdempotencyExempt, Problems(404)]
    private static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> Ping(PathId subscriptionId, [AsParameters] Caller caller, ManageSubscription manage,
        CancellationToken ct) =>
        Accepted(await manage.PingAsync(StreamOf(caller), subscriptionId, ct), subscriptionId);

    /// <summary>The subscription's deliveries, oldest first: each event sent, its attempts, the last answer and when it is tried next</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    [Get("/webhook-subscriptions/{subscriptionId}/deliveries"), EndpointName("ListWebhookDeliveries"), Problems(400, 404)]
    private static async Task<Results<Ok<Page<DeliveryResponse>>, ProblemHttpResult>> Deliveries(
        PathId subscriptionId, int? limit, string? cursor, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct)
    {
        var paging = Cursor.Parse(limit, cursor);
        var found = paging.Failed ? null : await db.SnapshotAsync(async work => await SubscriptionRepository.FindAsync(work, StreamOf(caller), subscriptionId, ct) is null ? null
            : new Found<IReadOnlyList<Delivery>>(await DeliveryRepository.ListAsync(work, subscriptionId, paging.Value.After, paging.Value.Limit, ct)), ct);
        return paging.Failed ? paging.Error.ToResult()
            : Answers.OkOrNotFound(found, "webhook subscription", f => Cursor.ToPage(f.Value, paging.Value.Limit, paging.Value.After, d => d.Seq, d => new DeliveryResponse(d)));
    }

    /// <summary>Send a failed delivery again now, its schedule started afresh</summary>
    [Post("/webhook-subscriptions/{subscriptionId}/deliveries/{deliveryId}/retry"), EndpointName("RetryWebhookDelivery"), IdempotencyExempt, Problems(404, 409)]
    private static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> Retry(
        PathId subscriptionId, PathId deliveryId, [AsParameters] Caller caller, ManageSubscription manage, CancellationToken ct) =>
        Accepted(await manage.RetryAsync(StreamOf(caller), subscriptionId, deliveryId, ct), subscriptionId);

    /// <summary>The stream the caller reads and subscribes to: its own.</summary>
    private static string StreamOf(Caller caller) =>
        caller.User.IsInRole(Roles.Provider) ? EventStreams.Provider(caller.Ukprn) : caller.User.IsInRole(Roles.Tra) ? EventStreams.Tra : EventStreams.Dfe;

    private static Results<Accepted<DeliveryResponse>, ProblemHttpResult> Accepted(Outcome<Delivery> outcome, Guid subscriptionId) =>
        outcome.Failed ? outcome.Error.ToResult() : TypedResults.Accepted($"/api/v1/webhook-subscriptions/{subscriptionId}/deliveries", new DeliveryResponse(outcome.Value));

    private static EventEnvelope Envelope(StoredEvent e, WebhookOptions options) =>
        new(e.Id.ToString(), e.Type, options.Source.AbsoluteUri, e.Subject, e.OccurredAt, JsonDocument.Parse(e.Data).RootElement.Clone());
}

/// <summary>The public halves of the webhook signing keys, for receivers: no token needed, as TRS publishes its own.</summary>
public static class WebhookJwksEndpoint
{
    public const string Path = "/.well-known/webhook-jwks.json";

    public static IEndpointRouteBuilder MapWebhookJwks(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, (WebhookKeys keys, HttpResponse response) =>
        {
            response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Ok(keys.Jwks);
        }).AllowAnonymous().WithTags("Events").WithName("GetWebhookJwks").WithSummary("The keys webhooks are signed with (JWKS, EC P-384); the newest signs");
        return routes;
    }
}
