using System.Security.Claims;
using Iqts.Api.Data;
using Iqts.Api.Errors;
using Iqts.Api.Http;
using Iqts.Api.Trainees;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Iqts.Api.Reports;

/// <summary>DfE's management information: providers' monthly returns, the monthly report and the annual candidate data (C2.5).</summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder routes)
    {
        var returns = routes.MapGroup("/returns").WithTags("Returns").RequireAuthorization(Roles.Provider);

        returns.MapGet("/", ListReturns)
            .WithName("ListReturns")
            .WithSummary("The provider's monthly returns in change order (gap-free cursor pagination), each with its deadline and whether it met it")
            .ProducesProblems(StatusCodes.Status400BadRequest);

        returns.MapGet("/{month}", GetReturn)
            .WithName("GetReturn")
            .ProducesETag()
            .WithSummary("The provider's return for a month (YYYY-MM)")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        returns.MapPut("/{month}", PutReturn)
            .WithName("PutReturn")
            .ProducesETag()
            .AcceptsIfMatch()
            .WithSummary("Submit or correct the provider's return for a month: the figures of seed 000 the API cannot derive (201 the first time, 200 after)")
            .WithDescription("Due by the 15th of the following month (UK time); a return first submitted after that is flagged late, and a correction does not change that. If-Match is honoured.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status412PreconditionFailed, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType);

        returns.MapGet("/{month}/history", ReturnHistory)
            .WithName("GetReturnHistory")
            .WithSummary("The audit history of a monthly return: every submission and correction, when, by which token, which figures")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        var reports = routes.MapGroup("/reports").WithTags("Reports").RequireAuthorization(p => p.RequireRole(Roles.Dfe, Roles.Provider));

        reports.MapGet("/monthly", Monthly)
            .WithName("GetMonthlyReport")
            .ProducesCsv()
            .WithSummary("The monthly KPIs and management information (seed 000) for a month: DfE sees every provider and the totals, a provider its own")
            .WithDescription("JSON, or CSV with a header row when asked with Accept: text/csv (long format: month, ukprn, provider, measure, category, value). Counts only: no personal data.")
            .ProducesProblems(StatusCodes.Status400BadRequest);

        reports.MapGet("/annual", Annual)
            .WithName("GetAnnualReport")
            .ProducesCsv()
            .WithSummary("The annual candidate data of C2.5 for an academic year (1 August to 31 July): applications, trainees starting, awards")
            .WithDescription("JSON, or CSV with a header row when asked with Accept: text/csv. Applications add up the providers' monthly returns.")
            .ProducesProblems(StatusCodes.Status400BadRequest);

        return routes;
    }

    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="updatedSince">Only returns changed at or after this time (RFC 3339).</param>
    private static async Task<Results<Ok<Page<MonthlyReturnResponse>>, ProblemHttpResult>> ListReturns(
        int? limit, string? cursor, DateTimeOffset? updatedSince, ClaimsPrincipal user, ReturnRepository returns, TimeProvider time, CancellationToken ct)
    {
        var paging = Cursor.Parse(limit, cursor);
        if (paging.Failed)
        {
            return paging.Error!.ToResult();
        }

        var (take, after) = paging.Value;
        var rows = await returns.ListAsync(user.ProviderUkprn(), after, take, updatedSince, ct);
        var now = time.UtcNowMicros();
        return TypedResults.Ok(Cursor.ToPage(rows, take, after, r => r.ChangeSeq, r => Response(r, now)));
    }

    private static async Task<Results<Ok<MonthlyReturnResponse>, ProblemHttpResult>> GetReturn(
        string month, ClaimsPrincipal user, ReturnRepository returns, TimeProvider time, HttpResponse response, CancellationToken ct)
    {
        var valid = ReportRules.Month(month, "month", time.Today());
        if (valid.Failed)
        {
            return valid.Error!.ToResult();
        }

        var found = await returns.FindAsync(user.ProviderUkprn(), month, ct);
        return found is null ? ApiErrors.NotFound("return").ToResult() : WithETag(response, found, time.UtcNowMicros());
    }

    private static async Task<Results<Created<MonthlyReturnResponse>, Ok<MonthlyReturnResponse>, ProblemHttpResult>> PutReturn(
        string month, MonthlyReturnDetails body, HttpRequest request, ClaimsPrincipal user, ReturnRepository returns, TimeProvider time, CancellationToken ct)
    {
        var errors = ReportRules.Month(month, "month", time.Today()).Then(_ => ReportRules.Return(body));
        if (errors.Failed)
        {
            return errors.Error!.ToResult();
        }

        var stored = await returns.PutAsync(user.ProviderUkprn(), month, ETags.IfMatch(request), errors.Value, TraineeEndpoints.Actor(user), ct);
        if (stored.Failed)
        {
            return stored.Error!.ToResult();
        }

        var (saved, created) = stored.Value;
        var answer = WithETag(request.HttpContext.Response, saved, time.UtcNowMicros());
        return created ? TypedResults.Created($"/api/v1/returns/{month}", answer.Value) : answer;
    }

    private static async Task<Results<Ok<ReturnHistory>, ProblemHttpResult>> ReturnHistory(
        string month, ClaimsPrincipal user, ReturnRepository returns, TimeProvider time, CancellationToken ct)
    {
        var valid = ReportRules.Month(month, "month", time.Today());
        if (valid.Failed)
        {
            return valid.Error!.ToResult();
        }

        var entries = await returns.HistoryAsync(user.ProviderUkprn(), month, ct);
        return entries is null ? ApiErrors.NotFound("return").ToResult() : TypedResults.Ok(new ReturnHistory(month, entries));
    }

    /// <param name="month">The month, YYYY-MM.</param>
    private static async Task<Results<Ok<MonthlyReport>, ContentHttpResult, ProblemHttpResult>> Monthly(
        string? month, HttpRequest request, ClaimsPrincipal user, ReportRepository reports, TimeProvider time, CancellationToken ct)
    {
        var valid = ReportRules.Month(month, "month", time.Today());
        if (valid.Failed)
        {
            return valid.Error!.ToResult();
        }

        var report = await reports.MonthlyAsync(ProviderScope(user), valid.Value, ct);
        return WantsCsv(request) ? TypedResults.Text(ReportCsv.Monthly(report), ReportCsv.MediaType, System.Text.Encoding.UTF8) : TypedResults.Ok(report);
    }

    /// <param name="academicYear">The year the academic year starts in, YYYY: 2025 is 1 August 2025 to 31 July 2026.</param>
    private static async Task<Results<Ok<AnnualReport>, ContentHttpResult, ProblemHttpResult>> Annual(
        string? academicYear, HttpRequest request, ClaimsPrincipal user, ReportRepository reports, TimeProvider time, CancellationToken ct)
    {
        var valid = ReportRules.AcademicYear(academicYear, time.Today());
        if (valid.Failed)
        {
            return valid.Error!.ToResult();
        }

        var report = await reports.AnnualAsync(ProviderScope(user), valid.Value, ct);
        return WantsCsv(request) ? TypedResults.Text(ReportCsv.Annual(report), ReportCsv.MediaType, System.Text.Encoding.UTF8) : TypedResults.Ok(report);
    }

    /// <summary>A provider reads its own figures; DfE reads every provider's.</summary>
    private static string? ProviderScope(ClaimsPrincipal user) => user.IsInRole(Roles.Provider) ? user.ProviderUkprn() : null;

    /// <summary>CSV when the client prefers text/csv to JSON (by the order and quality of Accept); JSON otherwise.</summary>
    private static bool WantsCsv(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        var preferred = accept.Where(a => Is(a, ReportCsv.MediaType) || Is(a, "application/json"))
            .OrderByDescending(a => a.Quality ?? 1).FirstOrDefault();
        return preferred is not null && Is(preferred, ReportCsv.MediaType);
    }

    private static bool Is(MediaTypeHeaderValue accepted, string mediaType) =>
        accepted.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase);

    private static MonthlyReturnResponse Response(MonthlyReturn r, DateTimeOffset now)
    {
        var month = DateOnly.ParseExact(r.Month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return new MonthlyReturnResponse(r, ReportRules.DueOn(month), ReportRules.Status(month, r.SubmittedAt, now));
    }

    private static Ok<MonthlyReturnResponse> WithETag(HttpResponse response, MonthlyReturn r, DateTimeOffset now)
    {
        ETags.Set(response, r.RowVersion);
        return TypedResults.Ok(Response(r, now));
    }
}
