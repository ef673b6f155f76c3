using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;

namespace Iqts.Api.Bulk;

/// <summary><c>Batches:*</c>, validated at start-up.</summary>
public sealed class BatchOptions
{
    /// <summary>Rows a batch may have (the 10,000).</summary>
    [Range(1, 100_000)]
    public int MaxRows { get; set; } = 10_000;

    /// <summary>How long the POST waits for its batch to finish before it answers 202 with the batch's address.</summary>
    [TimeSpanRange("00:00:00", "00:01:00")]
    public TimeSpan AnswerWithin { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a worker holds a batch it runs: a batch whose process died is run again once this has passed.</summary>
    [TimeSpanRange("00:00:00.100", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often an idle worker looks for batches another instance received (its own wake it at once).</summary>
    [TimeSpanRange("00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether this instance runs batches (it always receives them).</summary>
    public bool Worker { get; set; } = true;
}

/// <summary>
/// This process's view of the batches it runs: the rows done so far (the progress a GET shows, since the rows are
/// written in one transaction no other connection sees until it commits), the POSTs waiting for their batch to finish,
/// and the signal that wakes the worker when a batch is queued.
/// </summary>
public sealed class BatchProgress : IDisposable
{
    private readonly ConcurrentDictionary<Guid, int> _rowsDone = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();
    private readonly WakeSignal _queued = new();
    private readonly ConcurrentDictionary<Guid, bool> _answering = new();

    public void Report(Guid batchId, int rowsDone) => _rowsDone[batchId] = rowsDone;

    /// <summary>The rows done of a batch running here; null when it is not running in this process.</summary>
    public int? RowsDone(Guid batchId) => _rowsDone.TryGetValue(batchId, out var done) ? done : null;

    public void Finished(Guid batchId)
    {
        _rowsDone.TryRemove(batchId, out _);
        if (_waiting.TryRemove(batchId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Called before the batch is queued, so its end cannot pass unseen; then <see cref="WaitAsync"/>.</summary>
    public void Expect(Guid batchId) => _waiting.TryAdd(batchId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>True when the batch finished here within <paramref name="within"/>.</summary>
    public async Task<bool> WaitAsync(Guid batchId, TimeSpan within, CancellationToken ct)
    {
        if (!_waiting.TryGetValue(batchId, out var waiter))
        {
            return true;
        }

        try
        {
            await waiter.Task.WaitAsync(within, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _waiting.TryRemove(batchId, out _);
        }
    }

    /// <summary>
    /// A batch queued by a POST of this process that has not sent its answer yet: this process's worker leaves it until
    /// then (<see cref="Answered"/>). On SQLite the batch would hold the one writer, and the answer's Idempotency-Key
    /// record, a write, would wait for the whole batch: the 202 would come at its end.
    /// </summary>
    public void Answering(Guid batchId) => _answering[batchId] = true;

    /// <summary>The POST's answer is sent: the batch may run, and the worker is woken for it.</summary>
    public void Answered(Guid batchId)
    {
        _answering.TryRemove(batchId, out _);
        Wake();
    }

    /// <summary>The batches this process's worker leaves until their POST has answered.</summary>
    public IReadOnlyList<Guid> Unanswered => [.. _answering.Keys];

    public void Wake() => _queued.Pulse();

    public Task<bool> NextAsync(TimeSpan timeout, CancellationToken ct) => _queued.WaitAsync(timeout, ct);

    public void Dispose() => _queued.Dispose();
}
