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

        var lines = api.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        foreach (var secret in new[] { "Zephyrine", "Quillfeather", "zephyrine.q@example.org", "1991-02-13", "Brightwater" })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }
}
