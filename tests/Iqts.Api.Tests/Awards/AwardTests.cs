using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Iqts.Api.Tests.Awards;

/// <summary>Assessments and the award through the real pipeline: every rule, the append-only trail, the terminal state.</summary>
public sealed class AwardTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private sealed record Ready(HttpClient Client, string Ukprn, Guid TraineeId)
    {
        public string Path(string suffix = "") => $"/api/v1/trainees/{TraineeId}{suffix}";
    }

    /// <summary>A trainee meeting every award rule (<see cref="Fixtures.PrepareForAwardAsync"/>); <paramref name="fail"/> names the one rule to break instead.</summary>
    private async Task<Ready> ReadyAsync(string? fail = null)
    {
        var ukprn = await api.CreateProviderAsync();
        var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0].TraineeId;
        await api.PrepareForAwardAsync(ukprn, trainee, fail);
        var client = await api.ClientForAsync("provider", ukprn);
        if (fail == "status")
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/trainees/{trainee}/defer", Requests.JsonBody("""{"date":"2026-03-10","reason":"Illness"}"""))).StatusCode);
        }

        return new Ready(client, ukprn, trainee);
    }

    private static Task<HttpResponseMessage> AwardAsync(Ready r, string awardedOn = "2026-03-13") =>
        r.Client.PostAsync(r.Path("/award"), Requests.JsonBody($$"""{"awardedOn":"{{awardedOn}}"}"""));

    [Fact]
    public async Task A_trainee_meeting_every_rule_is_awarded_and_its_status_is_terminal()
    {
        var r = await ReadyAsync();
        var check = await (await r.Client.GetAsync(r.Path("/award-check"))).ReadJsonAsync();
        Assert.Equal("met", check.GetProperty("result").GetString());
        Assert.Equal(["status", "C1.1", "C1.2", "C1.3", "C1.4", "C2.4 i", "C2.4 ii", "C2.4 iii–iv", "C2.4 v", "C2.2", "C3.2", "C2.5 i", "C2.1 v", "C3.4"],
            check.GetProperty("criteria").EnumerateArray().Select(c => c.GetProperty("criterion").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await r.Client.GetAsync(r.Path("/award"))).StatusCode);

        var cursor = (await (await r.Client.GetAsync("/api/v1/trainees")).ReadJsonAsync()).GetProperty("nextCursor").GetString();
        var awarded = await AwardAsync(r);
        Assert.Equal(HttpStatusCode.Created, awarded.StatusCode);
        var award = await awarded.ReadJsonAsync();
        Assert.Equal("2026-03-13", award.GetProperty("awardedOn").GetString());
        Assert.Equal(r.TraineeId.ToString(), award.GetProperty("traineeId").GetString());
        Assert.True(Guid.TryParse(award.GetProperty("awardId").GetString(), out _));
        Assert.Equal(award.GetRawText(), (await (await r.Client.GetAsync(r.Path("/award"))).ReadJsonAsync()).GetRawText());
        var trainee = await (await r.Client.GetAsync(r.Path())).ReadJsonAsync();
        Assert.Equal("awarded", trainee.GetProperty("status").GetString());
        Assert.Equal([r.TraineeId.ToString()], (await (await r.Client.GetAsync($"/api/v1/trainees?cursor={cursor}")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray().Select(t => t.Id()));

        foreach (var (action, body) in new[] { ("defer", """{"date":"2026-03-14","reason":"x"}"""), ("reinstate", """{"date":"2026-03-14"}"""),
            ("withdraw", """{"date":"2026-03-14","trigger":"trainee","reasons":["got_a_job"],"safeguardingConcern":false}""") })
        {
            var problem = await (await r.Client.PostAsync(r.Path($"/{action}"), Requests.JsonBody(body))).AssertProblemAsync(HttpStatusCode.Conflict, "trainee.invalid_transition");
            Assert.Equal("awarded", problem.GetProperty("currentStatus").GetString());
        }

        await (await r.Client.SendAsync(Fixtures.Patch(r.Path(), """{"ageRange":"7-14"}"""))).AssertProblemAsync(HttpStatusCode.Conflict, "trainee.awarded");
        await (await r.Client.SendAsync(Fixtures.Patch(r.Path(), """{"startDate":"2025-09-02"}"""))).AssertProblemAsync(HttpStatusCode.Conflict, "trainee.awarded");
        var renamed = await r.Client.SendAsync(Fixtures.Patch(r.Path(), """{"lastName":"Verma-Shah"}"""));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var history = (await (await r.Client.GetAsync(r.Path("/history"))).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["awarded", "updated"], history.TakeLast(2).Select(h => h.GetProperty("action").GetString()));
        Assert.Equal("lastName", Assert.Single(history[^1].GetProperty("changes").EnumerateArray()).GetProperty("field").GetString());

        await (await r.Client.PostJsonAsync(r.Path("/qualifications"), Fixtures.Qualification("gcse_science"))).AssertProblemAsync(HttpStatusCode.Conflict, "trainee.awarded");
        await (await r.Client.PostJsonAsync(r.Path("/assessments"), Fixtures.Assessment())).AssertProblemAsync(HttpStatusCode.Conflict, "trainee.awarded");
        var again = await (await AwardAsync(r)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "award.rules_not_met");
        Assert.Equal(["status"], again.GetProperty("rules").EnumerateArray().Select(x => x.GetProperty("criterion").GetString()));
    }

    public static TheoryData<string, string[]> Rules => new()
    {
        { "status", ["status"] },
        { "C1.1", ["C1.1"] },
        { "C1.2", ["C1.2"] },
        { "C1.3", ["C1.3"] },
        { "C1.4", ["C1.4"] },
        // 119 days cannot reach the plan's required days either (at least 120): C2.4 i never fails alone.
        { "C2.4 i", ["C2.4 i", "C2.4 ii"] },
        { "C2.4 ii", ["C2.4 ii"] },
        { "C2.4 iii–iv", ["C2.4 iii–iv"] },
        { "C2.4 v", ["C2.4 v"] },
        { "C2.2", ["C2.2"] },
        { "C3.2", ["C3.2"] },
        { "C2.5 i", ["C2.5 i"] },
        { "C2.1 v", ["C2.1 v"] },
        { "C3.4", ["C3.4"] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task A_trainee_failing_one_rule_is_refused_with_exactly_that_rule(string rule, string[] listed)
    {
        var r = await ReadyAsync(rule);
        var problem = await (await AwardAsync(r)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "award.rules_not_met");
        var rules = problem.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(listed, rules.Select(x => x.GetProperty("criterion").GetString()).Distinct());
        Assert.All(rules, x => Assert.False(string.IsNullOrEmpty(x.GetProperty("message").GetString())));
        Assert.All(rules.Where(x => x.GetProperty("criterion").GetString()!.StartsWith('C')), x =>
            Assert.StartsWith(x.GetProperty("criterion").GetString()!.Replace(" ", "", StringComparison.Ordinal).Split('–')[0], x.GetProperty("code").GetString()!.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal));
        var check = await (await r.Client.GetAsync(r.Path("/award-check"))).ReadJsonAsync();
        Assert.Equal("not_met", check.GetProperty("result").GetString());
        Assert.Equal(listed, check.GetProperty("criteria").EnumerateArray().Where(c => c.GetProperty("result").GetString() == "not_met").Select(c => c.GetProperty("criterion").GetString()));
        Assert.NotEqual("awarded", (await (await r.Client.GetAsync(r.Path())).ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("2026-03-17", "award.awarded_on_in_future")]
    [InlineData("2025-08-31", "award.awarded_on_before_start")]
    [InlineData("2026-03-01", "award.awarded_on_before_final_assessment")]
    [InlineData("2026-03-12", "award.awarded_on_before_placement_end")]
    public async Task The_award_date_is_on_or_after_the_start_the_final_assessment_and_every_placement_and_not_in_the_future(string date, string code)
    {
        var r = await ReadyAsync();
        var problem = await (await AwardAsync(r, date)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "award.rules_not_met");
        var rule = Assert.Single(problem.GetProperty("rules").EnumerateArray());
        Assert.Equal(("awardedOn", code), (rule.GetProperty("criterion").GetString(), rule.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_placement_outside_the_courses_dates_is_refused()
    {
        var r = await ReadyAsync();
        var school = (await (await r.Client.GetAsync(r.Path("/placements"))).ReadJsonAsync()).GetProperty("items")[0].GetProperty("schoolId").GetString()!;
        foreach (var (start, end) in new[] { ("2998-01-05", "2998-03-27"), ("2026-06-01", "2026-08-28") })
        {
            var late = Fixtures.Placement(school, p => { p["startDate"] = start; p["endDate"] = end; p["days"] = 10; });
            var problem = await (await r.Client.PostJsonAsync(r.Path("/placements"), late)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
            Assert.Contains("endDate", problem.ErrorFields());
        }

        Assert.Equal(2, (await (await r.Client.GetAsync(r.Path("/placements"))).ReadJsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_award_check_reads_the_dates_as_they_are_now_after_the_start_date_moves()
    {
        var r = await ReadyAsync();
        // Everything was recorded for a start on 1 September 2025; the start then moves past the first placement and the
        // final assessment (2 March 2026). The PATCH is allowed: the award check is where the dates are held together.
        Assert.Equal(HttpStatusCode.OK, (await r.Client.SendAsync(Fixtures.Patch(r.Path(), """{"startDate":"2026-03-05"}"""))).StatusCode);

        var check = await (await r.Client.GetAsync(r.Path("/award-check"))).ReadJsonAsync();
        Assert.Equal("not_met", check.GetProperty("result").GetString());
        var unmet = check.GetProperty("criteria").EnumerateArray().Where(c => c.GetProperty("result").GetString() == "not_met")
            .ToDictionary(c => c.GetProperty("criterion").GetString()!, c => c.GetProperty("reasons")[0].GetProperty("code").GetString());
        Assert.Equal("C2.4i.placement_outside_course", unmet["C2.4 i"]);
        Assert.Equal("C2.5i.assessed_before_start", unmet["C2.5 i"]);
        var summary = await (await r.Client.GetAsync(r.Path("/placement-summary"))).ReadJsonAsync();
        Assert.Equal(0, summary.GetProperty("days").GetInt32());

        var problem = await (await AwardAsync(r, "2026-03-16")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "award.rules_not_met");
        var codes = problem.GetProperty("rules").EnumerateArray().Select(x => x.GetProperty("code").GetString()).ToList();
        Assert.Contains("C2.4i.placement_outside_course", codes);
        Assert.Contains("C2.5i.assessed_before_start", codes);
        Assert.Equal("registered", (await (await r.Client.GetAsync(r.Path())).ReadJsonAsync()).GetProperty("status").GetString());

        // Put right, the award goes through.
        Assert.Equal(HttpStatusCode.OK, (await r.Client.SendAsync(Fixtures.Patch(r.Path(), """{"startDate":"2025-09-01"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await AwardAsync(r)).StatusCode);
    }

    [Fact]
    public async Task A_correction_supersedes_and_both_stay_visible_and_nothing_can_be_rewritten()
    {
        var r = await ReadyAsync("C2.5 i");
        var first = (await (await r.Client.GetAsync(r.Path("/assessments"))).ReadJsonAsync()).GetProperty("items")[0].GetProperty("assessmentId").GetString()!;
        var corrected = await r.Client.PostJsonAsync(r.Path("/assessments"), Fixtures.Assessment(a => a["supersedes"] = first));
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        var correction = (await corrected.ReadJsonAsync()).GetProperty("assessmentId").GetString()!;

        var list = (await (await r.Client.GetAsync(r.Path("/assessments"))).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([first, correction], list.Select(a => a.GetProperty("assessmentId").GetString()));
        Assert.Equal(correction, list[0].GetProperty("supersededBy").GetString());
        Assert.Equal("not_yet_met", list[0].GetProperty("judgements")[2].GetProperty("outcome").GetString());
        Assert.Equal(first, list[1].GetProperty("supersedes").GetString());
        Assert.Equal(JsonValueKind.Null, list[1].GetProperty("supersededBy").ValueKind);

        var twice = await (await r.Client.PostJsonAsync(r.Path("/assessments"), Fixtures.Assessment(a => a["supersedes"] = first)))
            .AssertProblemAsync(HttpStatusCode.Conflict, "assessment.already_superseded");
        Assert.Equal(correction, twice.GetProperty("supersededBy").GetString());
        await (await r.Client.PostJsonAsync(r.Path("/assessments"), Fixtures.Assessment(a => a["supersedes"] = Guid.NewGuid().ToString())))
            .AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");

        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
        {
            var request = new HttpRequestMessage(method, r.Path($"/assessments/{first}")) { Content = Requests.JsonBody(Fixtures.Assessment().ToJsonString()) };
            await (await r.Client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "route.method_not_allowed");
        }

        // C3.4: the exercise agreed with the first assessment, which no longer counts; the correction needs one of its own.
        var refused = await (await AwardAsync(r)).AssertProblemAsync((HttpStatusCode)422, "award.rules_not_met");
        Assert.Equal(["C3.4.no_moderation_exercise"], refused.GetProperty("rules").EnumerateArray().Select(x => x.GetProperty("code").GetString()));
        var moderators = (await (await r.Client.GetAsync("/api/v1/moderators")).ReadJsonAsync()).GetProperty("items").EnumerateArray()
            .Select(m => m.GetProperty("moderatorId").GetString()!).ToArray();
        var adjusted = Fixtures.SampledTrainee(r.TraineeId.ToString(), "borderline", (first, "adjusted"));
        adjusted["assessments"]![0]!["adjustedBy"] = correction;
        var exercise = await r.Client.PostJsonAsync("/api/v1/moderations", Fixtures.Moderation(moderators, [adjusted]));
        Assert.Equal(HttpStatusCode.Created, exercise.StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await AwardAsync(r)).StatusCode);
        var history = (await (await r.Client.GetAsync(r.Path("/history"))).ReadJsonAsync()).GetProperty("items").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ToList();
        Assert.Contains("assessment_recorded", history);
        Assert.Contains("assessment_corrected", history);
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains("Dr Helen Okafor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_assessment_is_refused_when_a_final_one_misses_a_standard_or_a_standard_repeats()
    {
        var r = await ReadyAsync();
        var partial = Fixtures.Assessment(a => a["judgements"]!.AsArray().RemoveAt(8));
        Assert.Equal(["judgements"], (await (await r.Client.PostJsonAsync(r.Path("/assessments"), partial)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
        var interim = Fixtures.Assessment(a => { a["stage"] = "interim"; a["judgements"]!.AsArray().RemoveAt(8); });
        Assert.Equal(HttpStatusCode.Created, (await r.Client.PostJsonAsync(r.Path("/assessments"), interim)).StatusCode);
        var repeated = Fixtures.Assessment(a => a["judgements"]![1]!["standard"] = "ts1");
        Assert.Contains("judgements[1].standard", (await (await r.Client.PostJsonAsync(r.Path("/assessments"), repeated)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
        var unmoderatedDate = Fixtures.Assessment(a => a["moderation"] = new JsonObject { ["kind"] = "none", ["moderatedOn"] = "2026-03-09" });
        Assert.Equal(["moderation.moderatedOn"], (await (await r.Client.PostJsonAsync(r.Path("/assessments"), unmoderatedDate)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
    }

    [Fact]
    public async Task Another_providers_ids_answer_exactly_like_unknown_ids_on_every_new_route()
    {
        var theirs = await ReadyAsync();
        var mine = await api.NewProviderClientAsync();
        var assessment = (await (await theirs.Client.GetAsync(theirs.Path("/assessments"))).ReadJsonAsync()).GetProperty("items")[0].GetProperty("assessmentId").GetString();

        async Task<string> ProblemAsync(HttpMethod method, string path, string? body = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Requests.JsonBody(body) };
            var response = await mine.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            var problem = await response.ReadJsonAsync();
            return $"{problem.GetProperty("errorCode")}|{problem.GetProperty("detail")}";
        }

        var unknown = Guid.NewGuid();
        foreach (var (method, suffix, body) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Get, "/award-check", null), (HttpMethod.Post, "/award", """{"awardedOn":"2026-03-13"}"""), (HttpMethod.Get, "/award", null),
            (HttpMethod.Get, "/assessments", null), (HttpMethod.Post, "/assessments", Fixtures.Assessment().ToJsonString()),
            (HttpMethod.Get, $"/assessments/{assessment}", null),
        })
        {
            Assert.Equal(await ProblemAsync(method, $"/api/v1/trainees/{unknown}{suffix}", body), await ProblemAsync(method, theirs.Path(suffix), body));
        }

        Assert.Equal("registered", (await (await theirs.Client.GetAsync(theirs.Path())).ReadJsonAsync()).GetProperty("status").GetString());
    }
}
