using Iqts.Api.Data;
using Iqts.Api.Tra;
using Iqts.FakeTra;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Iqts.Api.Tests.Infrastructure;

/// <summary>The fake TRS (tools/Iqts.FakeTra) on a loopback port, as the API's client and a killed process both reach it.</summary>
public sealed class FakeTraHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeTraHost(WebApplication app, FakeTraState state)
    {
        _app = app;
        State = state;
        BaseUrl = app.Urls.First();
    }

    public FakeTraState State { get; }

    public string BaseUrl { get; }

    public static async Task<FakeTraHost> StartAsync()
    {
        var state = new FakeTraState { ApiKey = "test-tra-key" };
        var app = FakeTraApp.Build(["--urls", "http://127.0.0.1:0"], state);
        await app.StartAsync();
        return new FakeTraHost(app, state);
    }

    /// <summary>
    /// The settings that point an API at this fake, with short delays so a test moves quickly. Without
    /// <paramref name="worker"/> the API's own worker stays idle and the test drives it a pass at a time.
    /// </summary>
    public Dictionary<string, string?> Settings(string lease = "00:00:30", bool worker = true) => new()
    {
        ["Tra:Worker"] = worker ? "true" : "false",
        ["Tra:BaseUrl"] = BaseUrl,
        ["Tra:ApiKey"] = State.ApiKey,
        ["Tra:PollInterval"] = "00:00:00.020",
        ["Tra:TrnPollDelay"] = "00:00:00",
        ["Tra:RetryDelay"] = "00:00:00.005",
        ["Tra:AttemptTimeout"] = "00:00:01",
        ["Tra:BreakDuration"] = "00:00:00.500",
        ["Tra:ProbeInterval"] = "00:00:10",
        ["Tra:Lease"] = lease,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The API delivering to a fake TRS of its own (push mode), its worker running.</summary>
public class TraApiFactory : ApiFactory
{
    private FakeTraHost? _fake;

    public FakeTraHost Fake => _fake ?? throw new InvalidOperationException("Not initialised.");

    public FakeTraState Tra => Fake.State;

    /// <summary>Another instance's fake to deliver to (two instances, one TRS); this one then starts none.</summary>
    public FakeTraHost? SharedFake { get; init; }

    /// <summary>
    /// Whether the API's worker delivers on its own, as in production (two instances racing for the outbox). Otherwise the
    /// tests drive it pass by pass (<see cref="WaitUntilAsync"/>), so no test waits on a timer.
    /// </summary>
    public bool RunsWorker { get; init; }

    protected override IDictionary<string, string?> Settings => Fake.Settings(worker: RunsWorker);

    public override async Task InitializeAsync()
    {
        _fake = SharedFake ?? await FakeTraHost.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_fake is not null && SharedFake is null)
        {
            await _fake.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The outbox's counts now: pending, delivered, failed.</summary>
    public async Task<(int Pending, int Delivered, int Failed)> OutboxAsync()
    {
        var status = await Services.GetRequiredService<IDbConnectionFactory>().ReadAsync(work => TraOutbox.StatusAsync(work, CancellationToken.None), CancellationToken.None);
        return (status.Pending, status.Delivered, status.Failed);
    }

    /// <summary>
    /// Delivers until <paramref name="condition"/> holds: one pass of the worker at a time (the API's own, unless it runs
    /// by itself), moving the app's clock on by <paramref name="step"/> when a pass finds nothing due, so backoffs fall
    /// due without waiting for them. The deadline is a safety net against a hang, not a measure of speed.
    /// </summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? step = null, int seconds = 90)
    {
        var worker = Services.GetRequiredService<TraOutboxWorker>();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                var (pending, delivered, failed) = await OutboxAsync();
                var errors = Logs.Lines.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("Exception", StringComparison.Ordinal)).TakeLast(3);
                throw new TimeoutException($"Still waiting for {what} after {seconds} s (outbox: {pending} pending, {delivered} delivered, {failed} failed). "
                    + $"Last failures logged: {string.Join(" | ", errors)}");
            }

            var handled = RunsWorker ? 0 : await worker.RunOnceAsync(CancellationToken.None);
            if (RunsWorker || worker.CircuitOpen)
            {
                // The worker runs on its own, or the circuit is open: both move in real time, so the test waits with them.
                await Task.Delay(50);
            }
            else if (handled == 0 && step is { } s)
            {
                Clock.Advance(s);
            }
        }
    }

    /// <summary>Every message delivered, none pending or failed, and at least <paramref name="atLeast"/> of them.</summary>
    public Task WaitForDeliveryAsync(int atLeast, TimeSpan? step = null) => WaitUntilAsync(async () =>
        await OutboxAsync() is var (pending, delivered, failed) && pending == 0 && failed == 0 && delivered >= atLeast, $"{atLeast} deliveries", step);
}
