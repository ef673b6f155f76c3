using Dapper;
using Iqts.Api.Data;

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

/// <summary>Award rows, on the caller's unit of work: one per awarded trainee, each in its place in the TRA's feed of all providers' awards.</summary>
public static class AwardRepository
{
    private static readonly string Select = $"SELECT {AwardRow.Columns.Select()} FROM awards";

    /// <summary>Every award takes its place in one feed of all providers' awards, the TRA's pull feed.</summary>
    public const string SyncScope = "awards";

    /// <summary>The provider's trainee's award; null before the award.</summary>
    public static async Task<Award?> ForTraineeAsync(UnitOfWork work, string ukprn, Guid traineeId, CancellationToken ct) =>
        (await work.Connection.QuerySingleOrDefaultAsync<AwardRow>(work.Command(
            $"{Select} WHERE ukprn = @ukprn AND trainee_id = @traineeId", new { ukprn, traineeId }, ct)))?.ToAward();

    public static Task InsertAsync(UnitOfWork work, Award award, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO awards {AwardRow.Columns.InsertValues()}", AwardRow.From(award), ct));

    /// <summary>The TRA's acknowledgement onto the award.</summary>
    public static Task AcknowledgeAsync(UnitOfWork work, Award award, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            "UPDATE awards SET trn = @Trn, qts_date = @QtsDate, acknowledged_at = @AcknowledgedAt, updated_at = @UpdatedAt, row_version = @RowVersion WHERE id = @Id",
            AwardRow.From(award), ct));

    /// <summary>The trainee's award to the end of the feed, at its next number: what the TRA reads of it changed.</summary>
    public static async Task MoveToEndAsync(UnitOfWork work, string ukprn, Guid traineeId, DateTimeOffset now, CancellationToken ct) =>
        await work.Connection.ExecuteAsync(work.Command(
            "UPDATE awards SET change_seq = @seq, updated_at = @now WHERE ukprn = @ukprn AND trainee_id = @traineeId",
            new { seq = await ChangeSequence.NextAsync(work, SyncScope, ct), now, ukprn, traineeId }, ct));
}
