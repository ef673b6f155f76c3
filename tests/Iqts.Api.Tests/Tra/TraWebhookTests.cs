using System.Net;
using System.Text.Json;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Tra;

/// <summary>The API pushing to a fake TRS that also sends its webhooks, signed with its own key, published at its JWKS.</summary>
public sealed class TraWebhookApiFactory : TraApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Tra:WebhookJwksUrl"] = Fake.BaseUrl + "/webhook-jwks",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // TRS posts to the address registered with it: here the in-memory test server, signed as of the API's clock.
        Tra.Webhooks.Endpoint = new Uri("http://localhost/api/v1/tra/webhooks");
        Tra.Webhooks.Http = CreateClient();
        Tra.Webhooks.Clock = Clock;
    }
}

/// <summary>
/// TRS's webhooks taken instead of polling (issue 21): <c>trn_request.completed</c> stores the TRN without a poll,
/// <c>person.deactivated</c> marks the trainee; a bad, expired or replayed signature is refused. And a TRN request TRS
/// will not complete (<c>Rejected</c>, <c>Dormant</c>, from 20260416) is parked for a person instead of polled forever.
/// </summary>
public sealed class TraWebhookTests(TraWebhookApiFactory api) : IClassFixture<TraWebhookApiFactory>
{
    private async Task<(HttpClient Client, string Id)> PendingTraineeAsync(string lastName = "Duplicate")
    {
        // A potential duplicate: TRS keeps it Pending to every poll, so only the webhook can complete it.
        var client = await api.NewProviderClientAsync();
        var id = (await client.CreateTraineeAsync(Fixtures.Trainee(change: t => t["lastName"] = lastName))).Id();
        await api.WaitUntilAsync(() => Task.FromResult(api.Tra.Exchanges.Any(e => e.Key == $"iqts-{id}" && e.Method == "GET")), "TRS to have the request, read once", TimeSpan.FromMinutes(10));
        return (client, id);
    }

    [Fact]
    public async Task A_completed_trn_request_webhook_stores_the_trn_at_once_without_a_poll()
    {
        var (client, id) = await PendingTraineeAsync();
        var polls = api.Tra.Exchanges.Count(e => e.Key == $"iqts-{id}" && e.Method == "GET");
        var trn = api.Tra.CompleteNow($"iqts-{id}")!;
        Assert.Equal(204, await api.Tra.Webhooks.TrnRequestCompletedAsync($"iqts-{id}", trn));

        var trainee = await (await client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync();
        Assert.Equal(trn, trainee.GetProperty("trn").GetString());
        Assert.Equal(polls, api.Tra.Exchanges.Count(e => e.Key == $"iqts-{id}" && e.Method == "GET"));
        // The request is delivered; the route the TRN makes possible follows it.
        var submissions = (await (await client.GetAsync($"/api/v1/trainees/{id}/tra-submissions")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([("trn_request", "delivered"), ("route_update", "pending")], submissions.Select(i => (i.GetProperty("kind").GetString(), i.GetProperty("state").GetString())));
        var history = (await (await client.GetAsync($"/api/v1/trainees/{id}/history")).ReadJsonAsync()).GetProperty("items").EnumerateArray().Last();
        Assert.Equal(("trn_received", "TRA"), (history.GetProperty("action").GetString(), history.GetProperty("tokenName").GetString()));
        var events = (await (await client.GetAsync("/api/v1/events?types=trainee.trn_received")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(trn, Assert.Single(events).GetProperty("data").GetProperty("trn").GetString());

        // TRS's retry of the same event, signed afresh, is taken and changes nothing; the worker's next poll finds nothing to do.
        Assert.Equal(204, await api.Tra.Webhooks.TrnRequestCompletedAsync($"iqts-{id}", trn));
        Assert.Single((await (await client.GetAsync("/api/v1/events?types=trainee.trn_received")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_webhook_not_signed_by_trs_signed_long_ago_or_taken_before_is_refused_and_changes_nothing()
    {
        var (client, id) = await PendingTraineeAsync();
        var trn = api.Tra.CompleteNow($"iqts-{id}")!;
        var data = new { trnRequest = new { requestId = $"iqts-{id}", trn, status = "Completed", potentialDuplicate = false } };

        async Task RefusedAsync(Action<HttpRequestMessage>? tamper = null, DateTimeOffset? created = null)
        {
            Assert.Equal(401, await api.Tra.Webhooks.SendAsync("trn_request.completed", data, created, tamper));
            Assert.Equal(JsonValueKind.Null, (await (await client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync()).GetProperty("trn").ValueKind);
        }

        var forged = JsonSerializer.SerializeToUtf8Bytes(new { trnRequest = new { requestId = $"iqts-{id}", trn = "9999999", status = "Completed" } });
        await RefusedAsync(r =>
        {
            r.Content = new ByteArrayContent(forged);
            r.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        });
        await RefusedAsync(r =>
        {
            r.Headers.Remove("ce-id");
            r.Headers.TryAddWithoutValidation("ce-id", Guid.NewGuid().ToString());
        });
        await RefusedAsync(r => r.Headers.Remove("Signature"));
        await RefusedAsync(created: api.Clock.GetUtcNow().AddMinutes(-6));
        Assert.Contains(api.Logs.Lines, l => l.Contains("was refused: The Content-Digest does not match the body.", StringComparison.Ordinal));
        Assert.Contains(api.Logs.Lines, l => l.Contains("was refused: The signature does not verify against TRS's key.", StringComparison.Ordinal));
        Assert.Contains(api.Logs.Lines, l => l.Contains("was refused: The signature has expired.", StringComparison.Ordinal));

        // Taken once; the very same signed message again is a replay.
        Assert.Equal(204, await api.Tra.Webhooks.SendAsync("trn_request.completed", data));
        var (url, headers, body) = api.Tra.Webhooks.Last!.Value;
        Assert.Equal(409, await api.Tra.Webhooks.SendRawAsync(url, headers, body));
        Assert.Equal(trn, (await (await client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync()).GetProperty("trn").GetString());
    }

    [Fact]
    public async Task A_deactivated_person_marks_the_trainee_and_its_provider_hears_of_it()
    {
        var client = await api.NewProviderClientAsync();
        var id = (await client.CreateTraineeAsync()).Id();
        await api.WaitUntilAsync(async () => (await (await client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync()).GetProperty("trn").GetString() is not null,
            "the TRN", TimeSpan.FromMinutes(10));
        var trn = (await (await client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync()).GetProperty("trn").GetString()!;

        Assert.Equal(204, await api.Tra.Webhooks.PersonDeactivatedAsync(trn, "3999999"));
        var trainee = await (await client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync();
        Assert.Equal(api.Clock.GetUtcNow().Date, trainee.GetProperty("trnDeactivatedAt").GetDateTimeOffset().Date);
        var history = (await (await client.GetAsync($"/api/v1/trainees/{id}/history")).ReadJsonAsync()).GetProperty("items").EnumerateArray().Last();
        Assert.Equal(("trn_deactivated", "TRA"), (history.GetProperty("action").GetString(), history.GetProperty("tokenName").GetString()));
        var e = Assert.Single((await (await client.GetAsync("/api/v1/events?types=trainee.trn_deactivated")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal((id, trn), (e.GetProperty("data").GetProperty("traineeId").GetString(), e.GetProperty("data").GetProperty("trn").GetString()));
    }

    [Theory]
    [InlineData("Rejected", "trn_request_rejected")]
    [InlineData("Dormant", "trn_request_dormant")]
    public async Task A_trn_request_trs_will_not_complete_is_parked_for_a_person_and_is_an_event(string status, string code)
    {
        var (client, id) = await PendingTraineeAsync();
        Assert.True(api.Tra.Close($"iqts-{id}", status));
        await api.WaitUntilAsync(async () => (await (await client.GetAsync($"/api/v1/trainees/{id}/tra-submissions")).ReadJsonAsync()).GetProperty("items")[0]
            .GetProperty("state").GetString() == "failed", "the request to be parked", TimeSpan.FromMinutes(10));
        var submission = (await (await client.GetAsync($"/api/v1/trainees/{id}/tra-submissions")).ReadJsonAsync()).GetProperty("items")[0];
        Assert.Equal(code, submission.GetProperty("lastErrorCode").GetString());
        var e = Assert.Single((await (await client.GetAsync("/api/v1/events?types=tra_submission.failed")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal((submission.GetProperty("submissionId").GetString(), code, "trn_request"),
            (e.GetProperty("data").GetProperty("submissionId").GetString(), e.GetProperty("data").GetProperty("errorCode").GetString(), e.GetProperty("data").GetProperty("kind").GetString()));
    }
}

/// <summary>Without <c>Tra:WebhookJwksUrl</c> the API takes no webhook from TRS.</summary>
public sealed class TraWebhookOffTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Without_trs_keys_the_webhook_route_is_404_and_says_why()
    {
        var response = await api.CreateClient().PostAsync("/api/v1/tra/webhooks", Requests.JsonBody("{}"));
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "tra_webhook.not_enabled");
    }
}
