using System.Net;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Trainees;

public sealed class ReferenceDataTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Every_set_the_trainee_rules_use_is_served()
    {
        var client = await api.ClientForAsync("provider", "10000001");
        var sets = (await (await client.GetAsync("/api/v1/reference-data")).ReadJsonAsync()).EnumerateArray().Select(s => s.GetProperty("set").GetString()).ToList();
        foreach (var expected in new[] { "countries", "nationalities", "languages", "subjects", "age-ranges", "age-phases", "study-modes", "sexes", "iqts-reasons", "qualification-levels", "trainee-statuses", "withdrawal-reasons", "withdrawal-triggers" })
        {
            Assert.Contains(expected, sets);
        }
    }

    [Fact]
    public async Task A_set_lists_its_codes_with_their_attributes()
    {
        var client = await api.ClientForAsync("dfe");
        var ranges = await (await client.GetAsync("/api/v1/reference-data/age-ranges")).ReadJsonAsync();
        var secondary = ranges.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("code").GetString() == "11-19");
        Assert.Equal("secondary", secondary.GetProperty("attributes").GetProperty("phase").GetString());

        var countries = await (await client.GetAsync("/api/v1/reference-data/countries")).ReadJsonAsync();
        var norway = countries.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("code").GetString() == "NO");
        Assert.Equal("Norway", norway.GetProperty("name").GetString());

        var reasons = await (await client.GetAsync("/api/v1/reference-data/withdrawal-reasons")).ReadJsonAsync();
        var safeguarding = reasons.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("code").GetString() == "safeguarding_concerns");
        Assert.True(safeguarding.GetProperty("attributes").GetProperty("requiresSafeguardingConcernDetails").GetBoolean());

        var modes = await (await client.GetAsync("/api/v1/reference-data/study-modes")).ReadJsonAsync();
        Assert.Equal(["full_time", "part_time"], modes.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task An_unknown_set_is_404_listing_the_known_ones()
    {
        var client = await api.ClientForAsync("tra");
        var problem = await (await client.GetAsync("/api/v1/reference-data/planets")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        Assert.Contains("countries", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
