using System.Net;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Quality;

/// <summary>Moderators and evaluations of the training (issue 20, first part) through HTTP on the test's engine.</summary>
public sealed class QualityTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Name = "Zebedee Quillfeather";

    [Fact]
    public async Task Moderators_are_internal_from_a_partner_or_external_and_independent()
    {
        var ukprn = await api.CreateProviderAsync();
        var provider = await api.ClientForAsync("provider", ukprn);
        var school = await api.CreateSchoolAsync(ukprn);
        var otherSchool = await api.CreateSchoolAsync(await api.CreateProviderAsync());

        var internalOne = await provider.PostJsonAsync("/api/v1/moderators", JsonNode.Parse($$"""{"kind":"internal","name":"{{Name}}","partner":"school","schoolId":"{{school}}","role":"Mentor lead"}""")!);
        Assert.Equal(HttpStatusCode.Created, internalOne.StatusCode);
        var id = (await internalOne.ReadJsonAsync()).GetProperty("moderatorId").GetString()!;

        // Another provider's school answers as an unknown one; an external moderator needs its declaration; neither takes the other's fields.
        var foreign = await (await provider.PostJsonAsync("/api/v1/moderators", JsonNode.Parse($$"""{"kind":"internal","name":"X","partner":"school","schoolId":"{{otherSchool}}","role":"R"}""")!))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        var unknown = await (await provider.PostJsonAsync("/api/v1/moderators", JsonNode.Parse($$"""{"kind":"internal","name":"X","partner":"school","schoolId":"{{Guid.NewGuid()}}","role":"R"}""")!))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(unknown.GetProperty("errors").ToString(), foreign.GetProperty("errors").ToString());
        var external = await (await provider.PostJsonAsync("/api/v1/moderators",
            JsonNode.Parse("""{"kind":"external","name":"Y","institution":"U of E","expertise":"ITT","appointedOn":"2025-09-01","role":"R"}""")!))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["noRelationshipDeclaredOn", "role"], external.ErrorFields().Order());
        Assert.Equal(HttpStatusCode.Created, (await provider.PostJsonAsync("/api/v1/moderators",
            JsonNode.Parse("""{"kind":"external","name":"Y","institution":"U of E","expertise":"ITT","appointedOn":"2025-09-01","noRelationshipDeclaredOn":"2025-08-20"}""")!)).StatusCode);

        var patched = await provider.SendAsync(Fixtures.Patch($"/api/v1/moderators/{id}", """{"role":"Head of assessment"}""", internalOne.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await provider.SendAsync(Fixtures.Patch($"/api/v1/moderators/{id}", """{"role":"Late"}""", internalOne.Headers.ETag!.ToString()))).StatusCode);
        var history = await (await provider.GetAsync($"/api/v1/moderators/{id}/history")).ReadJsonAsync();
        Assert.Equal(["moderator_added", "moderator_updated"], history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()!));
        Assert.Equal(2, (await (await provider.GetAsync("/api/v1/moderators")).ReadJsonAsync()).GetProperty("items").GetArrayLength());

        // The evidence read counts them and never names them; nor do the logs.
        var evidence = await (await provider.GetAsync($"/api/v1/providers/{ukprn}/evidence")).Content.ReadAsStringAsync();
        Assert.Contains("\"internalModerators\":1,\"internalModeratorPartners\":1,\"externalModerators\":1", evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(Name, evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Evaluations_record_findings_and_actions_with_counts_only_for_surveys()
    {
        var ukprn = await api.CreateProviderAsync();
        var provider = await api.ClientForAsync("provider", ukprn);
        var bad = await (await provider.PostJsonAsync("/api/v1/evaluations",
            JsonNode.Parse("""{"source":"dfe","periodFrom":"2025-09-01","periodTo":"2027-01-31","responses":3,"findings":"F.","actions":[{"action":"","takenOn":"2026-02-01"}]}""")!))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["actions[0].action", "periodTo", "responses"], bad.ErrorFields().Order());

        var created = await provider.PostJsonAsync("/api/v1/evaluations",
            JsonNode.Parse("""{"source":"trainees","periodFrom":"2025-09-01","periodTo":"2026-01-31","responses":42,"findings":"Mentor feedback valued.","actions":[{"action":"Briefing moved earlier.","takenOn":"2026-02-10"}]}""")!);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var read = await provider.GetAsync(created.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(42, (await read.ReadJsonAsync()).GetProperty("responses").GetInt32());
        var id = (await created.ReadJsonAsync()).GetProperty("evaluationId").GetString()!;
        var history = await (await provider.GetAsync($"/api/v1/evaluations/{id}/history")).ReadJsonAsync();
        Assert.Equal("evaluation_recorded", history.GetProperty("items")[0].GetProperty("action").GetString());

        var evidence = await (await provider.GetAsync($"/api/v1/providers/{ukprn}/evidence")).ReadJsonAsync();
        var summary = evidence.GetProperty("qualityAssurance").GetProperty("evaluations")[0];
        Assert.Equal(("trainees", 1), (summary.GetProperty("source").GetString(), summary.GetProperty("actions").GetInt32()));
    }

    [Fact]
    public async Task Another_providers_moderator_and_evaluation_answer_as_unknown_ids()
    {
        var ukprn = await api.CreateProviderAsync();
        var provider = await api.ClientForAsync("provider", ukprn);
        var moderator = (await (await provider.PostJsonAsync("/api/v1/moderators", JsonNode.Parse("""{"kind":"internal","name":"M","partner":"provider","role":"R"}""")!))
            .ReadJsonAsync()).GetProperty("moderatorId").GetString()!;
        var evaluation = (await (await provider.PostJsonAsync("/api/v1/evaluations",
            JsonNode.Parse("""{"source":"inspectorate","periodFrom":"2025-09-01","periodTo":"2026-01-31","findings":"F."}""")!)).ReadJsonAsync()).GetProperty("evaluationId").GetString()!;
        var other = await api.NewProviderClientAsync();
        foreach (var (path, unknown) in new[]
        {
            ($"/api/v1/moderators/{moderator}", $"/api/v1/moderators/{Guid.NewGuid()}"),
            ($"/api/v1/moderators/{moderator}/history", $"/api/v1/moderators/{Guid.NewGuid()}/history"),
            ($"/api/v1/evaluations/{evaluation}", $"/api/v1/evaluations/{Guid.NewGuid()}"),
            ($"/api/v1/evaluations/{evaluation}/history", $"/api/v1/evaluations/{Guid.NewGuid()}/history"),
        })
        {
            var hidden = await other.GetAsync(path);
            var missing = await other.GetAsync(unknown);
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Equal((await missing.ReadJsonAsync()).GetProperty("detail").GetString(), (await hidden.ReadJsonAsync()).GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(Fixtures.Patch($"/api/v1/moderators/{moderator}", """{"role":"Taken"}"""))).StatusCode);
        Assert.Empty((await (await other.GetAsync("/api/v1/moderators")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await other.GetAsync("/api/v1/evaluations")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
    }
}
