using System.Net;
using Dapper;
using Iqts.Api.Http;
using Iqts.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Iqts.Api.Tests.Foundation;

/// <summary>An app whose idempotency sweeper deletes in small batches, and whose timer leaves the sweeping to the tests.</summary>
public sealed class FastSweepFactory : ApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Idempotency:SweepInterval"] = "01:00:00",
        ["Idempotency:SweepBatch"] = "100",
    };
}

/// <summary>Idempotency records are kept for the retention (24 hours) and then swept, so the table stays bounded.</summary>
public sealed class IdempotencyExpiryTests(FastSweepFactory api) : IClassFixture<FastSweepFactory>
{
    private async Task<long> KeysAsync(string? key = null)
    {
        await using var connection = await api.Db.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM idempotency_keys{(key is null ? "" : " WHERE idempotency_key = @key")}", new { key });
    }

    private static HttpRequestMessage Post(string key, System.Text.Json.Nodes.JsonObject body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/trainees") { Content = Requests.JsonBody(body.ToJsonString()) };
        request.Headers.Add(IdempotencyMiddleware.Header, key);
        return request;
    }

    /// <summary>The sweeper's sweeps until one deletes nothing, each as its timer would run it; how many each deleted.</summary>
    private async Task<List<int>> SweepAsync()
    {
        var sweeper = api.Services.GetRequiredService<IdempotencySweeper>();
        var passes = new List<int>();
        while (passes.LastOrDefault(-1) != 0)
        {
            passes.Add(await sweeper.SweepAsync(CancellationToken.None));
        }

        return passes;
    }

    [Fact]
    public async Task A_replay_inside_the_window_still_works_and_an_expired_key_is_swept_and_forgotten()
    {
        var client = await api.NewProviderClientAsync();
        var key = Guid.NewGuid().ToString();
        var body = Fixtures.Trainee();
        var first = await client.SendAsync(Post(key, body));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        // 23 hours on: the sweeper keeps it, and the same request is replayed.
        api.Clock.Advance(TimeSpan.FromHours(23));
        await SweepAsync();
        Assert.Equal(1, await KeysAsync(key));
        var replay = await client.SendAsync(Post(key, body));
        Assert.Equal((HttpStatusCode.Created, "true"), (replay.StatusCode, replay.Headers.GetValues("Idempotent-Replayed").Single()));
        Assert.Equal((await first.ReadJsonAsync()).Id(), (await replay.ReadJsonAsync()).Id());

        // Past 24 hours: the sweeper deletes it, and the same key is a new request (the trainee exists, so 409).
        api.Clock.Advance(TimeSpan.FromHours(1.5));
        await SweepAsync();
        Assert.Equal(0, await KeysAsync(key));
        var again = await client.SendAsync(Post(key, body));
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "trainee.already_exists");
    }

    [Fact]
    public async Task The_sweeper_deletes_in_batches_only_what_has_expired()
    {
        var now = api.Clock.GetUtcNow();
        await using (var connection = await api.Db.OpenAsync(CancellationToken.None))
        {
            var rows = Enumerable.Range(0, 350).Select(i => new
            {
                scope = "test:sweep",
                key = $"old-{i}",
                created = (i < 250 ? now.AddHours(-25) : now.AddHours(-1)).AddMicroseconds(i),
            });
            await connection.ExecuteAsync(
                "INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, state, created_at) VALUES (@scope, @key, 'h', 'completed', @created)", rows);
        }

        // In batches of 100, one sweep removes the 250 expired ones and keeps the rest; the next finds nothing.
        Assert.Equal([250, 0], await SweepAsync());
        Assert.Equal(100L, await CountScopeAsync());
    }

    private async Task<long> CountScopeAsync()
    {
        await using var connection = await api.Db.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys WHERE scope = 'test:sweep'");
    }
}
