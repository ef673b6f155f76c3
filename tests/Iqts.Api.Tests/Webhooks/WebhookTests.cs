using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using Dapper;
using Iqts.Api.Events;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Webhooks;
using Iqts.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Iqts.Api.Tests.Webhooks;

/// <summary>
/// Webhooks from outside: a receiver on a loopback port subscribed through the API, the worker driven pass by pass on
/// the app's clock, every delivery verified with the C# SDK's verifier (a second implementation of the signature) and
/// read with CloudNative.CloudEvents (a third party's reading of the envelope).
/// </summary>
public sealed class WebhookTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static async Task<string> SubscribeAsync(HttpClient client, string url, params string[] types)
    {
        var body = new JsonObject { ["url"] = url, ["types"] = new JsonArray([.. types.Select(t => (JsonNode)t)]) };
        var response = await client.PostJsonAsync("/api/v1/webhook-subscriptions", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.ETag);
        return (await response.ReadJsonAsync()).GetProperty("subscriptionId").GetString()!;
    }

    private static async Task<List<JsonElement>> FeedAsync(HttpClient client, string? types = null)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        bool more;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/events?limit=100{(types is null ? "" : "&types=" + types)}{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadJsonAsync();
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            (cursor, more) = (page.GetProperty("nextCursor").GetString(), page.GetProperty("hasMore").GetBoolean());
        }
        while (more);
        return items;
    }

    [Fact]
    public async Task A_subscriber_receives_each_event_signed_in_cloudevents_binary_mode_and_the_feed_has_the_same_event()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = await api.NewProviderClientAsync();
        var subscription = await SubscribeAsync(client, receiver.Url);
        var trainee = await client.CreateTraineeAsync();

        await api.DeliverUntilAsync(() => receiver.Delivered.Count == 1, "the registration's webhook");
        var received = Assert.Single(receiver.Requests);
        var verifier = await api.VerifierAsync();
        var verified = await verifier.VerifyAsync(received.ToRequest());
        var fed = Assert.Single(await FeedAsync(client));
        Assert.Equal((fed.GetProperty("id").GetString(), "trainee.registered", $"trainees/{trainee.Id()}"), (verified.Id, verified.Type, verified.Subject));
        Assert.Equal(fed.GetProperty("data").GetRawText(), verified.Data.GetRawText());
        Assert.Equal((trainee.Id(), "registered", $"/api/v1/trainees/{trainee.Id()}"),
            (verified.Data.GetProperty("traineeId").GetString(), verified.Data.GetProperty("status").GetString(), verified.Data.GetProperty("href").GetString()));
        Assert.DoesNotContain(trainee.GetProperty("lastName").GetString()!, System.Text.Encoding.UTF8.GetString(received.Body), StringComparison.Ordinal);

        // CloudEvents binary mode, as CloudNative.CloudEvents reads it; the signature covers what issue 21 lists.
        var cloudEvent = await received.ToRequest().ToCloudEventAsync(new JsonEventFormatter());
        Assert.Equal((verified.Id, "trainee.registered", "https://iqts.education.gov.uk/api/v1", "application/json"),
            (cloudEvent.Id, cloudEvent.Type, cloudEvent.Source!.AbsoluteUri, cloudEvent.DataContentType));
        Assert.Equal("1.0", received.Header("ce-specversion"));
        Assert.NotEmpty(received.Header("ce-dataschema"));
        Assert.StartsWith("sig1=(\"@method\" \"@target-uri\" \"content-digest\" \"content-type\" \"ce-id\" \"ce-type\" \"ce-time\");created=", received.Header("Signature-Input"),
            StringComparison.Ordinal);
        Assert.Contains(";alg=\"ecdsa-p384-sha384\"", received.Header("Signature-Input"), StringComparison.Ordinal);

        // Tampered, sent elsewhere, or the same again: refused (a repeat as a replay the receiver answers 200 to).
        var tampered = received with { Body = [.. received.Body[..^1], (byte)' '] };
        Assert.Throws<IqtsWebhookException>(() => verifier.Verify("POST", received.Url, tampered.Headers, tampered.Body));
        Assert.Throws<IqtsWebhookException>(() => verifier.Verify("POST", new Uri(received.Url + "?elsewhere"), received.Headers, received.Body));
        Assert.Throws<IqtsWebhookReplayException>(() => verifier.Verify("POST", received.Url, received.Headers, received.Body));
        api.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Contains("expired", Assert.Throws<IqtsWebhookException>(() => new IqtsWebhookVerifier(api.Sdk(null).GetWebhookJwksAsync().Result, () => api.Clock.GetUtcNow())
            .Verify("POST", received.Url, received.Headers, received.Body)).Message, StringComparison.Ordinal);

        var deliveries = await (await client.GetAsync($"/api/v1/webhook-subscriptions/{subscription}/deliveries")).ReadJsonAsync();
        var delivery = Assert.Single(deliveries.GetProperty("items").EnumerateArray());
        Assert.Equal(("delivered", 1, 200, verified.Id), (delivery.GetProperty("state").GetString(), delivery.GetProperty("attempts").GetInt32(),
            delivery.GetProperty("lastStatus").GetInt32(), delivery.GetProperty("eventId").GetString()));
    }

    [Fact]
    public async Task Each_change_writes_its_events_once_into_the_streams_that_read_them_and_a_change_rolled_back_writes_none()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var tra = await api.ClientForAsync("tra");
        var dfe = await api.ClientForAsync("dfe");
        var (traBefore, dfeBefore) = ((await FeedAsync(tra)).Count, (await FeedAsync(dfe)).Count);
        var trainee = await client.CreateTraineeAsync();
        var path = $"/api/v1/trainees/{trainee.Id()}";
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch(path, """{"lastName":"Sharma","yearsOfTeachingExperience":6}"""))).StatusCode);
        await (await client.SendAsync(Fixtures.Patch(path, """{"lastName":""}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"{path}/defer", Requests.JsonBody("""{"date":"2026-01-10","reason":"Illness"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"{path}/reinstate", Requests.JsonBody("""{"date":"2026-02-02"}"""))).StatusCode);
        await api.PrepareForAwardAsync(ukprn, Guid.Parse(trainee.Id()));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"{path}/award", Requests.JsonBody("""{"awardedOn":"2026-03-13"}"""))).StatusCode);
        var award = (await (await client.GetAsync($"{path}/award")).ReadJsonAsync()).GetProperty("awardId").GetString();
        Assert.Equal(HttpStatusCode.OK, (await tra.PutAsync($"/api/v1/awards/{award}/acknowledgement", Requests.JsonBody("""{"trn":"3000123","qtsDate":"2026-03-14"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/api/v1/returns/2026-02", Requests.JsonBody(Reports.ReportTests.ReturnBody(40, 12)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await dfe.PostJsonAsync($"/api/v1/providers/{ukprn}/approval-history", Fixtures.Suspension())).StatusCode);

        var feed = await FeedAsync(client);
        var types = feed.Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(
            ["trainee.registered", "trainee.updated", "trainee.status_changed", "trainee.status_changed", "trainee.eligibility_changed", "trainee.award_check_changed",
             "trainee.status_changed", "trainee.awarded", "trainee.trn_received", "award.acknowledged", "return.submitted", "provider.approval_changed"],
            types);
        Assert.Equal(["lastName", "yearsOfTeachingExperience"], feed[1].GetProperty("data").GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.DoesNotContain("Sharma", feed[1].GetRawText(), StringComparison.Ordinal);
        Assert.Equal(("deferred", "registered", "2026-01-10"), (feed[2].GetProperty("data").GetProperty("status").GetString(),
            feed[2].GetProperty("data").GetProperty("previousStatus").GetString(), feed[2].GetProperty("data").GetProperty("effectiveOn").GetString()));
        Assert.Equal(("eligible", "incomplete"), (feed[4].GetProperty("data").GetProperty("eligibility").GetString(), feed[4].GetProperty("data").GetProperty("previousEligibility").GetString()));
        Assert.Equal(("met", "not_met"), (feed[5].GetProperty("data").GetProperty("result").GetString(), feed[5].GetProperty("data").GetProperty("previousResult").GetString()));
        Assert.Equal(("awarded", "2026-03-13"), (feed[6].GetProperty("data").GetProperty("status").GetString(), feed[6].GetProperty("data").GetProperty("effectiveOn").GetString()));
        Assert.Equal(("3000123", "2026-03-14"), (feed[9].GetProperty("data").GetProperty("trn").GetString(), feed[9].GetProperty("data").GetProperty("qtsDate").GetString()));

        // The TRA's stream has the award and its acknowledgement, with the same ids; DfE's the return and the approval.
        var traFeed = (await FeedAsync(tra)).Skip(traBefore).ToList();
        Assert.Equal([feed[7].GetProperty("id").GetString(), feed[9].GetProperty("id").GetString()], traFeed.Select(e => e.GetProperty("id").GetString()));
        var dfeFeed = (await FeedAsync(dfe)).Skip(dfeBefore).ToList();
        Assert.Equal(["return.submitted", "provider.approval_changed"], dfeFeed.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["trainee.status_changed", "trainee.status_changed", "trainee.status_changed", "trainee.awarded"],
            (await FeedAsync(client, "trainee.status_changed,trainee.awarded")).Select(e => e.GetProperty("type").GetString()));
        await (await client.GetAsync("/api/v1/events?types=trainee.nonsense")).AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");

        // A change made and rolled back: its events go with it.
        var before = await CountEventsAsync();
        await using (var work = await Data.UnitOfWork.BeginWriteAsync(api.Db, CancellationToken.None))
        {
            var changes = api.Operation<Api.Trainees.TraineeChanges>();
            var begun = await changes.BeginAsync(work, ukprn, Guid.Parse(trainee.Id()), null, CancellationToken.None);
            await changes.SaveAsync(begun.Value, begun.Value.Current with { LastName = "Rolled back" }, new Audit.Actor(Guid.Empty, "test"), Audit.AuditActions.Updated, [],
                CancellationToken.None);
            // Sent as at commit: on PostgreSQL the event may be held back until then (EventLog).
            await work.SettleAsync(CancellationToken.None);
            Assert.Equal(before + 1, await work.Connection.ExecuteScalarAsync<long>(work.Command("SELECT COUNT(*) FROM events", null, CancellationToken.None)));
        }

        Assert.Equal(before, await CountEventsAsync());
    }

    [Fact]
    public async Task A_correction_changes_the_award_check_only_when_it_changes_what_the_check_reads()
    {
        // AwardCheckRefresh keeps the last result for a correction that leaves the status, the dates and the entry
        // criteria's result as they were; a correction of the dates is checked again.
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var trainee = await client.CreateTraineeAsync();
        var path = $"/api/v1/trainees/{trainee.Id()}";
        await api.PrepareForAwardAsync(ukprn, Guid.Parse(trainee.Id()));
        async Task<List<string?>> ChecksAsync() => [.. (await FeedAsync(client, "trainee.award_check_changed")).Select(e => e.GetProperty("data").GetProperty("result").GetString())];
        Assert.Equal(["met"], await ChecksAsync());

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch(path, """{"yearsOfTeachingExperience":9,"lastName":"Iyer"}"""))).StatusCode);
        Assert.Equal(["met"], await ChecksAsync());
        Assert.Equal("met", (await (await client.GetAsync($"{path}/award-check")).ReadJsonAsync()).GetProperty("result").GetString());

        // The course now starts after the placements: none of them counts, and the check says so at once.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch(path, """{"startDate":"2026-04-20"}"""))).StatusCode);
        Assert.Equal(["met", "not_met"], await ChecksAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch(path, """{"startDate":"2025-09-01"}"""))).StatusCode);
        Assert.Equal(["met", "not_met", "met"], await ChecksAsync());
    }

    /// <summary>When a request was signed: its signature's <c>created</c>.</summary>
    private static DateTimeOffset SentAt(WebhookReceiver.Received request)
    {
        var input = request.Header("Signature-Input");
        var created = input[(input.IndexOf(";created=", StringComparison.Ordinal) + 9)..].Split(';')[0];
        return DateTimeOffset.FromUnixTimeSeconds(long.Parse(created, System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<long> CountEventsAsync()
    {
        await using var connection = await api.Db.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events");
    }

    [Fact]
    public async Task A_receiver_down_for_hours_gets_every_event_in_order_per_trainee_with_the_same_id_on_every_retry()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 503;
        var client = await api.NewProviderClientAsync();
        await SubscribeAsync(client, receiver.Url, "trainee.registered", "trainee.updated", "trainee.status_changed");
        var trainees = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var path = $"/api/v1/trainees/{(await client.CreateTraineeAsync()).Id()}";
            trainees.Add(path);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch(path, $$"""{"yearsOfTeachingExperience":{{10 + i}}}"""))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"{path}/defer", Requests.JsonBody("""{"date":"2026-01-10","reason":"Illness"}"""))).StatusCode);
        }

        // Down through four retries (5 s, 5 min, 30 min, 2 h on the app's clock), then up.
        await api.DeliverUntilAsync(() => receiver.Requests.Count >= 3 * 5, "five failed attempts of each trainee's first event", step: TimeSpan.FromMinutes(10));
        Assert.Empty(receiver.Delivered);
        receiver.Status = 204;
        await api.DeliverUntilAsync(() => receiver.Delivered.Count == 9, "every event", step: TimeSpan.FromMinutes(30));

        var keys = await api.Sdk(null).GetWebhookJwksAsync();
        var events = new List<IqtsEvent>();
        foreach (var request in receiver.Delivered)
        {
            // Each as its receiver checked it when it came: the app's clock has moved on by hours since.
            events.Add(await new IqtsWebhookVerifier(keys, () => SentAt(request)).VerifyAsync(request.ToRequest()));
        }

        foreach (var path in trainees)
        {
            var subject = path["/api/v1/".Length..];
            Assert.Equal(["trainee.registered", "trainee.updated", "trainee.status_changed"], events.Where(e => e.Subject == subject).Select(e => e.Type));
        }

        // Each failed attempt carried the id the delivery finally carried; the feed has the same ids.
        var delivered = events.Select(e => e.Id).ToHashSet();
        Assert.All(receiver.Requests, r => Assert.Contains(r.Header("ce-id"), delivered));
        Assert.Equal(delivered.Order(), (await FeedAsync(client)).Select(e => e.GetProperty("id").GetString()!).Where(delivered.Contains).Order());
    }

    [Fact]
    public async Task A_receiver_that_never_answers_fails_after_three_days_its_subscription_pauses_saying_why_and_a_retry_sends_it_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 500;
        var client = await api.NewProviderClientAsync();
        var subscription = await SubscribeAsync(client, receiver.Url, "trainee.registered");
        await client.CreateTraineeAsync();
        var deliveries = $"/api/v1/webhook-subscriptions/{subscription}/deliveries";

        await api.DeliverUntilAsync(() => receiver.Requests.Count == 10, "ten attempts: the first and TRS's nine retries", step: TimeSpan.FromHours(1));
        var failed = Assert.Single((await (await client.GetAsync(deliveries)).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(("failed", 10, 500), (failed.GetProperty("state").GetString(), failed.GetProperty("attempts").GetInt32(), failed.GetProperty("lastStatus").GetInt32()));
        var paused = await (await client.GetAsync($"/api/v1/webhook-subscriptions/{subscription}")).ReadJsonAsync();
        Assert.Equal("paused", paused.GetProperty("state").GetString());
        Assert.Contains("every delivery has failed since", paused.GetProperty("pausedReason").GetString(), StringComparison.Ordinal);

        // Paused, it is sent nothing; the feed still has the event. Resumed and retried, the delivery goes.
        await client.CreateTraineeAsync();
        Assert.Equal(0, await api.Services.GetRequiredService<WebhookWorker>().RunOnceAsync(CancellationToken.None));
        Assert.Equal(2, (await FeedAsync(client)).Count);
        var retry = $"{deliveries}/{failed.GetProperty("deliveryId").GetString()}/retry";
        await (await client.PostAsync(deliveries + $"/{Guid.NewGuid()}/retry", null)).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        receiver.Status = 200;
        var resumed = await client.SendAsync(Fixtures.Patch($"/api/v1/webhook-subscriptions/{subscription}", """{"state":"active"}"""));
        Assert.Equal((HttpStatusCode.OK, JsonValueKind.Null), (resumed.StatusCode, (await resumed.ReadJsonAsync()).GetProperty("pausedReason").ValueKind));
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(retry, null)).StatusCode);
        await api.DeliverUntilAsync(() => receiver.Delivered.Count == 1, "the retried delivery (nothing was queued while paused)", step: TimeSpan.FromHours(1));
        await (await client.PostAsync(retry, null)).AssertProblemAsync(HttpStatusCode.Conflict, "webhook.delivery_not_failed");
    }

    [Fact]
    public async Task An_event_written_as_if_its_stream_had_no_subscription_still_queues_a_delivery_to_one_made_meanwhile_with_a_uuidv7_of_its_time()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var subscription = await SubscribeAsync(client, receiver.Url, "trainee.registered");
        // What this process knows when another instance has made the subscription since it last looked: none. On
        // PostgreSQL the event is then held back to commit, and its delivery written by the same statement (EventLog).
        EventLog.Subscribed.Seen(EventStreams.Provider(ukprn), "trainee.registered", any: false);
        Assert.True(EventLog.Subscribed.KnownNone(EventStreams.Provider(ukprn), "trainee.registered"));
        // The event's time about 0.7 ms into its millisecond: the id's milliseconds are whole ones, as Guid.CreateVersion7's, not rounded.
        var intoMillisecond = api.Clock.GetUtcNow().Ticks % TimeSpan.TicksPerMillisecond;
        api.Clock.Advance(TimeSpan.FromTicks((TimeSpan.TicksPerMillisecond + 7_000 - intoMillisecond) % TimeSpan.TicksPerMillisecond));
        var trainee = await client.CreateTraineeAsync();

        await api.DeliverUntilAsync(() => receiver.Delivered.Count == 1, "the delivery written with the event");
        var verified = await (await api.VerifierAsync()).VerifyAsync(receiver.Delivered[0].ToRequest());
        Assert.Equal(("trainee.registered", $"trainees/{trainee.Id()}"), (verified.Type, verified.Subject));
        var delivery = Assert.Single((await (await client.GetAsync($"/api/v1/webhook-subscriptions/{subscription}/deliveries")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray());
        Assert.Equal((verified.Id, "delivered"), (delivery.GetProperty("eventId").GetString(), delivery.GetProperty("state").GetString()));

        // A UUIDv7 as Guid.CreateVersion7 makes: version 7, RFC 9562's variant, the first 48 bits the time in milliseconds.
        var id = Guid.Parse(delivery.GetProperty("deliveryId").GetString()!);
        var bytes = id.ToByteArray(bigEndian: true);
        var millis = bytes[..6].Aggregate(0L, (value, b) => (value << 8) | b);
        Assert.Equal((7, 0x80), (id.Version, bytes[8] & 0xC0));
        Assert.Equal(delivery.GetProperty("createdAt").GetDateTimeOffset().ToUnixTimeMilliseconds(), millis);
    }

    [Fact]
    public async Task Events_of_one_write_held_back_and_written_at_once_queue_their_deliveries_in_the_order_they_were_made()
    {
        var ct = CancellationToken.None;
        await using var receiver = await WebhookReceiver.StartAsync();
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var subscription = Guid.Parse(await SubscribeAsync(client, receiver.Url));
        var stream = EventStreams.Provider(ukprn);
        // The first type as if no subscription wanted it (held back on PostgreSQL), the second not looked at (written at once).
        EventLog.Subscribed.Seen(stream, EventTypes.TraineeUpdated.Name, any: false);
        var subject = $"trainees/{Guid.NewGuid()}";
        await using (var work = await Data.UnitOfWork.BeginWriteAsync(api.Db, ct))
        {
            await EventLog.AppendAsync(work, new NewEvent(EventTypes.TraineeUpdated, subject, new { n = 1 }, [stream]), api.Clock.GetUtcNow(), ct);
            await EventLog.AppendAsync(work, new NewEvent(EventTypes.TraineeStatusChanged, subject, new { n = 2 }, [stream]), api.Clock.GetUtcNow(), ct);
            Assert.Null(await work.CommitAsync(ct));
        }

        await using var connection = await api.Db.OpenAsync(ct);
        Assert.Equal(["trainee.updated", "trainee.status_changed"], await connection.QueryAsync<string>(
            "SELECT e.type FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq WHERE d.subscription_id = @subscription ORDER BY d.seq",
            new { subscription }));
        Assert.Equal(["trainee.updated", "trainee.status_changed"], (await FeedAsync(client)).Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_ping_reaches_only_its_subscription_whatever_its_types()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = await api.NewProviderClientAsync();
        var subscription = await SubscribeAsync(client, receiver.Url, "trainee.awarded");
        var ping = await client.PostAsync($"/api/v1/webhook-subscriptions/{subscription}/ping", null);
        Assert.Equal(HttpStatusCode.Accepted, ping.StatusCode);
        await api.DeliverUntilAsync(() => receiver.Delivered.Count == 1, "the ping");
        var verified = await (await api.VerifierAsync()).VerifyAsync(receiver.Delivered[0].ToRequest());
        Assert.Equal(("ping", subscription), (verified.Type, verified.Data.GetProperty("subscriptionId").GetString()));
        Assert.Empty(await FeedAsync(client));
    }

    [Fact]
    public async Task Another_owners_subscription_answers_exactly_as_an_unknown_one_and_feeds_are_the_owners_own()
    {
        var theirs = await api.NewProviderClientAsync();
        var subscription = await SubscribeAsync(theirs, "http://127.0.0.1:9/hook");
        var delivery = (await (await theirs.PostAsync($"/api/v1/webhook-subscriptions/{subscription}/ping", null)).ReadJsonAsync()).GetProperty("deliveryId").GetString();
        await theirs.CreateTraineeAsync();
        var mine = await api.NewProviderClientAsync();
        var tra = await api.ClientForAsync("tra");

        async Task<string> ProblemAsync(HttpClient client, HttpMethod method, string path, string? body = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Requests.JsonBody(body, "application/merge-patch+json") };
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            var problem = await response.ReadJsonAsync();
            return $"{problem.GetProperty("errorCode")}|{problem.GetProperty("detail")}";
        }

        var unknown = Guid.NewGuid();
        foreach (var client in new[] { mine, tra })
        {
            foreach (var (method, suffix, body) in new (HttpMethod, string, string?)[]
            {
                (HttpMethod.Get, "", null), (HttpMethod.Patch, "", """{"state":"paused"}"""), (HttpMethod.Delete, "", null), (HttpMethod.Post, "/ping", null),
                (HttpMethod.Get, "/deliveries", null), (HttpMethod.Post, $"/deliveries/{delivery}/retry", null),
            })
            {
                Assert.Equal(await ProblemAsync(client, method, $"/api/v1/webhook-subscriptions/{unknown}{suffix}", body),
                    await ProblemAsync(client, method, $"/api/v1/webhook-subscriptions/{subscription}{suffix}", body));
            }
        }

        Assert.Empty(await FeedAsync(mine));
        Assert.Empty((await (await mine.GetAsync("/api/v1/webhook-subscriptions")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain(await FeedAsync(tra), e => e.GetProperty("type").GetString()!.StartsWith("trainee.registered", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWith(null).GetAsync("/api/v1/events")).StatusCode);
    }

    [Fact]
    public async Task The_feed_misses_nothing_while_six_writers_change_trainees()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var writers = Task.WhenAll(Enumerable.Range(0, 6).Select(async w =>
        {
            for (var i = 0; i < 8; i++)
            {
                var trainee = await client.CreateTraineeAsync();
                Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch($"/api/v1/trainees/{trainee.Id()}", $$"""{"yearsOfTeachingExperience":{{i + 10}}}"""))).StatusCode);
            }
        }));
        var (seen, pages) = await CursorWalk.WhileWritingAsync(writers,
            async (cursor, _) => await (await client.GetAsync($"/api/v1/events?limit=7{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadJsonAsync(), "id");
        await writers;

        await using var connection = await api.Db.OpenAsync(CancellationToken.None);
        var written = (await connection.QueryAsync<Guid>("SELECT id FROM events WHERE stream = @stream", new { stream = EventStreams.Provider(ukprn) })).Select(i => i.ToString()).ToHashSet();
        Assert.Equal(96, written.Count);
        Assert.Equal(written.Order(), seen.Keys.Order());
        Assert.True(pages > 1);
    }
}
