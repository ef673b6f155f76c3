using System.Net;
using Dapper;
using Iqts.Api.Tests.Infrastructure;
using Iqts.FakeTra;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Iqts.Api.Tests.Tra;

/// <summary>
/// Nothing sent to the TRA is lost: not across an outage of TRS, not when an API process is killed in the middle of
/// its deliveries, and two instances delivering side by side send nothing twice. Each test has its own database and
/// fake TRS, so their outages and clocks touch nothing else.
/// </summary>
public sealed class TraChaosTests(ITestOutputHelper output)
{
    /// <summary>TRS's record of each trainee after the dust settles: its TRN request and its route, exactly once each.</summary>
    private static void AssertEveryTraineeArrivedOnce(FakeTraState tra, IReadOnlyDictionary<Guid, string?> trns, HashSet<Guid> awarded, DateOnly awardedOn)
    {
        foreach (var (id, trn) in trns)
        {
            var request = Assert.Single(tra.TrnRequests, r => r.RequestId == $"iqts-{id}");
            Assert.Equal(request.Trn, trn);
            Assert.Single(tra.Exchanges, e => e is { Method: "POST", Status: 200 } && e.Key == $"iqts-{id}");

            var route = Assert.Single(tra.Routes, r => r.Reference == id.ToString());
            Assert.Equal(trn, route.Trn);
            Assert.Equal(awarded.Contains(id) ? ("Holds", awardedOn) : ("InTraining", (DateOnly?)null), (route.Status, route.HoldsFrom));
        }
    }

    private static async Task<Dictionary<Guid, string?>> TrnsAsync(TestDatabase database, string ukprn)
    {
        await using var connection = await Connect(database);
        return (await connection.QueryAsync<(string Id, string? Trn)>("SELECT CAST(id AS TEXT), trn FROM trainees WHERE ukprn = @ukprn", new { ukprn }))
            .ToDictionary(r => Guid.Parse(r.Id), r => r.Trn);
    }

    private static async Task<System.Data.Common.DbConnection> Connect(TestDatabase database)
    {
        System.Data.Common.DbConnection connection = database.Provider == "postgres"
            ? new Npgsql.NpgsqlConnection(database.ConnectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<(long Pending, long InFlight, long Delivered)> OutboxAsync(TestDatabase database)
    {
        await using var connection = await Connect(database);
        return await connection.QuerySingleAsync<(long, long, long)>(
            """
            SELECT COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN state = 'pending' AND locked_by IS NOT NULL THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN state = 'delivered' THEN 1 ELSE 0 END), 0)
            FROM tra_outbox
            """);
    }

    [Fact]
    public async Task Trainees_registered_and_awarded_while_the_tra_is_down_all_arrive_when_it_comes_back()
    {
        var api = new TraApiFactory();
        await api.InitializeAsync();
        try
        {
            api.Tra.Down = true;
            var ukprn = await api.CreateProviderAsync(mayExceedCap: true);
            var schools = (await api.CreateSchoolAsync(ukprn), await api.CreateSchoolAsync(ukprn));
            var trainees = (await api.SeedTraineesAsync(ukprn, 50)).Select(t => t.TraineeId).ToList();
            var awarded = trainees.Take(20).ToHashSet();
            foreach (var id in awarded)
            {
                await api.AwardTraineeAsync(ukprn, id, schools);
            }

            // The worker has tried every TRN request against the outage, and holds every one; nothing reached TRS.
            await api.WaitUntilAsync(async () =>
            {
                await using var connection = await api.Db.OpenAsync(CancellationToken.None);
                return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tra_outbox WHERE state = 'pending' AND attempts >= 1") == 50;
            }, "every TRN request to be tried during the outage");
            Assert.Empty(api.Tra.TrnRequests);
            Assert.All((await TrnsAsync(api.Database, ukprn)).Values, Assert.Null);

            // TRS comes back; the clock moves on so each message's backoff falls due.
            api.Tra.Down = false;
            await api.WaitForDeliveryAsync(100, step: TimeSpan.FromMinutes(10));

            var trns = await TrnsAsync(api.Database, ukprn);
            Assert.Equal(50, trns.Count);
            Assert.All(trns.Values, Assert.NotNull);
            AssertEveryTraineeArrivedOnce(api.Tra, trns, awarded, new DateOnly(2026, 3, 13));
            output.WriteLine($"{api.Tra.Exchanges.Count(e => e.Status == 503)} requests met the outage; {api.Tra.Exchanges.Count(e => e.Status < 300)} succeeded after it.");
        }
        finally
        {
            await ((IAsyncLifetime)api).DisposeAsync();
        }
    }

    /// <summary>
    /// Issue 24, first case: TRS answers 429 with Retry-After for longer than the client's own retries, long enough for the
    /// circuit to open. Each 429 and each refusal of the open circuit decides the next attempt itself and leaves the backoff
    /// where it was, so the TRNs arrive seconds later, not after a backoff step of minutes or hours.
    /// </summary>
    [Fact]
    public async Task A_run_of_429s_longer_than_the_clients_retries_delays_the_trns_by_seconds_not_hours()
    {
        var api = new TraApiFactory();
        await api.InitializeAsync();
        try
        {
            api.Tra.RetryAfterSeconds = 1;
            var ukprn = await api.CreateProviderAsync();
            await api.SeedTraineesAsync(ukprn, 3);
            api.Tra.AnswerTooManyRequests(40);

            var moved = await DriveUntilAsync(api, async () => (await TrnsAsync(api.Database, ukprn)).Values.All(t => t is not null), "every TRN after the 429s");
            output.WriteLine($"{api.Tra.Exchanges.Count(e => e.Status == 429)} answers of 429; the TRNs arrived {moved.TotalSeconds} s of the app's clock later.");
            Assert.True(moved <= TimeSpan.FromMinutes(1), $"The TRNs waited {moved} of the app's clock: a 429 or the open circuit took a step of the backoff.");
            Assert.Equal(0, api.Tra.TakeTooManyRequestsLeft());
        }
        finally
        {
            await ((IAsyncLifetime)api).DisposeAsync();
        }
    }

    /// <summary>
    /// Issue 24, second case: TRS is down (503) for 20 seconds while trainees are registered and awarded. After it is
    /// back, every TRN request, route update and Holds arrives within a minute: the first answer TRS gives (to a message
    /// tried early, a probe, or one the open circuit held) brings every message waiting on the outage forward, whatever
    /// its backoff had reached. With 3 trainees the circuit never opens (too few calls) and each message is past the 5 s
    /// step of the backoff; with 10 it opens.
    /// </summary>
    [Theory]
    [InlineData(3, 2)]
    [InlineData(10, 4)]
    public async Task After_a_twenty_second_outage_everything_arrives_within_a_minute(int count, int awards)
    {
        var api = new TraApiFactory();
        await api.InitializeAsync();
        try
        {
            api.Tra.Down = true;
            var ukprn = await api.CreateProviderAsync(mayExceedCap: true);
            var schools = (await api.CreateSchoolAsync(ukprn), await api.CreateSchoolAsync(ukprn));
            var trainees = (await api.SeedTraineesAsync(ukprn, count)).Select(t => t.TraineeId).ToList();
            var awarded = trainees.Take(awards).ToHashSet();
            foreach (var id in awarded)
            {
                await api.AwardTraineeAsync(ukprn, id, schools);
            }

            // Twenty seconds of the app's clock with TRS down: every message is tried and fails, some more than once.
            var worker = api.Services.GetRequiredService<Iqts.Api.Tra.TraOutboxWorker>();
            var downUntil = api.Clock.GetUtcNow().AddSeconds(20);
            while (api.Clock.GetUtcNow() < downUntil)
            {
                if (await worker.RunOnceAsync(CancellationToken.None) == 0 || worker.CircuitOpen)
                {
                    api.Clock.Advance(TimeSpan.FromSeconds(1));
                }
            }

            Assert.Empty(api.Tra.TrnRequests);

            // An operator tells waiting from stuck: each waiting message says why (the outage) and when it is tried next.
            var dfe = await api.ClientForAsync("dfe");
            var waiting = (await (await dfe.GetAsync("/api/v1/tra-submissions?state=pending")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(count, waiting.Count);
            Assert.All(waiting, w => Assert.Contains(w.GetProperty("lastErrorCode").GetString(), (string[])["http_503", "circuit_open"]));
            Assert.All(waiting, w => Assert.Equal(System.Text.Json.JsonValueKind.String, w.GetProperty("nextAttemptAt").ValueKind));

            api.Tra.Down = false;
            var moved = await DriveUntilAsync(api, async () => await api.OutboxAsync() == (0, 2 * count, 0), "every TRN request and route after the outage");
            var done = (await (await dfe.GetAsync("/api/v1/tra-submissions?limit=100")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
            Assert.All(done, d => Assert.Equal(System.Text.Json.JsonValueKind.Null, d.GetProperty("nextAttemptAt").ValueKind));
            output.WriteLine($"{api.Tra.Exchanges.Count(e => e.Status == 503)} requests met the outage; everything arrived {moved.TotalSeconds} s after it.");
            Assert.True(moved <= TimeSpan.FromMinutes(1), $"Delivery took {moved} after TRS came back.");
            AssertEveryTraineeArrivedOnce(api.Tra, await TrnsAsync(api.Database, ukprn), awarded, new DateOnly(2026, 3, 13));
        }
        finally
        {
            await ((IAsyncLifetime)api).DisposeAsync();
        }
    }

    /// <summary>
    /// Drives the worker until <paramref name="done"/>, the app's clock a second on whenever a pass finds nothing due; how
    /// long it took: how far the app's clock moved, and the real time spent waiting for the circuit, which runs in real time.
    /// </summary>
    private static async Task<TimeSpan> DriveUntilAsync(TraApiFactory api, Func<Task<bool>> done, string what)
    {
        var (from, real) = (api.Clock.GetUtcNow(), System.Diagnostics.Stopwatch.StartNew());
        await api.WaitUntilAsync(done, what, TimeSpan.FromSeconds(1), seconds: 120);
        return api.Clock.GetUtcNow() - from + real.Elapsed;
    }

    [Fact]
    public async Task Two_instances_delivering_side_by_side_send_nothing_twice()
    {
        // Both instances' workers run on their own, racing for the outbox as in production.
        var first = new TraApiFactory { RunsWorker = true };
        await first.InitializeAsync();
        // One database, one TRS, and one clock, as instances synchronised by NTP have.
        var second = new TraApiFactory { SharedDatabase = first.Database, SharedFake = first.Fake, Clock = first.Clock, RunsWorker = true };
        try
        {
            await second.InitializeAsync();
            // Slow enough that both instances hold messages at the same time.
            first.Tra.Delay = TimeSpan.FromMilliseconds(20);
            var ukprn = await first.CreateProviderAsync(mayExceedCap: true);
            await first.SeedTraineesAsync(ukprn, 40);
            await first.WaitForDeliveryAsync(80);

            var trns = await TrnsAsync(first.Database, ukprn);
            AssertEveryTraineeArrivedOnce(first.Tra, trns, new HashSet<Guid>(), default);
            Assert.DoesNotContain(first.Tra.Exchanges, e => e.Status == 409);
            Assert.All(first.Tra.Routes, r => Assert.Equal(1, r.Puts));

            // Both did part of the work.
            static int Delivered(ApiFactory api) => api.Logs.Lines.Count(l => l.Contains("has its TRN", StringComparison.Ordinal));
            output.WriteLine($"TRNs stored by the first instance: {Delivered(first)}, by the second: {Delivered(second)}.");
            Assert.True(Delivered(first) > 0 && Delivered(second) > 0, "both instances should have delivered");
            Assert.Equal(40, Delivered(first) + Delivered(second));
        }
        finally
        {
            await ((IAsyncLifetime)second).DisposeAsync();
            await ((IAsyncLifetime)first).DisposeAsync();
        }
    }

    /// <summary>
    /// A real API process registers trainees and delivers them to TRS; it is killed with SIGKILL while messages are in
    /// flight and trainees are being registered. Started again, it delivers every trainee whose registration was
    /// answered 201, once each: what was committed is not lost, and what was in flight is sent again safely.
    /// </summary>
    [Fact]
    public async Task A_process_killed_in_the_middle_of_deliveries_loses_nothing_when_started_again()
    {
        var driver = new ApiFactory();
        await driver.InitializeAsync();
        await using var fake = await FakeTraHost.StartAsync();
        try
        {
            fake.State.Delay = TimeSpan.FromMilliseconds(150);
            var settings = fake.Settings(lease: "00:00:02");
            var ukprn = await driver.CreateProviderAsync(mayExceedCap: true);
            var token = await driver.TokenAsync("provider", ukprn);
            await driver.SeedTraineesAsync(ukprn, 20);

            var process = await ApiProcess.StartAsync(driver.Database, settings);
            var acknowledged = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                using var client = process.Client(token);
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var response = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee());
                        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                        acknowledged.Enqueue((await response.ReadJsonAsync()).Id());
                        await Task.Delay(25);
                    }
                    catch (HttpRequestException)
                    {
                        return; // killed
                    }
                }
            });

            // Kill it once some deliveries are done and others are in flight, and registrations are being answered.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((fake.State.Exchanges.Count(e => e.Method == "PUT") < 5 || acknowledged.Count < 3) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            await process.KillAsync();
            await writer;
            var (pending, inFlight, delivered) = await OutboxAsync(driver.Database);
            output.WriteLine($"Killed with {delivered} delivered, {pending} pending of which {inFlight} in flight; {acknowledged.Count} registrations answered 201.");
            Assert.True(delivered > 0 && pending > 0, "the kill should come in the middle of the deliveries");
            Assert.True(!acknowledged.IsEmpty, "registrations should have been answered before the kill");

            await using var restarted = await ApiProcess.StartAsync(driver.Database, settings);
            deadline = DateTime.UtcNow.AddSeconds(90);
            while (!(await OutboxAsync(driver.Database) is { Pending: 0 }) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.Equal(0, (await OutboxAsync(driver.Database)).Pending);
            var trns = await TrnsAsync(driver.Database, ukprn);
            Assert.Superset(acknowledged.ToHashSet(), trns.Keys.Select(k => k.ToString()).ToHashSet());
            Assert.All(trns.Values, Assert.NotNull);
            AssertEveryTraineeArrivedOnce(fake.State, trns, new HashSet<Guid>(), default);
            Assert.Equal(2 * trns.Count, (await OutboxAsync(driver.Database)).Delivered);
        }
        finally
        {
            await ((IAsyncLifetime)driver).DisposeAsync();
        }
    }
}
