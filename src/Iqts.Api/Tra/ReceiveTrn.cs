using Iqts.Api.Trainees;

namespace Iqts.Api.Tra;

/// <summary>
/// TRS completed a trainee's TRN request: the TRN onto the trainee (by the actor TRA) and the message delivered, in one
/// transaction, which also writes the route update the TRN makes possible (a participant does). If the TRA acknowledged
/// the award with a TRN before this answer came, the stored one is kept.
/// </summary>
public sealed partial class ReceiveTrn(IDbConnectionFactory db, TraineeChanges changes, ILogger<ReceiveTrn> log)
{
    /// <summary>False when the message's lease was lost (another instance has it, and its answer counts).</summary>
    public async Task<bool> RunAsync(OutboxMessage message, OutboxStep step, string trn, CancellationToken ct) =>
        (await db.WriteAsync<bool>(async work =>
        {
            var begun = await changes.BeginAsync(work, message.Ukprn, message.TraineeId, whatChanges: null, ct);
            if (begun.Failed)
            {
                return begun.Error;
            }

            var change = begun.Value;
            if (!await TraOutbox.SaveAsync(work, message, step, change.At, ct))
            {
                return false;
            }

            if (change.Current.Trn is { } known)
            {
                if (known != trn)
                {
                    OtherTrn(log, message.TraineeId);
                }

                return true;
            }

            await changes.SaveAsync(change, change.Current with { Trn = trn }, TraOutbox.Tra, AuditActions.TrnReceived, [], ct);
            TrnStored(log, message.TraineeId);
            return true;
        }, ct)).Value;

    /// <summary>
    /// TRS's webhook <c>trn_request.completed</c>: the pending TRN request completed and the TRN stored, without a poll.
    /// False when the trainee has no TRN request pending (a poll, or an earlier copy of the webhook, completed it already).
    /// </summary>
    public async Task<bool> FromWebhookAsync(Guid traineeId, string trn, CancellationToken ct) =>
        (await db.WriteAsync<bool>(async work =>
        {
            if (await TraOutbox.PendingTrnRequestAsync(work, traineeId, ct) is not { } message)
            {
                return false;
            }

            var begun = await changes.BeginAsync(work, message.Ukprn, traineeId, whatChanges: null, ct);
            if (begun.Failed)
            {
                return begun.Error;
            }

            var change = begun.Value;
            await TraOutbox.CompleteTrnRequestAsync(work, message.Seq, change.At, ct);
            if (change.Current.Trn is null)
            {
                await changes.SaveAsync(change, change.Current with { Trn = trn }, TraOutbox.Tra, AuditActions.TrnReceived, [], ct);
                TrnStored(log, traineeId);
            }

            return true;
        }, ct)).Value;

    /// <summary>
    /// TRS's webhook <c>person.deactivated</c>: every trainee with that TRN is marked (by the actor TRA, in its history and
    /// as the event <c>trainee.trn_deactivated</c> to its provider). How many.
    /// </summary>
    public async Task<int> DeactivatedAsync(string trn, CancellationToken ct) =>
        (await db.WriteAsync<int>(async work =>
        {
            var marked = 0;
            foreach (var (ukprn, id) in await TraineeRepository.WithTrnAsync(work, trn, ct))
            {
                var begun = await changes.BeginAsync(work, ukprn, id, whatChanges: null, ct);
                if (!begun.Failed && begun.Value.Current.TrnDeactivatedAt is null)
                {
                    await changes.SaveAsync(begun.Value, begun.Value.Current with { TrnDeactivatedAt = begun.Value.At }, TraOutbox.Tra, AuditActions.TrnDeactivated, [], ct);
                    marked++;
                }
            }

            return marked;
        }, ct)).Value;

    // The log names trainees by id; never a person's details.
    [LoggerMessage(Level = LogLevel.Warning, Message = "TRS completed the TRN request of trainee {TraineeId} with a TRN other than the one stored; the stored one is kept.")]
    private static partial void OtherTrn(ILogger log, Guid traineeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trainee {TraineeId} has its TRN.")]
    private static partial void TrnStored(ILogger log, Guid traineeId);
}
