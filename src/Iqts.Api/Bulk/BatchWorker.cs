using Microsoft.Extensions.Options;

namespace Iqts.Api.Bulk;

/// <summary>
/// Runs queued batches one at a time in this instance, woken when this instance queues one and otherwise polling for
/// those another received. A batch is claimed under a lease; if its process dies, nothing of it was committed and the
/// next claim after the lease runs it again from its staged rows.
/// </summary>
public sealed partial class BatchWorker(IDbConnectionFactory db, RunBatch run, BatchProgress progress, IOptions<BatchOptions> options, TimeProvider time,
    ILogger<BatchWorker> log) : BackgroundService
{
    public string Instance { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Worker)
        {
            return;
        }

        await WorkerLoop.RunAsync(RunOnceAsync, ct => progress.NextAsync(options.Value.PollInterval, ct), ex => PassFailed(log, ex), stoppingToken);
    }

    /// <summary>Claims and runs the next batch; false when none was waiting.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var now = time.UtcNowMicros();
        Batch? batch = null;
        await db.WriteAsync<bool>(async work =>
        {
            batch = await BatchRepository.ClaimAsync(work, Instance, now, now + options.Value.Lease, progress.Unanswered, ct);
            return true;
        }, ct);
        if (batch is null)
        {
            return false;
        }

        try
        {
            await run.RunAsync(batch, ct);
            Finished(log, batch.Id, batch.RowCount);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // A fault of ours (the database went away, say): the batch ends as failed, nothing of it stored, and says so.
            BatchFailed(log, ex, batch.Id);
            await db.WriteAsync<bool>(async work =>
            {
                await BatchRepository.FinishAsync(work, batch.Id, BatchStatus.Failed,
                    new BatchResult([new BatchRowError(0, null, ApiErrors.ServerError(null).Code, "The batch could not be run; nothing of it was stored. Send it again with a new Idempotency-Key.")], []),
                    time.UtcNowMicros(), CancellationToken.None);
                return true;
            }, CancellationToken.None);
        }
        finally
        {
            progress.Finished(batch.Id);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} of {Rows} rows finished")]
    private static partial void Finished(ILogger log, Guid batchId, int rows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {BatchId} could not be run")]
    private static partial void BatchFailed(ILogger log, Exception exception, Guid batchId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the batch worker failed")]
    private static partial void PassFailed(ILogger log, Exception exception);
}
