using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Awards;
using Iqts.Api.Data;
using Iqts.Api.Errors;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tra;

/// <summary>
/// The TRA's pull feed of awards: every provider's awards in the order of the "awards" change sequence, which an award,
/// a correction of an awarded trainee and the TRA's acknowledgement all move forward, so a reader holding a cursor
/// misses nothing and sees each award at its latest. A provider reads only its own.
/// </summary>
public sealed class AwardFeed(IDbConnectionFactory db, TimeProvider time)
{
    private static readonly string Select =
        $"SELECT {TraineeRow.Columns.Select("t")}, {AwardRow.Columns.Select("a")} FROM awards a JOIN trainees t ON t.id = a.trainee_id AND t.ukprn = a.ukprn";

    /// <summary>Awards after the cursor position; <paramref name="ukprn"/> narrows them to one provider's (a provider's token).</summary>
    public async Task<IReadOnlyList<(Award Award, Trainee Trainee)>> ListAsync(string? ukprn, long after, int limit, DateTimeOffset? updatedSince, CancellationToken ct)
    {
        var where = "a.change_seq > @after";
        where += ukprn is null ? "" : " AND a.ukprn = @ukprn";
        where += updatedSince is null ? "" : " AND a.updated_at >= @updatedSince";
        await using var connection = await db.OpenAsync(ct);
        return await QueryAsync(connection, null, $"{Select} WHERE {where} ORDER BY a.change_seq LIMIT @take", new { after, ukprn, updatedSince, take = limit + 1 }, ct);
    }

    /// <summary>One award; null when there is none with that id (or it is another provider's, for a provider's token).</summary>
    public async Task<(Award Award, Trainee Trainee)?> FindAsync(string? ukprn, Guid awardId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, null, ukprn, awardId, ct);
    }

    /// <summary>
    /// Records the TRA's acknowledgement on the award, and its TRN on the trainee if the trainee had none (which sends
    /// the route to TRS once more, now as Holds against that TRN). Repeated with the same values it changes nothing.
    /// </summary>
    public async Task<Outcome<(Award Award, Trainee Trainee)>> AcknowledgeAsync(Guid awardId, AcknowledgementRequest request, Actor actor, CancellationToken ct)
    {
        if (await FindAsync(null, awardId, ct) is not { } found)
        {
            return ApiErrors.NotFound("award");
        }

        var begun = await TraineeWrite.BeginAsync(db, found.Award.Ukprn, found.Award.TraineeId, ct, whatChanges: null);
        if (begun.Failed)
        {
            return begun.Error!;
        }

        await using var write = begun.Value;
        var (award, trainee) = (await FindAsync(write.Connection, write.Transaction, null, awardId, ct))!.Value;
        var now = time.UtcNowMicros();
        var decided = TraRules.Acknowledge(award, trainee, request, DateOnly.FromDateTime(now.UtcDateTime));
        if (decided.Failed)
        {
            return decided.Error!;
        }

        if (!decided.Value)
        {
            return (award, trainee);
        }

        var acknowledged = award with { Trn = request.Trn, QtsDate = request.QtsDate, AcknowledgedAt = now, UpdatedAt = now, RowVersion = award.RowVersion + 1 };
        await write.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE awards SET trn = @Trn, qts_date = @QtsDate, acknowledged_at = @AcknowledgedAt, updated_at = @UpdatedAt, row_version = @RowVersion WHERE id = @Id",
            AwardRow.From(acknowledged), write.Transaction, cancellationToken: ct));
        var next = trainee with { Trn = trainee.Trn ?? request.Trn };
        var saved = await write.CommitAsync(next, now, actor, "award_acknowledged",
            [AuditTrail.Change("award.trn", award.Trn, acknowledged.Trn), AuditTrail.Change("award.qtsDate", award.QtsDate, acknowledged.QtsDate), .. AuditTrail.Diff(trainee, next)], ct);
        return (acknowledged, saved);
    }

    private static async Task<(Award Award, Trainee Trainee)?> FindAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? tx, string? ukprn,
        Guid awardId, CancellationToken ct)
    {
        var rows = await QueryAsync(connection, tx, $"{Select} WHERE a.id = @awardId{(ukprn is null ? "" : " AND a.ukprn = @ukprn")}", new { awardId, ukprn }, ct);
        return rows.Count == 0 ? null : rows[0];
    }

    // The trainee's columns come first and the award's from its "id" on: Dapper splits the row there.
    private static async Task<IReadOnlyList<(Award, Trainee)>> QueryAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? tx, string sql,
        object parameters, CancellationToken ct) =>
        (await connection.QueryAsync<TraineeRow, AwardRow, (Award, Trainee)>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct),
            (t, a) => (a.ToAward(), t.ToTrainee()), splitOn: "id")).ToList();

    public static AwardRecord ToRecord(Award a, Trainee t) => new(a.AwardId.ToString(), a.TraineeId.ToString(), a.Ukprn, a.Trn ?? t.Trn, t.FirstNames, t.LastName,
        t.DateOfBirth!.Value, t.TrainingCountry, t.AgeRange, t.Subjects, t.StartDate!.Value, t.ExpectedEndDate!.Value, a.AwardedOn, a.QtsDate, a.AcknowledgedAt, a.UpdatedAt);
}
