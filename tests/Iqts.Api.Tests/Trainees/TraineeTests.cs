using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Trainees;

public sealed class TraineeTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly string[] OptionalFields =
        ["previousLastName", "countryOfBirth", "countryOfResidence", "firstLanguage", "teachingLanguage", "yearsOfTeachingExperience", "reasonForIqts", "highestQualificationLevel"];

    [Fact]
    public async Task A_provider_registers_a_trainee_and_reads_it_back()
    {
        var client = await api.NewProviderClientAsync();
        var body = Fixtures.Trainee();
        var response = await client.PostJsonAsync("/api/v1/trainees", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadJsonAsync();
        var id = created.Id();
        Assert.True(Guid.TryParse(id, out var guid) && guid.Version == 7, "traineeId is a UUIDv7");
        Assert.Equal($"/api/v1/trainees/{id}", response.Headers.Location?.ToString());
        Assert.Equal("registered", created.GetProperty("status").GetString());
        Assert.Equal("secondary", created.GetProperty("ageRangePhase").GetString());
        Assert.Equal("2025/26", created.GetProperty("academicYear").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("trn").ValueKind);
        foreach (var (field, value) in body)
        {
            Assert.True(JsonNode.DeepEquals(value, JsonNode.Parse(created.GetProperty(field).GetRawText())), $"{field} did not round-trip");
        }

        var read = await client.GetAsync($"/api/v1/trainees/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(response.Headers.ETag, read.Headers.ETag);
        Assert.Equal(created.GetRawText(), (await read.ReadJsonAsync()).GetRawText());
    }

    [Fact]
    public async Task Optional_fields_may_be_left_out()
    {
        var client = await api.NewProviderClientAsync();
        var body = Fixtures.Trainee(change: b =>
        {
            foreach (var field in OptionalFields)
            {
                b.Remove(field);
            }
        });
        var created = await client.CreateTraineeAsync(body);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("countryOfBirth").ValueKind);
    }

    [Fact]
    public async Task An_unknown_subject_is_400_naming_its_index()
    {
        var client = await api.NewProviderClientAsync();
        var response = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee(change: b => b["subjects"] = new JsonArray("100403", "999999")));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["subjects[1]"], problem.ErrorFields());
    }

    [Theory]
    [InlineData("sex", "unknown")]
    [InlineData("studyMode", "sometimes")]
    [InlineData("reasonForIqts", "fun")]
    [InlineData("highestQualificationLevel", "phd")]
    [InlineData("ageRangePhase", "nursery")]
    public async Task An_unknown_enum_value_is_400_naming_the_field(string field, string value)
    {
        var client = await api.NewProviderClientAsync();
        var response = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee(change: b => b[field] = value));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
        Assert.Equal([field], problem.ErrorFields());
    }

    [Fact]
    public async Task Every_missing_required_field_is_named_at_once()
    {
        var client = await api.NewProviderClientAsync();
        var problem = await (await client.PostAsync("/api/v1/trainees", Requests.JsonBody("{}"))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(
            ["ageRange", "dateOfBirth", "email", "expectedEndDate", "firstNames", "lastName", "nationality", "providerTraineeId", "sex", "startDate", "studyMode", "subjects", "trainingCountry"],
            problem.ErrorFields().Order());
    }

    [Fact]
    public async Task Age_phases_follow_C2_3()
    {
        var client = await api.NewProviderClientAsync();

        // Another range needs its nearest phase.
        var missing = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee(change: b => b["ageRange"] = "5-11"));
        Assert.Equal(["ageRangePhase"], (await missing.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
        var other = await client.CreateTraineeAsync(Fixtures.Trainee(change: b => { b["ageRange"] = "5-11"; b["ageRangePhase"] = "primary"; b["subjects"] = new JsonArray("100511"); }));
        Assert.Equal("primary", other.GetProperty("ageRangePhase").GetString());

        // A standard range implies its phase; a contradicting one is refused.
        var wrong = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee(change: b => { b["ageRange"] = "7-14"; b["ageRangePhase"] = "secondary"; }));
        Assert.Equal(["ageRangePhase"], (await wrong.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
        var middle = await client.CreateTraineeAsync(Fixtures.Trainee(change: b => b["ageRange"] = "7-14"));
        Assert.Equal("middle", middle.GetProperty("ageRangePhase").GetString());

        // A 3-11 course leads with primary teaching.
        var primary = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee(change: b => b["ageRange"] = "3-11"));
        Assert.Equal(["subjects[0]"], (await primary.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
        await client.CreateTraineeAsync(Fixtures.Trainee(change: b => { b["ageRange"] = "3-11"; b["subjects"] = new JsonArray("100511", "100403"); }));
    }

    [Theory]
    [InlineData("suspended")]
    [InlineData("withdrawn")]
    public async Task A_provider_without_approval_cannot_register(string status)
    {
        var ukprn = await api.CreateProviderAsync(status: status);
        var client = await api.ClientForAsync("provider", ukprn);
        await (await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee())).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider.not_approved");
    }

    [Fact]
    public async Task A_provider_suspended_after_registering_cannot_register_more()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        await client.CreateTraineeAsync();
        var dfe = await api.ClientForAsync("dfe");
        Assert.Equal(HttpStatusCode.Created, (await dfe.PostJsonAsync($"/api/v1/providers/{ukprn}/approval-history", Fixtures.Suspension())).StatusCode);
        await (await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee())).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider.not_approved");
    }

    [Fact]
    public async Task A_token_for_an_unregistered_provider_cannot_register()
    {
        var client = await api.ClientForAsync("provider", "10999998");
        await (await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee())).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider.not_approved");
    }

    [Fact]
    public async Task The_same_provider_trainee_id_is_409_with_the_existing_trainee()
    {
        var client = await api.NewProviderClientAsync();
        var first = await client.CreateTraineeAsync(Fixtures.Trainee("SRS-SAME"));
        var again = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee("SRS-SAME", b => b["lastName"] = "Other"));
        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict, "trainee.already_exists");
        Assert.Equal(first.Id(), problem.GetProperty("matches")[0].GetProperty("traineeId").GetString());

        // Another provider may use the same key for its own trainee.
        var other = await api.NewProviderClientAsync();
        await other.CreateTraineeAsync(Fixtures.Trainee("SRS-SAME"));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A_likely_duplicate_is_409_unless_confirmed(bool sameFirstNames, bool sameEmail)
    {
        var client = await api.NewProviderClientAsync();
        var first = await client.CreateTraineeAsync(Fixtures.Trainee("DUP-1", b => { b["firstNames"] = "Ravi"; b["email"] = "ravi@example.org"; }));
        var second = Fixtures.Trainee("DUP-2", b =>
        {
            b["firstNames"] = sameFirstNames ? "  RAVI " : "Ravindra";
            b["email"] = sameEmail ? "Ravi@Example.org" : "other@example.org";
            b["lastName"] = "VERMA";
            b["startDate"] = "2026-05-01"; // same academic year, 2025/26
        });

        var problem = await (await client.PostJsonAsync("/api/v1/trainees", second)).AssertProblemAsync(HttpStatusCode.Conflict, "trainee.possible_duplicate");
        var match = Assert.Single(problem.GetProperty("matches").EnumerateArray());
        Assert.Equal(first.Id(), match.GetProperty("traineeId").GetString());
        Assert.Equal("DUP-1", match.GetProperty("providerTraineeId").GetString());

        var confirmed = await client.PostJsonAsync("/api/v1/trainees?confirmNotDuplicate=true", second);
        Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);
    }

    [Fact]
    public async Task Different_academic_year_or_names_is_not_a_duplicate()
    {
        var client = await api.NewProviderClientAsync();
        await client.CreateTraineeAsync(Fixtures.Trainee("ND-1", b => { b["firstNames"] = "Ravi"; b["email"] = "ravi@example.org"; }));
        await client.CreateTraineeAsync(Fixtures.Trainee("ND-2", b => { b["firstNames"] = "Ravi"; b["email"] = "ravi@example.org"; b["startDate"] = "2026-09-01"; b["expectedEndDate"] = "2027-07-31"; }));
        await client.CreateTraineeAsync(Fixtures.Trainee("ND-3", b => { b["firstNames"] = "Sunil"; b["email"] = "sunil@example.org"; }));
    }
}
