using System.Net;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Trainees;

/// <summary>Names, dates of birth and emails never reach the application logs, even at trace level or on errors.</summary>
public sealed class PersonalDataTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Personal_data_never_reaches_the_logs()
    {
        var client = await api.NewProviderClientAsync();
        var body = Fixtures.Trainee("PD-1", b =>
        {
            b["firstNames"] = "Zephyrine";
            b["lastName"] = "Quillfeather";
            b["email"] = "zephyrine.q@example.org";
            b["dateOfBirth"] = "1991-02-13";
        });
        var trainee = await client.CreateTraineeAsync(body);
        await client.SendAsync(Fixtures.Patch($"/api/v1/trainees/{trainee.Id()}", """{"previousLastName":"Brightwater"}"""));
        await client.PostJsonAsync("/api/v1/trainees", body); // duplicate: 409
        await client.PostAsync("/api/v1/trainees", Requests.JsonBody("""{"firstNames":"Zephyrine","lastName":7}""")); // binding error
        var history = await client.GetAsync($"/api/v1/trainees/{trainee.Id()}/history");
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);

        // Quality assurance (issue 20): a moderator's and a mentor's names, in good requests and in refused ones.
        var ukprn = (await (await client.GetAsync("/api/v1/providers/me")).ReadJsonAsync()).GetProperty("ukprn").GetString()!;
        var school = await api.CreateSchoolAsync(ukprn);
        var moderator = Fixtures.Moderator(school);
        moderator["name"] = "Hildegarde Moonwhistle";
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/v1/moderators", moderator)).StatusCode);
        moderator["role"] = 7;
        await client.PostJsonAsync("/api/v1/moderators", moderator); // binding error
        var mentor = await client.PostJsonAsync("/api/v1/mentors", Fixtures.SchoolMentor(school, "Barnabas Thistlewood"));
        Assert.Equal(HttpStatusCode.Created, mentor.StatusCode);
        var mentorId = (await mentor.ReadJsonAsync()).GetProperty("mentorId").GetString()!;
        await client.PostJsonAsync("/api/v1/mentors", Fixtures.SchoolMentor(Guid.NewGuid().ToString(), "Barnabas Thistlewood")); // unknown school: 400
        await client.SendAsync(Fixtures.Patch($"/api/v1/mentors/{mentorId}", """{"name":"Barnabas Thistlewood-Reyes"}"""));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/mentors/{mentorId}/history")).StatusCode);

        var lines = api.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        foreach (var secret in new[] { "Zephyrine", "Quillfeather", "zephyrine.q@example.org", "1991-02-13", "Brightwater", "Moonwhistle", "Thistlewood" })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }
}
