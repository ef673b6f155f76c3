using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Placements;

/// <summary>Schools, placements and the plan through the real pipeline, each rule outcome of C2.2, C2.4 and C3.2.</summary>
public sealed class PlacementTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private sealed record Setup(HttpClient Client, string Ukprn, JsonElement Trainee)
    {
        public string Path(string suffix = "") => $"/api/v1/trainees/{Trainee.Id()}{suffix}";
    }

    private async Task<Setup> SetupAsync()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        return new Setup(client, ukprn, await client.CreateTraineeAsync());
    }

    private static async Task<string> SchoolAsync(Setup s, Action<JsonObject>? change = null)
    {
        var response = await s.Client.PostJsonAsync("/api/v1/schools", Fixtures.School(change));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("schoolId").GetString()!;
    }

    private static Task<HttpResponseMessage> PlaceAsync(Setup s, string schoolId, Action<JsonObject>? change = null) =>
        s.Client.PostJsonAsync(s.Path("/placements"), Fixtures.Placement(schoolId, change));

    private static async Task<string> PlacedAsync(Setup s, string schoolId, Action<JsonObject>? change = null)
    {
        var response = await PlaceAsync(s, schoolId, change);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("placementId").GetString()!;
    }

    private static async Task PlanAsync(Setup s, Action<JsonObject>? change = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, s.Path("/placement-plan")) { Content = Requests.JsonBody(Fixtures.PlacementPlan(change).ToJsonString()) };
        Assert.Equal(HttpStatusCode.OK, (await s.Client.SendAsync(request)).StatusCode);
    }

    private static async Task<JsonElement> SummaryAsync(Setup s) => await (await s.Client.GetAsync(s.Path("/placement-summary"))).ReadJsonAsync();

    private static (string Result, string Code) Criterion(JsonElement summary, string criterion)
    {
        var c = summary.GetProperty("criteria").EnumerateArray().Single(x => x.GetProperty("criterion").GetString() == criterion);
        return (c.GetProperty("result").GetString()!, c.GetProperty("reasons")[0].GetProperty("code").GetString()!);
    }

    private static Action<JsonObject> Dates(string start, string end, int days) => p =>
    {
        p["startDate"] = start;
        p["endDate"] = end;
        p["days"] = days;
    };

    [Theory]
    [InlineData(59, "not_met", "C2.4i.fewer_than_120_days")]
    [InlineData(60, "met", "C2.4i.at_least_120_days")]
    public async Task One_hundred_and_nineteen_days_are_not_enough_and_120_are(int secondDays, string result, string code)
    {
        var s = await SetupAsync();
        await PlacedAsync(s, await SchoolAsync(s));
        await PlacedAsync(s, await SchoolAsync(s), Dates("2026-01-05", "2026-04-30", secondDays));
        await PlanAsync(s);
        var summary = await SummaryAsync(s);
        Assert.Equal(60 + secondDays, summary.GetProperty("days").GetInt32());
        Assert.Equal((result, code), Criterion(summary, "C2.4 i"));
        Assert.Equal(result, summary.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Required_days_above_the_days_done_are_not_met()
    {
        var s = await SetupAsync();
        await PlacedAsync(s, await SchoolAsync(s));
        await PlacedAsync(s, await SchoolAsync(s), Dates("2026-01-05", "2026-04-30", 70));
        Assert.Equal("incomplete", Criterion(await SummaryAsync(s), "C2.4 ii").Result);
        await PlanAsync(s, p => p["requiredDays"] = 150);
        Assert.Equal(("not_met", "C2.4ii.required_days_not_reached"), Criterion(await SummaryAsync(s), "C2.4 ii"));
        await PlanAsync(s, p => p["requiredDays"] = 130);
        Assert.Equal(("met", "C2.4ii.required_days_reached"), Criterion(await SummaryAsync(s), "C2.4 ii"));
        Assert.Equal(130, (await SummaryAsync(s)).GetProperty("requiredDays").GetInt32());
    }

    [Fact]
    public async Task One_school_needs_a_justified_alternative()
    {
        var s = await SetupAsync();
        var school = await SchoolAsync(s);
        await PlacedAsync(s, school);
        await PlacedAsync(s, school, Dates("2026-01-05", "2026-04-30", 60));
        await PlanAsync(s);
        Assert.Equal(("not_met", "C2.4iii.second_school_missing"), Criterion(await SummaryAsync(s), "C2.4 iii–iv"));
        await PlanAsync(s, p => p["secondSchool"] = new JsonObject
        {
            ["status"] = "not_feasible", ["reason"] = "No second English-medium school within 200 km", ["alternativeExperience"] = "Remote observation of lessons in a UK partner school",
        });
        var summary = await SummaryAsync(s);
        Assert.Equal(("met", "C2.4iv.justified_alternative"), Criterion(summary, "C2.4 iii–iv"));
        Assert.Equal("met", summary.GetProperty("result").GetString());
        Assert.Single(summary.GetProperty("schools").EnumerateArray());
    }

    [Fact]
    public async Task An_unsuitable_school_fails_C2_4_v_and_takes_no_new_placement()
    {
        var s = await SetupAsync();
        var school = await SchoolAsync(s);
        await PlacedAsync(s, school);
        var patch = await s.Client.SendAsync(Fixtures.Patch($"/api/v1/schools/{school}", """{"riskAssessment":{"mentorSupport":false,"outcome":"unsuitable"}}"""));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(("not_met", "C2.4v.school_unsuitable"), Criterion(await SummaryAsync(s), "C2.4 v"));
        await (await PlaceAsync(s, school, Dates("2026-01-05", "2026-04-30", 60))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "school.not_available");

        var removed = await SchoolAsync(s, b => { b["removedOn"] = "2025-07-01"; b["removalReason"] = "safeguarding"; });
        await (await PlaceAsync(s, removed, Dates("2026-01-05", "2026-04-30", 60))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "school.not_available");
        var unassessed = await SchoolAsync(s, b => b.Remove("riskAssessment"));
        await (await PlaceAsync(s, unassessed, Dates("2026-01-05", "2026-04-30", 60))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "school.not_available");
    }

    [Fact]
    public async Task A_mentor_trained_after_the_placement_began_fails_C2_2()
    {
        var s = await SetupAsync();
        var placement = await PlacedAsync(s, await SchoolAsync(s), p => p["mentor"]!["trainingCompletedOn"] = "2025-10-01");
        Assert.Equal(("not_met", "C2.2.mentor_trained_after_start"), Criterion(await SummaryAsync(s), "C2.2"));
        var fixedUp = await s.Client.SendAsync(Fixtures.Patch(s.Path($"/placements/{placement}"), """{"mentor":{"trainingCompletedOn":"2025-09-15"}}"""));
        Assert.Equal(HttpStatusCode.OK, fixedUp.StatusCode);
        Assert.Equal("Fatima Al Mansoori", (await fixedUp.ReadJsonAsync()).GetProperty("mentor").GetProperty("name").GetString());
        Assert.Equal(("met", "C2.2.mentors_trained"), Criterion(await SummaryAsync(s), "C2.2"));
    }

    [Fact]
    public async Task A_placement_that_starts_before_the_partnership_agreement_fails_C3_2()
    {
        var s = await SetupAsync();
        await PlacedAsync(s, await SchoolAsync(s, b => b["partnershipAgreement"]!["signedOn"] = "2025-10-01"));
        Assert.Equal(("not_met", "C3.2.agreement_signed_after_start"), Criterion(await SummaryAsync(s), "C3.2"));
        var early = await SetupAsync();
        await PlacedAsync(early, await SchoolAsync(early));
        Assert.Equal(("met", "C3.2.agreements_in_place"), Criterion(await SummaryAsync(early), "C3.2"));
    }

    [Fact]
    public async Task Overlapping_placements_are_refused()
    {
        var s = await SetupAsync();
        var first = await PlacedAsync(s, await SchoolAsync(s));
        var other = await SchoolAsync(s);
        var problem = await (await PlaceAsync(s, other, Dates("2025-12-19", "2026-02-27", 40))).AssertProblemAsync(HttpStatusCode.Conflict, "placement.overlaps");
        Assert.Equal(first, problem.GetProperty("placementId").GetString());
        var second = await PlacedAsync(s, other, Dates("2025-12-22", "2026-02-27", 40));
        var moved = await s.Client.SendAsync(Fixtures.Patch(s.Path($"/placements/{second}"), """{"startDate":"2025-12-01"}"""));
        await moved.AssertProblemAsync(HttpStatusCode.Conflict, "placement.overlaps");
        Assert.Equal(2, (await (await s.Client.GetAsync(s.Path("/placements"))).ReadJsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Placements_and_the_plan_are_in_the_history_and_move_the_trainee_forward_in_the_sync_feed()
    {
        var s = await SetupAsync();
        var cursor = (await (await s.Client.GetAsync("/api/v1/trainees")).ReadJsonAsync()).GetProperty("nextCursor").GetString();
        var placement = await PlacedAsync(s, await SchoolAsync(s));
        Assert.Equal([s.Trainee.Id()], (await (await s.Client.GetAsync($"/api/v1/trainees?cursor={cursor}")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray().Select(t => t.Id()));
        await PlanAsync(s);
        var get = await s.Client.GetAsync(s.Path($"/placements/{placement}"));
        var delete = new HttpRequestMessage(HttpMethod.Delete, s.Path($"/placements/{placement}"));
        delete.Headers.TryAddWithoutValidation("If-Match", "\"9\"");
        await (await s.Client.SendAsync(delete)).AssertProblemAsync(HttpStatusCode.PreconditionFailed, "resource.precondition_failed");
        delete = new HttpRequestMessage(HttpMethod.Delete, s.Path($"/placements/{placement}"));
        delete.Headers.TryAddWithoutValidation("If-Match", get.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NoContent, (await s.Client.SendAsync(delete)).StatusCode);

        var history = (await (await s.Client.GetAsync(s.Path("/history"))).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["created", "placement_added", "placement_plan_updated", "placement_removed"], history.Select(h => h.GetProperty("action").GetString()));
        var fields = history[1].GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Assert.Contains($"placements[{placement}].mentor", fields);
        Assert.Contains("placementPlan.requiredDays", history[2].GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()));
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains("Fatima Al Mansoori", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Schools_list_in_change_order_with_etags_if_match_and_england_refused()
    {
        var s = await SetupAsync();
        var a = await SchoolAsync(s);
        var b = await SchoolAsync(s, x => x["country"] = "XH");
        var read = await s.Client.GetAsync($"/api/v1/schools/{a}");
        var etag = read.Headers.ETag!.ToString();
        Assert.Equal(HttpStatusCode.OK, (await s.Client.SendAsync(Fixtures.Patch($"/api/v1/schools/{a}", """{"city":"Sharjah"}""", etag))).StatusCode);
        await (await s.Client.SendAsync(Fixtures.Patch($"/api/v1/schools/{a}", """{"city":"Ajman"}""", etag))).AssertProblemAsync(HttpStatusCode.PreconditionFailed, "resource.precondition_failed");
        var page = await (await s.Client.GetAsync("/api/v1/schools?limit=1")).ReadJsonAsync();
        Assert.Equal(b, page.GetProperty("items")[0].GetProperty("schoolId").GetString());
        var rest = await (await s.Client.GetAsync($"/api/v1/schools?cursor={page.GetProperty("nextCursor").GetString()}")).ReadJsonAsync();
        Assert.Equal(a, rest.GetProperty("items")[0].GetProperty("schoolId").GetString());
        Assert.Equal(["country"], (await (await s.Client.PostJsonAsync("/api/v1/schools", Fixtures.School(x => x["country"] = "XF")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
        Assert.Equal(["schoolId"], (await (await s.Client.SendAsync(Fixtures.Patch($"/api/v1/schools/{a}", """{"schoolId":"x"}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "request.immutable_field")).ErrorFields());
    }

    [Fact]
    public async Task Another_providers_trainee_placement_or_school_answers_exactly_like_an_unknown_id()
    {
        var mine = await SetupAsync();
        var theirs = await SetupAsync();
        var theirSchool = await SchoolAsync(theirs);
        var theirPlacement = await PlacedAsync(theirs, theirSchool);
        await PlanAsync(theirs);
        var myPlacement = await PlacedAsync(mine, await SchoolAsync(mine));

        async Task<string> ProblemAsync(HttpMethod method, string path, JsonNode? body = null)
        {
            var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = Requests.JsonBody(body.ToJsonString(), method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json");
            }

            var response = await mine.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            var problem = await response.ReadJsonAsync();
            return $"{problem.GetProperty("errorCode")}|{problem.GetProperty("detail")}";
        }

        var unknown = Guid.NewGuid().ToString();
        var trainee = theirs.Trainee.Id();
        foreach (var (method, path, body) in new (HttpMethod, Func<string, string>, JsonNode?)[]
        {
            (HttpMethod.Get, id => $"/api/v1/trainees/{id}/placements", null),
            (HttpMethod.Post, id => $"/api/v1/trainees/{id}/placements", Fixtures.Placement(theirSchool)),
            (HttpMethod.Get, id => $"/api/v1/trainees/{id}/placement-plan", null),
            (HttpMethod.Put, id => $"/api/v1/trainees/{id}/placement-plan", Fixtures.PlacementPlan()),
            (HttpMethod.Get, id => $"/api/v1/trainees/{id}/placement-summary", null),
        })
        {
            Assert.Equal(await ProblemAsync(method, path(unknown), body), await ProblemAsync(method, path(trainee), body));
        }

        foreach (var (method, body) in new (HttpMethod, JsonNode?)[] { (HttpMethod.Get, null), (HttpMethod.Patch, new JsonObject { ["days"] = 10 }), (HttpMethod.Delete, null) })
        {
            Assert.Equal(await ProblemAsync(method, $"/api/v1/trainees/{trainee}/placements/{unknown}", body),
                await ProblemAsync(method, $"/api/v1/trainees/{trainee}/placements/{theirPlacement}", body));
        }

        foreach (var (method, body) in new (HttpMethod, JsonNode?)[] { (HttpMethod.Get, null), (HttpMethod.Patch, new JsonObject { ["city"] = "x" }) })
        {
            Assert.Equal(await ProblemAsync(method, $"/api/v1/schools/{unknown}", body), await ProblemAsync(method, $"/api/v1/schools/{theirSchool}", body));
        }

        // Their school as the schoolId of my placement: the same 404 as an unknown school.
        Assert.Equal(await ProblemAsync(HttpMethod.Post, mine.Path("/placements"), Fixtures.Placement(unknown, Dates("2026-01-05", "2026-04-30", 60))),
            await ProblemAsync(HttpMethod.Post, mine.Path("/placements"), Fixtures.Placement(theirSchool, Dates("2026-01-05", "2026-04-30", 60))));
        Assert.Equal(await ProblemAsync(HttpMethod.Patch, mine.Path($"/placements/{myPlacement}"), new JsonObject { ["schoolId"] = unknown }),
            await ProblemAsync(HttpMethod.Patch, mine.Path($"/placements/{myPlacement}"), new JsonObject { ["schoolId"] = theirSchool }));
        Assert.DoesNotContain(theirSchool, (await mine.Client.GetStringAsync("/api/v1/schools")), StringComparison.Ordinal);
    }
}
