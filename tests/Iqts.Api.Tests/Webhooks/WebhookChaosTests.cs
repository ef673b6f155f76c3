using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Dapper;
using Iqts.Api.Events;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Client;
using Xunit.Abstractions;

namespace Iqts.Api.Tests.Webhooks;

/// <summary>Webhook delivery across real processes: one killed with SIGKILL mid-delivery, another taking over its claims.</summary>
public sealed class WebhookChaosTests(ITestOutputHelper output)
{
    /// <summary>
    /// A real API process registers and corrects trainees while its worker delivers their events to a slow receiver; it
    /// is killed with SIGKILL with deliveries in flight. A second process on the same database takes over once the
    /// leases run out: every event of every change answered 2xx reaches the receiver, each subject's in order, with the
    /// same <c>ce-id</c> however many times it was sent, every one signed with the configured key.
    /// </summary>
    [Fact]
    public async Task A_killed_instances_deliveries_are_taken_over_and_nothing_is_lost()
    {
        var driver = new ApiFactory();
        await driver.InitializeAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        try
        {
            receiver.Delay = TimeSpan.FromMilliseconds(150);
            var settings = new Dictionary<string, string?>
            {
                ["Webhooks:Worker"] = "true",
                ["Webhooks:AllowLoopback"] = "true",
                ["Webhooks:Lease"] = "00:00:02",
                ["Webhooks:PollInterval"] = "00:00:00.050",
                ["Webhooks:BatchSize"] = "8",
                ["Webhooks:SigningKeys:0:Id"] = "chaos-key",
                ["Webhooks:SigningKeys:0:PrivateKeyPem"] = key.ExportPkcs8PrivateKeyPem(),
            };
            var ukprn = await driver.CreateProviderAsync(mayExceedCap: true);
            var token = await driver.TokenAsync("provider", ukprn);
            await driver.SubscriptionAsync(EventStreams.Provider(ukprn), receiver.Url, ["trainee.registered", "trainee.updated"]);

            var process = await ApiProcess.StartAsync(driver.Database, settings);
            var acknowledged = new ConcurrentQueue<string>();
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                using var client = process.Client(token);
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var id = (await client.CreateTraineeAsync()).Id();
                        var patched = await client.SendAsync(Fixtures.Patch($"/api/v1/trainees/{id}", """{"yearsOfTeachingExperience":12}"""));
                        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
                        acknowledged.Enqueue(id);
                    }
                    catch (HttpRequestException)
                    {
                        return; // killed
                    }
                }
            });

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((receiver.Delivered.Count < 6 || acknowledged.Count < 4) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            await process.KillAsync();
            await writer;
            var (pending, inFlight) = await DeliveriesAsync(driver);
            output.WriteLine($"Killed with {receiver.Delivered.Count} delivered, {pending} pending of which {inFlight} claimed; {acknowledged.Count} trainees answered.");
            Assert.True(pending > 0, "the kill should come with deliveries still to make");

            await using var second = await ApiProcess.StartAsync(driver.Database, settings);
            deadline = DateTime.UtcNow.AddSeconds(90);
            while ((await DeliveriesAsync(driver)).Pending > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.Equal(0, (await DeliveriesAsync(driver)).Pending);
            using var http = new HttpClient { BaseAddress = second.BaseAddress };
            var verifier = new IqtsWebhookVerifier(await new IqtsClient(second.BaseAddress.ToString(), http).GetWebhookJwksAsync(), () => DateTimeOffset.UtcNow);
            var firsts = new List<IqtsEvent>();
            foreach (var request in receiver.Delivered)
            {
                try
                {
                    firsts.Add(verifier.Verify(request.Method, request.Url, request.Headers, request.Body));
                }
                catch (IqtsWebhookReplayException)
                {
                    // Sent again after the kill: the same event, the same id. At least once.
                }
            }

            await using var connection = await driver.Db.OpenAsync(CancellationToken.None);
            var written = (await connection.QueryAsync<Guid>("SELECT id FROM events WHERE stream = @stream", new { stream = EventStreams.Provider(ukprn) })).Select(i => i.ToString()).ToHashSet();
            Assert.Equal(written.Order(), firsts.Select(e => e.Id).Order());
            foreach (var id in acknowledged)
            {
                Assert.Equal(["trainee.registered", "trainee.updated"], firsts.Where(e => e.Subject == $"trainees/{id}").Select(e => e.Type));
            }

            output.WriteLine($"{firsts.Count} events delivered, {receiver.Delivered.Count - firsts.Count} of them twice.");
        }
        finally
        {
            await ((IAsyncLifetime)driver).DisposeAsync();
        }
    }

    private static async Task<(int Pending, int Claimed)> DeliveriesAsync(ApiFactory driver)
    {
        await using var connection = await driver.Db.OpenAsync(CancellationToken.None);
        var pending = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'");
        var claimed = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending' AND locked_by IS NOT NULL");
        return (pending, claimed);
    }
}
