using System.Net;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Tests.Sdk;

namespace Iqts.Api.Tests.Reports;

/// <summary>Providers' monthly returns: submitted, corrected, listed and audited; their rules, their deadline, their tenancy.</summary>
public sealed class ReturnTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static StringContent Body(int interest = 40, int applications = 12, Action<JsonObject>? change = null)
    {
        var body = JsonNode.Parse(ReportTests.ReturnBody(interest, applications))!.AsObject();
        change?.Invoke(body);
        return Requests.JsonBody(body.ToJsonString());
    }

    private static HttpRequestMessage Put(string month, StringContent body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/returns/{month}") { Content = body };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    [Fact]
    public async Task A_returns_history_is_paged_oldest_first()
    {
        var client = await api.ClientForAsync("provider", await api.CreateProviderAsync());
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Put("2026-01", Body()))).StatusCode);
        for (var applications = 13; applications <= 16; applications++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Put("2026-01", Body(applications: applications)))).StatusCode);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        bool hasMore;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/returns/2026-01/history?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(h => $"{h.GetProperty("action").GetString()}:{(h.GetProperty("changes").GetArrayLength() == 0 ? "" : h.GetProperty("changes")[0].GetProperty("after").GetString())}"));
            (cursor, hasMore) = (page.GetProperty("nextCursor").GetString(), page.GetProperty("hasMore").GetBoolean());
            pages++;
        }
        while (hasMore);

        Assert.Equal(3, pages);
        Assert.Equal(["submitted", "corrected:13", "corrected:14", "corrected:15", "corrected:16"], seen.Select(s => s.StartsWith("submitted", StringComparison.Ordinal) ? "submitted" : s));
        await (await client.GetAsync("/api/v1/returns/2026-01/history?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        await (await client.GetAsync($"/api/v1/returns/2025-12/history?cursor={cursor}")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
    }

    [Fact]
    public async Task A_return_is_submitted_corrected_with_if_match_listed_and_audited()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);

        // February's return, due on 15 March, comes in on 16 March: late. March's is on time.
        var created = await client.SendAsync(Put("2026-02", Body()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/returns/2026-02", created.Headers.Location!.ToString());
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);
        var february = await created.ReadJsonAsync();
        Assert.Equal(("2026-02", ukprn, "2026-03-15", "late", 12),
            (february.GetProperty("month").GetString(), february.GetProperty("ukprn").GetString(), february.GetProperty("dueOn").GetString(),
             february.GetProperty("status").GetString(), february.GetProperty("applications").GetInt32()));
        var march = await (await client.SendAsync(Put("2026-03", Body()))).ReadJsonAsync();
        Assert.Equal("on_time", march.GetProperty("status").GetString());

        // The same again changes nothing; a stale If-Match is refused; a correction keeps the first submission's time.
        var same = await client.SendAsync(Put("2026-02", Body()));
        Assert.Equal((HttpStatusCode.OK, "\"1\""), (same.StatusCode, same.Headers.ETag!.Tag));
        api.Clock.Advance(TimeSpan.FromHours(1));
        await (await client.SendAsync(Put("2026-02", Body(applications: 14), "\"7\""))).AssertProblemAsync(HttpStatusCode.PreconditionFailed, "resource.precondition_failed");
        var corrected = await client.SendAsync(Put("2026-02", Body(applications: 14), "\"1\""));
        Assert.Equal((HttpStatusCode.OK, "\"2\""), (corrected.StatusCode, corrected.Headers.ETag!.Tag));
        var after = await corrected.ReadJsonAsync();
        Assert.Equal((14, february.GetProperty("submittedAt").GetString()), (after.GetProperty("applications").GetInt32(), after.GetProperty("submittedAt").GetString()));
        Assert.NotEqual(february.GetProperty("updatedAt").GetString(), after.GetProperty("updatedAt").GetString());

        var read = await client.GetAsync("/api/v1/returns/2026-02");
        Assert.Equal((HttpStatusCode.OK, "\"2\""), (read.StatusCode, read.Headers.ETag!.Tag));

        var history = (await (await client.GetAsync("/api/v1/returns/2026-02/history")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["submitted", "corrected"], history.Select(h => h.GetProperty("action").GetString()));
        Assert.Equal("test token", history[1].GetProperty("tokenName").GetString());
        var change = Assert.Single(history[1].GetProperty("changes").EnumerateArray());
        Assert.Equal(("applications", "12", "14"), (change.GetProperty("field").GetString(), change.GetProperty("before").GetString(), change.GetProperty("after").GetString()));

        // The list, in change order: March, then the corrected February.
        var page = await (await client.GetAsync("/api/v1/returns?limit=1")).ReadJsonAsync();
        Assert.Equal(("2026-03", true), (page.GetProperty("items")[0].GetProperty("month").GetString(), page.GetProperty("hasMore").GetBoolean()));
        var next = await (await client.GetAsync($"/api/v1/returns?limit=1&cursor={page.GetProperty("nextCursor").GetString()}")).ReadJsonAsync();
        Assert.Equal(("2026-02", false), (next.GetProperty("items")[0].GetProperty("month").GetString(), next.GetProperty("hasMore").GetBoolean()));
    }

    [Fact]
    public async Task A_return_that_breaks_a_rule_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var client = await api.ClientForAsync("provider", await api.CreateProviderAsync());
        async Task Refused(string month, StringContent body, params string[] fields)
        {
            var problem = await (await client.SendAsync(Put(month, body))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
            Assert.Equal(fields.Order(), problem.ErrorFields().Order());
        }

        await Refused("2026-02", Body(change: b => b["traineeFeedback"]!["positiveResponses"] = 11), "traineeFeedback.positiveResponses");
        await Refused("2026-02", Body(change: b => b["offeredAlternativeCourse"] = 2), "alternativeCourses");
        await Refused("2026-02", Body(change: b => b["alternativeCourses"] = new JsonArray("PGCE")), "alternativeCourses");
        await Refused("2026-02", Body(change: b => { b["applications"] = -1; b.Remove("candidatesInterviewed"); }), "applications", "candidatesInterviewed");
        await Refused("2026-02", Body(change: b => b["courseDevelopment"] = new string('x', 2001)), "courseDevelopment");
        await Refused("2026-02", Body(change: b => b.Remove("traineeFeedback")), "traineeFeedback");
        await Refused("2026-2", Body(), "month");
        await Refused("2026-04", Body(), "month");
        await Refused("2020-12", Body(), "month");
        await (await client.SendAsync(Put("2026-02", Body(change: b => b["surprise"] = 1)))).AssertProblemAsync(HttpStatusCode.BadRequest, "request.unknown_property");

        await (await client.GetAsync("/api/v1/returns/2026-02")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        Assert.Empty((await (await client.GetAsync("/api/v1/returns")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Another_providers_return_answers_exactly_as_a_missing_one_and_other_roles_may_not_call()
    {
        var mine = await api.ClientForAsync("provider", await api.CreateProviderAsync());
        var theirs = await api.ClientForAsync("provider", await api.CreateProviderAsync());
        Assert.Equal(HttpStatusCode.Created, (await theirs.SendAsync(Put("2026-01", Body()))).StatusCode);

        foreach (var path in new[] { "/api/v1/returns/2026-01", "/api/v1/returns/2026-01/history" })
        {
            var other = await (await mine.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
            var missing = await (await mine.GetAsync(path.Replace("2026-01", "2025-12", StringComparison.Ordinal))).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
            Assert.Equal(other.GetProperty("detail").GetString(), missing.GetProperty("detail").GetString());
        }

        Assert.Empty((await (await mine.GetAsync("/api/v1/returns")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        // Submitting my own January does not touch theirs.
        Assert.Equal(HttpStatusCode.Created, (await mine.SendAsync(Put("2026-01", Body(interest: 3)))).StatusCode);
        Assert.Equal(40, (await (await theirs.GetAsync("/api/v1/returns/2026-01")).ReadJsonAsync()).GetProperty("expressionsOfInterest").GetInt32());

        foreach (var role in new[] { "dfe", "tra" })
        {
            var other = await api.ClientForAsync(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/returns")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.SendAsync(Put("2026-01", Body()))).StatusCode);
        }
    }

    [Fact]
    public async Task The_sdk_submits_a_return_and_reads_it_with_its_etag()
    {
        var sdk = await api.NewProviderSdkAsync();
        var details = JsonNode.Parse(ReportTests.ReturnBody(5, 2))!.AsObject().As<Iqts.Client.MonthlyReturnDetails>();
        var created = await sdk.PutReturnAsync("2026-03", details);
        Assert.Equal((Iqts.Client.ReturnStatus.On_time, "\"1\""), (created.Result.Status, created.ETag()));
        var read = await sdk.GetReturnAsync("2026-03");
        Assert.Equal((2, "\"1\""), (read.Result.Applications, read.ETag()));
        details.Applications = 3;
        await SdkFixtures.ProblemAsync(() => sdk.PutReturnAsync("2026-03", details, if_Match: "\"9\""), 412, "resource.precondition_failed");
        Assert.Equal("\"2\"", (await sdk.PutReturnAsync("2026-03", details, if_Match: read.ETag())).ETag());
    }

    /// <summary>
    /// A report reads one snapshot: while trainees are awarded (this month), each report's award count (from the awards)
    /// equals its count of awarded trainees (from their status changes), which separate statements read. At PostgreSQL's
    /// default READ COMMITTED an award committing between them would make the two differ.
    /// </summary>
    [Fact]
    public async Task A_report_read_while_awards_are_made_counts_each_award_once_in_every_figure()
    {
        var ukprn = await api.CreateProviderAsync();
        var schools = (await api.CreateSchoolAsync(ukprn), await api.CreateSchoolAsync(ukprn));
        var trainees = (await api.SeedTraineesAsync(ukprn, 24)).Select(t => t.TraineeId).ToList();
        foreach (var t in trainees)
        {
            await api.PrepareForAwardAsync(ukprn, t, schools: schools);
        }

        var provider = await api.ClientForAsync("provider", ukprn);
        var writers = trainees.Chunk(4).Select(chunk => Task.Run(async () =>
        {
            foreach (var t in chunk)
            {
                var response = await provider.PostJsonAsync($"/api/v1/trainees/{t}/award", new JsonObject { ["awardedOn"] = "2026-03-13" });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }
        })).ToList();

        var reader = await api.ClientForAsync("provider", ukprn);
        var reads = 0;
        while (writers.Any(w => !w.IsCompleted) || reads < 3)
        {
            var figures = (await (await reader.GetAsync("/api/v1/reports/monthly?month=2026-03")).ReadJsonAsync()).GetProperty("totals").GetProperty("figures");
            var byStatus = figures.GetProperty("traineesByStatus");
            Assert.Equal(figures.GetProperty("awards").GetInt32(), byStatus.GetProperty("awarded").GetInt32());
            Assert.Equal(24, byStatus.GetProperty("registered").GetInt32() + byStatus.GetProperty("awarded").GetInt32());
            reads++;
        }

        await Task.WhenAll(writers);
        var final = (await (await reader.GetAsync("/api/v1/reports/monthly?month=2026-03")).ReadJsonAsync()).GetProperty("totals").GetProperty("figures");
        Assert.Equal(24, final.GetProperty("awards").GetInt32());
    }
}
