using System.Net;
using System.Text;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Trainees;

/// <summary>
/// Text that looks like something else (issue 18): accents typed decomposed, a value of nothing but invisible
/// characters, and the bidirectional controls that make a name display as another.
/// </summary>
public sealed class TextTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Composed = "José María Núñez";

    [Fact]
    public async Task A_name_typed_with_decomposed_accents_is_stored_composed_and_found_as_a_possible_duplicate()
    {
        var client = await api.NewProviderClientAsync();
        var decomposed = Composed.Normalize(NormalizationForm.FormD);
        Assert.False(string.Equals(Composed, decomposed, StringComparison.Ordinal));

        var first = await client.CreateTraineeAsync(Fixtures.Trainee(change: t => { t["firstNames"] = "José María"; t["lastName"] = "Núñez"; }));
        var again = Fixtures.Trainee(change: t => { t["firstNames"] = "JOSÉ MARÍA ".Normalize(NormalizationForm.FormD); t["lastName"] = "núñez".Normalize(NormalizationForm.FormD); });
        var problem = await (await client.PostJsonAsync("/api/v1/trainees", again)).AssertProblemAsync(HttpStatusCode.Conflict, "trainee.possible_duplicate");
        Assert.Equal(first.Id(), problem.GetProperty("matches")[0].GetProperty("traineeId").GetString());

        // Confirmed as another person, it is stored in the composed form, as the TRA will receive it.
        var second = await client.CreateTraineeAsync(Fixtures.Trainee(change: t => { t["firstNames"] = "Ana"; t["lastName"] = decomposed; }));
        Assert.Equal(Encoding.UTF8.GetBytes(Composed), Encoding.UTF8.GetBytes(second.GetProperty("lastName").GetString()!));
        var patched = await (await client.SendAsync(Fixtures.Patch($"/api/v1/trainees/{second.Id()}", $$"""{"firstNames":"{{"Zoë".Normalize(NormalizationForm.FormD)}}"}"""))).ReadJsonAsync();
        Assert.Equal(Encoding.UTF8.GetBytes("Zo\u00EB"), Encoding.UTF8.GetBytes(patched.GetProperty("firstNames").GetString()!));
    }

    public static TheoryData<string> Invisible => new() { "\u200B", " \u200B\u200C\u200D\u2060\uFEFF ", "\u3164", "\u00AD" };

    [Theory]
    [MemberData(nameof(Invisible))]
    public async Task A_required_value_of_only_invisible_characters_is_refused(string invisible)
    {
        var client = await api.NewProviderClientAsync();
        foreach (var field in new[] { "providerTraineeId", "lastName", "firstNames" })
        {
            var problem = await (await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee(change: t => t[field] = invisible))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
            Assert.Contains(field, problem.ErrorFields());
        }

        var school = await (await client.PostJsonAsync("/api/v1/schools", Fixtures.School(s => s["name"] = invisible))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["name"], school.ErrorFields());
        var dfe = await api.ClientForAsync("dfe");
        var provider = await (await dfe.PostJsonAsync("/api/v1/providers", Fixtures.Provider(change: p => p["name"] = invisible))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["name"], provider.ErrorFields());
        Assert.Empty((await (await client.GetAsync("/api/v1/trainees")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData('\u202A')]
    [InlineData('\u202E')]
    [InlineData('\u2066')]
    [InlineData('\u2069')]
    public async Task Bidirectional_controls_are_refused_in_any_text_naming_the_field(char control)
    {
        var client = await api.NewProviderClientAsync();
        var post = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee(change: t => t["lastName"] = $"Verma{control}amreV"));
        Assert.Equal(["lastName"], (await post.AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_text")).ErrorFields());

        var trainee = await client.CreateTraineeAsync();
        var path = $"/api/v1/trainees/{trainee.Id()}";
        var before = await client.GetStringAsync(path);
        var patch = await client.SendAsync(Fixtures.Patch(path, $$"""{"firstNames":"Asha{{control}}"}"""));
        Assert.Equal(["firstNames"], (await patch.AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_text")).ErrorFields());
        Assert.Equal(before, await client.GetStringAsync(path));

        var school = await client.PostJsonAsync("/api/v1/schools", Fixtures.School(s => s["city"] = $"Dubai{control}"));
        Assert.Equal(["city"], (await school.AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_text")).ErrorFields());
        var query = await client.GetAsync($"/api/v1/trainees?trainingCountry=IN{Uri.EscapeDataString(control.ToString())}");
        Assert.Equal(["trainingCountry"], (await query.AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_text")).ErrorFields());
    }
}
