using System.Net;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Foundation;

public sealed class SmallRateLimitFactory : ApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimiting:PermitsPerMinute"] = "3" };
}

public sealed class RateLimitTests(SmallRateLimitFactory api) : IClassFixture<SmallRateLimitFactory>
{
    [Fact]
    public async Task A_token_over_its_limit_gets_429_with_retry_after_and_others_are_unaffected()
    {
        var busy = await api.ClientForAsync("dfe");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await busy.GetAsync("/api/v1/providers");
            statuses.Add(last.StatusCode);
        }

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.NotNull(last);
        await last.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limit.exceeded");
        Assert.True(last.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After is missing");

        var other = await api.ClientForAsync("dfe");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/providers")).StatusCode);
    }
}
