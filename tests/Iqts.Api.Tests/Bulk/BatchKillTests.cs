using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Bulk;

/// <summary>A batch whose process is killed (SIGKILL) halfway: nothing of it stored, and sent again with its key it completes once.</summary>
public sealed class BatchKillTests : IAsyncLifetime
{
    /// <summary>Makes the provider and the token on the shared database; runs no batch itself.</summary>
    private sealed class Driver : ApiFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Batches:Worker"] = "false" };
    }

    private static readonly Dictionary<string, string?> Quick = new()
    {
        ["Batches:AnswerWithin"] = "00:00:00",
        ["Batches:Lease"] = "00:00:01",
        ["Batches:PollInterval"] = "00:00:00.200",
    };

    private readonly Driver _driver = new();

    public Task InitializeAsync() => _driver.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_driver).DisposeAsync();

    [Fact]
    public async Task A_batch_killed_halfway_leaves_nothing_and_the_same_key_completes_it_once()
    {
        // The kill must land while the batch runs: a machine busy enough to finish the batch before a poll sees it
        // running gets a batch twice as long, up to three times.
        foreach (var size in new[] { 1500, 3000, 6000 })
        {
            if (await KillHalfwayAndResendAsync(size))
            {
                return;
            }
        }

        Assert.Fail("Every batch finished before it could be killed halfway.");
    }

    /// <summary>False when the batch finished before it could be killed (nothing was proved).</summary>
    private async Task<bool> KillHalfwayAndResendAsync(int size)
    {
        var ukprn = await _driver.CreateProviderAsync(mayExceedCap: true);
        var token = await _driver.TokenAsync("provider", ukprn);
        // Rows with evidence, so the batch runs long enough to be caught halfway on either engine.
        var rows = new JsonArray([.. Enumerable.Range(0, size).Select(i => (JsonNode)Fixtures.Trainee(change: t =>
        {
            t["dateOfBirth"] = new DateOnly(1970, 1, 1).AddDays(i * 7 % 9000).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            t["qualifications"] = new JsonArray(Fixtures.Qualification("gcse_maths"));
        }))]);
        var body = rows.ToJsonString();
        HttpRequestMessage Send() => new(HttpMethod.Post, "/api/v1/trainee-batches") { Content = Requests.JsonBody(body), Headers = { { "Idempotency-Key", "kill-me" } } };

        string location;
        await using (var first = await ApiProcess.StartAsync(_driver.Database, Quick))
        {
            using var client = first.Client(token);
            var accepted = await client.SendAsync(Send());
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            location = accepted.Headers.Location!.ToString();
            var seen = await WaitForAsync(client, location, b => b.GetProperty("rowsDone").GetInt32() > 0 || b.GetProperty("status").GetString() is "succeeded" or "failed");
            await first.KillAsync();
            if (seen.GetProperty("status").GetString() != "running")
            {
                return false;
            }

            Assert.InRange(seen.GetProperty("rowsDone").GetInt32(), 1, size - 1);
        }

        await using (var connection = await _driver.Db.OpenAsync(CancellationToken.None))
        {
            if (await connection.ExecuteScalarAsync<string>("SELECT status FROM batches WHERE ukprn = @ukprn", new { ukprn }) != "running")
            {
                return false; // it committed between the last poll and the kill
            }

            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM trainees WHERE ukprn = @ukprn", new { ukprn }));
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM qualifications WHERE ukprn = @ukprn", new { ukprn }));
        }

        await using var second = await ApiProcess.StartAsync(_driver.Database, Quick);
        using var again = second.Client(token);
        var replayed = await again.SendAsync(Send());
        Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        Assert.Equal(location, replayed.Headers.Location!.ToString());
        var done = await WaitForAsync(again, location, b => b.GetProperty("status").GetString() is "succeeded" or "failed");
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(size, done.GetProperty("results").GetArrayLength());
        await using (var connection = await _driver.Db.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(size, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM trainees WHERE ukprn = @ukprn", new { ukprn }));
            Assert.Equal(size, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM qualifications WHERE ukprn = @ukprn", new { ukprn }));
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM batch_rows WHERE batch_id IN (SELECT id FROM batches WHERE ukprn = @ukprn)", new { ukprn }));
        }

        return true;
    }

    private static async Task<System.Text.Json.JsonElement> WaitForAsync(HttpClient client, string location, Func<System.Text.Json.JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var batch = await (await client.GetAsync(location)).ReadJsonAsync();
            if (condition(batch))
            {
                return batch;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Still waiting: {batch}");
            await Task.Delay(20);
        }
    }
}
