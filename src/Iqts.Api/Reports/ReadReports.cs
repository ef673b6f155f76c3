using Iqts.Api.Trainees;

namespace Iqts.Api.Reports;

/// <summary>
/// DfE's monthly report for a month (seed 000), read in one snapshot so every figure agrees (on PostgreSQL a
/// read-committed transaction would give each statement its own), never taking the write lock (ADR 0008).
/// </summary>
public sealed class ReadMonthlyReport(IDbConnectionFactory db, TimeProvider time)
{
    /// <summary>Every provider's figures and the totals; <paramref name="ukprn"/> narrows them to one provider's.</summary>
    public Task<MonthlyReport> RunAsync(string? ukprn, DateOnly month, CancellationToken ct) =>
        db.SnapshotAsync(async work =>
        {
            var (start, end) = (month, ReportRules.MonthEnd(month));
            return ReportRules.Monthly(month,
                await ReportRepository.ProvidersAsync(work, ukprn, ct),
                await ReportRepository.TraineesStartedByAsync(work, ukprn, end, ct),
                await ReportRepository.StatusChangesByAsync(work, ukprn, end, ct),
                await ReportRepository.PlacementsOverlappingAsync(work, ukprn, start, end, ct),
                await ReportRepository.CountByProviderAsync(work, "awards", "awarded_on", start, end, ukprn, ct),
                await ReportRepository.ReturnsOfMonthAsync(work, ukprn, ReportRules.MonthText(month), ct),
                time.UtcNowMicros());
        }, ct);
}

/// <summary>The annual candidate data of C2.5 i for an academic year, read in one snapshot.</summary>
public sealed class ReadAnnualReport(IDbConnectionFactory db, TimeProvider time)
{
    public Task<AnnualReport> RunAsync(string? ukprn, int year, CancellationToken ct) =>
        db.SnapshotAsync(async work =>
        {
            var (from, to) = ReportRules.AcademicYear(year);
            return ReportRules.Annual(year,
                await ReportRepository.ProvidersAsync(work, ukprn, ct),
                await ReportRepository.ApplicationsAsync(work, ukprn, ReportRules.MonthText(from), ReportRules.MonthText(to), ct),
                await ReportRepository.CountByProviderAsync(work, "trainees", "start_date", from, to, ukprn, ct),
                await ReportRepository.CountByProviderAsync(work, "awards", "awarded_on", from, to, ukprn, ct),
                time.UtcNowMicros());
        }, ct);
}

/// <summary>
/// A participant of every trainee change: a change of status is logged with the date it took effect, so DfE's monthly
/// report can say where each trainee stood at any month's end (a reinstatement clears the deferral on the record itself).
/// </summary>
public sealed class StatusLog : ITraineeChangeParticipant
{
    public Task RecordAsync(TraineeChanged changed, CancellationToken ct) =>
        changed.Before is { } before && before.Status != changed.After.Status
            ? ReportRepository.InsertStatusChangeAsync(changed.Work, changed.After, changed.EffectiveOn ?? TraineeRules.StatusSince(changed.After), changed.At, ct)
            : Task.CompletedTask;
}
