using Iqts.Api.Events;
using Iqts.Api.Telemetry;
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

    /// <summary>
    /// Whether the last pass met the circuit open (TRS kept failing): its messages stay due, and the next pass waits a poll
    /// interval of real time, as the circuit does, rather than claim them again at once.
    /// </summary>
    public bool CircuitOpen { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.PullOnly)
        {
            PullOnly(log);
            return;
        }

        if (!settings.Worker)
        {
            NotDelivering(log);
            return;
        }

        Pushing(log, settings.BaseUrl!, settings.ApiVersion, Instance);

        // Real time between passes, whatever clock the app runs on: due-ness is judged by the app's clock. The exception
        // is logged, not the data: messages carry no personal data, and the trainee's is never logged.
        await WorkerLoop.RunAsync(async ct => await RunOnceAsync(ct) > 0 && !CircuitOpen,
            ct => Task.Delay(settings.PollInterval, TimeProvider.System, ct), ex => PassFailed(log, ex), stoppingToken);
    }

    /// <summary>
    /// One pass: the due messages claimed and sent (the number returned); when none is due, one early try of a message
    /// waiting on an outage (a probe, not counted). When TRS answers anything in a pass, every message waiting on an
    /// outage is due at once: after a short outage, nothing waits out a backoff of minutes or hours.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.UtcNowMicros();
        IReadOnlyList<OutboxMessage> batch;
        var probing = false;
        await using (var work = await UnitOfWork.BeginWriteAsync(db, ct))
        {
            if (IqtsTelemetry.QueuesObserved)
            {
                var (depth, oldest) = await TraOutbox.BacklogAsync(work, ct);
                IqtsTelemetry.QueueRead("tra_outbox", depth, oldest is { } since ? now - since : TimeSpan.Zero);
            }

            batch = await TraOutbox.ClaimAsync(work, Instance, settings.BatchSize, settings.Lease, now, ct);
            if (batch.Count == 0)
            {
                batch = await TraOutbox.ClaimProbeAsync(work, Instance, settings.Lease, now, settings.ProbeInterval, ct);
                probing = batch.Count > 0;
            }

            await work.CommitAsync(ct);
        }

        var (answered, refused) = (0, 0);
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = settings.BatchSize, CancellationToken = ct }, async (message, token) =>
        {
            var result = await DeliverAsync(message, probing, token);
            if (result.Answer != TrsAnswer.Transient)
            {
                Interlocked.Increment(ref answered);
            }
            else if (result.Local == TrsResult.CircuitOpen)
            {
                Interlocked.Increment(ref refused);
            }
        });
        CircuitOpen = refused > 0;
        if (answered > 0 && await db.WriteAsync<int>(async work => await TraOutbox.WakeAsync(work, time.UtcNowMicros(), ct), ct) is { Value: > 0 } woken)
        {
            Woken(log, woken.Value);
        }

        return probing ? 0 : batch.Count;
    }

    /// <summary>Sends one message and records the answer; TRS's answer, or why there was none.</summary>
    private async Task<TrsResult> DeliverAsync(OutboxMessage message, bool probe, CancellationToken ct)
    {
        // The span the call to TRS (HttpClient's span, with traceparent sent on) hangs from, named by the message's id.
        using var activity = IqtsTelemetry.StartDelivery("tra", message.Id.ToString());
        var trainee = await ReadTraineeAsync(message, ct);
        TrsResult result;
        OutboxStep step;
        if (message.KindValue == SubmissionKind.TrnRequest)
        {
            result = message.Phase == TraRules.Poll
                ? await client.GetTrnRequestAsync(TraRules.RequestId(message.TraineeId), ct)
                : await client.CreateTrnRequestAsync(TraRules.TrnRequest(trainee), ct);
            step = TraRules.AfterTrnRequest(message.Phase ?? TraRules.Post, result, message.Failures, options.Value.TrnPollDelay);
        }
        else
        {
            // The route as it was when the change was made, to the TRN the trainee has now (set before any route was written).
            result = await client.SetRouteAsync(trainee.Trn!, message.TraineeId, StoredJson.Deserialize<TrsRoute>(message.Payload!), ct);
            step = TraRules.AfterRouteUpdate(result, message.Failures);
        }

        IqtsTelemetry.Delivered(activity, "tra", result.Local == TrsResult.CircuitOpen ? "circuit_open" : EnumText.Name(result.Answer));
        step = probe ? TraRules.AfterProbe(step, message, time.UtcNowMicros()) : step;
        if (step.Trn is { } trn)
        {
            Saved(message, step, await receiveTrn.RunAsync(message, step, trn, ct));
        }
        else
        {
            await SaveAsync(message, step, ct);
        }

        return result;
    }

    private async Task<Trainee> ReadTraineeAsync(OutboxMessage message, CancellationToken ct) =>
        await db.ReadAsync(work => TraineeRepository.FindAsync(work, message.Ukprn, message.TraineeId, ct), ct)
            ?? throw new InvalidOperationException($"Outbox message {message.Id} names a trainee that does not exist.");

    /// <summary>Records the answer; a message parked as failed is an event for its provider, in the same transaction.</summary>
    private async Task SaveAsync(OutboxMessage message, OutboxStep step, CancellationToken ct) =>
        Saved(message, step, (await db.WriteAsync<bool>(async work =>
        {
            var now = time.UtcNowMicros();
            var saved = await TraOutbox.SaveAsync(work, message, step, now, ct);
            if (saved && step.State == SubmissionState.Failed)
            {
                var data = new TraSubmissionFailed(message.Id.ToString(), message.TraineeId.ToString(), message.Ukprn, message.KindValue, step.Code,
                    $"/api/v1/trainees/{message.TraineeId}/tra-submissions");
                await EventLog.AppendAsync(work, new NewEvent(EventTypes.TraSubmissionFailed, $"trainees/{message.TraineeId}", data, [EventStreams.Provider(message.Ukprn)]), now, ct);
            }

            return saved;
        }, ct)).Value);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "TRA: Tra:Worker is false, so this instance delivers nothing; another instance's worker does.")]
    private static partial void NotDelivering(ILogger log);

    [LoggerMessage(Level = LogLevel.Information, Message = "TRA: sending to {BaseUrl} (X-Api-Version {ApiVersion}) as {Instance}.")]
    private static partial void Pushing(ILogger log, Uri baseUrl, string apiVersion, string instance);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the TRA outbox failed; the next pass retries.")]
    private static partial void PassFailed(ILogger log, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "TRS answers again: {Count} message(s) waiting on the outage are due now.")]
    private static partial void Woken(ILogger log, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} was taken over by another instance; its answer stands.")]
    private static partial void TakenOver(ILogger log, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} ({Kind}) is parked as failed: {Code}. See GET /api/v1/tra-submissions?state=failed.")]
    private static partial void Parked(ILogger log, Guid messageId, string kind, string? code);
}

/// <summary><c>tra_submission.failed</c>: a message to the TRA parked for a person to fix; <c>errorCode</c> is TRS's (or ours) and says why.</summary>
public sealed record TraSubmissionFailed(string SubmissionId, string TraineeId, string Ukprn, SubmissionKind Kind, string? ErrorCode, string Href);
