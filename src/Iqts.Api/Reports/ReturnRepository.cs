using Dapper;

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

/// <summary>Providers' monthly return rows, on the caller's unit of work. Every query names the provider's UKPRN.</summary>
public static class ReturnRepository
{
    private static readonly string Select = $"SELECT {ReturnRow.Columns.Select()} FROM monthly_returns";

    public static string SyncScope(string ukprn) => "returns:" + ukprn;

    public static async Task<MonthlyReturn?> FindAsync(UnitOfWork work, string ukprn, string month, CancellationToken ct, bool forUpdate = false) =>
        (await work.Connection.QuerySingleOrDefaultAsync<ReturnRow>(work.Command(
            $"{Select} WHERE ukprn = @ukprn AND month = @month{(forUpdate ? work.ForUpdate : "")}", new { ukprn, month }, ct)))?.ToReturn();

    /// <summary>The return, inserted or replaced; the first submission's time stays (the deadline is judged by it).</summary>
    public static Task UpsertAsync(UnitOfWork work, MonthlyReturn monthlyReturn, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            $"""
            INSERT INTO monthly_returns {ReturnRow.Columns.InsertValues()}
            ON CONFLICT (ukprn, month) DO UPDATE SET {ReturnRow.Columns.SetAllBut("ukprn", "month", "submitted_at")}
            """,
            ReturnRow.From(monthlyReturn), ct));

    /// <summary>The provider's returns for the months from <paramref name="from"/> (YYYY-MM), oldest first.</summary>
    public static async Task<IReadOnlyList<MonthlyReturn>> SinceAsync(UnitOfWork work, string ukprn, string from, CancellationToken ct) =>
        (await work.Connection.QueryAsync<ReturnRow>(work.Command(
            $"{Select} WHERE ukprn = @ukprn AND month >= @from ORDER BY month", new { ukprn, from }, ct))).Select(r => r.ToReturn()).ToList();

    /// <summary>The provider's returns after the cursor position, in change order, one extra row to tell whether more follow.</summary>
    public static async Task<IReadOnlyList<MonthlyReturn>> ListAsync(UnitOfWork work, string ukprn, long after, int limit, DateTimeOffset? updatedSince, CancellationToken ct)
    {
        var where = "ukprn = @ukprn AND change_seq > @after" + (updatedSince is null ? "" : " AND updated_at >= @updatedSince");
        var rows = await work.Connection.QueryAsync<ReturnRow>(work.Command(
            $"{Select} WHERE {where} ORDER BY change_seq LIMIT @take", new { ukprn, after, updatedSince, take = limit + 1 }, ct));
        return rows.Select(r => r.ToReturn()).ToList();
    }
}
