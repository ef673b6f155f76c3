using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Providers;

public sealed class ProviderTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static int _next = 10_100_000;

    private static string NewUkprn() => Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Body(string ukprn, string name = "University of Somewhere", int grade = 1, string status = "approved") =>
        $$"""{"ukprn":"{{ukprn}}","name":"{{name}}","approvalStatus":"{{status}}","inspectionGrade":{{grade}},"inspectionDate":"2023-06-01","mayExceedTraineeCap":false}""";

    private static async Task<HttpResponseMessage> Create(HttpClient dfe, string ukprn, string? body = null)
    {
        var response = await dfe.PostAsync("/api/v1/providers", Requests.JsonBody(body ?? Body(ukprn)));
        return response;
    }

    private static HttpRequestMessage PatchRequest(string ukprn, string json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/providers/{ukprn}") { Content = Requests.JsonBody(json, "application/merge-patch+json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    [Fact]
    public async Task Dfe_creates_a_provider_with_location_and_etag()
    {
        var dfe = await api.ClientForAsync("dfe");
        var ukprn = NewUkprn();
        var response = await Create(dfe, ukprn);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/providers/{ukprn}", response.Headers.Location?.ToString());
        Assert.NotNull(response.Headers.ETag);
        var body = await response.ReadJsonAsync();
        Assert.Equal(ukprn, body.GetProperty("ukprn").GetString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("ukprn").ValueKind);
        Assert.Equal("approved", body.GetProperty("approvalStatus").GetString());
        Assert.Equal("2023-06-01", body.GetProperty("inspectionDate").GetString());
        Assert.EndsWith("Z", body.GetProperty("createdAt").GetString(), StringComparison.Ordinal);

        var read = await dfe.GetAsync($"/api/v1/providers/{ukprn}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(response.Headers.ETag, read.Headers.ETag);
    }

    [Fact]
    public async Task Defaults_apply_when_optional_fields_are_absent()
    {
        var dfe = await api.ClientForAsync("dfe");
        var ukprn = NewUkprn();
        var response = await Create(dfe, ukprn, $$"""{"ukprn":"{{ukprn}}","name":"Minimal","inspectionGrade":2,"inspectionDate":"2022-01-10"}""");
        var body = await response.ReadJsonAsync();
        Assert.Equal("approved", body.GetProperty("approvalStatus").GetString());
        Assert.False(body.GetProperty("mayExceedTraineeCap").GetBoolean());
    }

    [Fact]
    public async Task A_missing_inspection_grade_is_400_naming_it()
    {
        var dfe = await api.ClientForAsync("dfe");
        var body = """{"ukprn":"10000002","name":"x","inspectionDate":"2023-01-01"}""";
        var problem = await (await dfe.PostAsync("/api/v1/providers", Requests.JsonBody(body))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["inspectionGrade"], problem.ErrorFields());
    }

    [Fact]
    public async Task Over_long_name_is_400()
    {
        var dfe = await api.ClientForAsync("dfe");
        var problem = await (await Create(dfe, NewUkprn(), Body(NewUkprn(), new string('n', 201)))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["name"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_grade_3_provider_can_be_registered_as_suspended()
    {
        var dfe = await api.ClientForAsync("dfe");
        Assert.Equal(HttpStatusCode.Created, (await Create(dfe, NewUkprn(), Body(NewUkprn(), grade: 3, status: "suspended"))).StatusCode);
    }

    [Fact]
    public async Task Unknown_provider_is_404()
    {
        var dfe = await api.ClientForAsync("dfe");
        await (await dfe.GetAsync("/api/v1/providers/19999999")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        await (await dfe.GetAsync("/api/v1/providers/not-a-ukprn")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
    }

    [Fact]
    public async Task A_provider_token_reads_its_own_provider()
    {
        var dfe = await api.ClientForAsync("dfe");
        var ukprn = NewUkprn();
        await Create(dfe, ukprn);
        var provider = await api.ClientForAsync("provider", ukprn);

        var response = await provider.GetAsync("/api/v1/providers/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ukprn, (await response.ReadJsonAsync()).GetProperty("ukprn").GetString());

        await (await provider.GetAsync($"/api/v1/providers/{ukprn}")).AssertProblemAsync(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task A_provider_token_whose_provider_is_not_registered_gets_404_on_me()
    {
        var provider = await api.ClientForAsync("provider", "10999999");
        await (await provider.GetAsync("/api/v1/providers/me")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
    }

    [Fact]
    public async Task Patch_merges_and_moves_the_etag()
    {
        var dfe = await api.ClientForAsync("dfe");
        var ukprn = NewUkprn();
        var created = await Create(dfe, ukprn);
        var etag = created.Headers.ETag!.ToString();

        var response = await dfe.SendAsync(PatchRequest(ukprn, """{"inspectionGrade":2,"mayExceedTraineeCap":true}""", etag));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(2, body.GetProperty("inspectionGrade").GetInt32());
        Assert.Equal("ofsted", body.GetProperty("inspectionSource").GetString());
        Assert.True(body.GetProperty("mayExceedTraineeCap").GetBoolean());
        Assert.Equal("University of Somewhere", body.GetProperty("name").GetString());
        Assert.NotEqual(etag, response.Headers.ETag!.ToString());

        // The old ETag is now stale.
        await (await dfe.SendAsync(PatchRequest(ukprn, """{"name":"Renamed"}""", etag))).AssertProblemAsync(HttpStatusCode.PreconditionFailed, "resource.precondition_failed");
        // Without If-Match the change applies (last writer wins, as documented).
        Assert.Equal(HttpStatusCode.OK, (await dfe.SendAsync(PatchRequest(ukprn, """{"name":"Renamed"}"""))).StatusCode);
    }

    [Fact]
    public async Task Patch_with_null_clears_and_required_fields_cannot_be_cleared()
    {
        var dfe = await api.ClientForAsync("dfe");
        var ukprn = NewUkprn();
        await Create(dfe, ukprn);
        var problem = await (await dfe.SendAsync(PatchRequest(ukprn, """{"name":null}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["name"], problem.ErrorFields());
    }

    [Fact]
    public async Task Patch_refuses_immutable_and_unknown_fields_and_bad_values_by_name()
    {
        var dfe = await api.ClientForAsync("dfe");
        var ukprn = NewUkprn();
        await Create(dfe, ukprn);

        var immutable = await (await dfe.SendAsync(PatchRequest(ukprn, """{"ukprn":"10000009"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "request.immutable_field");
        Assert.Equal(["ukprn"], immutable.ErrorFields());
        var unknown = await (await dfe.SendAsync(PatchRequest(ukprn, """{"colour":"red"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "request.unknown_property");
        Assert.Equal(["colour"], unknown.ErrorFields());
        var wrongType = await (await dfe.SendAsync(PatchRequest(ukprn, """{"inspectionGrade":"two"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
        Assert.Equal(["inspectionGrade"], wrongType.ErrorFields());
        var rule = await (await dfe.SendAsync(PatchRequest(ukprn, """{"inspectionGrade":4}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["approvalStatus"], rule.ErrorFields());
        await (await dfe.SendAsync(PatchRequest(ukprn, "[1,2]"))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        await (await dfe.SendAsync(PatchRequest(ukprn, """{"name":"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "request.malformed_json");

        var text = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/providers/{ukprn}") { Content = Requests.JsonBody("{}", "text/plain") };
        await (await dfe.SendAsync(text)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");

        // Nothing of the refused patches was stored.
        var current = await (await dfe.GetAsync($"/api/v1/providers/{ukprn}")).ReadJsonAsync();
        Assert.Equal(1, current.GetProperty("inspectionGrade").GetInt32());
        Assert.Equal(ukprn, current.GetProperty("ukprn").GetString());
    }

    [Fact]
    public async Task Patch_of_an_unknown_provider_is_404()
    {
        var dfe = await api.ClientForAsync("dfe");
        await (await dfe.SendAsync(PatchRequest("19999998", """{"name":"x"}"""))).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
    }

    [Fact]
    public async Task List_pages_with_a_cursor_and_sees_changed_rows_again_at_their_latest_state()
    {
        var dfe = await api.ClientForAsync("dfe");
        var mine = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var ukprn = NewUkprn();
            mine.Add(ukprn);
            await Create(dfe, ukprn);
        }

        var seen = new Dictionary<string, string>();
        string? cursor = null;
        var pages = 0;
        var hasMore = true;
        while (hasMore)
        {
            var page = await (await dfe.GetAsync($"/api/v1/providers?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadJsonAsync();
            Assert.True(page.GetProperty("items").GetArrayLength() <= 2);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                seen[item.GetProperty("ukprn").GetString()!] = item.GetProperty("name").GetString()!;
            }

            if (pages == 0)
            {
                // A row already passed changes while the walk goes on: it must come round again.
                await dfe.SendAsync(PatchRequest(mine[0], """{"name":"Changed mid-walk"}"""));
            }

            cursor = page.GetProperty("nextCursor").GetString();
            hasMore = page.GetProperty("hasMore").GetBoolean();
            pages++;
        }

        Assert.All(mine, u => Assert.Contains(u, seen.Keys));
        Assert.Equal("Changed mid-walk", seen[mine[0]]);

        // The last cursor resumes the sync: nothing new, then exactly the next change.
        var empty = await (await dfe.GetAsync($"/api/v1/providers?cursor={cursor}")).ReadJsonAsync();
        Assert.Equal(0, empty.GetProperty("items").GetArrayLength());
        await dfe.SendAsync(PatchRequest(mine[1], """{"name":"Later"}"""));
        var next = await (await dfe.GetAsync($"/api/v1/providers?cursor={cursor}")).ReadJsonAsync();
        Assert.Equal([mine[1]], next.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("ukprn").GetString()));
    }

    [Fact]
    public async Task List_filters_by_status_and_updated_since()
    {
        var dfe = await api.ClientForAsync("dfe");
        var suspended = NewUkprn();
        await Create(dfe, suspended, Body(suspended, status: "suspended"));
        var pageResponse = await dfe.GetAsync("/api/v1/providers?approvalStatus=suspended&limit=100");
        Assert.True(pageResponse.IsSuccessStatusCode, await pageResponse.Content.ReadAsStringAsync());
        var page = await pageResponse.ReadJsonAsync();
        var statuses = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("approvalStatus").GetString()).ToList();
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal("suspended", s));

        var future = Uri.EscapeDataString(api.Clock.GetUtcNow().AddMinutes(5).ToString("O"));
        var noneResponse = await dfe.GetAsync($"/api/v1/providers?updatedSince={future}");
        Assert.True(noneResponse.IsSuccessStatusCode, await noneResponse.Content.ReadAsStringAsync());
        var none = await noneResponse.ReadJsonAsync();
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
        var past = Uri.EscapeDataString(api.Clock.GetUtcNow().AddMinutes(-5).ToString("O"));
        var some = await (await dfe.GetAsync($"/api/v1/providers?updatedSince={past}&limit=100")).ReadJsonAsync();
        Assert.Contains(suspended, some.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("ukprn").GetString()));
    }

    [Theory]
    [InlineData("limit=0", "limit", "validation.failed")]
    [InlineData("limit=101", "limit", "validation.failed")]
    [InlineData("cursor=bogus", "cursor", "pagination.invalid_cursor")]
    public async Task Bad_paging_is_400_naming_the_parameter(string query, string field, string code)
    {
        var dfe = await api.ClientForAsync("dfe");
        var problem = await (await dfe.GetAsync($"/api/v1/providers?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.Equal([field], problem.ErrorFields());
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("approvalStatus=pending", "approvalStatus")]
    [InlineData("approvalStatus=Approved", "approvalStatus")]
    [InlineData("updatedSince=yesterday", "updatedSince")]
    public async Task Unparseable_query_values_are_400_naming_the_parameter(string query, string field)
    {
        var dfe = await api.ClientForAsync("dfe");
        var problem = await (await dfe.GetAsync($"/api/v1/providers?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
        Assert.Equal([field], problem.ErrorFields());
    }

    [Fact]
    public async Task Etag_is_a_quoted_strong_tag()
    {
        var dfe = await api.ClientForAsync("dfe");
        var ukprn = NewUkprn();
        var response = await Create(dfe, ukprn);
        Assert.False(response.Headers.ETag!.IsWeak);
        var request = PatchRequest(ukprn, """{"name":"Star"}""");
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Any);
        Assert.Equal(HttpStatusCode.OK, (await dfe.SendAsync(request)).StatusCode);
    }
}
