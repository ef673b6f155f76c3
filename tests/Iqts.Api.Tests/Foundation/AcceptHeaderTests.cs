using System.Net;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// Every error is problem+json with every member the contract requires, whatever the Accept header asks for (issue 18,
/// fault 1). Before <c>ProblemJsonWriter</c>, a non-JSON Accept made the framework's writer decline: the 401 of a request
/// without a token became a 500 with an empty body, a binding failure a bare 400, and endpoint problems had no traceId.
/// </summary>
public sealed class AcceptHeaderTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    /// <summary>The Accept values a client may send, and none at all.</summary>
    public static TheoryData<string?> Accepts => new() { "application/xml", "text/html", "text/csv", "*/*", "text/html, application/xhtml+xml;q=0.9", null };

    private static HttpRequestMessage Get(string path, string? accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return request;
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task No_token_and_a_made_up_token_answer_401_problem_json(string? accept)
    {
        await (await api.ClientWith(null).SendAsync(Get("/api/v1/trainees", accept))).AssertProblemAsync(HttpStatusCode.Unauthorized, "auth.missing_token");
        var madeUp = await api.ClientWith($"iqts_made-up-{Guid.NewGuid():N}").SendAsync(Get("/api/v1/trainees", accept));
        Assert.Equal(HttpStatusCode.Unauthorized, madeUp.StatusCode);
        await madeUp.AssertProblemAsync(HttpStatusCode.Unauthorized, (await madeUp.ReadJsonAsync()).GetProperty("errorCode").GetString()!);
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task An_endpoints_problem_carries_its_trace_id_and_a_binding_failure_has_a_body(string? accept)
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        await (await client.SendAsync(Get($"/api/v1/trainees/{Guid.CreateVersion7()}", accept))).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        await (await client.SendAsync(Get("/api/v1/trainees?limit=500", accept))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");

        var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0].TraineeId;
        var malformed = Fixtures.Assessment(a => a["judgements"] = new JsonArray(new JsonObject { ["standard"] = "ts1", ["outcome"] = new JsonArray() }));
        var post = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/trainees/{trainee}/assessments") { Content = Requests.JsonBody(malformed.ToJsonString()) };
        if (accept is not null)
        {
            post.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var refused = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await refused.AssertProblemAsync(HttpStatusCode.BadRequest, (await refused.ReadJsonAsync()).GetProperty("errorCode").GetString()!);
    }
}
