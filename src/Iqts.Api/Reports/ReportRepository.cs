using Dapper;
using Iqts.Api.Placements;
using Iqts.Api.Trainees;

namespace Iqts.Api.Reports;

/// <summary>
/// What DfE's reports count, and the log of status changes they count by, on the caller's unit of work (a snapshot, for a
/// report: <see cref="ReadMonthlyReport"/>). Only facts are read: no name, date of birth or email leaves the database here.
/// A <c>ukprn</c> narrows every read to one provider's rows (a provider's token); null reads every provider's.
/// </summary>
public static class ReportRepository
{
    public static async Task<IReadOnlyList<(string Ukprn, string Name)>> ProvidersAsync(UnitOfWork work, string? ukprn, CancellationToken ct) =>
        (await QueryAsync<ProviderRow>(work, $"SELECT ukprn, name FROM providers{(ukprn is null ? "" : " WHERE ukprn = @ukprn")} ORDER BY ukprn", new { ukprn }, ct))
            .Select(p => (p.Ukprn, p.Name)).ToList();

    /// <summary>The facts of every trainee who had started by <paramref name="end"/>.</summary>
    public static async Task<IReadOnlyList<TraineeFacts>> TraineesStartedByAsync(UnitOfWork work, string? ukprn, DateOnly end, CancellationToken ct) =>
        // The facts' columns only, into the trainee's row type: no name, date of birth or email is read.
        (await QueryAsync<TraineeRow>(work,
            $"""
            SELECT id, ukprn, start_date, training_country, country_of_birth, country_of_residence, first_language, teaching_language,
                   years_of_teaching_experience, reason_for_iqts, highest_qualification_level
            FROM trainees WHERE start_date <= @end{Mine(ukprn)}
            """, new { ukprn, end }, ct)).Select(t => new TraineeFacts(t.Id, t.Ukprn, t.StartDate, t.TrainingCountry, t.CountryOfBirth, t.CountryOfResidence, t.FirstLanguage,
                t.TeachingLanguage, t.YearsOfTeachingExperience, t.ReasonForIqts, t.HighestQualificationLevel)).ToList();

    /// <summary>Every status change that took effect by <paramref name="end"/>.</summary>
    public static async Task<IReadOnlyList<StatusChange>> StatusChangesByAsync(UnitOfWork work, string? ukprn, DateOnly end, CancellationToken ct) =>
        (await QueryAsync<StatusRow>(work, $"SELECT trainee_id, status, effective_on, change_seq FROM trainee_status_changes WHERE effective_on <= @end{Mine(ukprn)}",
            new { ukprn, end }, ct)).Select(c => new StatusChange(c.TraineeId, EnumText.Parse<TraineeStatus>(c.Status), c.EffectiveOn, c.ChangeSeq)).ToList();

    /// <summary>
    /// A trainee's status as it took effect on a date (what the reports count by), written in the change's transaction,
    /// held back to its next round trip (only reports, in units of their own, read it).
    /// </summary>
    public static Task InsertStatusChangeAsync(UnitOfWork work, Trainee trainee, DateOnly effectiveOn, DateTimeOffset at, CancellationToken ct)
    {
        work.Placed(trainee.ChangeSeq, "trainee_status_changes", "change_seq");
        return work.WriteLaterAsync(
            """
            INSERT INTO trainee_status_changes (id, trainee_id, ukprn, status, effective_on, change_seq)
            VALUES (@id, @TraineeId, @Ukprn, @status, @effectiveOn, @ChangeSeq)
            """,
            new { id = Guid.CreateVersion7(at), trainee.TraineeId, trainee.Ukprn, status = EnumText.Name(trainee.Status), effectiveOn, trainee.ChangeSeq }, ct);
    }

    /// <summary>The school type of every placement overlapping the period.</summary>
    public static async Task<IReadOnlyList<PlacementFact>> PlacementsOverlappingAsync(UnitOfWork work, string? ukprn, DateOnly start, DateOnly end, CancellationToken ct) =>
        (await QueryAsync<PlacementRow>(work,
            $"""
            SELECT p.trainee_id, s.school_type FROM placements p JOIN schools s ON s.id = p.school_id AND s.ukprn = p.ukprn
            WHERE p.start_date <= @end AND p.end_date >= @start{(ukprn is null ? "" : " AND p.ukprn = @ukprn")}
            """, new { ukprn, start, end }, ct)).Select(p => new PlacementFact(p.TraineeId, EnumText.Parse<SchoolType>(p.SchoolType))).ToList();

    public static async Task<IReadOnlyDictionary<string, MonthlyReturn>> ReturnsOfMonthAsync(UnitOfWork work, string? ukprn, string month, CancellationToken ct) =>
        (await QueryAsync<ReturnRow>(work, $"SELECT {ReturnRow.Columns.Select()} FROM monthly_returns WHERE month = @month{Mine(ukprn)}", new { ukprn, month }, ct))
            .Select(r => r.ToReturn()).ToDictionary(r => r.Ukprn);

    /// <summary>Per provider, the applications its returns from <paramref name="firstMonth"/> to <paramref name="lastMonth"/> add up to, and how many returns.</summary>
    public static async Task<IReadOnlyDictionary<string, (int Applications, int Returns)>> ApplicationsAsync(UnitOfWork work, string? ukprn, string firstMonth,
        string lastMonth, CancellationToken ct) =>
        (await QueryAsync<ReturnsRow>(work,
            $"""
            SELECT ukprn, SUM(applications) AS applications, COUNT(*) AS returns FROM monthly_returns
            WHERE month >= @firstMonth AND month <= @lastMonth{Mine(ukprn)} GROUP BY ukprn
            """, new { ukprn, firstMonth, lastMonth }, ct)).ToDictionary(r => r.Ukprn, r => ((int)r.Applications, (int)r.Returns));

    /// <summary>Rows of <paramref name="table"/> whose <paramref name="dateColumn"/> falls in the period, per provider (names are ours, not input).</summary>
    public static async Task<IReadOnlyDictionary<string, int>> CountByProviderAsync(UnitOfWork work, string table, string dateColumn, DateOnly from, DateOnly to,
        string? ukprn, CancellationToken ct) =>
        (await QueryAsync<CountRow>(work,
            $"SELECT ukprn, COUNT(*) AS count FROM {table} WHERE {dateColumn} >= @from AND {dateColumn} <= @to{Mine(ukprn)} GROUP BY ukprn",
            new { from, to, ukprn }, ct))
        .ToDictionary(c => c.Ukprn, c => (int)c.Count);

    private static string Mine(string? ukprn) => ukprn is null ? "" : " AND ukprn = @ukprn";

    private static async Task<List<T>> QueryAsync<T>(UnitOfWork work, string sql, object parameters, CancellationToken ct) =>
        (await work.Connection.QueryAsync<T>(work.Command(sql, parameters, ct))).ToList();

    private sealed record StatusRow
    {
        public Guid TraineeId { get; init; }

        public string Status { get; init; } = "";

        public DateOnly EffectiveOn { get; init; }

        public long ChangeSeq { get; init; }
    }

    private sealed record PlacementRow
    {
        public Guid TraineeId { get; init; }

        public string SchoolType { get; init; } = "";
    }

    private sealed record CountRow
    {
        public string Ukprn { get; init; } = "";

        public long Count { get; init; }
    }

    private sealed record ReturnsRow
    {
        public string Ukprn { get; init; } = "";

        public long Applications { get; init; }

        public long Returns { get; init; }
    }

    private sealed record ProviderRow
    {
        public string Ukprn { get; init; } = "";

        public string Name { get; init; } = "";
    }
}
