using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Dapper;
using Iqts.Api.Http;
using Iqts.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Iqts.Api.Tests.Foundation;

/// <summary>Two real API processes on loopback ports and one database, as behind a load balancer.</summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public ApiFactory Driver { get; } = new();

    public ApiProcess A { get; private set; } = null!;

    public ApiProcess B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Driver.InitializeAsync();
        var started = await Task.WhenAll(ApiProcess.StartAsync(Driver.Database), ApiProcess.StartAsync(Driver.Database));
        (A, B) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await ((IAsyncLifetime)Driver).DisposeAsync();
    }
}

/// <summary>
/// What only two instances show: the gap-free sync holds across them, one Idempotency-Key sent to both at the same
/// moment makes one trainee, and a token revoked by the CLI (a third process) is refused by both within a second.
/// </summary>
public sealed class TwoInstanceTests(TwoInstances instances, ITestOutputHelper output) : IClassFixture<TwoInstances>
{
    private ApiFactory Driver => instances.Driver;

    [Fact]
    public async Task A_cursor_walk_across_both_instances_during_writes_to_both_misses_nothing()
    {
        var ukprn = await Driver.CreateProviderAsync(mayExceedCap: true);
        var token = await Driver.TokenAsync("provider", ukprn);
        var ids = new ConcurrentBag<string>((await Driver.SeedTraineesAsync(ukprn, 20)).Select(t => t.TraineeId.ToString()));

        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            using var client = (w % 2 == 0 ? instances.A : instances.B).Client(token);
            for (var i = 0; i < 12; i++)
            {
                if (i % 3 == 0)
                {
                    var created = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee());
                    Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                    ids.Add((await created.ReadJsonAsync()).Id());
                }
                else
                {
                    var target = ids.ElementAt(Random.Shared.Next(ids.Count));
                    var patched = await client.SendAsync(Fixtures.Patch($"/api/v1/trainees/{target}", $$"""{"lastName":"w{{w}}-{{i}}"}"""));
                    Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
                }
            }
        })).ToList();
        using var readerA = instances.A.Client(token);
        using var readerB = instances.B.Client(token);
        var (seen, pages) = await CursorWalk.WhileWritingAsync(Task.WhenAll(writers), async (cursor, page) =>
            await (await (page % 2 == 0 ? readerA : readerB).GetAsync($"/api/v1/trainees?limit=7{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadJsonAsync(),
            "traineeId");
        await Task.WhenAll(writers);
        await using var connection = await Driver.Db.OpenAsync(CancellationToken.None);
        var stored = (await connection.QueryAsync<(string Id, string LastName)>(
            "SELECT CAST(id AS TEXT) AS Id, last_name AS LastName FROM trainees WHERE ukprn = @ukprn", new { ukprn })).ToList();
        Assert.Equal(20 + (6 * 4), stored.Count);
        Assert.Equal(stored.Select(s => s.Id).Order(), seen.Keys.Order());
        Assert.All(stored, s => Assert.Equal(s.LastName, seen[s.Id].GetProperty("lastName").GetString()));
        output.WriteLine($"{pages} pages, alternating between the instances.");
    }

    [Fact]
    public async Task One_idempotency_key_sent_to_both_at_the_same_moment_makes_one_trainee()
    {
        var ukprn = await Driver.CreateProviderAsync();
        var token = await Driver.TokenAsync("provider", ukprn);
        using var a = instances.A.Client(token);
        using var b = instances.B.Client(token);
        for (var round = 0; round < 10; round++)
        {
            var key = Guid.NewGuid().ToString();
            var body = Fixtures.Trainee();
            HttpRequestMessage Post()
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/trainees") { Content = Requests.JsonBody(body.ToJsonString()) };
                request.Headers.Add(IdempotencyMiddleware.Header, key);
                return request;
            }

            var answers = await Task.WhenAll(a.SendAsync(Post()), b.SendAsync(Post()));
            // One creates it; the other replays that answer, or is told the first is still in flight.
            Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed"));
            Assert.All(answers, r => Assert.Contains(r.StatusCode, (HttpStatusCode[])[HttpStatusCode.Created, HttpStatusCode.Conflict]));
            foreach (var conflict in answers.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            {
                await conflict.AssertProblemAsync(HttpStatusCode.Conflict, "idempotency.request_in_flight");
            }

            await using var connection = await Driver.Db.OpenAsync(CancellationToken.None);
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM trainees WHERE ukprn = @ukprn AND provider_trainee_id = @id", new { ukprn, id = body["providerTraineeId"]!.GetValue<string>() }));
        }
    }

    [Fact]
    public async Task A_token_revoked_by_the_cli_is_refused_by_both_instances_within_a_second()
    {
        var (token, secret) = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Iqts.Api.Tokens.TokenIssuer>(Driver.Services).CreateAsync("dfe", null, "two instances", null, CancellationToken.None);
        using var a = instances.A.Client(secret);
        using var b = instances.B.Client(secret);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/v1/providers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/v1/providers")).StatusCode);

        var (code, text) = await ApiProcess.RunCommandAsync(Driver.Database, "tokens", "revoke", token.Id.ToString());
        Assert.True(code == 0, text);
        var clock = Stopwatch.StartNew();
        foreach (var (name, client) in new[] { ("A", a), ("B", b) })
        {
            while ((await client.GetAsync("/api/v1/providers")).StatusCode == HttpStatusCode.OK)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"instance {name} still accepted the revoked token a second after the CLI revoked it");
                await Task.Delay(10);
            }

            output.WriteLine($"Instance {name} refused it {clock.Elapsed.TotalMilliseconds:F0} ms after the CLI exited ({Driver.Database.Provider}).");
        }
    }
}
