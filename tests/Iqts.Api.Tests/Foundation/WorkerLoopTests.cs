using Iqts.Api.Data;

namespace Iqts.Api.Tests.Foundation;

/// <summary>The queue workers' loop: a failing pass is logged and retried, an idle one waits, the stop ends it.</summary>
public sealed class WorkerLoopTests
{
    [Fact]
    public async Task A_pass_that_throws_is_reported_and_the_next_pass_runs_after_the_idle_wait()
    {
        using var stop = new CancellationTokenSource();
        var steps = new List<string>();
        var failures = new List<Exception>();
        var passes = 0;

        var loop = WorkerLoop.RunAsync(
            _ => ++passes switch
            {
                1 => throw new InvalidOperationException("first pass"),
                2 => Task.FromResult(true),
                3 => Task.FromResult(false),
                _ => Stop(),
            },
            _ =>
            {
                steps.Add($"idle after pass {passes}");
                return Task.CompletedTask;
            },
            failures.Add,
            stop.Token);

        Task<bool> Stop()
        {
            stop.Cancel();
            return Task.FromResult(false);
        }

        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("first pass", Assert.Single(failures).Message);
        // A failed pass and an empty one wait; a busy one goes straight on; the stop ends the loop.
        Assert.Equal(["idle after pass 1", "idle after pass 3", "idle after pass 4"], steps);
        Assert.Equal(4, passes);
    }

    [Fact]
    public async Task The_stop_ends_an_idle_wait_without_an_exception()
    {
        using var stop = new CancellationTokenSource();
        var waiting = new TaskCompletionSource();
        var loop = WorkerLoop.RunAsync(_ => Task.FromResult(false), ct =>
        {
            waiting.TrySetResult();
            return Task.Delay(Timeout.Infinite, ct);
        }, ex => Assert.Fail(ex.ToString()), stop.Token);

        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        stop.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(loop.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_pass_cancelled_by_the_stop_is_not_reported_as_a_failure()
    {
        using var stop = new CancellationTokenSource();
        var failures = new List<Exception>();
        var loop = WorkerLoop.RunAsync(ct =>
        {
            stop.Cancel();
            ct.ThrowIfCancellationRequested();
            return Task.FromResult(true);
        }, _ => Task.CompletedTask, failures.Add, stop.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(failures);
    }
}
