using Microsoft.Net.Http.Headers;

namespace Iqts.Api.Reports;

/// <summary>DfE's management information: the monthly report and the annual candidate data (C2.5).</summary>
[Tags("Reports"), Authorize(Roles = Roles.Dfe + "," + Roles.Provider)]
public static class ReportEndpoints
{
    /// <summary>The monthly KPIs and management information (seed 000) for a month: DfE sees every provider and the totals, a provider its own</summary>
    /// <param name="month">The month, YYYY-MM.</param>
    /// <remarks>JSON, or CSV with a header row when asked with Accept: text/csv (long format: month, ukprn, provider, measure, category, value). Counts only: no personal data.</remarks>
    [Get("/reports/monthly"), EndpointName("GetMonthlyReport"), Csv, Problems(400)]
    private static async Task<Results<Ok<MonthlyReport>, ContentHttpResult, ProblemHttpResult>> Monthly(
        string? month, HttpRequest request, [AsParameters] Caller caller, ReadMonthlyReport read, TimeProvider time, CancellationToken ct)
    {
        var valid = ReportRules.Month(month, "month", time.Today());
        if (valid.Failed)
        {
            return valid.Error.ToResult();
        }

        var report = await read.RunAsync(caller.ProviderScope, valid.Value, ct);
        return WantsCsv(request) ? TypedResults.Text(ReportCsv.Monthly(report), ReportCsv.MediaType, System.Text.Encoding.UTF8) : TypedResults.Ok(report);
    }

    /// <summary>The annual candidate data of C2.5 for an academic year (1 August to 31 July): applications, trainees starting, awards</summary>
    /// <param name="academicYear">The year the academic year starts in, YYYY: 2025 is 1 August 2025 to 31 July 2026.</param>
    /// <remarks>JSON, or CSV with a header row when asked with Accept: text/csv. Applications add up the providers' monthly returns.</remarks>
    [Get("/reports/annual"), EndpointName("GetAnnualReport"), Csv, Problems(400)]
    private static async Task<Results<Ok<AnnualReport>, ContentHttpResult, ProblemHttpResult>> Annual(
        string? academicYear, HttpRequest request, [AsParameters] Caller caller, ReadAnnualReport read, TimeProvider time, CancellationToken ct)
    {
        var valid = ReportRules.AcademicYear(academicYear, time.Today());
        if (valid.Failed)
        {
            return valid.Error.ToResult();
        }

        var report = await read.RunAsync(caller.ProviderScope, valid.Value, ct);
        return WantsCsv(request) ? TypedResults.Text(ReportCsv.Annual(report), ReportCsv.MediaType, System.Text.Encoding.UTF8) : TypedResults.Ok(report);
    }

    /// <summary>CSV when the client prefers text/csv to JSON (by the order and quality of Accept); JSON otherwise.</summary>
    public static bool WantsCsv(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        var preferred = accept.Where(a => Is(a, ReportCsv.MediaType) || Is(a, "application/json"))
            .OrderByDescending(a => a.Quality ?? 1).FirstOrDefault();
        return preferred is not null && Is(preferred, ReportCsv.MediaType);
    }

    private static bool Is(MediaTypeHeaderValue accepted, string mediaType) =>
        accepted.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase);
}
