using System.Net;
using Iqts.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// An app with small limits whose test requests say which client address they come from (<c>X-Test-Client</c>), as a
/// proxy's forwarded header would once forwarded headers are enabled.
/// </summary>
public sealed class SmallRateLimitFactory : ApiFactory
{
    public const string ClientHeader = "X-Test-Client";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:PermitsPerMinute"] = "3",
        ["RateLimiting:PerAddressPermitsPerMinute"] = "40",
        ["RateLimiting:FailedAuthenticationsPerMinute"] = "5",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
    }

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, Func<Task> call) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientHeader], out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return call();
            });
            next(app);
        };
    }

    public HttpClient ClientFrom(string address, string? token = null)
    {
        var client = ClientWith(token);
        client.DefaultRequestHeaders.Add(ClientHeader, address);
        return client;
    }
}

public sealed class RateLimitTests(SmallRateLimitFactory api) : IClassFixture<SmallRateLimitFactory>
{
    [Fact]
    public async Task A_token_over_its_limit_gets_429_with_retry_after_and_others_are_unaffected()
    {
        var token = await api.TokenAsync("dfe");
        var busy = api.ClientFrom("10.0.0.1", token);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await busy.GetAsync("/api/v1/providers");
            statuses.Add(last.StatusCode);
        }

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var problem = await last!.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limit.exceeded");
        Assert.Contains("This token", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.True(last!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After is missing");

        // Partitioned by the token's id: the same token from another address is still limited, another token is not.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await api.ClientFrom("10.0.0.2", token).GetAsync("/api/v1/providers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.ClientFrom("10.0.0.1", await api.TokenAsync("dfe")).GetAsync("/api/v1/providers")).StatusCode);
    }

    [Fact]
    public async Task Made_up_tokens_from_one_address_are_refused_then_slowed_before_any_lookup_and_a_known_token_goes_on()
    {
        var known = await api.TokenAsync("dfe");
        Assert.Equal(HttpStatusCode.OK, (await api.ClientFrom("10.0.1.1", known).GetAsync("/api/v1/providers")).StatusCode);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 20; i++)
        {
            last = await api.ClientFrom("10.0.1.1", $"iqts_made-up-{Guid.NewGuid():N}").GetAsync("/api/v1/providers");
            statuses.Add(last.StatusCode);
        }

        // Five refusals a minute: the first five made-up tokens are looked up and refused, every later one is slowed.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), statuses.Take(5));
        Assert.All(statuses.Skip(5), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        await last!.AssertProblemAsync(HttpStatusCode.TooManyRequests, "auth.too_many_failures");
        Assert.Equal(TimeSpan.FromSeconds(12), last!.Headers.RetryAfter?.Delta);

        // A token this instance knows is valid still passes; another address is not affected.
        Assert.Equal(HttpStatusCode.OK, (await api.ClientFrom("10.0.1.1", known).GetAsync("/api/v1/providers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientFrom("10.0.1.2", "iqts_made-up").GetAsync("/api/v1/providers")).StatusCode);
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    public async Task The_limiters_refusals_are_problem_json_whatever_the_accept_header(string accept)
    {
        // Issue 18, fault 1: with a non-JSON Accept each of these refusals was a 500 with an empty body.
        var address = accept == "text/html" ? "10.0.4.1" : "10.0.4.2";
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++)
        {
            var client = api.ClientFrom(address, $"iqts_made-up-{Guid.NewGuid():N}");
            client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);
            answers.Add(await client.GetAsync("/api/v1/providers"));
        }

        foreach (var refused in answers.Take(5))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, "auth.invalid_token");
        }

        foreach (var slowed in answers.Skip(5))
        {
            await slowed.AssertProblemAsync(HttpStatusCode.TooManyRequests, "auth.too_many_failures");
        }

        var token = await api.TokenAsync("dfe");
        var busy = api.ClientFrom("10.0.4.3", token);
        busy.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add(await busy.GetAsync("/api/v1/providers"));
        }

        await statuses[^1].AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limit.exceeded");
    }

    [Fact]
    public async Task Each_made_up_token_of_1500_is_limited_by_address_and_none_gets_its_own_bucket()
    {
        var statuses = new List<HttpStatusCode>();
        var started = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < 1500; i++)
        {
            statuses.Add((await api.ClientFrom("10.0.2.1", $"iqts_guess-{i}").GetAsync("/api/v1/providers")).StatusCode);
        }

        // 5 refused, then slowed; past the address's 40 requests a minute, every request is limited before anything else.
        // The failed-authentication bucket refills one every 12 s: a run that slow may see one more refusal.
        var refused = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.InRange(refused, 5, 5 + RefillsSince(started, seconds: 12));
        Assert.Equal(1500 - refused, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task An_address_over_its_requests_a_minute_is_limited_whichever_tokens_it_uses()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        var started = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < 15; i++)
        {
            // A fresh valid token each time: no token is over its own limit.
            last = await api.ClientFrom("10.0.3.1", await api.TokenAsync("dfe")).GetAsync("/api/v1/providers");
            statuses.Add(last.StatusCode);
        }

        // No request without a token either: anonymous requests count against the address too.
        for (var i = 0; i < 30; i++)
        {
            last = await api.ClientFrom("10.0.3.1").GetAsync("/api/v1/providers");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(15, statuses.Take(15).Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var problem = await last!.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limit.exceeded");
        Assert.Contains("client address", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        // The address's bucket holds 40 and refills one every 1.5 s: a slow run may see one more for each refill.
        Assert.InRange(statuses.Count(s => s != HttpStatusCode.TooManyRequests), 40, 41 + RefillsSince(started, seconds: 1.5));

        // Health checks are not the API: not limited.
        Assert.Equal(HttpStatusCode.OK, (await api.ClientFrom("10.0.3.1").GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task The_public_register_needs_no_token_and_is_limited_by_address()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        var started = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < 45; i++)
        {
            last = await api.ClientFrom("10.0.5.1").GetAsync("/api/v1/public/providers");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        await last!.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limit.exceeded");
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 40, 41 + RefillsSince(started, seconds: 1.5));
        Assert.Equal(HttpStatusCode.OK, (await api.ClientFrom("10.0.5.2").GetAsync("/api/v1/public/providers")).StatusCode);
    }

    /// <summary>
    /// How many refills of a bucket refilled every <paramref name="seconds"/> can have fallen since <paramref name="started"/>:
    /// the runtime's limiter refills on the real clock (it takes no TimeProvider), so a slow run sees more.
    /// </summary>
    private static int RefillsSince(long started, double seconds) => (int)(TimeProvider.System.GetElapsedTime(started).TotalSeconds / seconds);
}
