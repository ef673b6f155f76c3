using Dapper;
using Iqts.Api.Awards;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tra;

/// <summary>
/// The TRA's pull feed of awards: every provider's awards in the order of the "awards" change sequence, which an award,
/// a correction of an awarded trainee and the TRA's acknowledgement all move forward, so a reader holding a cursor
/// misses nothing and sees each award at its latest. A provider reads only its own (<c>ukprn</c>).
/// </summary>
public static class AwardFeed
{
    private static readonly string Select =
        $"SELECT {TraineeRow.Columns.Select("t")}, {SqlColumns.Of<Award>().Select("a")} FROM awards a JOIN trainees t ON t.id = a.trainee_id AND t.ukprn = a.ukprn";

    /// <summary>
    /// Awards after the cursor position. The TRA reads every provider's in the order of the awards' own sequence. A
    /// provider (<paramref name="ukprn"/>) reads its own in the order of its own sequence, its trainees' change_seq (every
    /// change that moves an award in the TRA's feed is a change to its trainee, and takes the provider's counter): a
    /// position in the shared sequence would tell it how many awards other providers had, and when (issue 18).
    /// </summary>
    public static Task<IReadOnlyList<(Award Award, Trainee Trainee)>> ListAsync(UnitOfWork work, string? ukprn, long after, int limit, DateTimeOffset? updatedSince,
        CancellationToken ct)
    {
        var sequence = ukprn is null ? "a.change_seq" : "t.change_seq";
        var where = $"{sequence} > @after";
        where += ukprn is null ? "" : " AND t.ukprn = @ukprn";
        where += updatedSince is null ? "" : " AND a.updated_at >= @updatedSince";
        return QueryAsync(work, $"{Select} WHERE {where} ORDER BY {sequence} LIMIT @take", new { after, ukprn, updatedSince, take = limit + 1 }, ct);
    }

    /// <summary>An award's position in the feed its reader sees: the shared sequence for the TRA, the provider's own for a provider.</summary>
    public static long Position((Award Award, Trainee Trainee) row, string? ukprn) => ukprn is null ? row.Award.ChangeSeq : row.Trainee.ChangeSeq;

    /// <summary>One award; null when there is none with that id (or it is another provider's, for a provider's token).</summary>
    public static async Task<(Award Award, Trainee Trainee)?> FindAsync(UnitOfWork work, string? ukprn, Guid awardId, CancellationToken ct)
    {
        var rows = await QueryAsync(work, $"{Select} WHERE a.id = @awardId{(ukprn is null ? "" : " AND a.ukprn = @ukprn")}", new { awardId, ukprn }, ct);
        return rows.Count == 0 ? null : rows[0];
    }

    // The trainee's columns come first and the award's from its "id" on: Dapper splits the row there.
    private static async Task<IReadOnlyList<(Award, Trainee)>> QueryAsync(UnitOfWork work, string sql, object parameters, CancellationToken ct) =>
        (await work.Connection.QueryAsync<TraineeRow, Award, (Award, Trainee)>(work.Command(sql, parameters, ct),
            (t, a) => (a, t.ToTrainee()), splitOn: "id")).ToList();

    public static AwardRecord ToRecord(Award a, Trainee t) => new(a.Id.ToString(), a.TraineeId.ToString(), a.Ukprn, a.Trn ?? t.Trn, t.FirstNames, t.LastName,
        t.DateOfBirth!.Value, t.TrainingCountry, t.AgeRange, t.Subjects, t.StartDate!.Value, t.ExpectedEndDate!.Value, a.AwardedOn, a.QtsDate, a.AcknowledgedAt, a.UpdatedAt);
}

/// <summary>
/// <c>PUT /awards/{id}/acknowledgement</c> (the TRA): its TRN and QTS date onto the award, and its TRN onto the trainee if
/// the trainee had none (which sends the route to TRS once more, now as Holds against that TRN). Repeated with the same
/// values it changes nothing.
/// </summary>
public sealed class AcknowledgeAward(IDbConnectionFactory db, TraineeChanges changes)
{
    public Task<Outcome<(Award Award, Trainee Trainee)>> RunAsync(Guid awardId, AcknowledgementRequest request, Actor actor, CancellationToken ct) =>
        db.WriteAsync<(Award Award, Trainee Trainee)>(async work =>
        {
            // The award names its trainee; the trainee is locked first, as every write to a trainee is, then the award read again.
            var begun = await AwardFeed.FindAsync(work, null, awardId, ct) is { } found
                ? await changes.BeginAsync(work, found.Award.Ukprn, found.Award.TraineeId, whatChanges: null, ct)
                : ApiErrors.NotFound("award");
            if (begun.Failed)
            {
                return begun.Error;
            }

            var change = begun.Value;
            var (award, trainee) = (await AwardFeed.FindAsync(work, null, awardId, ct))!.Value;
            var decided = TraRules.Acknowledge(award, trainee, request, DateOnly.FromDateTime(change.At.UtcDateTime));
            if (decided.Failed || !decided.Value)
            {
                return decided.Failed ? decided.Error : (award, trainee);
            }

            var acknowledged = award with { Trn = request.Trn, QtsDate = request.QtsDate, AcknowledgedAt = change.At, UpdatedAt = change.At, RowVersion = award.RowVersion + 1 };
            await AwardRepository.AcknowledgeAsync(work, acknowledged, ct);
            var saved = await changes.SaveAsync(change, trainee with { Trn = trainee.Trn ?? request.Trn }, actor, AuditActions.AwardAcknowledged,
                [AuditTrail.Change("award.trn", award.Trn, acknowledged.Trn), AuditTrail.Change("award.qtsDate", award.QtsDate, acknowledged.QtsDate)], ct);
            return (acknowledged, saved);
        }, ct);
}
