using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Quality;

/// <summary>Moderation exercises (issue 20, C3.4) through HTTP on the test's engine: their rules, the award's use of them, tenancy.</summary>
public sealed class ModerationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Name = "Ottoline Ferncastle";

    private sealed record Partnership(HttpClient Client, string Ukprn, string School, string FromProvider, string FromSchool, string External);

    /// <summary>A provider with a school and three moderators: one of the provider, one of the school, one external (named <see cref="Name"/>).</summary>
    private async Task<Partnership> PartnershipAsync()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var school = await api.CreateSchoolAsync(ukprn);
        async Task<string> Add(JsonObject body)
        {
            var response = await client.PostJsonAsync("/api/v1/moderators", body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.ReadJsonAsync()).GetProperty("moderatorId").GetString()!;
        }

        var external = Fixtures.ExternalModerator();
        external["name"] = Name;
        return new Partnership(client, ukprn, school, await Add(Fixtures.Moderator()), await Add(Fixtures.Moderator(school)), await Add(external));
    }

    /// <summary>A trainee ready for the award but for C3.4: its final assessment (moderation kind none) is covered by no exercise. Returns it and the assessment.</summary>
    private async Task<(Guid Trainee, string Final)> UnmoderatedAsync(Partnership p)
    {
        var trainee = (await api.SeedTraineesAsync(p.Ukprn, 1))[0].TraineeId;
        await api.PrepareForAwardAsync(p.Ukprn, trainee, fail: "C3.4");
        var final = (await (await p.Client.GetAsync($"/api/v1/trainees/{trainee}/assessments")).ReadJsonAsync()).GetProperty("items")[0].GetProperty("assessmentId").GetString()!;
        return (trainee, final);
    }

    private static async Task<JsonElement> C34Async(HttpClient client, Guid trainee) =>
        (await (await client.GetAsync($"/api/v1/trainees/{trainee}/award-check")).ReadJsonAsync()).GetProperty("criteria").EnumerateArray()
            .Single(c => c.GetProperty("criterion").GetString() == "C3.4");

    [Fact]
    public async Task An_internal_exercise_needs_two_partners_and_its_agreement_meets_the_awards_C3_4_moving_the_trainee_once()
    {
        var p = await PartnershipAsync();
        var (trainee, final) = await UnmoderatedAsync(p);
        Assert.Equal("C3.4.not_moderated", (await C34Async(p.Client, trainee)).GetProperty("reasons")[0].GetProperty("code").GetString());
        var sample = Fixtures.SampledTrainee(trainee.ToString(), "borderline", (final, "agreed"));

        // Seed 003: staff from two or more partners; an external moderator takes no part in an internal exercise.
        var secondOfProvider = (await (await p.Client.PostJsonAsync("/api/v1/moderators", Fixtures.Moderator())).ReadJsonAsync()).GetProperty("moderatorId").GetString()!;
        var onePartner = await (await p.Client.PostJsonAsync("/api/v1/moderations", Fixtures.Moderation([p.FromProvider, secondOfProvider], [sample])))
            .AssertProblemAsync((HttpStatusCode)422, "moderation.partners_too_few");
        Assert.Equal(["moderatorIds"], onePartner.ErrorFields());
        var withExternal = await (await p.Client.PostJsonAsync("/api/v1/moderations", Fixtures.Moderation([p.FromProvider, p.External], [sample])))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["moderatorIds[1]"], withExternal.ErrorFields());

        // An adjusted outcome needs the assessment that supersedes the one moderated; the final supersedes nothing.
        var adjusted = Fixtures.SampledTrainee(trainee.ToString(), "likely_to_fail", (final, "adjusted"));
        var noSuccessor = await (await p.Client.PostJsonAsync("/api/v1/moderations", Fixtures.Moderation([p.FromProvider, p.FromSchool], [adjusted])))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["sample[0].assessments[0].adjustedBy"], noSuccessor.ErrorFields());
        adjusted["assessments"]![0]!["adjustedBy"] = final;
        Assert.Equal(["sample[0].assessments[0].adjustedBy"], (await (await p.Client.PostJsonAsync("/api/v1/moderations",
            Fixtures.Moderation([p.FromProvider, p.FromSchool], [adjusted]))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());

        var before = await (await p.Client.GetAsync($"/api/v1/trainees/{trainee}")).ReadJsonAsync();
        var created = await p.Client.PostJsonAsync("/api/v1/moderations", Fixtures.Moderation([p.FromProvider, p.FromSchool], [sample]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var moderation = (await created.ReadJsonAsync()).GetProperty("moderationId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await p.Client.GetAsync(created.Headers.Location)).StatusCode);

        // C3.4 now rests on the exercise, named in the check; the trainee's award check changed, so it moved in the sync feed.
        var rule = await C34Async(p.Client, trainee);
        Assert.Equal(("met", "C3.4.moderated"), (rule.GetProperty("result").GetString(), rule.GetProperty("reasons")[0].GetProperty("code").GetString()));
        Assert.Contains(moderation, rule.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
        var after = await (await p.Client.GetAsync($"/api/v1/trainees/{trainee}")).ReadJsonAsync();
        Assert.NotEqual(before.GetProperty("updatedAt").GetString(), after.GetProperty("updatedAt").GetString());
        var trail = await (await p.Client.GetAsync($"/api/v1/trainees/{trainee}/history")).ReadJsonAsync();
        Assert.Equal("moderation_covered", trail.GetProperty("items").EnumerateArray().Last().GetProperty("action").GetString());

        // A second exercise over the same trainee changes nothing the award check reads: the trainee stays where it is.
        Assert.Equal(HttpStatusCode.Created, (await p.Client.PostJsonAsync("/api/v1/moderations",
            Fixtures.Moderation([p.FromProvider, p.FromSchool], [Fixtures.SampledTrainee(trainee.ToString(), "representative")]))).StatusCode);
        Assert.Equal(after.GetProperty("updatedAt").GetString(), (await (await p.Client.GetAsync($"/api/v1/trainees/{trainee}")).ReadJsonAsync()).GetProperty("updatedAt").GetString());
        Assert.Equal(HttpStatusCode.Created, (await p.Client.PostAsync($"/api/v1/trainees/{trainee}/award", Requests.JsonBody("""{"awardedOn":"2026-03-13"}"""))).StatusCode);

        var history = await (await p.Client.GetAsync($"/api/v1/moderations/{moderation}/history")).ReadJsonAsync();
        Assert.Equal(["moderation_recorded"], history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()!));
        Assert.Equal(2, (await (await p.Client.GetAsync("/api/v1/moderations")).ReadJsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task An_external_exercise_samples_every_trainee_found_at_risk_and_carries_the_report_and_the_response()
    {
        var p = await PartnershipAsync();
        var trainees = (await api.SeedTraineesAsync(p.Ukprn, 3)).Select(t => t.TraineeId.ToString()).ToList();
        Assert.Equal(HttpStatusCode.Created, (await p.Client.PostJsonAsync("/api/v1/moderations", Fixtures.Moderation([p.FromProvider, p.FromSchool],
            [Fixtures.SampledTrainee(trainees[0], "borderline"), Fixtures.SampledTrainee(trainees[1], "likely_to_fail"), Fixtures.SampledTrainee(trainees[2], "representative")]))).StatusCode);

        // Seed 003: every trainee internal moderators regard as borderline or a possible failure.
        var external = (string[] sampled) => Fixtures.Moderation([p.External], [.. sampled.Select(t => Fixtures.SampledTrainee(t, "representative"))], kind: "external");
        var incomplete = await (await p.Client.PostJsonAsync("/api/v1/moderations", external([trainees[0], trainees[2]])))
            .AssertProblemAsync((HttpStatusCode)422, "moderation.sample_incomplete");
        Assert.Equal([trainees[1]], incomplete.GetProperty("missingTraineeIds").EnumerateArray().Select(e => e.GetString()));
        var noExternal = await (await p.Client.PostJsonAsync("/api/v1/moderations", Fixtures.Moderation([p.FromProvider], [Fixtures.SampledTrainee(trainees[0], "borderline"),
            Fixtures.SampledTrainee(trainees[1], "borderline")], kind: "external"))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["moderatorIds"], noExternal.ErrorFields());
        var internalReport = Fixtures.Moderation([p.FromProvider, p.FromSchool], [Fixtures.SampledTrainee(trainees[0], "representative")]);
        internalReport["report"] = JsonNode.Parse("""{"receivedOn":"2026-03-10","reference":"R","assessmentAccuracy":"accurate","summary":"S"}""");
        Assert.Equal(["report"], (await (await p.Client.PostJsonAsync("/api/v1/moderations", internalReport)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());

        var created = await p.Client.PostJsonAsync("/api/v1/moderations", external([trainees[0], trainees[1]]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("moderationId").GetString()!;
        var late = await (await p.Client.SendAsync(Fixtures.Patch($"/api/v1/moderations/{id}",
            """{"report":{"receivedOn":"2026-03-12","reference":"R-1","assessmentAccuracy":"mostly_accurate","summary":"Secure.","standards":[{"standard":"ts5","weaknesses":"Thin."}]},"response":{"changes":"Guidance rewritten.","changedOn":"2026-03-11"}}""",
            created.Headers.ETag!.ToString()))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["response.changedOn"], late.ErrorFields());
        var patched = await p.Client.SendAsync(Fixtures.Patch($"/api/v1/moderations/{id}",
            """{"report":{"receivedOn":"2026-03-12","reference":"R-1","assessmentAccuracy":"mostly_accurate","summary":"Secure.","standards":[{"standard":"ts5","weaknesses":"Thin."}]},"response":{"changes":"Guidance rewritten.","changedOn":"2026-03-14"}}""",
            created.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("mostly_accurate", (await patched.ReadJsonAsync()).GetProperty("report").GetProperty("assessmentAccuracy").GetString());
        var history = await (await p.Client.GetAsync($"/api/v1/moderations/{id}/history")).ReadJsonAsync();
        Assert.Equal(["moderation_recorded", "moderation_updated"], history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()!));

        // The evidence read summarises the exercises, counting and never naming; nor do the logs.
        var evidence = await (await p.Client.GetAsync($"/api/v1/providers/{p.Ukprn}/evidence")).Content.ReadAsStringAsync();
        var summaries = JsonDocument.Parse(evidence).RootElement.GetProperty("qualityAssurance").GetProperty("moderations").EnumerateArray().ToList();
        Assert.Equal([("internal", 3, 2), ("external", 2, 0)], summaries.Select(s => (s.GetProperty("kind").GetString(), s.GetProperty("sampled").GetInt32(), s.GetProperty("atRisk").GetInt32())));
        Assert.Equal("2026-03-14", summaries[1].GetProperty("respondedOn").GetString());
        Assert.DoesNotContain(Name, evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_providers_exercise_moderator_trainee_and_assessment_answer_as_unknown_ones()
    {
        var p = await PartnershipAsync();
        var (trainee, final) = await UnmoderatedAsync(p);
        var id = (await (await p.Client.PostJsonAsync("/api/v1/moderations",
            Fixtures.Moderation([p.FromProvider, p.FromSchool], [Fixtures.SampledTrainee(trainee.ToString(), "representative", (final, "agreed"))]))).ReadJsonAsync())
            .GetProperty("moderationId").GetString()!;
        var other = await PartnershipAsync();
        foreach (var suffix in new[] { "", "/history" })
        {
            var hidden = await other.Client.GetAsync($"/api/v1/moderations/{id}{suffix}");
            var missing = await other.Client.GetAsync($"/api/v1/moderations/{Guid.NewGuid()}{suffix}");
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Equal((await missing.ReadJsonAsync()).GetProperty("detail").GetString(), (await hidden.ReadJsonAsync()).GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.SendAsync(Fixtures.Patch($"/api/v1/moderations/{id}", """{"heldOn":"2026-03-01"}"""))).StatusCode);
        Assert.Empty((await (await other.Client.GetAsync("/api/v1/moderations")).ReadJsonAsync()).GetProperty("items").EnumerateArray());

        // Named inside a body, the first provider's moderator, trainee and assessment are refused exactly as unknown ones.
        async Task<string> Errors(string moderator, string sampled, string assessment) => (await (await other.Client.PostJsonAsync("/api/v1/moderations",
                Fixtures.Moderation([moderator, other.FromSchool], [Fixtures.SampledTrainee(sampled, "representative", (assessment, "agreed"))])))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).GetProperty("errors").ToString();
        var (otherTrainee, _) = await UnmoderatedAsync(other);
        Assert.Equal(await Errors(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), final), await Errors(p.FromProvider, trainee.ToString(), final));
        Assert.Equal(await Errors(other.FromProvider, otherTrainee.ToString(), Guid.NewGuid().ToString()), await Errors(other.FromProvider, otherTrainee.ToString(), final));
    }
}
