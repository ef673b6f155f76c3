using Dapper;

namespace Iqts.Api.Awards;

/// <summary>
/// Awards, on the caller's unit of work: one row per awarded trainee, each in its place in the TRA's feed of all providers'
/// awards. A row is exactly an <see cref="Award"/> (nothing in it is stored otherwise), so it needs no row type of its own.
/// </summary>
public static class AwardRepository
{
    private static readonly SqlColumns Columns = SqlColumns.Of<Award>();

    private static readonly string Select = $"SELECT {Columns.Select()} FROM awards";

    /// <summary>Every award takes its place in one feed of all providers' awards, the TRA's pull feed.</summary>
    public const string SyncScope = "awards";

    /// <summary>The provider's trainee's award; null before the award.</summary>
    public static async Task<Award?> ForTraineeAsync(UnitOfWork work, string ukprn, Guid traineeId, CancellationToken ct) =>
        await work.Connection.QuerySingleOrDefaultAsync<Award>(work.Command(
            $"{Select} WHERE ukprn = @ukprn AND trainee_id = @traineeId", new { ukprn, traineeId }, ct));

    public static Task InsertAsync(UnitOfWork work, Award award, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO awards {Columns.InsertValues()}", award, ct));

    /// <summary>The TRA's acknowledgement onto the award.</summary>
    public static Task AcknowledgeAsync(UnitOfWork work, Award award, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            "UPDATE awards SET trn = @Trn, qts_date = @QtsDate, acknowledged_at = @AcknowledgedAt, updated_at = @UpdatedAt, row_version = @RowVersion WHERE id = @Id",
            award, ct));

    /// <summary>The trainee's award to the end of the feed, at its next number: what the TRA reads of it changed.</summary>
    public static async Task MoveToEndAsync(UnitOfWork work, string ukprn, Guid traineeId, DateTimeOffset now, CancellationToken ct) =>
        await work.Connection.ExecuteAsync(work.Command(
            "UPDATE awards SET change_seq = @seq, updated_at = @now WHERE ukprn = @ukprn AND trainee_id = @traineeId",
            new { seq = await ChangeSequence.NextAsync(work, SyncScope, ct), now, ukprn, traineeId }, ct));
}
