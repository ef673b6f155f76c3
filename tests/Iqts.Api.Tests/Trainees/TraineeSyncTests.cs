using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dapper;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Trainees;

public sealed partial class TraineeSyncTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static async Task<List<JsonElement>> WalkAsync(HttpClient client, string query = "", int limit = 100)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        bool hasMore;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/trainees?limit={limit}{query}{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadJsonAsync();
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            cursor = page.GetProperty("nextCursor").GetString();
            hasMore = page.GetProperty("hasMore").GetBoolean();
        }
        while (hasMore);
        return items;
    }

    [Fact]
    public async Task List_shows_only_the_callers_trainees_and_filters()
    {
        var mine = await api.NewProviderClientAsync();
        var theirs = await api.NewProviderClientAsync();
        var a = await mine.CreateTraineeAsync();
        var b = await mine.CreateTraineeAsync(Fixtures.Trainee(change: t => t["trainingCountry"] = "AE"));
        await theirs.CreateTraineeAsync();
        await mine.PostAsync($"/api/v1/trainees/{b.Id()}/defer", Requests.JsonBody("""{"date":"2025-10-01","reason":"Leave"}"""));

        Assert.Equal(new[] { a.Id(), b.Id() }.Order(), (await WalkAsync(mine, limit: 1)).Select(t => t.Id()).Order());
        Assert.Equal([b.Id()], (await WalkAsync(mine, "&status=deferred")).Select(t => t.Id()));
        Assert.Equal([b.Id()], (await WalkAsync(mine, "&trainingCountry=AE")).Select(t => t.Id()));
        Assert.Empty(await WalkAsync(mine, "&updatedSince=" + Uri.EscapeDataString(api.Clock.GetUtcNow().AddHours(1).ToString("O"))));
        Assert.Equal(2, (await WalkAsync(mine, "&updatedSince=" + Uri.EscapeDataString(api.Clock.GetUtcNow().AddHours(-1).ToString("O")))).Count);

        var problem = await (await mine.GetAsync("/api/v1/trainees?status=paused&trainingCountry=QQ")).AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
        Assert.Equal(["status", "trainingCountry"], problem.ErrorFields().Order());
        await (await mine.GetAsync("/api/v1/trainees?limit=101")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
    }

    /// <summary>
    /// The sync promise: a client walking the list with the cursor while other requests create and change
    /// trainees concurrently ends up with every trainee, each at its latest state. On PostgreSQL the writers
    /// really run in parallel, which is where sequence numbers committing out of order would lose rows.
    /// </summary>
    [Fact]
    public async Task A_cursor_walk_during_concurrent_writes_misses_nothing_and_ends_at_the_latest_state()
    {
        var ukprn = await api.CreateProviderAsync(mayExceedCap: true);
        var seedClient = await api.ClientForAsync("provider", ukprn);
        var ids = new ConcurrentBag<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await seedClient.CreateTraineeAsync()).Id());
        }

        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var client = await api.ClientForAsync("provider", ukprn);
            for (var i = 0; i < 15; i++)
            {
                if (i % 3 == 0)
                {
                    ids.Add((await client.CreateTraineeAsync()).Id());
                }
                else
                {
                    var target = ids.ElementAt(Random.Shared.Next(ids.Count));
                    var response = await client.SendAsync(Fixtures.Patch($"/api/v1/trainees/{target}", $$"""{"lastName":"w{{w}}-{{i}}"}"""));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }
        })).ToList();

        // The reader pages continuously; once the writers stop it drains what is left.
        var reader = await api.ClientForAsync("provider", ukprn);
        var (seen, pages) = await CursorWalk.WhileWritingAsync(Task.WhenAll(writers),
            async (cursor, _) => await (await reader.GetAsync($"/api/v1/trainees?limit=7{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadJsonAsync(), "traineeId");
        await Task.WhenAll(writers);
        Assert.True(pages > 3, "the walk should span several pages");

        await using var connection = await api.Db.OpenAsync(CancellationToken.None);
        var stored = (await connection.QueryAsync<(string Id, string LastName)>(
            "SELECT CAST(id AS TEXT) AS Id, last_name AS LastName FROM trainees WHERE ukprn = @ukprn", new { ukprn })).ToList();
        Assert.Equal(20 + (6 * 5), stored.Count);
        Assert.Equal(stored.Select(s => s.Id).Order(), seen.Keys.Order());
        foreach (var (id, lastName) in stored)
        {
            Assert.Equal(lastName, seen[id].GetProperty("lastName").GetString());
        }

        // On PostgreSQL the writers' numbers were provisional until commit (ADR 0008): every one was settled, in every row
        // that holds it, so each trainee's last history entry has the trainee's number and the events' positions run 1..n.
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            """
            SELECT (SELECT COUNT(*) FROM trainees WHERE change_seq < 0) + (SELECT COUNT(*) FROM trainee_history WHERE change_seq < 0)
                 + (SELECT COUNT(*) FROM trainee_status_changes WHERE change_seq < 0) + (SELECT COUNT(*) FROM events WHERE position < 0)
            """));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM trainees t WHERE t.ukprn = @ukprn AND t.change_seq <> (SELECT MAX(h.change_seq) FROM trainee_history h WHERE h.trainee_id = t.id)",
            new { ukprn }));
        var (events, distinct, last) = await connection.QuerySingleAsync<(long, long, long)>(
            "SELECT COUNT(*), COUNT(DISTINCT position), MAX(position) FROM events WHERE stream = @stream", new { stream = $"provider:{ukprn}" });
        Assert.Equal(20 + (6 * 15), events);
        Assert.Equal((events, events), (distinct, last));
    }

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();

    private static async Task<string> NormalisedBody(HttpResponseMessage response, string id) =>
        TraceId().Replace(await response.Content.ReadAsStringAsync(), "\"traceId\":\"-\"").Replace(id, "{id}", StringComparison.Ordinal);

    [Fact]
    public async Task Another_providers_trainee_answers_exactly_like_an_unknown_id_on_every_route()
    {
        var owner = await api.NewProviderClientAsync();
        var intruder = await api.NewProviderClientAsync();
        var theirs = (await owner.CreateTraineeAsync()).Id();
        var unknown = Guid.CreateVersion7().ToString();

        var routes = new (HttpMethod Method, string Suffix, string? Body, string? MediaType)[]
        {
            (HttpMethod.Get, "", null, null),
            (HttpMethod.Patch, "", """{"lastName":"Stolen"}""", "application/merge-patch+json"),
            (HttpMethod.Post, "/defer", """{"date":"2025-10-01","reason":"x"}""", "application/json"),
            (HttpMethod.Post, "/reinstate", """{"date":"2025-10-01"}""", "application/json"),
            (HttpMethod.Post, "/withdraw", """{"date":"2025-12-01","trigger":"trainee","reasons":["got_a_job"],"safeguardingConcern":false}""", "application/json"),
            (HttpMethod.Get, "/history", null, null),
        };

        foreach (var (method, suffix, body, mediaType) in routes)
        {
            HttpRequestMessage Request(string id) => new(method, $"/api/v1/trainees/{id}{suffix}")
            {
                Content = body is null ? null : Requests.JsonBody(body, mediaType!),
            };

            var forOther = await intruder.SendAsync(Request(theirs));
            var forUnknown = await intruder.SendAsync(Request(unknown));
            await forOther.AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
            Assert.Equal(forUnknown.StatusCode, forOther.StatusCode);
            Assert.Equal(await NormalisedBody(forUnknown, unknown), await NormalisedBody(forOther, theirs));
            Assert.Equal(forUnknown.Headers.Select(h => h.Key).Order(), forOther.Headers.Select(h => h.Key).Order());
        }

        // Nothing was changed by the attempts.
        var record = await (await owner.GetAsync($"/api/v1/trainees/{theirs}")).ReadJsonAsync();
        Assert.Equal("Verma", record.GetProperty("lastName").GetString());
        Assert.Equal("registered", record.GetProperty("status").GetString());
        Assert.DoesNotContain(await WalkAsync(intruder), t => t.Id() == theirs);
    }

    [Fact]
    public async Task A_malformed_trainee_id_is_the_same_404()
    {
        var client = await api.NewProviderClientAsync();
        await (await client.GetAsync("/api/v1/trainees/not-a-uuid")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
    }

    [Theory]
    [InlineData("provider", "/api/v1/trainees")]
    [InlineData("provider", "/api/v1/schools")]
    [InlineData("provider", "/api/v1/returns")]
    [InlineData("provider", "/api/v1/awards")]
    [InlineData("dfe", "/api/v1/providers")]
    [InlineData("tra", "/api/v1/awards")]
    public async Task UpdatedSince_without_an_offset_is_refused_naming_the_parameter(string role, string path)
    {
        var client = role == "provider" ? await api.NewProviderClientAsync() : await api.ClientForAsync(role);
        foreach (var local in new[] { "2026-01-01T00:00:00", "2026-01-01", "2026-01-01T00:00:00.5" })
        {
            var problem = await (await client.GetAsync($"{path}?updatedSince={local}")).AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
            Assert.Equal(["updatedSince"], problem.ErrorFields());
            Assert.Contains("offset", problem.GetProperty("errors").GetProperty("updatedSince")[0].GetString(), StringComparison.Ordinal);
        }

        foreach (var withOffset in new[] { "2026-01-01T00:00:00Z", "2026-01-01T09:00:00%2B09:00", "2026-01-01T00:00:00.123456-05:00" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{path}?updatedSince={withOffset}")).StatusCode);
        }
    }

    [Fact]
    public async Task Other_roles_cannot_reach_trainees()
    {
        var dfe = await api.ClientForAsync("dfe");
        await (await dfe.GetAsync("/api/v1/trainees")).AssertProblemAsync(HttpStatusCode.Forbidden, "auth.forbidden");
        var tra = await api.ClientForAsync("tra");
        await (await tra.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee())).AssertProblemAsync(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    private static HttpRequestMessage IdempotentPost(string path, JsonNode body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Requests.JsonBody(body.ToJsonString()) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task A_repeated_post_with_the_same_key_replays_the_first_response()
    {
        var client = await api.NewProviderClientAsync();
        var body = Fixtures.Trainee();
        var key = Guid.NewGuid().ToString();

        var first = await client.SendAsync(IdempotentPost("/api/v1/trainees", body, key));
        var second = await client.SendAsync(IdempotentPost("/api/v1/trainees", body, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(await WalkAsync(client));

        // A refusal is replayed too, without running the request again.
        var conflictKey = Guid.NewGuid().ToString();
        var refused = await client.SendAsync(IdempotentPost("/api/v1/trainees", body, conflictKey));
        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "trainee.already_exists");
        await (await client.SendAsync(IdempotentPost("/api/v1/trainees", body, conflictKey))).AssertProblemAsync(HttpStatusCode.Conflict, "trainee.already_exists");
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422()
    {
        var client = await api.NewProviderClientAsync();
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(IdempotentPost("/api/v1/trainees", Fixtures.Trainee(), key))).StatusCode);
        await (await client.SendAsync(IdempotentPost("/api/v1/trainees", Fixtures.Trainee(), key))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency.key_reused");
        Assert.Single(await WalkAsync(client));
    }

    [Fact]
    public async Task A_refusal_before_the_operation_ran_is_not_kept_and_the_media_type_is_part_of_the_request()
    {
        var client = await api.NewProviderClientAsync();
        var body = Fixtures.Trainee().ToJsonString();
        HttpRequestMessage Post(string key, string json, string mediaType)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/trainees") { Content = Requests.JsonBody(json, mediaType) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        // 415, then the same bytes as JSON with the same key: the trainee is registered, not the 415 replayed.
        var key = Guid.NewGuid().ToString();
        await (await client.SendAsync(Post(key, body, "text/plain"))).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
        var created = await client.SendAsync(Post(key, body, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(created.Headers.Contains("Idempotent-Replayed"));

        // The same bytes with the same key but another media type are another request.
        await (await client.SendAsync(Post(key, body, "text/plain"))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency.key_reused");

        // A 400, then the corrected body with the same key: the corrected one runs.
        var second = Guid.NewGuid().ToString();
        var invalid = Fixtures.Trainee(change: t => t["lastName"] = "");
        await (await client.SendAsync(Post(second, invalid.ToJsonString(), "application/json"))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        invalid["lastName"] = "Okonkwo";
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post(second, invalid.ToJsonString(), "application/json"))).StatusCode);
        Assert.Equal(2, (await WalkAsync(client)).Count);
    }

    [Fact]
    public async Task A_repeat_while_the_first_is_in_flight_is_409()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var body = Fixtures.Trainee();
        var key = Guid.NewGuid().ToString();

        // Make the first request "in flight" by holding its claim, as a slow first request would.
        var first = client.SendAsync(IdempotentPost("/api/v1/trainees", body, key));
        await first;
        await using (var connection = await api.Db.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE idempotency_keys SET state = 'in_flight' WHERE idempotency_key = @key", new { key });
        }

        await (await client.SendAsync(IdempotentPost("/api/v1/trainees", body, key))).AssertProblemAsync(HttpStatusCode.Conflict, "idempotency.request_in_flight");
    }

    [Fact]
    public async Task Keys_are_scoped_to_the_provider_and_work_on_state_changes()
    {
        var a = await api.NewProviderClientAsync();
        var b = await api.NewProviderClientAsync();
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await a.SendAsync(IdempotentPost("/api/v1/trainees", Fixtures.Trainee(), key))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await b.SendAsync(IdempotentPost("/api/v1/trainees", Fixtures.Trainee(), key))).StatusCode);

        var trainee = await a.CreateTraineeAsync();
        var deferKey = Guid.NewGuid().ToString();
        var defer = JsonNode.Parse("""{"date":"2025-10-01","reason":"Leave"}""")!;
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(IdempotentPost($"/api/v1/trainees/{trainee.Id()}/defer", defer, deferKey))).StatusCode);
        // Without the key, a second defer would be 409; with it, the first answer is replayed.
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(IdempotentPost($"/api/v1/trainees/{trainee.Id()}/defer", defer, deferKey))).StatusCode);
    }

    [Fact]
    public async Task An_invalid_key_is_400()
    {
        var client = await api.NewProviderClientAsync();
        await (await client.SendAsync(IdempotentPost("/api/v1/trainees", Fixtures.Trainee(), new string('k', 300)))).AssertProblemAsync(HttpStatusCode.BadRequest, "idempotency.key_invalid");
    }
}
