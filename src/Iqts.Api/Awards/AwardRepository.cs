using System.Data.Common;
using Dapper;
using Iqts.Api.Assessments;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Eligibility;
using Iqts.Api.Errors;
using Iqts.Api.Placements;
using Iqts.Api.ReferenceData;
using Iqts.Api.Trainees;

namespace Iqts.Api.Awards;

/// <summary>A row of <c>awards</c>: one per awarded trainee.</summary>
public sealed record AwardRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<AwardRow>();

    public Guid Id { get; init; }

    public Guid TraineeId { get; init; }

    public string Ukprn { get; init; } = "";

    public DateOnly AwardedOn { get; init; }

    public string? Trn { get; init; }

    public DateOnly? QtsDate { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }

    public Award ToAward() => new()
    {
        AwardId = Id,
        TraineeId = TraineeId,
        Ukprn = Ukprn,
        AwardedOn = AwardedOn,
        Trn = Trn,
        QtsDate = QtsDate,
        AcknowledgedAt = AcknowledgedAt,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        RowVersion = RowVersion,
        ChangeSeq = ChangeSeq,
    };

    public static AwardRow From(Award a) => new()
    {
        Id = a.AwardId,
        TraineeId = a.TraineeId,
        Ukprn = a.Ukprn,
        AwardedOn = a.AwardedOn,
        Trn = a.Trn,
        QtsDate = a.QtsDate,
        AcknowledgedAt = a.AcknowledgedAt,
        CreatedAt = a.CreatedAt,
        UpdatedAt = a.UpdatedAt,
        RowVersion = a.RowVersion,
        ChangeSeq = a.ChangeSeq,
    };
}

/// <summary>
/// The award check and the award. Both read everything a trainee's award rests on (its entry evidence, placements and
/// assessments) in one transaction; the award is written in the same transaction as the trainee's move to awarded.
/// </summary>
public sealed class AwardRepository(IDbConnectionFactory db, TimeProvider time, ReferenceDataSets reference)
{
    private static readonly string Select = $"SELECT {AwardRow.Columns.Select()} FROM awards";

    /// <summary>Every award takes its place in one feed of all providers' awards, the TRA's pull feed.</summary>
    public const string SyncScope = "awards";

    /// <summary>Every award rule evaluated now over one consistent read; null when the trainee is not the provider's.</summary>
    public async Task<AwardCheck?> CheckAsync(string ukprn, Guid traineeId, CancellationToken ct)
    {
        // A read unit: one snapshot, and on SQLite no write lock (a plain transaction there is BEGIN IMMEDIATE).
        await using var read = await UnitOfWork.BeginReadAsync(db, ct);
        var trainee = await TraineeRepository.FindAsync(read.Connection, read.Transaction, ukprn, traineeId, "", ct);
        return trainee is null ? null : await CheckAsync(read.Connection, read.Transaction, trainee, null, null, ct);
    }

    /// <summary>Awards iQTS when every rule holds on <paramref name="awardedOn"/>; otherwise every unmet rule.</summary>
    public async Task<Outcome<Award>> AwardAsync(string ukprn, Guid traineeId, DateOnly awardedOn, Actor actor, CancellationToken ct)
    {
        // An awarded trainee is not refused here: its status is one of the rules, and the 422 lists it with the rest.
        var begun = await TraineeWrite.BeginAsync(db, ukprn, traineeId, ct, whatChanges: null);
        if (begun.Failed)
        {
            return begun.Error!;
        }

        await using var write = begun.Value;
        var now = time.UtcNowMicros();
        var check = AwardRules.Award(await CheckAsync(write.Connection, write.Transaction, write.Current, awardedOn, DateOnly.FromDateTime(now.UtcDateTime), ct));
        if (check.Failed)
        {
            return check.Error!;
        }

        var award = new Award
        {
            AwardId = Guid.CreateVersion7(now),
            TraineeId = traineeId,
            Ukprn = ukprn,
            AwardedOn = awardedOn,
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(write.Connection, write.Transaction, SyncScope, ct),
        };
        await write.Connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO awards {AwardRow.Columns.InsertValues()}", AwardRow.From(award), write.Transaction, cancellationToken: ct));
        var next = write.Current with { Status = TraineeStatus.Awarded };
        await write.CommitAsync(next, now, actor, "awarded",
            [.. AuditTrail.Diff(write.Current, next), AuditTrail.Change("award.awardedOn", (DateOnly?)null, awardedOn)], ct, statusSince: awardedOn);
        return award;
    }

    /// <summary>The trainee's award: TraineeFound is false when the trainee is not the provider's; Award is null before the award.</summary>
    public async Task<(bool TraineeFound, Award? Award)> ForTraineeAsync(string ukprn, Guid traineeId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await TraineeRepository.FindAsync(connection, null, ukprn, traineeId, "", ct) is null)
        {
            return (false, null);
        }

        var row = await connection.QuerySingleOrDefaultAsync<AwardRow>(new CommandDefinition(
            $"{Select} WHERE ukprn = @ukprn AND trainee_id = @traineeId", new { ukprn, traineeId }, cancellationToken: ct));
        return (true, row?.ToAward());
    }

    private async Task<AwardCheck> CheckAsync(DbConnection connection, DbTransaction tx, Trainee trainee, DateOnly? awardedOn, DateOnly? today, CancellationToken ct) =>
        AwardRules.Check(trainee,
            await EligibilityRepository.EvaluateAsync(connection, tx, trainee, reference, ct),
            await PlacementRepository.SummariseAsync(connection, tx, trainee.Ukprn, trainee.TraineeId, ct),
            await AssessmentRepository.AssessmentsAsync(connection, tx, trainee.Ukprn, trainee.TraineeId, ct),
            awardedOn, today);
}
