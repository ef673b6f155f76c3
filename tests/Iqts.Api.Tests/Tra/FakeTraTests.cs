using System.Net;
using System.Net.Http.Headers;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Tra;

/// <summary>The fake TRS answers as TRS does (../shared/anchors/tra-trs-v3.md), or the delivery tests would prove nothing.</summary>
public sealed class FakeTraTests : IAsyncLifetime
{
    private FakeTraHost _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeTraHost.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private HttpClient Client(string? key = "test-tra-key", string? version = "20250627")
    {
        var http = new HttpClient { BaseAddress = new Uri(_fake.BaseUrl) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (version is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Version", version);
        }

        return http;
    }

    private static StringContent TrnRequest(string requestId, string lastName = "Silva") => Requests.JsonBody(
        $$$"""{"requestId":"{{{requestId}}}","person":{"firstName":"Ana","lastName":"{{{lastName}}}","dateOfBirth":"1990-04-01","emailAddresses":["a@x.org"],"gender":"Female"}}""");

    private static StringContent Route(string status = "InTraining", string holdsFrom = "null", string country = "IE") => Requests.JsonBody(
        $$$"""{"routeToProfessionalStatusTypeId":"d0b60864-ab1c-4d49-a5c2-ff4bd9872ee1","status":"{{{status}}}","holdsFrom":{{{holdsFrom}}},"trainingStartDate":"2025-09-01","trainingEndDate":"2026-07-31","trainingSubjectReferences":["100403"],"trainingAgeSpecialism":{"type":"Range","from":11,"to":19},"trainingCountryReference":"{{{country}}}","trainingProviderUkprn":"10000001"}""");

    [Fact]
    public async Task A_trn_request_is_200_pending_then_completed_and_a_reused_request_id_is_409_10029_in_compact_json()
    {
        var http = Client();
        var created = await http.PostAsync("/v3/trn-requests", TrnRequest("req-1"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("""{"requestId":"req-1","status":"Pending","trn":null,"potentialDuplicate":false,"accessYourTeachingQualificationsLink":null}""",
            await created.Content.ReadAsStringAsync());

        var again = await http.PostAsync("/v3/trn-requests", TrnRequest("req-1"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"title":"TRN request already created.","detail":"","status":409,"errorCode":10029}""", await again.Content.ReadAsStringAsync());

        var read = await (await http.GetAsync("/v3/trn-requests?requestId=req-1")).ReadJsonAsync();
        Assert.Equal("Completed", read.GetProperty("status").GetString());
        Assert.Matches("^[0-9]{7}$", read.GetProperty("trn").GetString()!);
        var missing = await http.GetAsync("/v3/trn-requests?requestId=nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("\"errorCode\":10031", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_potential_duplicate_stays_pending_until_resolved()
    {
        var http = Client();
        await http.PostAsync("/v3/trn-requests", TrnRequest("dup-1", lastName: "Duplicate"));
        var read = await (await http.GetAsync("/v3/trn-requests?requestId=dup-1")).ReadJsonAsync();
        Assert.Equal(("Pending", true), (read.GetProperty("status").GetString(), read.GetProperty("potentialDuplicate").GetBoolean()));
        Assert.True(_fake.State.Resolve("dup-1"));
        Assert.Equal("Completed", (await (await http.GetAsync("/v3/trn-requests?requestId=dup-1")).ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_route_put_is_204_then_10052_once_holds_and_an_unknown_country_or_person_is_refused_with_its_code()
    {
        var http = Client();
        await http.PostAsync("/v3/trn-requests", TrnRequest("route-1"));
        var trn = (await (await http.GetAsync("/v3/trn-requests?requestId=route-1")).ReadJsonAsync()).GetProperty("trn").GetString();
        var path = $"/v3/persons/{trn}/routes-to-professional-statuses/ref-1";

        Assert.Equal(HttpStatusCode.NoContent, (await http.PutAsync(path, Route())).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PutAsync(path, Route("Holds", "\"2026-03-13\""))).StatusCode);
        var again = await http.PutAsync(path, Route("Holds", "\"2026-03-13\""));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("""{"title":"Route to professional status already awarded.","detail":"","status":400,"errorCode":10052}""", await again.Content.ReadAsStringAsync());

        var country = await http.PutAsync($"/v3/persons/{trn}/routes-to-professional-statuses/ref-2", Route(country: "XP"));
        Assert.Contains("\"errorCode\":10047", await country.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var person = await http.PutAsync("/v3/persons/9999999/routes-to-professional-statuses/ref-3", Route());
        Assert.Equal(HttpStatusCode.NotFound, person.StatusCode);
        Assert.Contains("\"errorCode\":10001", await person.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A malformed body is ASP.NET's validation problem, keyed by field, with no errorCode.
        var holdsWithoutDate = await (await http.PutAsync($"/v3/persons/{trn}/routes-to-professional-statuses/ref-4", Route("Holds"))).ReadJsonAsync();
        Assert.True(holdsWithoutDate.GetProperty("errors").TryGetProperty("holdsFrom", out _));
        Assert.False(holdsWithoutDate.TryGetProperty("errorCode", out _));
    }

    [Fact]
    public async Task The_key_the_version_and_the_switches_are_honoured()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(key: null).PostAsync("/v3/trn-requests", TrnRequest("k-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(key: "wrong").PostAsync("/v3/trn-requests", TrnRequest("k-1"))).StatusCode);
        // No header means 20240101, which has no routes-to-professional-statuses; an unknown version is a 404 too.
        Assert.Equal(HttpStatusCode.NotFound, (await Client(version: null).PutAsync("/v3/persons/1/routes-to-professional-statuses/r", Route())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client(version: "20250101").PostAsync("/v3/trn-requests", TrnRequest("k-1"))).StatusCode);

        _fake.State.Down = true;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Client().PostAsync("/v3/trn-requests", TrnRequest("k-1"))).StatusCode);
        _fake.State.Down = false;
        _fake.State.RetryAfterSeconds = 7;
        _fake.State.AnswerTooManyRequests(1);
        var limited = await Client().PostAsync("/v3/trn-requests", TrnRequest("k-1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, (await Client().PostAsync("/v3/trn-requests", TrnRequest("k-1"))).StatusCode);
    }
}
