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
        // running gets a longer one, up to the 10,000 rows a batch may hold.
        var missed = new List<string>();
        foreach (var size in new[] { 1500, 4000, 10_000 })
        {
            if (await KillHalfwayAndResendAsync(size) is not { } why)
            {
                return;
            }

            missed.Add($"{size} rows: {why}");
        }

        Assert.Fail($"Every batch finished before it could be killed halfway: {string.Join("; ", missed)}");
    }

    /// <summary>Null when proved; otherwise why nothing was proved (the batch finished before it could be killed).</summary>
    private async Task<string?> KillHalfwayAndResendAsync(int size)
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
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var seen = await KillOnProgressAsync(first, client, location);
            await first.KillAsync();
            // Valid rows: a batch that failed is a fault, not a batch too quick to catch.
            Assert.True(seen.GetProperty("status").GetString() != "failed", $"The batch failed: {seen}\n{first.Output}");
            if (seen.GetProperty("status").GetString() != "running")
            {
                return $"the first poll that saw it started, {watch.ElapsedMilliseconds} ms after 202, saw it {seen.GetProperty("status").GetString()}";
            }

            Assert.InRange(seen.GetProperty("rowsDone").GetInt32(), 1, size - 1);
        }

        await using (var connection = await _driver.Db.OpenAsync(CancellationToken.None))
        {
            if (await connection.ExecuteScalarAsync<string>("SELECT status FROM batches WHERE ukprn = @ukprn", new { ukprn }) != "running")
            {
                return "it committed between the last poll and the kill";
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

        return null;
    }

    /// <summary>
    /// Polls the batch on a thread of its own, with blocking calls, and kills the process the moment the batch shows
    /// progress (or has ended): the suite's other tests keep the thread pool busy, and a poll waiting for a pool thread
    /// can come back after the batch is done.
    /// </summary>
    private static Task<System.Text.Json.JsonElement> KillOnProgressAsync(ApiProcess api, HttpClient client, string location) =>
        Task.Factory.StartNew(() =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (true)
            {
                using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, location));
                using var document = System.Text.Json.JsonDocument.Parse(response.Content.ReadAsStream());
                var batch = document.RootElement.Clone();
                if (batch.GetProperty("rowsDone").GetInt32() > 0 || batch.GetProperty("status").GetString() is "succeeded" or "failed")
                {
                    api.Kill();
                    return batch;
                }

                Assert.True(DateTime.UtcNow < deadline, $"Still waiting: {batch}");
                Thread.Sleep(10);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

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
