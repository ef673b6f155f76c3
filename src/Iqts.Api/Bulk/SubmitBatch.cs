using Microsoft.Extensions.Options;

namespace Iqts.Api.Bulk;

/// <summary>A batch as its POST answers it: finished (201, with what it found) or still at work (202, to be polled).</summary>
public sealed record Submitted(Batch Batch, bool Finished);

/// <summary>
/// <c>POST /trainee-batches</c> and <c>POST /award-batches</c>: the rows staged as they arrive, a few hundred per short
/// write (so a slow upload holds no writer up, and memory does not grow with the file), then queued for the worker; the
/// POST waits up to <c>Batches:AnswerWithin</c> for the batch to finish. A body that cannot be read whole (a wrong CSV
/// header, not UTF-8, too many rows) is refused and whatever was staged of it removed.
/// </summary>
public sealed class SubmitBatch(IDbConnectionFactory db, BatchProgress progress, IOptions<BatchOptions> options, TimeProvider time)
{
    private const int StageChunk = 250;

    public async Task<Outcome<Submitted>> RunAsync(string ukprn, BatchKind kind, bool dryRun, bool confirmNotDuplicate, Actor actor,
        IAsyncEnumerable<Outcome<StagedRow>> rows, CancellationToken ct)
    {
        var now = time.UtcNowMicros();
        var batch = new Batch
        {
            Id = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            Kind = kind,
            DryRun = dryRun,
            ConfirmNotDuplicate = confirmNotDuplicate,
            Status = BatchStatus.Receiving,
            Actor = actor,
            CreatedAt = now,
        };
        await db.WriteAsync<bool>(async work => { await BatchRepository.InsertAsync(work, batch, ct); return true; }, ct);

        Outcome<int> staged;
        try
        {
            staged = await StageAsync(batch.Id, rows, ct);
        }
        catch
        {
            // The upload broke off (the client went away, the body outgrew its limit): nothing of it is kept.
            await ForgetAsync(batch.Id);
            throw;
        }

        if (staged.Failed)
        {
            await ForgetAsync(batch.Id);
            return staged.Error;
        }

        progress.Expect(batch.Id);
        var within = options.Value.AnswerWithin;
        if (within <= TimeSpan.Zero)
        {
            // Run once the answer is sent (BatchEndpoints), not by the worker's next pass before it: on SQLite the batch
            // holds the one writer, and the answer's Idempotency-Key record, a write, would wait for the whole batch.
            progress.Answering(batch.Id);
        }

        try
        {
            await db.WriteAsync<bool>(async work => { await BatchRepository.QueueAsync(work, batch.Id, staged.Value, ct); return true; }, ct);
            if (within > TimeSpan.Zero)
            {
                progress.Wake();
            }

            var finished = await progress.WaitAsync(batch.Id, within, ct);
            var stored = await db.ReadAsync(work => BatchRepository.FindAsync(work, ukprn, kind, batch.Id, ct), ct);
            return new Submitted(stored!, finished && stored!.Status is BatchStatus.Succeeded or BatchStatus.Failed);
        }
        catch
        {
            // No answer will be sent (the client went away, the database failed): a queued batch must not wait for one.
            progress.Answered(batch.Id);
            throw;
        }
    }

    private Task<Outcome<bool>> ForgetAsync(Guid batchId) =>
        db.WriteAsync<bool>(async work => { await BatchRepository.DeleteAsync(work, batchId, CancellationToken.None); return true; }, CancellationToken.None);

    /// <summary>The rows staged in chunks; how many, or the error that ended the body.</summary>
    private async Task<Outcome<int>> StageAsync(Guid batchId, IAsyncEnumerable<Outcome<StagedRow>> rows, CancellationToken ct)
    {
        var chunk = new List<StagedRow>(StageChunk);
        var count = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (row.Failed)
            {
                return row.Error;
            }

            if (++count > options.Value.MaxRows)
            {
                return ApiErrors.TooManyRows(options.Value.MaxRows);
            }

            chunk.Add(row.Value);
            if (chunk.Count == StageChunk)
            {
                await FlushAsync(batchId, chunk, ct);
            }
        }

        if (count == 0)
        {
            return ApiErrors.Validation("$", "must hold at least one row.");
        }

        await FlushAsync(batchId, chunk, ct);
        return count;
    }

    private async Task FlushAsync(Guid batchId, List<StagedRow> chunk, CancellationToken ct)
    {
        if (chunk.Count > 0)
        {
            await db.WriteAsync<bool>(async work => { await BatchRepository.AppendRowsAsync(work, batchId, chunk, ct); return true; }, ct);
            chunk.Clear();
        }
    }
}

/// <summary><c>GET /trainee-batches/{id}</c>, <c>GET /award-batches/{id}</c>: the batch, with this process's progress when it runs here.</summary>
public sealed class ReadBatch(IDbConnectionFactory db, BatchProgress progress)
{
    public async Task<Batch?> RunAsync(string ukprn, BatchKind kind, Guid id, CancellationToken ct) =>
        await db.ReadAsync(work => BatchRepository.FindAsync(work, ukprn, kind, id, ct), ct);

    public BatchResponse ToResponse(Batch batch) => new()
    {
        BatchId = batch.Id.ToString(),
        Kind = batch.Kind,
        Status = batch.Status,
        DryRun = batch.DryRun,
        Rows = batch.RowCount,
        RowsDone = batch.Status is BatchStatus.Succeeded or BatchStatus.Failed ? batch.RowCount : progress.RowsDone(batch.Id) ?? 0,
        CreatedAt = batch.CreatedAt,
        FinishedAt = batch.FinishedAt,
        Errors = batch.Result?.Errors ?? [],
        Results = batch.Result?.Results ?? [],
    };
}
