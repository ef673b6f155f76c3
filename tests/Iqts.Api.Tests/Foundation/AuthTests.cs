using System.Net;
using Dapper;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Iqts.Api.Tests.Foundation;

public sealed class AuthTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task No_token_is_401_with_challenge_and_problem()
    {
        var response = await api.ClientWith(null).GetAsync("/api/v1/providers/me");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "auth.missing_token");
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iqts_not-a-real-token")]
    [InlineData("something-else")]
    public async Task Unknown_token_is_401_invalid_token(string token)
    {
        var response = await api.ClientWith(token).GetAsync("/api/v1/providers/me");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "auth.invalid_token");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_bearer_scheme_is_401()
    {
        var client = api.ClientWith(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        await (await client.GetAsync("/api/v1/providers/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [Fact]
    public async Task Expired_token_is_refused_whether_or_not_this_instance_has_seen_it()
    {
        var seen = api.ClientWith(await api.TokenAsync("dfe", expiresInDays: 1));
        var unseen = api.ClientWith(await api.TokenAsync("dfe", expiresInDays: 1));
        Assert.Equal(HttpStatusCode.OK, (await seen.GetAsync("/api/v1/providers")).StatusCode);

        api.Clock.Advance(TimeSpan.FromDays(2));
        await (await seen.GetAsync("/api/v1/providers")).AssertProblemAsync(HttpStatusCode.Unauthorized, "auth.invalid_token");
        await (await unseen.GetAsync("/api/v1/providers")).AssertProblemAsync(HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [Fact]
    public async Task Revoked_token_is_refused_at_once()
    {
        var tokens = api.Services.GetRequiredService<TokenCache>();
        var (token, secret) = await api.Services.GetRequiredService<TokenIssuer>().CreateAsync("dfe", null, "to revoke", null, CancellationToken.None);
        var client = api.ClientWith(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/providers")).StatusCode);

        Assert.True(await tokens.RevokeAsync(token.Id, CancellationToken.None));

        await (await client.GetAsync("/api/v1/providers")).AssertProblemAsync(HttpStatusCode.Unauthorized, "auth.invalid_token");
        Assert.False(await tokens.RevokeAsync(token.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Wrong_role_is_403()
    {
        var provider = await api.ClientForAsync("provider", "10000999");
        var response = await provider.PostAsync("/api/v1/providers", Requests.JsonBody("""{"ukprn":"10000998","name":"x","inspectionGrade":1,"inspectionDate":"2024-01-01"}"""));
        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "auth.forbidden");

        var tra = await api.ClientForAsync("tra");
        await (await tra.GetAsync("/api/v1/providers/me")).AssertProblemAsync(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task Tokens_are_stored_only_as_hashes()
    {
        var secret = await api.TokenAsync("tra", name: "hash check");
        await using var connection = await api.Db.OpenAsync(CancellationToken.None);
        var stored = await connection.QuerySingleAsync<string>("SELECT token_hash FROM api_tokens WHERE name = 'hash check'");
        Assert.Equal(TokenRepository.Hash(secret), stored);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.Equal(64, stored.Length);
    }
}
