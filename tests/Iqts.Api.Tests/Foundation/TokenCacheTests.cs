using System.Diagnostics;
using System.Net;
using Dapper;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// Token checks come from memory, and still: an expired token is refused at its expiry instant, a revoked one within a
/// second whoever revoked it (on SQLite the instance polls the revocation sequence; on PostgreSQL it is notified).
/// </summary>
public sealed class TokenCacheTests(ApiFactory api, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private async Task<(Guid Id, HttpClient Client)> TokenAsync(int? expiresInDays = null)
    {
        var (token, secret) = await api.Services.GetRequiredService<TokenIssuer>().CreateAsync("dfe", null, "cache test", expiresInDays, CancellationToken.None);
        return (token.Id, api.ClientWith(secret));
    }

    [Fact]
    public async Task A_token_seen_once_is_checked_without_the_database()
    {
        var (id, client) = await TokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/providers")).StatusCode);
        await using (var connection = await api.Db.OpenAsync(CancellationToken.None))
        {
            // Were the token looked up on each request, it would not be found now.
            await connection.ExecuteAsync("UPDATE api_tokens SET token_hash = 'moved' WHERE id = @id", new { id });
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/providers")).StatusCode);
    }

    [Fact]
    public async Task A_token_is_refused_at_its_expiry_instant()
    {
        var (_, client) = await TokenAsync(expiresInDays: 1);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/providers")).StatusCode);
        api.Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/providers")).StatusCode);
        api.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await (await client.GetAsync("/api/v1/providers")).AssertProblemAsync(HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [Fact]
    public async Task A_token_revoked_in_the_database_by_someone_else_is_refused_within_a_second()
    {
        var (id, client) = await TokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/providers")).StatusCode);

        // The repository, not this instance's cache: as the CLI in another process, or another instance, revokes.
        Assert.True(await api.Services.GetRequiredService<TokenIssuer>().RevokeAsync(id, CancellationToken.None));
        var clock = Stopwatch.StartNew();
        while ((await client.GetAsync("/api/v1/providers")).StatusCode == HttpStatusCode.OK)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "the revoked token was still accepted after a second");
            await Task.Delay(10);
        }

        output.WriteLine($"Refused {clock.Elapsed.TotalMilliseconds:F0} ms after the revocation ({api.Database.Provider}).");
        await (await client.GetAsync("/api/v1/providers")).AssertProblemAsync(HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [Fact]
    public async Task A_token_revoked_through_this_instance_is_refused_at_once()
    {
        var (id, client) = await TokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/providers")).StatusCode);
        Assert.True(await api.Services.GetRequiredService<TokenCache>().RevokeAsync(id, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/providers")).StatusCode);
        Assert.False(await api.Services.GetRequiredService<TokenCache>().RevokeAsync(id, CancellationToken.None));
    }
}
