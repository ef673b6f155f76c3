using Iqts.Api.Trainees;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Tra;

/// <summary>
/// Delivers the outbox to TRS: claims a batch of due messages by lease, sends them side by side (each trainee's in
/// order, since only a trainee's earliest pending message is claimable), and records each answer. A completed TRN
/// request stores the TRN on the trainee and marks the message delivered in one transaction, which also writes the
/// route update the TRN makes possible. A process killed mid-batch loses nothing: its leases run out and another pass
/// (of this instance restarted, or of another) sends the messages again, which TRS's answers make safe (a repeated
/// TRN request is a 409/10029 that we read; a route PUT upserts by its reference). Does nothing in pull-only mode.
/// </summary>
public sealed partial class TraOutboxWorker(
    TraClient client, ReceiveTrn receiveTrn, IDbConnectionFactory db, IOptions<TraOptions> options, TimeProvider time, ILogger<TraOutboxWorker> log)
    : BackgroundService
{
    /// <summary>This process's name on the leases it takes.</summary>
    public string Instance { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.PullOnly)
        {
            PullOnly(log);
            return;
        }

        Pushing(log, settings.BaseUrl!, settings.ApiVersion, Instance);

        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The exception, not the data: messages carry no personal data, and the trainee's is never logged.
                PassFailed(log, ex);
            }

            if (handled == 0)
            {
                // Real time between passes, whatever clock the app runs on: due-ness is judged by the app's clock.
                await Task.Delay(settings.PollInterval, TimeProvider.System, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One pass: the number of messages claimed and sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        IReadOnlyList<OutboxMessage> batch;
        await using (var work = await UnitOfWork.BeginWriteAsync(db, ct))
        {
            batch = await TraOutbox.ClaimAsync(work, Instance, settings.BatchSize, settings.Lease, time.UtcNowMicros(), ct);
            await work.CommitAsync(ct);
        }

        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = settings.BatchSize, CancellationToken = ct },
            async (message, token) => await DeliverAsync(message, token));
        return batch.Count;
    }

    private async Task DeliverAsync(OutboxMessage message, CancellationToken ct)
    {
        var trainee = await ReadTraineeAsync(message, ct);
        if (message.KindValue == SubmissionKind.TrnRequest)
        {
            var result = message.Phase == TraRules.Poll
                ? await client.GetTrnRequestAsync(TraRules.RequestId(message.TraineeId), ct)
                : await client.CreateTrnRequestAsync(TraRules.TrnRequest(trainee), ct);
            var step = TraRules.AfterTrnRequest(message.Phase ?? TraRules.Post, result, message.Failures, options.Value.TrnPollDelay);
            if (step.Trn is { } trn)
            {
                Saved(message, step, await receiveTrn.RunAsync(message, step, trn, ct));
            }
            else
            {
                await SaveAsync(message, step, ct);
            }
        }
        else
        {
            // The route as it was when the change was made, to the TRN the trainee has now (set before any route was written).
            var route = StoredJson.Deserialize<TrsRoute>(message.Payload!);
            var result = await client.SetRouteAsync(trainee.Trn!, message.TraineeId, route, ct);
            await SaveAsync(message, TraRules.AfterRouteUpdate(result, message.Failures), ct);
        }
    }

    private async Task<Trainee> ReadTraineeAsync(OutboxMessage message, CancellationToken ct) =>
        await db.ReadAsync(work => TraineeRepository.FindAsync(work, message.Ukprn, message.TraineeId, ct), ct)
            ?? throw new InvalidOperationException($"Outbox message {message.Id} names a trainee that does not exist.");

    private async Task SaveAsync(OutboxMessage message, OutboxStep step, CancellationToken ct) =>
        Saved(message, step, (await db.WriteAsync<bool>(async work => await TraOutbox.SaveAsync(work, message, step, time.UtcNowMicros(), ct), ct)).Value);

    private void Saved(OutboxMessage message, OutboxStep step, bool saved)
    {
        if (!saved)
        {
            TakenOver(log, message.Id);
        }
        else if (step.State == SubmissionState.Failed)
        {
            Parked(log, message.Id, message.Kind, step.Code);
        }
    }

    // The log names messages and trainees by id, and TRS's codes; never a person's details.
    [LoggerMessage(Level = LogLevel.Information, Message = "TRA: pull-only mode. Tra:BaseUrl is not set, so nothing is sent to TRS; the TRA reads GET /api/v1/awards.")]
    private static partial void PullOnly(ILogger log);

    [LoggerMessage(Level = LogLevel.Information, Message = "TRA: sending to {BaseUrl} (X-Api-Version {ApiVersion}) as {Instance}.")]
    private static partial void Pushing(ILogger log, Uri baseUrl, string apiVersion, string instance);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the TRA outbox failed; the next pass retries.")]
    private static partial void PassFailed(ILogger log, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} was taken over by another instance; its answer stands.")]
    private static partial void TakenOver(ILogger log, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} ({Kind}) is parked as failed: {Code}. See GET /api/v1/tra-submissions?state=failed.")]
    private static partial void Parked(ILogger log, Guid messageId, string kind, string? code);
}
