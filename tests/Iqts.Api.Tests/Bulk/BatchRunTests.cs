using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Iqts.Api.Bulk;
using Microsoft.Extensions.DependencyInjection;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Bulk;

/// <summary>A batch that answers before it has run (202, polled), and the Idempotency-Key on a batch.</summary>
public sealed class BatchAcceptedTests(BatchAcceptedTests.Api api) : IClassFixture<BatchAcceptedTests.Api>
{
    /// <summary>The POST waits for nothing, so every batch answers 202; the test runs the worker itself, pass by pass.</summary>
    public sealed class Api : ApiFactory
    {
        protected override IDictionary<string, string?> Settings =>
            new Dictionary<string, string?> { ["Batches:AnswerWithin"] = "00:00:00", ["Batches:Worker"] = "false" };
    }

    [Fact]
    public async Task A_batch_past_its_answer_time_is_accepted_polled_to_its_end_and_replayed_by_its_key()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var rows = new JsonArray(Fixtures.Trainee(), Fixtures.Trainee());
        var request = () => new HttpRequestMessage(HttpMethod.Post, "/api/v1/trainee-batches")
        {
            Content = Requests.JsonBody(rows.ToJsonString()),
            Headers = { { "Idempotency-Key", "cohort-2026-09" } },
        };

        var accepted = await client.SendAsync(request());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var batch = await accepted.ReadJsonAsync();
        Assert.Equal(("queued", 2, 0), (batch.GetProperty("status").GetString(), batch.GetProperty("rows").GetInt32(), batch.GetProperty("rowsDone").GetInt32()));
        var location = accepted.Headers.Location!.ToString();
        Assert.Equal($"/api/v1/trainee-batches/{batch.GetProperty("batchId").GetString()}", location);
        Assert.Equal("queued", (await (await client.GetAsync(location)).ReadJsonAsync()).GetProperty("status").GetString());

        // The worker leaves a batch until its POST's answer is sent (the response's completion, which may follow the
        // client's read); the answer then wakes it, so each retry waits for that signal, not for time to pass.
        var worker = api.Services.GetRequiredService<BatchWorker>();
        var progress = api.Services.GetRequiredService<BatchProgress>();
        while (!await worker.RunOnceAsync(CancellationToken.None))
        {
            Assert.True(await progress.NextAsync(TimeSpan.FromSeconds(30), CancellationToken.None), "The answered batch never woke the worker.");
        }

        var done = await (await client.GetAsync(location)).ReadJsonAsync();
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("rowsDone").GetInt32());

        // The same key and body: the first answer again, the same batch, and no second cohort.
        var replayed = await client.SendAsync(request());
        Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(location, replayed.Headers.Location!.ToString());
        await using var connection = await api.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM trainees WHERE ukprn = @ukprn", new { ukprn }));
    }
}

/// <summary>The SRS user behind a write (X-Iqts-User), and a registration with the TRN its provider knew.</summary>
public sealed class AttributionAndTrnTests(TraApiFactory api) : IClassFixture<TraApiFactory>
{
    private const string User = "name=\"Zoë Okafor\"; id=\"srs-4411\"";

    [Fact]
    public async Task The_SRS_user_is_in_the_history_beside_the_token_and_never_in_the_logs()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var single = new HttpRequestMessage(HttpMethod.Post, "/api/v1/trainees") { Content = Requests.JsonBody(Fixtures.Trainee().ToJsonString()) };
        single.Headers.TryAddWithoutValidation("X-Iqts-User", User);
        var created = await client.SendAsync(single);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var batch = new HttpRequestMessage(HttpMethod.Post, "/api/v1/trainee-batches") { Content = Requests.JsonBody(new JsonArray(Fixtures.Trainee()).ToJsonString()) };
        batch.Headers.TryAddWithoutValidation("X-Iqts-User", "name=\"Zoë Okafor\"; id=\"srs-4411\"; email=\"zoe@example.ac.uk\"");
        var ran = await (await client.SendAsync(batch)).ReadJsonAsync();

        foreach (var (id, email) in new[] { ((await created.ReadJsonAsync()).Id(), (string?)null), (ran.GetProperty("results")[0].GetProperty("traineeId").GetString()!, "zoe@example.ac.uk") })
        {
            var entry = (await (await client.GetAsync($"/api/v1/trainees/{id}/history")).ReadJsonAsync()).GetProperty("items")[0];
            Assert.Equal("test token", entry.GetProperty("tokenName").GetString());
            var user = entry.GetProperty("user");
            Assert.Equal(("Zoë Okafor", "srs-4411", email), (user.GetProperty("name").GetString(), user.GetProperty("id").GetString(), user.GetProperty("email").GetString()));
        }

        // Without the header the history says only the token.
        var plain = await client.CreateTraineeAsync();
        var plainEntry = (await (await client.GetAsync($"/api/v1/trainees/{plain.Id()}/history")).ReadJsonAsync()).GetProperty("items")[0];
        Assert.Equal(JsonValueKind.Null, plainEntry.GetProperty("user").ValueKind);
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains("Okafor", StringComparison.Ordinal) || l.Contains("srs-4411", StringComparison.Ordinal)
            || l.Contains("zoe@example", StringComparison.Ordinal));

        foreach (var malformed in new[] { "Zoë", "name=\"Zoë\"", "name=\"Zoë\"; id=\"\"", "name=\"a\"; id=\"b\"; role=\"x\"", "name=\"a\u0001\"; id=\"b\"" })
        {
            var bad = new HttpRequestMessage(HttpMethod.Post, "/api/v1/trainees") { Content = Requests.JsonBody(Fixtures.Trainee().ToJsonString()) };
            bad.Headers.TryAddWithoutValidation("X-Iqts-User", malformed);
            var problem = await (await client.SendAsync(bad)).AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
            Assert.Equal(["X-Iqts-User"], problem.ErrorFields());
        }
    }

    [Fact]
    public async Task A_trainee_registered_with_its_TRN_sends_no_TRN_request_and_an_unknown_TRN_is_parked_for_a_person()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        api.Tra.AddPerson("3700001");
        var known = (await client.CreateTraineeAsync(Fixtures.Trainee(change: t => t["trn"] = "3700001"))).Id();
        var unknown = (await client.CreateTraineeAsync(Fixtures.Trainee(change: t => t["trn"] = "3799999"))).Id();

        List<JsonElement> knownItems = [], unknownItems = [];
        await api.WaitUntilAsync(async () =>
        {
            knownItems = await SubmissionsAsync(client, known);
            unknownItems = await SubmissionsAsync(client, unknown);
            return knownItems.Concat(unknownItems).All(i => i.GetProperty("state").GetString() != "pending");
        }, "both trainees' routes", TimeSpan.FromMinutes(10));

        var route = Assert.Single(knownItems);
        Assert.Equal(("route_update", "delivered"), (route.GetProperty("kind").GetString(), route.GetProperty("state").GetString()));
        Assert.Equal("3700001", Assert.Single(api.Tra.Routes, r => r.Reference == known).Trn);
        var parked = Assert.Single(unknownItems);
        Assert.Equal(("route_update", "failed", "10001"), (parked.GetProperty("kind").GetString(), parked.GetProperty("state").GetString(), parked.GetProperty("lastErrorCode").GetString()));
        Assert.DoesNotContain(api.Tra.TrnRequests, r => r.RequestId == $"iqts-{known}" || r.RequestId == $"iqts-{unknown}");
        Assert.Equal("3700001", (await (await client.GetAsync($"/api/v1/trainees/{known}")).ReadJsonAsync()).GetProperty("trn").GetString());

        var refused = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee(change: t => t["trn"] = "37000"));
        Assert.Equal(["trn"], (await refused.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
    }

    private static async Task<List<JsonElement>> SubmissionsAsync(HttpClient client, string traineeId) =>
        (await (await client.GetAsync($"/api/v1/trainees/{traineeId}/tra-submissions")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
}
