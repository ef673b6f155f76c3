using System.Data.Common;
using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Errors;

namespace Iqts.Api.Reports;

/// <summary>A row of <c>monthly_returns</c>: the alternative courses as JSON text.</summary>
public sealed record ReturnRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<ReturnRow>();

    public string Ukprn { get; init; } = "";

    public string Month { get; init; } = "";

    public int ExpressionsOfInterest { get; init; }

    public int Applications { get; init; }

    public int CandidatesInterviewed { get; init; }

    public int PlacedOnReserveList { get; init; }

    public int OfferedDeferredPlace { get; init; }

    public int OfferedAlternativeCourse { get; init; }

    public string AlternativeCourses { get; init; } = "[]";

    public int FeedbackResponses { get; init; }

    public int FeedbackPositive { get; init; }

    public string? CourseDevelopment { get; init; }

    public DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }

    public MonthlyReturn ToReturn() => new(new MonthlyReturnDetails
    {
        ExpressionsOfInterest = ExpressionsOfInterest,
        Applications = Applications,
        CandidatesInterviewed = CandidatesInterviewed,
        PlacedOnReserveList = PlacedOnReserveList,
        OfferedDeferredPlace = OfferedDeferredPlace,
        OfferedAlternativeCourse = OfferedAlternativeCourse,
        AlternativeCourses = StoredJson.Deserialize<List<string>>(AlternativeCourses),
        TraineeFeedback = new TraineeFeedback(FeedbackResponses, FeedbackPositive),
        CourseDevelopment = CourseDevelopment,
    })
    {
        Ukprn = Ukprn,
        Month = Month,
        SubmittedAt = SubmittedAt,
        UpdatedAt = UpdatedAt,
        RowVersion = RowVersion,
        ChangeSeq = ChangeSeq,
    };

    public static ReturnRow From(MonthlyReturn r) => new()
    {
        Ukprn = r.Ukprn,
        Month = r.Month,
        ExpressionsOfInterest = r.ExpressionsOfInterest!.Value,
        Applications = r.Applications!.Value,
        CandidatesInterviewed = r.CandidatesInterviewed!.Value,
        PlacedOnReserveList = r.PlacedOnReserveList!.Value,
        OfferedDeferredPlace = r.OfferedDeferredPlace!.Value,
        OfferedAlternativeCourse = r.OfferedAlternativeCourse!.Value,
        AlternativeCourses = StoredJson.Serialize(r.AlternativeCourses),
        FeedbackResponses = r.TraineeFeedback!.Responses!.Value,
        FeedbackPositive = r.TraineeFeedback.PositiveResponses!.Value,
        CourseDevelopment = r.CourseDevelopment,
        SubmittedAt = r.SubmittedAt,
        UpdatedAt = r.UpdatedAt,
        RowVersion = r.RowVersion,
        ChangeSeq = r.ChangeSeq,
    };
}

/// <summary>
/// Providers' monthly returns. Every query names the provider's UKPRN; every write takes the next number of the
/// provider's returns sequence (which orders the list and serialises the provider's writers) and records its history
/// in the same transaction.
/// </summary>
public sealed class ReturnRepository(IDbConnectionFactory db, TimeProvider time)
{
    private static readonly string Select = $"SELECT {ReturnRow.Columns.Select()} FROM monthly_returns";

    private static string SyncScope(string ukprn) => "returns:" + ukprn;

    public async Task<MonthlyReturn?> FindAsync(string ukprn, string month, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, null, ukprn, month, "", ct);
    }

    private static async Task<MonthlyReturn?> FindAsync(DbConnection connection, DbTransaction? tx, string ukprn, string month, string forUpdate, CancellationToken ct) =>
        (await connection.QuerySingleOrDefaultAsync<ReturnRow>(new CommandDefinition(
            $"{Select} WHERE ukprn = @ukprn AND month = @month{forUpdate}", new { ukprn, month }, tx, cancellationToken: ct)))?.ToReturn();

    /// <summary>
    /// Records the provider's return for <paramref name="month"/>, or replaces it: Created says which. A replacement that
    /// changes nothing writes nothing. The first submission's time stays: it is what the deadline is judged by.
    /// </summary>
    public async Task<Outcome<(MonthlyReturn Return, bool Created)>> PutAsync(string ukprn, string month, VersionCheck ifMatch, MonthlyReturnDetails details, Actor actor,
        CancellationToken ct)
    {
        await using var connection = await db.OpenForWriteAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var seq = await ChangeSequence.NextAsync(connection, tx, SyncScope(ukprn), ct);
        var current = await FindAsync(connection, tx, ukprn, month, db.Dialect.ForUpdate, ct);
        if (!ifMatch.Allows(current?.RowVersion ?? 0))
        {
            return ApiErrors.PreconditionFailed();
        }

        var changes = AuditTrail.Diff<MonthlyReturnDetails>(current, details);
        if (current is not null && changes.Count == 0)
        {
            return (current, false);
        }

        var now = time.UtcNowMicros();
        var next = new MonthlyReturn(details)
        {
            Ukprn = ukprn,
            Month = month,
            SubmittedAt = current?.SubmittedAt ?? now,
            UpdatedAt = now,
            RowVersion = (current?.RowVersion ?? 0) + 1,
            ChangeSeq = seq,
        };
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO monthly_returns {ReturnRow.Columns.InsertValues()}
            ON CONFLICT (ukprn, month) DO UPDATE SET {ReturnRow.Columns.SetAllBut("ukprn", "month", "submitted_at")}
            """,
            ReturnRow.From(next), tx, cancellationToken: ct));
        await AuditTrail.RecordReturnAsync(connection, tx, ukprn, month, now, seq, actor, current is null ? "submitted" : "corrected", changes, ct);
        await tx.CommitAsync(ct);
        return (next, current is null);
    }

    /// <summary>The provider's returns after the cursor position, in change order, one extra row to tell whether more follow.</summary>
    public async Task<IReadOnlyList<MonthlyReturn>> ListAsync(string ukprn, long after, int limit, DateTimeOffset? updatedSince, CancellationToken ct)
    {
        var where = "ukprn = @ukprn AND change_seq > @after" + (updatedSince is null ? "" : " AND updated_at >= @updatedSince");
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<ReturnRow>(new CommandDefinition(
            $"{Select} WHERE {where} ORDER BY change_seq LIMIT @take", new { ukprn, after, updatedSince, take = limit + 1 }, cancellationToken: ct));
        return rows.Select(r => r.ToReturn()).ToList();
    }

    /// <summary>The history of the provider's return for the month; null when it has none.</summary>
    public async Task<IReadOnlyList<HistoryEntry>?> HistoryAsync(string ukprn, string month, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, null, ukprn, month, "", ct) is null ? null : await AuditTrail.ReadReturnAsync(connection, ukprn, month, ct);
    }
}
