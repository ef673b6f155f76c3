using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Quality;

/// <summary>Mentors and their engagement (issue 20, C2.2 i and iv) through HTTP on the test's engine.</summary>
public sealed class MentorTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Name = "Perpetua Winterbourne";

    private static JsonObject Mentor(string school, string name = Name) => Fixtures.SchoolMentor(school, name);

    private static async Task<string> AddAsync(HttpClient client, JsonObject mentor)
    {
        var response = await client.PostJsonAsync("/api/v1/mentors", mentor);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("mentorId").GetString()!;
    }

    private static async Task<(JsonElement I, JsonElement Iv)> MentoringAsync(HttpClient client, Guid trainee)
    {
        var summary = await (await client.GetAsync($"/api/v1/trainees/{trainee}/placement-summary")).ReadJsonAsync();
        var mentoring = summary.GetProperty("mentoring").EnumerateArray().ToList();
        return (mentoring.Single(c => c.GetProperty("criterion").GetString() == "C2.2 i"), mentoring.Single(c => c.GetProperty("criterion").GetString() == "C2.2 iv"));
    }

    private static string Code(JsonElement criterion) => criterion.GetProperty("reasons")[0].GetProperty("code").GetString()!;

    [Fact]
    public async Task A_placement_names_its_mentor_by_id_and_C2_2_i_and_iv_are_each_met_and_not_met()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var school = await api.CreateSchoolAsync(ukprn);
        var otherSchool = await api.CreateSchoolAsync(ukprn);
        var mentor = await AddAsync(client, Mentor(school));
        var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0].TraineeId;
        var placements = $"/api/v1/trainees/{trainee}/placements";

        // One way to name the mentor; a mentor of another school of the provider's is refused.
        var both = Fixtures.Placement(school, p => p["mentorId"] = mentor);
        Assert.Equal(["mentor"], (await (await client.PostJsonAsync(placements, both)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
        var elsewhere = Fixtures.Placement(otherSchool, p => { p.Remove("mentor"); p["mentorId"] = mentor; });
        Assert.Equal(["mentorId"], (await (await client.PostJsonAsync(placements, elsewhere)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());

        var created = await client.PostJsonAsync(placements, Fixtures.Placement(school, p => { p.Remove("mentor"); p["mentorId"] = mentor; }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var placement = await created.ReadJsonAsync();
        Assert.Equal((Name, "2025-09-01"), (placement.GetProperty("mentor").GetProperty("name").GetString(), placement.GetProperty("mentor").GetProperty("trainingCompletedOn").GetString()));
        var placementId = placement.GetProperty("placementId").GetString()!;

        // C2.2 i met; C2.2 iv not yet: no one-to-one meeting in the autumn term.
        var (i, iv) = await MentoringAsync(client, trainee);
        Assert.Equal(("met", "C2.2i.mentors_assessed_and_trained"), (i.GetProperty("result").GetString(), Code(i)));
        Assert.Equal(("not_met", "C2.2iv.no_meeting_in_term"), (iv.GetProperty("result").GetString(), Code(iv)));

        var meeting = await client.PostJsonAsync($"/api/v1/mentors/{mentor}/meetings", JsonNode.Parse($$"""{"heldOn":"2025-10-10","traineeIds":["{{trainee}}"]}""")!);
        Assert.Equal(HttpStatusCode.Created, meeting.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(meeting.Headers.Location)).StatusCode);
        Assert.Equal("C2.2iv.weekly_interaction_below_share", Code((await MentoringAsync(client, trainee)).Iv));

        // Fourteen weeks of the placement (15 September to 19 December), interaction in every one.
        var weeks = new JsonArray([.. Enumerable.Range(0, 14).Select(w => (JsonNode)new JsonObject { ["weekStarting"] = new DateOnly(2025, 9, 15).AddDays(7 * w).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["count"] = 1 })]);
        var patched = await client.SendAsync(Fixtures.Patch($"{placements}/{placementId}", new JsonObject { ["mentorInteractions"] = weeks }.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        (i, iv) = await MentoringAsync(client, trainee);
        Assert.Equal(("met", "met"), (i.GetProperty("result").GetString(), iv.GetProperty("result").GetString()));

        // Trained after the placement began: C2.2 i is not met, and so is the award's C2.2, which reads the record.
        var changed = await client.SendAsync(Fixtures.Patch($"/api/v1/mentors/{mentor}", """{"trainingCompletedOn":"2025-10-01"}"""));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        (i, _) = await MentoringAsync(client, trainee);
        Assert.Equal(("not_met", "C2.2i.after_start"), (i.GetProperty("result").GetString(), Code(i)));
        var summary = await (await client.GetAsync($"/api/v1/trainees/{trainee}/placement-summary")).ReadJsonAsync();
        Assert.Equal("C2.2.mentor_trained_after_start", summary.GetProperty("criteria").EnumerateArray().Single(c => c.GetProperty("criterion").GetString() == "C2.2")
            .GetProperty("reasons")[0].GetProperty("code").GetString());

        var history = await (await client.GetAsync($"/api/v1/mentors/{mentor}/history")).ReadJsonAsync();
        Assert.Equal(["mentor_added", "mentor_meeting_recorded", "mentor_updated"], history.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!));
        var evidence = await (await client.GetAsync($"/api/v1/providers/{ukprn}/evidence")).Content.ReadAsStringAsync();
        var qa = JsonDocument.Parse(evidence).RootElement.GetProperty("qualityAssurance");
        Assert.Equal((1, 1, 1), (qa.GetProperty("mentors").GetInt32(), qa.GetProperty("mentorsAssessedAndTrained").GetInt32(), qa.GetProperty("mentorMeetings").GetInt32()));
        Assert.Contains(JsonDocument.Parse(evidence).RootElement.GetProperty("criteria").EnumerateArray(), c => c.GetProperty("criterion").GetString() == "C2.2 iv");
        Assert.DoesNotContain(Name, evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_placement_showing_a_renamed_mentor_has_a_new_ETag_and_refuses_the_old_one()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var school = await api.CreateSchoolAsync(ukprn);
        var mentor = await AddAsync(client, Mentor(school));
        var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0].TraineeId;
        var created = await client.PostJsonAsync($"/api/v1/trainees/{trainee}/placements", Fixtures.Placement(school, p => { p.Remove("mentor"); p["mentorId"] = mentor; }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var placement = created.Headers.Location!.ToString();
        var before = (await client.GetAsync(placement)).Headers.ETag!.Tag;

        // A change the placement does not show keeps its version.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch($"/api/v1/mentors/{mentor}", """{"standardsPretrainingOn":"2025-07-05"}"""))).StatusCode);
        Assert.Equal(before, (await client.GetAsync(placement)).Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch($"/api/v1/mentors/{mentor}", """{"name":"Perpetua Winterbourne-Hale"}"""))).StatusCode);
        var after = await client.GetAsync(placement);
        Assert.NotEqual(before, after.Headers.ETag!.Tag);
        Assert.Equal("Perpetua Winterbourne-Hale", (await after.ReadJsonAsync()).GetProperty("mentor").GetProperty("name").GetString());
        var stale = Fixtures.Patch(placement, """{"mentorInteractions":[]}""");
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(before));
        await (await client.SendAsync(stale)).AssertProblemAsync(HttpStatusCode.PreconditionFailed, "resource.precondition_failed");
    }

    [Fact]
    public async Task A_mentors_changed_training_moves_a_trainee_in_the_sync_feed_only_when_its_award_check_changes()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0].TraineeId;
        await api.PrepareForAwardAsync(ukprn, trainee);
        var first = (await (await client.GetAsync($"/api/v1/trainees/{trainee}/placements")).ReadJsonAsync()).GetProperty("items")[0];
        var mentor = await AddAsync(client, Mentor(first.GetProperty("schoolId").GetString()!, "Q. Mentor"));
        var renamed = await client.SendAsync(Fixtures.Patch($"/api/v1/trainees/{trainee}/placements/{first.GetProperty("placementId").GetString()}",
            new JsonObject { ["mentor"] = null, ["mentorId"] = mentor }.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("met", (await (await client.GetAsync($"/api/v1/trainees/{trainee}/award-check")).ReadJsonAsync()).GetProperty("result").GetString());

        // A change the award check does not read (the pre-training, for C2.2 iv alone) leaves the trainee where it is.
        var before = (await (await client.GetAsync($"/api/v1/trainees/{trainee}")).ReadJsonAsync()).GetProperty("updatedAt").GetString();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch($"/api/v1/mentors/{mentor}", """{"standardsPretrainingOn":"2025-07-05"}"""))).StatusCode);
        Assert.Equal(before, (await (await client.GetAsync($"/api/v1/trainees/{trainee}")).ReadJsonAsync()).GetProperty("updatedAt").GetString());

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch($"/api/v1/mentors/{mentor}", """{"trainingCompletedOn":"2025-10-01"}"""))).StatusCode);
        Assert.Equal("not_met", (await (await client.GetAsync($"/api/v1/trainees/{trainee}/award-check")).ReadJsonAsync()).GetProperty("result").GetString());
        Assert.NotEqual(before, (await (await client.GetAsync($"/api/v1/trainees/{trainee}")).ReadJsonAsync()).GetProperty("updatedAt").GetString());
        var trail = await (await client.GetAsync($"/api/v1/trainees/{trainee}/history")).ReadJsonAsync();
        Assert.Equal("mentor_changed", trail.GetProperty("items").EnumerateArray().Last().GetProperty("action").GetString());
    }

    [Fact]
    public async Task Another_providers_mentor_and_meeting_answer_as_unknown_ones_also_when_named_in_a_body()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var school = await api.CreateSchoolAsync(ukprn);
        var mentor = await AddAsync(client, Mentor(school));
        var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0].TraineeId;
        var meeting = (await (await client.PostJsonAsync($"/api/v1/mentors/{mentor}/meetings", JsonNode.Parse("""{"heldOn":"2025-10-10"}""")!)).ReadJsonAsync())
            .GetProperty("meetingId").GetString()!;

        var otherUkprn = await api.CreateProviderAsync();
        var other = await api.ClientForAsync("provider", otherUkprn);
        var otherSchool = await api.CreateSchoolAsync(otherUkprn);
        var otherMentor = await AddAsync(other, Mentor(otherSchool, "O. Mentor"));
        foreach (var (path, unknown) in new[]
        {
            ($"/api/v1/mentors/{mentor}", $"/api/v1/mentors/{Guid.NewGuid()}"),
            ($"/api/v1/mentors/{mentor}/history", $"/api/v1/mentors/{Guid.NewGuid()}/history"),
            ($"/api/v1/mentors/{mentor}/meetings", $"/api/v1/mentors/{Guid.NewGuid()}/meetings"),
            ($"/api/v1/mentors/{mentor}/meetings/{meeting}", $"/api/v1/mentors/{otherMentor}/meetings/{Guid.NewGuid()}"),
        })
        {
            var hidden = await other.GetAsync(path);
            var missing = await other.GetAsync(unknown);
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Equal((await missing.ReadJsonAsync()).GetProperty("detail").GetString(), (await hidden.ReadJsonAsync()).GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(Fixtures.Patch($"/api/v1/mentors/{mentor}", """{"name":"Taken"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostJsonAsync($"/api/v1/mentors/{mentor}/meetings", JsonNode.Parse("""{"heldOn":"2025-10-10"}""")!)).StatusCode);
        Assert.Single((await (await other.GetAsync("/api/v1/mentors")).ReadJsonAsync()).GetProperty("items").EnumerateArray());

        // In a body: the first provider's school, trainee and mentor are refused exactly as unknown ones.
        async Task<string> Errors(string path, JsonNode body) =>
            (await (await other.PostJsonAsync(path, body)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).GetProperty("errors").ToString();
        Assert.Equal(await Errors("/api/v1/mentors", Mentor(Guid.NewGuid().ToString())), await Errors("/api/v1/mentors", Mentor(school)));
        Assert.Equal(await Errors($"/api/v1/mentors/{otherMentor}/meetings", JsonNode.Parse($$"""{"heldOn":"2025-10-10","traineeIds":["{{Guid.NewGuid()}}"]}""")!),
            await Errors($"/api/v1/mentors/{otherMentor}/meetings", JsonNode.Parse($$"""{"heldOn":"2025-10-10","traineeIds":["{{trainee}}"]}""")!));
        var otherTrainee = (await api.SeedTraineesAsync(otherUkprn, 1))[0].TraineeId;
        var placement = (string named) => Fixtures.Placement(otherSchool, p => { p.Remove("mentor"); p["mentorId"] = named; });
        Assert.Equal(await Errors($"/api/v1/trainees/{otherTrainee}/placements", placement(Guid.NewGuid().ToString())),
            await Errors($"/api/v1/trainees/{otherTrainee}/placements", placement(mentor)));
    }
}
