
namespace Iqts.Api.Reports;

/// <summary>Providers' monthly returns: the management information of seed 000 the API cannot derive.</summary>
[Tags("Returns"), Authorize(Policy = Roles.Provider)]
public static class ReturnEndpoints
{
    /// <summary>The provider's monthly returns in change order (gap-free cursor pagination), each with its deadline and whether it met it</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="updatedSince">Only returns changed at or after this time (RFC 3339, with its offset: Z or ±hh:mm).</param>
    [Get("/returns"), EndpointName("ListReturns"), Problems(400)]
    private static Task<Results<Ok<Page<MonthlyReturnResponse>>, ProblemHttpResult>> ListReturns(
        int? limit, string? cursor, Timestamp? updatedSince, [AsParameters] Caller caller, IDbConnectionFactory db, TimeProvider time, CancellationToken ct) =>
        Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => ReturnRepository.ListAsync(work, caller.Ukprn, after, take, updatedSince, ct), ct),
            r => r.ChangeSeq, r => Response(r, time.UtcNowMicros()));

    /// <summary>The provider's return for a month (YYYY-MM)</summary>
    [Get("/returns/{month}"), EndpointName("GetReturn"), ETag, Problems(400, 404)]
    private static async Task<Results<Ok<MonthlyReturnResponse>, ProblemHttpResult>> GetReturn(
        string month, [AsParameters] Caller caller, IDbConnectionFactory db, TimeProvider time, CancellationToken ct)
    {
        var valid = ReportRules.Month(month, "month", time.Today());
        var found = valid.Failed ? null : await db.ReadAsync(work => ReturnRepository.FindAsync(work, caller.Ukprn, month, ct), ct);
        return valid.Failed ? valid.Error.ToResult() : ETags.OkOrNotFound(caller.Response, found, "return", r => r.RowVersion, r => Response(r, time.UtcNowMicros()));
    }

    /// <summary>Submit or correct the provider's return for a month: the figures of seed 000 the API cannot derive (201 the first time, 200 after)</summary>
    /// <remarks>Due by the 15th of the following month (UK time); a return first submitted after that is flagged late, and a correction does not change that. If-Match is honoured.</remarks>
    [Example("return", "A month's figures", ReturnExamples.Return)]
    [Put("/returns/{month}"), EndpointName("PutReturn"), ETag, IfMatch, Problems(400, 412, 413, 415)]
    private static async Task<Results<Created<MonthlyReturnResponse>, Ok<MonthlyReturnResponse>, ProblemHttpResult>> PutReturn(
        string month, MonthlyReturnDetails body, [AsParameters] Caller caller, SubmitReturn submit, TimeProvider time, CancellationToken ct)
    {
        var stored = await submit.RunAsync(caller.Ukprn, month, caller.IfMatch, body, caller.Actor, ct);
        if (stored.Failed)
        {
            return stored.Error.ToResult();
        }

        var answer = ETags.Ok(caller.Response, stored.Value.Return.RowVersion, Response(stored.Value.Return, time.UtcNowMicros()));
        return stored.Value.Created ? TypedResults.Created($"/api/v1/returns/{month}", answer.Value) : answer;
    }

    /// <summary>The audit history of a monthly return: every submission and correction, when, by which token, which figures, oldest first (gap-free cursor)</summary>
    /// <param name="limit">Entries per page, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    [Get("/returns/{month}/history"), EndpointName("GetReturnHistory"), Problems(400, 404)]
    private static async Task<Results<Ok<ReturnHistory>, ProblemHttpResult>> ReturnHistory(
        string month, int? limit, string? cursor, [AsParameters] Caller caller, IDbConnectionFactory db, TimeProvider time, CancellationToken ct)
    {
        var valid = ReportRules.Month(month, "month", time.Today()).Then(_ => Cursor.Parse(limit, cursor));
        var found = valid.Failed ? null : await db.ReadAsync(async work => await ReturnRepository.FindAsync(work, caller.Ukprn, month, ct) is null ? null
            : new Found<IReadOnlyList<(long Seq, HistoryEntry Entry)>>(await AuditTrail.ReadReturnAsync(work, caller.Ukprn, month, valid.Value.After, valid.Value.Limit, ct)), ct);
        return valid.Failed ? valid.Error.ToResult()
            : Answers.OkOrNotFound(found, "return", f => Reports.ReturnHistory.Of(month, Cursor.ToPage(f.Value, valid.Value.Limit, valid.Value.After, r => r.Seq, r => r.Entry)));
    }

    private static MonthlyReturnResponse Response(MonthlyReturn r, DateTimeOffset now)
    {
        var month = DateOnly.ParseExact(r.Month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return new MonthlyReturnResponse(r, ReportRules.DueOn(month), ReportRules.Status(month, r.SubmittedAt, now));
    }
}
