using System.Net;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Tests.Sandbox;

/// <summary>Issue 22: a vendor's sandbox makes realistic test trainees for the calling provider and clears them.</summary>
public sealed class SandboxTests(SandboxTests.Api api) : IClassFixture<SandboxTests.Api>
{
    public sealed class Api : ApiFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Sandbox:Enabled"] = "true" };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Sandbox");
        }
    }

    [Fact]
    public async Task Generated_trainees_are_the_callers_awardable_as_promised_and_a_clear_removes_only_the_callers()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var other = await api.NewProviderClientAsync();
        var theirs = await other.CreateTraineeAsync();

        var generated = await client.PostJsonAsync("/api/v1/test-data/generate", new JsonObject { ["trainees"] = 4, ["withEvidence"] = true, ["awardable"] = true });
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        Assert.Equal("true", generated.Headers.GetValues("Iqts-Sandbox").Single());
        var ids = (await generated.ReadJsonAsync()).GetProperty("traineeIds").EnumerateArray().Select(i => i.GetString()!).ToList();
        Assert.Equal(4, ids.Count);
        foreach (var id in ids)
        {
            var check = await (await client.GetAsync($"/api/v1/trainees/{id}/award-check")).ReadJsonAsync();
            Assert.True(check.GetProperty("result").GetString() == "met", check.ToString());
        }

        var awarded = await client.PostJsonAsync($"/api/v1/trainees/{ids[0]}/award", new JsonObject { ["awardedOn"] = api.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Created, awarded.StatusCode);
        var plain = await (await client.PostJsonAsync("/api/v1/test-data/generate", new JsonObject { ["trainees"] = 3 })).ReadJsonAsync();
        Assert.Empty(plain.GetProperty("schoolIds").EnumerateArray());
        var names = new HashSet<string>();
        foreach (var id in plain.GetProperty("traineeIds").EnumerateArray())
        {
            var trainee = await (await client.GetAsync($"/api/v1/trainees/{id.GetString()}")).ReadJsonAsync();
            Assert.Equal("incomplete", trainee.GetProperty("eligibility").GetString());
            names.Add(trainee.GetProperty("firstNames").GetString()!);
        }

        Assert.Equal(3, names.Count);

        var cleared = await (await client.PostAsync("/api/v1/test-data/clear", null)).ReadJsonAsync();
        Assert.Equal(7, cleared.GetProperty("traineesRemoved").GetInt32());
        Assert.Empty((await (await client.GetAsync("/api/v1/trainees")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await client.GetAsync("/api/v1/schools")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        await (await client.GetAsync($"/api/v1/trainees/{ids[1]}")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/v1/trainees/{theirs.Id()}")).StatusCode);
    }

    [Fact]
    public async Task A_request_for_none_too_many_or_not_a_number_is_refused_naming_the_field_and_makes_nothing()
    {
        var client = await api.NewProviderClientAsync();
        foreach (var count in new[] { "0", "501", "-1", "2147483648", "\"5\"", "null", "1.5", "[1]", "{}" })
        {
            var answer = await client.PostAsync("/api/v1/test-data/generate", Requests.JsonBody($$"""{"trainees":{{count}}}"""));
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Equal(["trainees"], (await answer.ReadJsonAsync()).ErrorFields());
        }

        await (await client.PostAsync("/api/v1/test-data/generate", Requests.JsonBody("""{"trainees":1,"colour":"red"}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "request.unknown_property");
        Assert.Empty((await (await client.GetAsync("/api/v1/trainees")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
    }
}

/// <summary>Outside a sandbox the test-data routes answer as unknown routes, and a sandbox never starts as Production.</summary>
public sealed class NoSandboxTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Without_the_sandbox_test_data_routes_are_not_found_and_no_answer_says_sandbox()
    {
        var client = await api.NewProviderClientAsync();
        var refused = await client.PostJsonAsync("/api/v1/test-data/generate", new JsonObject { ["trainees"] = 1 });
        await refused.AssertProblemAsync(HttpStatusCode.NotFound, "route.not_found");
        Assert.False(refused.Headers.Contains("Iqts-Sandbox"));
        await (await client.PostAsync("/api/v1/test-data/clear", null)).AssertProblemAsync(HttpStatusCode.NotFound, "route.not_found");
    }

    [Fact]
    public async Task A_sandbox_with_the_Production_environment_refuses_to_start()
    {
        await using var production = new ProductionSandbox { SharedDatabase = api.Database };
        var error = await Assert.ThrowsAsync<OptionsValidationException>(production.InitializeAsync);
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Production", error.Message);
    }

    private sealed class ProductionSandbox : ApiFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Sandbox:Enabled"] = "true" };
    }
}
