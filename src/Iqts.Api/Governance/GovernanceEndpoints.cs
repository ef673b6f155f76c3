using Iqts.Api.Providers;

namespace Iqts.Api.Governance;

[Tags("Governance")]
public static class GovernanceEndpoints
{
    /// <summary>Notify DfE of a change in governance or operational structure (C3.1 iv)</summary>
    [Example("officer", "A new accounting officer", GovernanceExamples.GovernanceChange)]
    [Post("/providers/me/governance-changes"), Authorize(Policy = Roles.Provider), EndpointName("NotifyGovernanceChange"), ETag, Problems(400, 413, 415)]
    private static async Task<Results<Created<GovernanceChange>, ProblemHttpResult>> Notify(
        GovernanceChangeRequest request, [AsParameters] Caller caller, NotifyGovernanceChange notify, CancellationToken ct) =>
        ETags.Created(caller.Response, await notify.RunAsync(caller.Ukprn, request, caller.Actor, ct), c => c.RowVersion,
            c => $"/api/v1/providers/{c.Ukprn}/governance-changes/{c.GovernanceChangeId}", c => c);

    /// <summary>The provider's own governance changes, in change order (cursor pagination)</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="caller">Who is calling.</param>
    /// <param name="db">The database.</param>
    /// <param name="ct">Cancellation.</param>
    [Get("/providers/me/governance-changes"), Authorize(Policy = Roles.Provider), EndpointName("ListMyGovernanceChanges"), Problems(400)]
    private static Task<Results<Ok<Page<GovernanceChange>>, ProblemHttpResult>> ListMine(int? limit, string? cursor, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => GovernanceChangeRepository.ListAsync(work, caller.Ukprn, after, take, ct), ct),
            c => c.ChangeSeq, c => c);

    /// <summary>A provider's governance changes with DfE's responses (DfE; the provider its own; the inspectorate during an inspection, logged)</summary>
    /// <param name="ukprn">The provider.</param>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="caller">Who is calling.</param>
    /// <param name="window">The inspectorate's access.</param>
    /// <param name="db">The database.</param>
    /// <param name="ct">Cancellation.</param>
    [Get("/providers/{ukprn}/governance-changes"), Authorize(Roles = Roles.Dfe + "," + Roles.Provider + "," + Roles.Inspectorate), EndpointName("ListGovernanceChanges")]
    [Problems(400, 404)]
    private static async Task<Results<Ok<Page<GovernanceChange>>, ProblemHttpResult>> List(string ukprn, int? limit, string? cursor, [AsParameters] Caller caller,
        InspectorateWindow window, IDbConnectionFactory db, CancellationToken ct)
    {
        var (visible, inspection) = await VisibleAsync(caller, ukprn, window, db, ct);
        var page = !visible ? ApiErrors.NotFound("provider").ToResult() : await Cursor.PageAsync(limit, cursor,
            (after, take) => db.ReadAsync(work => GovernanceChangeRepository.ListAsync(work, ukprn, after, take, ct), ct), c => c.ChangeSeq, c => c);
        return inspection is not null && page.Result is Ok<Page<GovernanceChange>> ? await Logged(window, inspection, caller, page, ct) : page;
    }

    /// <summary>One governance change with DfE's response (DfE; the provider its own; the inspectorate during an inspection, logged)</summary>
    [Get("/providers/{ukprn}/governance-changes/{governanceChangeId}"), Authorize(Roles = Roles.Dfe + "," + Roles.Provider + "," + Roles.Inspectorate)]
    [EndpointName("GetGovernanceChange"), ETag, Problems(404)]
    private static async Task<Results<Ok<GovernanceChange>, ProblemHttpResult>> Get(string ukprn, PathId governanceChangeId, [AsParameters] Caller caller,
        InspectorateWindow window, IDbConnectionFactory db, CancellationToken ct)
    {
        var (visible, inspection) = await VisibleAsync(caller, ukprn, window, db, ct);
        var change = visible ? await db.ReadAsync(work => GovernanceChangeRepository.FindAsync(work, ukprn, governanceChangeId, ct), ct) : null;
        var answer = ETags.OkOrNotFound(caller.Response, change, "governance change", c => c.RowVersion, c => c);
        return inspection is not null && change is not null ? await Logged(window, inspection, caller, answer, ct) : answer;
    }

    /// <summary>Record or replace DfE's response to a governance change</summary>
    [Example("acknowledged", "DfE acknowledges the change", GovernanceExamples.GovernanceResponse)]
    [Put("/providers/{ukprn}/governance-changes/{governanceChangeId}/response"), Authorize(Policy = Roles.Dfe), EndpointName("AnswerGovernanceChange"), ETag, IfMatch]
    [Problems(400, 404, 412, 413, 415)]
    private static async Task<Results<Ok<GovernanceChange>, ProblemHttpResult>> Answer(string ukprn, PathId governanceChangeId, GovernanceChangeResponseRequest request,
        [AsParameters] Caller caller, AnswerGovernanceChange answer, CancellationToken ct) =>
        ETags.Ok(caller.Response, await answer.RunAsync(ukprn, governanceChangeId, request, caller.IfMatch, caller.Actor, ct), c => c.RowVersion, c => c);

    /// <summary>A governance change's history, oldest first (DfE; the provider its own)</summary>
    [Get("/providers/{ukprn}/governance-changes/{governanceChangeId}/history"), Authorize(Roles = Roles.Dfe + "," + Roles.Provider)]
    [EndpointName("GetGovernanceChangeHistory"), Problems(404)]
    private static async Task<Results<Ok<RecordHistory>, ProblemHttpResult>> History(string ukprn, PathId governanceChangeId, [AsParameters] Caller caller,
        IDbConnectionFactory db, CancellationToken ct) =>
        Answers.OkOrNotFound(!caller.MayRead(ukprn) ? null : await db.SnapshotAsync(async work =>
            await GovernanceChangeRepository.FindAsync(work, ukprn, governanceChangeId, ct) is { } c
                ? new RecordHistory(await AuditTrail.ReadGovernanceAsync(work, ukprn, NotifyGovernanceChange.Subject(c.GovernanceChangeId), ct))
                : null, ct), "governance change", h => h);

    /// <summary>The public register: providers approved for iQTS, with their latest inspection and the next one's term (no token needed)</summary>
    [Get("/public/providers"), AllowAnonymous, EndpointName("GetPublicRegister"), Cacheable]
    private static async Task<Results<Ok<PublicRegister>, StatusCodeHttpResult>> PublicRegister(HttpContext http, ReadPublicRegister read, CancellationToken ct)
    {
        var register = await read.RunAsync(ct);
        var etag = ReadPublicRegister.ETagOf(register);
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "public, max-age=300";
        return http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*"))
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(register);
    }

    /// <summary>
    /// Whether the caller sees the provider's governance records: DfE every provider's, a provider its own, an inspectorate
    /// the provider it is inspecting now (with that inspection, whose access log the read goes into).
    /// </summary>
    public static async Task<(bool Visible, Inspection? Inspection)> VisibleAsync(Caller caller, string ukprn, InspectorateWindow window, IDbConnectionFactory db,
        CancellationToken ct)
    {
        if (caller.InspectorateId is not null)
        {
            var open = await window.OpenAsync(caller, ukprn, ct);
            return (open is not null, open);
        }

        var allowed = ProviderRules.IsUkprn(ukprn) && caller.MayRead(ukprn);
        return (allowed && await db.ReadAsync(work => ProviderRepository.FindAsync(work, ukprn, ct), ct) is not null, null);
    }

    private static async Task<T> Logged<T>(InspectorateWindow window, Inspection inspection, Caller caller, T answer, CancellationToken ct)
    {
        await window.RecordAsync(inspection, caller, ct);
        return answer;
    }
}
