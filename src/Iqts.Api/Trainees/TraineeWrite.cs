using System.Data.Common;
using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Errors;
using Iqts.Api.Tra;

namespace Iqts.Api.Trainees;

/// <summary>
/// One write to a trainee or to anything recorded under it (qualifications, checks, placements, assessments, the award),
/// in one transaction. It takes the provider's next change-sequence number first (which serialises that provider's
/// writers and gives the trainee its new place in the sync feed), then reads and locks the trainee by UKPRN and id, so
/// another provider's trainee is simply not found. The feature writes its own rows on <see cref="Connection"/>; then
/// <see cref="CommitAsync"/> writes the trainee's new version and one history entry, and commits. Disposed without a
/// commit, nothing is written.
/// </summary>
public sealed class TraineeWrite : IAsyncDisposable
{
    private TraineeWrite(DbConnection connection, DbTransaction transaction, long changeSeq, Trainee current)
    {
        Connection = connection;
        Transaction = transaction;
        ChangeSeq = changeSeq;
        Current = current;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public long ChangeSeq { get; }

    public Trainee Current { get; }

    /// <summary>
    /// Begins the write. Unless <paramref name="whatChanges"/> is null, an awarded trainee refuses it (<c>trainee.awarded</c>):
    /// its evidence, placements and assessments are final; only the trainee's own correction rules may still apply.
    /// </summary>
    public static async Task<Outcome<TraineeWrite>> BeginAsync(IDbConnectionFactory db, string ukprn, Guid traineeId, CancellationToken ct, string? whatChanges = "its record")
    {
        var connection = await db.OpenForWriteAsync(ct);
        var transaction = await connection.BeginTransactionAsync(ct);
        var seq = await ChangeSequence.NextAsync(connection, transaction, TraineeRepository.SyncScope(ukprn), ct);
        var current = await TraineeRepository.FindAsync(connection, transaction, ukprn, traineeId, db.Dialect.ForUpdate, ct);
        if (current is null)
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
            return ApiErrors.NotFound("trainee");
        }

        var write = new TraineeWrite(connection, transaction, seq, current);
        if (whatChanges is not null && current.Status == TraineeStatus.Awarded)
        {
            await write.DisposeAsync();
            return ApiErrors.TraineeAwarded(whatChanges);
        }

        return write;
    }

    /// <summary>
    /// Writes <paramref name="next"/> as the trainee's new version at <paramref name="now"/>, in its new place in the
    /// sync feed, records <paramref name="changes"/> under <paramref name="action"/> in its history, and commits. A change
    /// of status is also logged with the date it took effect: <paramref name="statusSince"/> (the award's date), else the
    /// date the record gives (<see cref="TraineeRules.StatusSince"/>).
    /// </summary>
    public async Task<Trainee> CommitAsync(Trainee next, DateTimeOffset now, Actor actor, string action, IReadOnlyList<FieldChange> changes, CancellationToken ct,
        DateOnly? statusSince = null)
    {
        var saved = next with { UpdatedAt = now, RowVersion = Current.RowVersion + 1, ChangeSeq = ChangeSeq };
        await Connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE trainees SET {TraineeRow.Columns.SetAllBut("id", "ukprn", "provider_trainee_id", "created_at")} WHERE ukprn = @Ukprn AND id = @Id",
            TraineeRow.From(saved), Transaction, cancellationToken: ct));
        await AuditTrail.RecordAsync(Connection, Transaction, saved.TraineeId, saved.Ukprn, now, ChangeSeq, actor, action, changes, ct);
        if (saved.Status != Current.Status)
        {
            // Where the trainee stood on any date, for DfE's monthly reports (a reinstatement clears the deferral on the record).
            await Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO trainee_status_changes (id, trainee_id, ukprn, status, effective_on, change_seq)
                VALUES (@id, @TraineeId, @Ukprn, @status, @since, @ChangeSeq)
                """,
                new
                {
                    id = Guid.CreateVersion7(now),
                    saved.TraineeId,
                    saved.Ukprn,
                    status = EnumText.Name(saved.Status),
                    since = statusSince ?? TraineeRules.StatusSince(saved),
                    saved.ChangeSeq,
                },
                Transaction, cancellationToken: ct));
        }

        if (Current.Status == TraineeStatus.Awarded)
        {
            // What the TRA reads of an awarded trainee changed (a corrected name, the acknowledgement): the award moves
            // to the end of its pull feed. Provider's counter first, then the awards' one, as AwardAsync takes them.
            await Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE awards SET change_seq = @seq, updated_at = @now WHERE ukprn = @Ukprn AND trainee_id = @TraineeId",
                new { seq = await ChangeSequence.NextAsync(Connection, Transaction, Awards.AwardRepository.SyncScope, ct), now, saved.Ukprn, saved.TraineeId },
                Transaction, cancellationToken: ct));
        }

        if (saved.Trn is not null && TraRules.RouteChanged(Current, saved))
        {
            // The TRA hears of it through the outbox, in this transaction: committed together, or not at all.
            await TraOutbox.EnqueueRouteAsync(Connection, Transaction, saved, now, ct);
        }

        await Transaction.CommitAsync(ct);
        return saved;
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
