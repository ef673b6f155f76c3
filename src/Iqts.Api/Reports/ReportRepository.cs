using System.Data.Common;
using Dapper;
using Iqts.Api.Data;
using Iqts.Api.Placements;
using Iqts.Api.Trainees;

namespace Iqts.Api.Reports;

/// <summary>
/// Reads what DfE's reports count, each report in one read unit of work, so every figure comes from the same snapshot
/// (on PostgreSQL a read-committed transaction would give each statement its own) and no report waits for, or holds up,
/// a writer (on SQLite a plain transaction would take the write lock). Only facts are read: no name, date of birth or email leaves the database here.
/// A provider's token reads its own rows only (<c>ukprn</c>); DfE's reads every provider's.
/// </summary>
public sealed class ReportRepository(IDbConnectionFactory db, TimeProvider time)
{
    public async Task<MonthlyReport> MonthlyAsync(string? ukprn, DateOnly month, CancellationToken ct)
    {
        var (start, end) = (month, ReportRules.MonthEnd(month));
        var parameters = new { ukprn, start, end, month = ReportRules.MonthText(month) };
        var mine = ukprn is null ? "" : " AND ukprn = @ukprn";
        await using var read = await UnitOfWork.BeginReadAsync(db, ct);
        var (connection, tx) = (read.Connection, read.Transaction);
        var providers = await ProvidersAsync(connection, tx, ukprn, ct);
        var trainees = await QueryAsync<FactsRow>(connection, tx,
            $"""
            SELECT id, ukprn, start_date, training_country, country_of_birth, country_of_residence, first_language, teaching_language,
                   years_of_teaching_experience, reason_for_iqts, highest_qualification_level
            FROM trainees WHERE start_date <= @end{mine}
            """, parameters, ct);
        var changes = await QueryAsync<StatusRow>(connection, tx,
            $"SELECT trainee_id, status, effective_on, change_seq FROM trainee_status_changes WHERE effective_on <= @end{mine}", parameters, ct);
        var placements = await QueryAsync<PlacementRow>(connection, tx,
            $"""
            SELECT p.trainee_id, s.school_type FROM placements p JOIN schools s ON s.id = p.school_id AND s.ukprn = p.ukprn
            WHERE p.start_date <= @end AND p.end_date >= @start{(ukprn is null ? "" : " AND p.ukprn = @ukprn")}
            """, parameters, ct);
        var awards = await CountByProviderAsync(connection, tx, "awards", "awarded_on", start, end, ukprn, ct);
        var returns = await QueryAsync<ReturnRow>(connection, tx,
            $"SELECT {ReturnRow.Columns.Select()} FROM monthly_returns WHERE month = @month{mine}", parameters, ct);
        await read.CommitAsync(ct);

        return ReportRules.Monthly(month, providers,
            trainees.Select(t => t.ToFacts()).ToList(),
            changes.Select(c => new StatusChange(c.TraineeId, EnumText.Parse<TraineeStatus>(c.Status), c.EffectiveOn, c.ChangeSeq)).ToList(),
            placements.Select(p => new PlacementFact(p.TraineeId, EnumText.Parse<SchoolType>(p.SchoolType))).ToList(),
            awards,
            returns.Select(r => r.ToReturn()).ToDictionary(r => r.Ukprn),
            time.UtcNowMicros());
    }

    public async Task<AnnualReport> AnnualAsync(string? ukprn, int year, CancellationToken ct)
    {
        var (from, to) = ReportRules.AcademicYear(year);
        var parameters = new { ukprn, firstMonth = ReportRules.MonthText(from), lastMonth = ReportRules.MonthText(to) };
        var mine = ukprn is null ? "" : " AND ukprn = @ukprn";
        await using var read = await UnitOfWork.BeginReadAsync(db, ct);
        var (connection, tx) = (read.Connection, read.Transaction);
        var providers = await ProvidersAsync(connection, tx, ukprn, ct);
        var returns = await QueryAsync<ReturnsRow>(connection, tx,
            $"""
            SELECT ukprn, SUM(applications) AS applications, COUNT(*) AS returns FROM monthly_returns
            WHERE month >= @firstMonth AND month <= @lastMonth{mine} GROUP BY ukprn
            """, parameters, ct);
        var starters = await CountByProviderAsync(connection, tx, "trainees", "start_date", from, to, ukprn, ct);
        var awards = await CountByProviderAsync(connection, tx, "awards", "awarded_on", from, to, ukprn, ct);
        await read.CommitAsync(ct);

        return ReportRules.Annual(year, providers,
            returns.ToDictionary(r => r.Ukprn, r => ((int)r.Applications, (int)r.Returns)),
            starters,
            awards,
            time.UtcNowMicros());
    }

    private static async Task<IReadOnlyList<(string Ukprn, string Name)>> ProvidersAsync(DbConnection connection, DbTransaction tx, string? ukprn, CancellationToken ct) =>
        (await QueryAsync<ProviderRow>(connection, tx, $"SELECT ukprn, name FROM providers{(ukprn is null ? "" : " WHERE ukprn = @ukprn")} ORDER BY ukprn", new { ukprn }, ct))
            .Select(p => (p.Ukprn, p.Name)).ToList();

    /// <summary>Rows of <paramref name="table"/> whose <paramref name="dateColumn"/> falls in the period, per provider (names are ours, not input).</summary>
    private static async Task<Dictionary<string, int>> CountByProviderAsync(DbConnection connection, DbTransaction tx, string table, string dateColumn,
        DateOnly from, DateOnly to, string? ukprn, CancellationToken ct) =>
        (await QueryAsync<CountRow>(connection, tx,
            $"SELECT ukprn, COUNT(*) AS count FROM {table} WHERE {dateColumn} >= @from AND {dateColumn} <= @to{(ukprn is null ? "" : " AND ukprn = @ukprn")} GROUP BY ukprn",
            new { from, to, ukprn }, ct))
        .ToDictionary(c => c.Ukprn, c => (int)c.Count);

    private static async Task<List<T>> QueryAsync<T>(DbConnection connection, DbTransaction tx, string sql, object parameters, CancellationToken ct) =>
        (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct))).ToList();

    private sealed record FactsRow
    {
        public Guid Id { get; init; }

        public string Ukprn { get; init; } = "";

        public DateOnly StartDate { get; init; }

        public string TrainingCountry { get; init; } = "";

        public string? CountryOfBirth { get; init; }

        public string? CountryOfResidence { get; init; }

        public string? FirstLanguage { get; init; }

        public string? TeachingLanguage { get; init; }

        public int? YearsOfTeachingExperience { get; init; }

        public string? ReasonForIqts { get; init; }

        public string? HighestQualificationLevel { get; init; }

        public TraineeFacts ToFacts() => new(Id, Ukprn, StartDate, TrainingCountry, CountryOfBirth, CountryOfResidence, FirstLanguage, TeachingLanguage,
            YearsOfTeachingExperience, ReasonForIqts, HighestQualificationLevel);
    }

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
