using System.Net;
using System.Text.Json;
using Dapper;
using Iqts.Api.Cli;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Tra;

/// <summary>
/// The outbox delivering to the fake TRS through the real client and its resilience pipeline: what is sent when, what
/// each answer leads to, and what a provider, DfE and the commands see. Each test waits on its own trainees' messages.
/// </summary>
public sealed class TraDeliveryTests : IClassFixture<TraApiFactory>
{
    private readonly TraApiFactory api;

    /// <summary>Each test starts with the fake TRS up and quick, whatever the test before it left.</summary>
    public TraDeliveryTests(TraApiFactory api)
    {
        this.api = api;
        api.Tra.Down = false;
        api.Tra.Delay = TimeSpan.Zero;
        api.Tra.AnswerTooManyRequests(0);
    }

    private static readonly string[] OutageCodes = ["http_503", "circuit_open"];

    private sealed record Provider(string Ukprn, HttpClient Client);

    private async Task<Provider> ProviderAsync()
    {
        var ukprn = await api.CreateProviderAsync();
        return new Provider(ukprn, await api.ClientForAsync("provider", ukprn));
    }

    private static async Task<List<JsonElement>> SubmissionsAsync(Provider p, string traineeId) =>
        (await (await p.Client.GetAsync($"/api/v1/trainees/{traineeId}/tra-submissions")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();

    /// <summary>Waits until the trainee has <paramref name="count"/> messages and none is pending; the clock moves on so backoffs fall due.</summary>
    private async Task<List<JsonElement>> SettledAsync(Provider p, string traineeId, int count, TimeSpan? step = null)
    {
        List<JsonElement> items = [];
        await api.WaitUntilAsync(async () =>
        {
            items = await SubmissionsAsync(p, traineeId);
            return items.Count >= count && items.All(i => i.GetProperty("state").GetString() != "pending");
        }, $"trainee {traineeId}'s {count} message(s) to settle", step ?? TimeSpan.FromMinutes(10));
        return items;
    }

    private static string State(JsonElement submission) => submission.GetProperty("state").GetString()!;

    private static string? Code(JsonElement submission) => submission.GetProperty("lastErrorCode").GetString();

    [Fact]
    public async Task A_registered_trainee_gets_its_trn_from_the_tra_and_its_route_in_training_follows()
    {
        var p = await ProviderAsync();
        var cursor = (await (await p.Client.GetAsync("/api/v1/trainees")).ReadJsonAsync()).GetProperty("nextCursor").GetString();
        var trainee = await p.Client.CreateTraineeAsync(Fixtures.Trainee(change: t => t["subjects"] = new System.Text.Json.Nodes.JsonArray("100403", "100425")));
        var id = trainee.Id();
        Assert.Equal(JsonValueKind.Null, trainee.GetProperty("trn").ValueKind);

        var items = await SettledAsync(p, id, 2);
        Assert.Equal(["trn_request", "route_update"], items.Select(i => i.GetProperty("kind").GetString()));
        Assert.All(items, i => Assert.Equal("delivered", State(i)));
        Assert.Equal("InTraining", items[1].GetProperty("routeStatus").GetString());

        var trn = (await (await p.Client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync()).GetProperty("trn").GetString();
        var request = Assert.Single(api.Tra.TrnRequests, r => r.RequestId == $"iqts-{id}");
        Assert.Equal(request.Trn, trn);
        var route = Assert.Single(api.Tra.Routes, r => r.Reference == id);
        Assert.Equal((trn, "InTraining", "IN"), (route.Trn, route.Status, route.TrainingCountryReference));

        // The TRN reaches the provider's sync feed, and the history says who gave it.
        var synced = (await (await p.Client.GetAsync($"/api/v1/trainees?cursor={cursor}")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(trn, synced.Single(t => t.Id() == id).GetProperty("trn").GetString());
        var history = (await (await p.Client.GetAsync($"/api/v1/trainees/{id}/history")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        var received = history.Single(h => h.GetProperty("action").GetString() == "trn_received");
        Assert.Equal("TRA", received.GetProperty("tokenName").GetString());
        Assert.Equal(("trn", $"\"{trn}\""), (received.GetProperty("changes")[0].GetProperty("field").GetString(), received.GetProperty("changes")[0].GetProperty("after").GetString()));

        // The log names the message and the trainee by id, never the person.
        var log = string.Join("\n", api.Logs.Lines);
        Assert.Contains(id, log, StringComparison.Ordinal);
        Assert.DoesNotContain(trainee.GetProperty("email").GetString()!, log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(trainee.GetProperty("firstNames").GetString()!, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_status_change_sends_the_route_again_in_order()
    {
        var p = await ProviderAsync();
        var id = (await p.Client.CreateTraineeAsync()).Id();
        await SettledAsync(p, id, 2);
        foreach (var (action, body) in new[] { ("defer", """{"date":"2026-03-10","reason":"Illness"}"""), ("reinstate", """{"date":"2026-03-12"}"""),
            ("withdraw", """{"date":"2026-03-14","trigger":"trainee","reasons":["got_a_job"],"safeguardingConcern":false}""") })
        {
            Assert.Equal(HttpStatusCode.OK, (await p.Client.PostAsync($"/api/v1/trainees/{id}/{action}", Requests.JsonBody(body))).StatusCode);
        }

        var items = await SettledAsync(p, id, 5);
        Assert.Equal(["InTraining", "Deferred", "InTraining", "Withdrawn"], items.Skip(1).Select(i => i.GetProperty("routeStatus").GetString()));
        var trn = (await (await p.Client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync()).GetProperty("trn").GetString();
        Assert.Equal(["InTraining", "Deferred", "InTraining", "Withdrawn"],
            api.Tra.Exchanges.Where(e => e.Method == "PUT" && e.Key == $"{trn}/{id}").Select(e => e.RouteStatus));
        Assert.Equal("Withdrawn", api.Tra.Routes.Single(r => r.Reference == id).Status);
    }

    [Fact]
    public async Task A_request_the_tra_has_already_is_read_on_409_10029_instead_of_created_twice()
    {
        var p = await ProviderAsync();
        api.Tra.Down = true;
        var id = (await p.Client.CreateTraineeAsync()).Id();
        // As if an earlier attempt reached TRS and its answer was lost.
        Assert.True(api.Tra.TryCreate($"iqts-{id}", "Verma", out _));
        api.Tra.Down = false;

        var items = await SettledAsync(p, id, 2);
        Assert.All(items, i => Assert.Equal("delivered", State(i)));
        Assert.Equal([("POST", 409), ("GET", 200)], api.Tra.Exchanges.Where(e => e.Key == $"iqts-{id}").Select(e => (e.Method, e.Status)));
        Assert.Equal(api.Tra.TrnRequests.Single(r => r.RequestId == $"iqts-{id}").Trn,
            (await (await p.Client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync()).GetProperty("trn").GetString());
    }

    [Fact]
    public async Task A_potential_duplicate_stays_pending_and_visible_until_the_tra_resolves_it()
    {
        var p = await ProviderAsync();
        var id = (await p.Client.CreateTraineeAsync(Fixtures.Trainee(change: t => t["lastName"] = "Duplicate"))).Id();
        // The clock moves on, so a backoff left by an earlier test's outage (an open circuit) falls due.
        await api.WaitUntilAsync(async () => (await SubmissionsAsync(p, id)) is [var only] && Code(only) == "potential_duplicate", "the potential duplicate to show",
            TimeSpan.FromMinutes(10));
        var pending = Assert.Single(await SubmissionsAsync(p, id));
        Assert.Equal("pending", State(pending));
        Assert.Contains("support team", pending.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, (await (await p.Client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync()).GetProperty("trn").ValueKind);

        Assert.True(api.Tra.Resolve($"iqts-{id}"));
        var items = await SettledAsync(p, id, 2);
        Assert.All(items, i => Assert.Equal("delivered", State(i)));
        Assert.NotEqual(JsonValueKind.Null, (await (await p.Client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync()).GetProperty("trn").ValueKind);
    }

    [Fact]
    public async Task A_refused_route_is_parked_with_the_tras_code_for_dfe_and_the_command_to_see_and_a_corrected_trainee_is_sent_again()
    {
        var p = await ProviderAsync();
        // XP (Europe, not otherwise specified) is one of our countries, not one of TRS's: 10047.
        var id = (await p.Client.CreateTraineeAsync(Fixtures.Trainee(change: t => t["trainingCountry"] = "XP"))).Id();
        var items = await SettledAsync(p, id, 2);
        Assert.Equal(("delivered", "failed", "10047"), (State(items[0]), State(items[1]), Code(items[1])));
        Assert.Contains("Invalid training country", items[1].GetProperty("lastError").GetString(), StringComparison.Ordinal);
        var failedId = items[1].GetProperty("submissionId").GetString();

        var dfe = await api.ClientForAsync("dfe");
        var failed = (await (await dfe.GetAsync("/api/v1/tra-submissions?state=failed")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(failed, f => f.GetProperty("submissionId").GetString() == failedId);
        Assert.All(failed, f => Assert.Equal("failed", State(f)));
        await (await dfe.GetAsync("/api/v1/tra-submissions?state=lost")).AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
        Assert.Equal(HttpStatusCode.Forbidden, (await p.Client.GetAsync("/api/v1/tra-submissions")).StatusCode);

        using var output = new StringWriter();
        Assert.Equal(0, await Commands.RunAsync(api.Services, ["tra", "status"], output, TextWriter.Null));
        Assert.Contains($"failed  {failedId}  route_update", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("10047: Invalid training country.", output.ToString(), StringComparison.Ordinal);

        // The provider corrects the country: the corrected route goes, and the refused one stays on record.
        Assert.Equal(HttpStatusCode.OK, (await p.Client.SendAsync(Fixtures.Patch($"/api/v1/trainees/{id}", """{"trainingCountry":"XC"}"""))).StatusCode);
        items = await SettledAsync(p, id, 3);
        Assert.Equal(["delivered", "failed", "delivered"], items.Select(State));
        Assert.Equal("CY", api.Tra.Routes.Single(r => r.Reference == id).TrainingCountryReference);
    }

    [Fact]
    public async Task An_outage_longer_than_the_backoff_parks_the_message_and_tra_retry_sends_it_again()
    {
        var p = await ProviderAsync();
        api.Tra.Down = true;
        var id = (await p.Client.CreateTraineeAsync()).Id();
        var items = await SettledAsync(p, id, 1, step: TimeSpan.FromHours(25));
        var parked = Assert.Single(items);
        Assert.Equal(("failed", 10), (State(parked), parked.GetProperty("attempts").GetInt32()));
        // TRS's 503s, or the circuit they opened.
        Assert.Contains(Code(parked), OutageCodes);
        Assert.Contains("about three days", parked.GetProperty("lastError").GetString(), StringComparison.Ordinal);

        api.Tra.Down = false;
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await Commands.RunAsync(api.Services, ["tra", "retry", "not-an-id"], output, error));
        Assert.Equal(1, await Commands.RunAsync(api.Services, ["tra", "retry", Guid.NewGuid().ToString()], output, error));
        Assert.Equal(0, await Commands.RunAsync(api.Services, ["tra", "retry", parked.GetProperty("submissionId").GetString()!], output, error));
        items = await SettledAsync(p, id, 2);
        Assert.All(items, i => Assert.Equal("delivered", State(i)));
    }

    [Fact]
    public async Task A_429_with_retry_after_and_a_slow_tra_are_ridden_out()
    {
        var p = await ProviderAsync();
        api.Tra.RetryAfterSeconds = 1;
        api.Tra.AnswerTooManyRequests(2);
        var limited = (await p.Client.CreateTraineeAsync()).Id();
        var items = await SettledAsync(p, limited, 2, step: TimeSpan.Zero);
        // The client's own retries, honouring Retry-After, absorbed both 429s: two exchanges (the POST, the read), no failure.
        Assert.Equal((2, "delivered", null), (items[0].GetProperty("attempts").GetInt32(), State(items[0]), Code(items[0])));
        Assert.Equal(2, api.Tra.Exchanges.Count(e => e.Status == 429));

        // Slower than the attempt timeout (1 s): each attempt times out, and the message waits its backoff.
        api.Tra.Delay = TimeSpan.FromSeconds(2);
        var slow = (await p.Client.CreateTraineeAsync()).Id();
        await api.WaitUntilAsync(async () => (await SubmissionsAsync(p, slow)) is [var only] && only.GetProperty("attempts").GetInt32() >= 1, "a timed-out attempt");
        var timedOut = (await SubmissionsAsync(p, slow))[0];
        Assert.Equal("pending", State(timedOut));
        // Each attempt timed out, or the timeouts opened the circuit before the client's last retry.
        Assert.Contains(Code(timedOut), (string[])["timeout", "circuit_open"]);
        api.Tra.Delay = TimeSpan.Zero;
        items = await SettledAsync(p, slow, 2);
        Assert.All(items, i => Assert.Equal("delivered", State(i)));
    }

    [Fact]
    public async Task An_award_goes_as_holds_and_a_resend_after_a_lost_answer_is_delivered_on_10052()
    {
        var p = await ProviderAsync();
        var id = (await api.SeedTraineesAsync(p.Ukprn, 1))[0].TraineeId;
        await SettledAsync(p, id.ToString(), 2);
        await api.AwardTraineeAsync(p.Ukprn, id);
        var items = await SettledAsync(p, id.ToString(), 3);
        Assert.Equal("Holds", items[2].GetProperty("routeStatus").GetString());
        var route = api.Tra.Routes.Single(r => r.Reference == id.ToString());
        Assert.Equal(("Holds", new DateOnly(2026, 3, 13)), (route.Status, route.HoldsFrom));

        // As if the instance that sent it died before it could record TRS's 204: the lease runs out and it is sent again.
        await using (var connection = await api.Db.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE tra_outbox SET state = 'pending', delivered_at = NULL WHERE id = @id",
                new { id = Guid.Parse(items[2].GetProperty("submissionId").GetString()!) });
        }

        items = await SettledAsync(p, id.ToString(), 3);
        Assert.Equal(("delivered", "10052"), (State(items[2]), Code(items[2])));
    }

    [Fact]
    public async Task Another_providers_trainee_answers_exactly_as_an_unknown_one()
    {
        var mine = await ProviderAsync();
        var theirs = await ProviderAsync();
        var id = (await theirs.Client.CreateTraineeAsync()).Id();
        var other = await mine.Client.GetAsync($"/api/v1/trainees/{id}/tra-submissions");
        var unknown = await mine.Client.GetAsync($"/api/v1/trainees/{Guid.CreateVersion7()}/tra-submissions");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        var (a, b) = (await other.ReadJsonAsync(), await unknown.ReadJsonAsync());
        Assert.Equal((a.GetProperty("errorCode").GetString(), a.GetProperty("detail").GetString()), (b.GetProperty("errorCode").GetString(), b.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Readiness_says_the_api_pushes_to_the_tra_and_how_the_outbox_stands()
    {
        var ready = await (await api.ClientWith(null).GetAsync("/health/ready")).ReadJsonAsync();
        Assert.StartsWith("push: ", ready.GetProperty("details").GetProperty("tra").GetString(), StringComparison.Ordinal);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        // The tests drive the worker a pass at a time, so this instance's own worker says it leaves delivery to others.
        Assert.Contains(api.Logs.Lines, l => l.Contains("Tra:Worker is false", StringComparison.Ordinal));
    }
}
