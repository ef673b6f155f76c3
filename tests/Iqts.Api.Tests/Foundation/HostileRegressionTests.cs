using System.Net;
using System.Text;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// The hostile inputs the house-style issue measured before the fix (a 500, or invalid data stored), one test each.
/// The contract-driven <see cref="HostileInputTests"/> covers them too; these name them.
/// </summary>
public sealed class HostileRegressionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static HttpRequestMessage Patch(string path, byte[] body, string mediaType = "application/merge-patch+json")
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        return request;
    }

    private async Task<(HttpClient Client, string Path, string Before)> TraineeAsync()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        var path = $"/api/v1/trainees/{trainee.Id()}";
        return (client, path, await client.GetStringAsync(path));
    }

    [Theory]
    [InlineData("trainee")]
    [InlineData("provider")]
    public async Task An_unpaired_surrogate_in_a_patch_is_400_and_changes_nothing(string resource)
    {
        HttpClient client;
        string path;
        if (resource == "trainee")
        {
            (client, path, _) = await TraineeAsync();
        }
        else
        {
            client = await api.ClientForAsync("dfe");
            path = $"/api/v1/providers/{await api.CreateProviderAsync()}";
        }

        var before = await client.GetStringAsync(path);
        var field = resource == "trainee" ? "lastName" : "name";
        var problem = await (await client.SendAsync(Patch(path, Encoding.UTF8.GetBytes($$"""{"{{field}}":"\ud800"}""")))).AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_text");
        Assert.Equal([field], problem.ErrorFields());
        Assert.Equal(before, await client.GetStringAsync(path));
    }

    [Fact]
    public async Task A_date_of_birth_of_9999_12_31_is_400_on_post_and_patch()
    {
        var (client, path, before) = await TraineeAsync();
        var post = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee(change: b => b["dateOfBirth"] = "9999-12-31"));
        Assert.Equal(["dateOfBirth"], (await post.AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value")).ErrorFields());
        var patch = await client.SendAsync(Fixtures.Patch(path, """{"dateOfBirth":"9999-12-31"}"""));
        Assert.Equal(["dateOfBirth"], (await patch.AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value")).ErrorFields());
        Assert.Equal(before, await client.GetStringAsync(path));
    }

    [Theory]
    [InlineData("firstNames")]
    [InlineData("lastName")]
    [InlineData("email")]
    public async Task A_nul_in_any_text_field_is_400_and_nothing_is_stored(string field)
    {
        var (client, path, before) = await TraineeAsync();
        var post = await client.PostAsync("/api/v1/trainees", Requests.JsonBody(Fixtures.Trainee(change: b => b[field] = "a\u0000b").ToJsonString()));
        Assert.Equal([field], (await post.AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_text")).ErrorFields());
        var patch = await client.SendAsync(Fixtures.Patch(path, $$"""{"{{field}}":"a\u0000b"}"""));
        await patch.AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_text");
        Assert.Equal(before, await client.GetStringAsync(path));

        var defer = await client.PostAsync(path + "/defer", Requests.JsonBody("""{"date":"2025-10-01","reason":"a\u0000b"}"""));
        Assert.Equal(["reason"], (await defer.AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_text")).ErrorFields());
        var dfe = await api.ClientForAsync("dfe");
        var provider = await dfe.PostAsync("/api/v1/providers", Requests.JsonBody(Fixtures.Provider(change: b => b["name"] = "x\u0000").ToJsonString()));
        Assert.Equal(["name"], (await provider.AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_text")).ErrorFields());

        var list = await (await client.GetAsync("/api/v1/trainees")).ReadJsonAsync();
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Invalid_utf8_in_a_patch_is_400_and_nothing_is_stored()
    {
        var (client, path, before) = await TraineeAsync();
        byte[] body = [.. "{\"lastName\":\"a"u8.ToArray(), 0xFF, 0xFE, .. "\"}"u8.ToArray()];
        await (await client.SendAsync(Patch(path, body))).AssertProblemAsync(HttpStatusCode.BadRequest, "request.malformed_json");
        Assert.Equal(before, await client.GetStringAsync(path));
    }

    [Theory]
    [InlineData("countryOfBirth")]
    [InlineData("countryOfResidence")]
    [InlineData("firstLanguage")]
    [InlineData("teachingLanguage")]
    public async Task An_empty_string_for_an_optional_code_is_refused(string field)
    {
        var (client, path, before) = await TraineeAsync();
        var post = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee(change: b => b[field] = ""));
        Assert.Equal([field], (await post.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
        var patch = await client.SendAsync(Fixtures.Patch(path, $$"""{"{{field}}":""}"""));
        Assert.Equal([field], (await patch.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
        Assert.Equal(before, await client.GetStringAsync(path));
    }

    [Fact]
    public async Task An_unknown_property_with_a_null_value_is_refused_by_patch()
    {
        var (client, path, before) = await TraineeAsync();
        var problem = await (await client.SendAsync(Fixtures.Patch(path, """{"favouriteColour":null}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "request.unknown_property");
        Assert.Equal(["favouriteColour"], problem.ErrorFields());
        Assert.Equal(before, await client.GetStringAsync(path));
    }

    [Fact]
    public async Task A_duplicated_member_is_refused_rather_than_read_two_ways()
    {
        var (client, path, before) = await TraineeAsync();
        await (await client.SendAsync(Fixtures.Patch(path, """{"lastName":"A","lastName":"B"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "request.malformed_json");
        Assert.Equal(before, await client.GetStringAsync(path));
    }

    [Fact]
    public async Task A_control_character_in_a_query_value_is_400_naming_it()
    {
        var client = await api.NewProviderClientAsync();
        var problem = await (await client.GetAsync("/api/v1/trainees?trainingCountry=I%00N")).AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_text");
        Assert.Equal(["trainingCountry"], problem.ErrorFields());
    }

    [Fact]
    public async Task An_oversized_body_on_a_get_is_413_and_the_contract_says_so()
    {
        var client = await api.NewProviderClientAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/trainees") { Content = new ByteArrayContent(new byte[300 * 1024]) };
        await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "request.body_too_large");
        var contract = HostileInputTests.Contract.Root.GetProperty("paths");
        Assert.True(contract.GetProperty("/api/v1/trainees").GetProperty("get").GetProperty("responses").TryGetProperty("413", out _));
        Assert.True(contract.GetProperty("/api/v1/providers").GetProperty("post").GetProperty("responses").TryGetProperty("422", out _));
    }
}
