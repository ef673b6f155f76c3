using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Iqts.Api.Tests.Infrastructure;

/// <summary>Builders for valid requests, so a test states only what it changes.</summary>
public static class Fixtures
{
    private static int _ukprn = 10_200_000;
    private static int _trainee;

    public static string NewUkprn() => Interlocked.Increment(ref _ukprn).ToString(CultureInfo.InvariantCulture);

    public static string NewProviderTraineeId() => "SRS-" + Interlocked.Increment(ref _trainee).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>A valid trainee: a secondary maths trainee in India starting in September 2025.</summary>
    public static JsonObject Trainee(string? providerTraineeId = null, Action<JsonObject>? change = null)
    {
        var id = providerTraineeId ?? NewProviderTraineeId();
        var body = new JsonObject
        {
            ["providerTraineeId"] = id,
            ["firstNames"] = "Asha " + id,
            ["lastName"] = "Verma",
            ["previousLastName"] = "Rao",
            ["dateOfBirth"] = "1994-05-17",
            ["email"] = $"asha.{id.ToLowerInvariant()}@example.org",
            ["sex"] = "female",
            ["nationality"] = "IN",
            ["trainingCountry"] = "IN",
            ["countryOfBirth"] = "IN",
            ["countryOfResidence"] = "AE",
            ["firstLanguage"] = "hi",
            ["teachingLanguage"] = "en",
            ["yearsOfTeachingExperience"] = 4,
            ["reasonForIqts"] = "career_progression",
            ["highestQualificationLevel"] = "masters_degree",
            ["ageRange"] = "11-19",
            ["subjects"] = new JsonArray("100403"),
            ["studyMode"] = "part_time",
            ["startDate"] = "2025-09-01",
            ["expectedEndDate"] = "2026-07-31",
        };
        change?.Invoke(body);
        return body;
    }

    public static async Task<string> CreateProviderAsync(this ApiFactory api, string? ukprn = null, string status = "approved", bool mayExceedCap = false)
    {
        ukprn ??= NewUkprn();
        var dfe = await api.ClientForAsync("dfe");
        var grade = status == "approved" ? 1 : 3;
        var response = await dfe.PostAsJsonAsync("/api/v1/providers", new
        {
            ukprn,
            name = "Provider " + ukprn,
            approvalStatus = status,
            inspectionGrade = grade,
            inspectionDate = "2024-01-10",
            mayExceedTraineeCap = mayExceedCap,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ukprn;
    }

    /// <summary>A client for a new, approved provider.</summary>
    public static async Task<HttpClient> NewProviderClientAsync(this ApiFactory api) =>
        await api.ClientForAsync("provider", await api.CreateProviderAsync());

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, JsonNode body) =>
        client.PostAsync(path, Requests.JsonBody(body.ToJsonString()));

    public static async Task<JsonElement> CreateTraineeAsync(this HttpClient client, JsonObject? body = null)
    {
        var response = await client.PostJsonAsync("/api/v1/trainees", body ?? Trainee());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static HttpRequestMessage Patch(string path, string json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = Requests.JsonBody(json, "application/merge-patch+json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    public static string Id(this JsonElement trainee) => trainee.GetProperty("traineeId").GetString()!;
}
