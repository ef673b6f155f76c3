
namespace Iqts.Api.Providers;

[Tags("Providers")]
public static class ProviderEndpoints
{
    /// <summary>The provider the calling token belongs to</summary>
    [Get("/providers/me"), Authorize(Policy = Roles.Provider), EndpointName("GetMyProvider"), ETag, Problems(404)]
    private static async Task<Results<Ok<ProviderResponse>, ProblemHttpResult>> GetMine([AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Answer(caller, await db.ReadAsync(work => ProviderRepository.FindAsync(work, caller.Ukprn, ct), ct));

    /// <summary>List providers in change order (cursor pagination)</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="approvalStatus">Only providers with this approval status.</param>
    /// <param name="updatedSince">Only providers changed at or after this time (RFC 3339, with its offset: Z or ±hh:mm).</param>
    /// <param name="db">The database.</param>
    /// <param name="ct">Cancellation.</param>
    [Get("/providers"), Authorize(Policy = Roles.Dfe), EndpointName("ListProviders"), Problems(400)]
    private static Task<Results<Ok<Page<ProviderResponse>>, ProblemHttpResult>> List(
        int? limit, string? cursor, [EnumQuery(typeof(ApprovalStatus))] string? approvalStatus, Timestamp? updatedSince, IDbConnectionFactory db, CancellationToken ct)
    {
        var query = new ValidationErrors();
        var status = EnumQuery.Parse<ApprovalStatus>(query, "approvalStatus", approvalStatus);
        return Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => ProviderRepository.ListAsync(work, after, take, status, updatedSince, ct), ct),
            p => p.ChangeSeq, p => new ProviderResponse(p), query);
    }

    /// <summary>Register an accredited ITT provider for iQTS</summary>
    [Example("provider", "An approved provider, graded 1", ProviderExamples.Create)]
    [Post("/providers"), Authorize(Policy = Roles.Dfe), EndpointName("CreateProvider"), ETag, Problems(400, 409, 413, 415)]
    private static async Task<Results<Created<ProviderResponse>, ProblemHttpResult>> Create(
        CreateProviderRequest request, [AsParameters] Caller caller, RegisterProvider register, CancellationToken ct) =>
        ETags.Created(caller.Response, await register.RunAsync(request, caller.Actor.TokenName, ct), p => p.RowVersion, p => $"/api/v1/providers/{p.Ukprn}", p => new ProviderResponse(p));

    /// <summary>Get one provider</summary>
    [Get("/providers/{ukprn}"), Authorize(Policy = Roles.Dfe), EndpointName("GetProvider"), ETag, Problems(404)]
    private static async Task<Results<Ok<ProviderResponse>, ProblemHttpResult>> Get(string ukprn, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Answer(caller, ProviderRules.IsUkprn(ukprn) ? await db.ReadAsync(work => ProviderRepository.FindAsync(work, ukprn, ct), ct) : null);

    /// <summary>Change a provider's name, approval, inspection or trainee-cap permission (JSON merge patch)</summary>
    [Example("inspection", "A new inspection grade and date", ProviderExamples.Patch)]
    [Patch("/providers/{ukprn}"), Authorize(Policy = Roles.Dfe), EndpointName("UpdateProvider"), ETag, IfMatch]
    [MergePatch(typeof(ProviderDetails), "ProviderPatch", "The fields of a provider that PATCH may change (JSON merge patch, RFC 7396). Send only\nwhat changes; `ukprn` cannot change.")]
    [Problems(400, 404, 412, 413, 415, 422)]
    private static async Task<Results<Ok<ProviderResponse>, ProblemHttpResult>> Patch(
        string ukprn, HttpRequest request, [AsParameters] Caller caller, UpdateProvider update, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        var updated = patch.Failed ? patch.Error : await update.RunAsync(ukprn, caller.IfMatch, patch.Value, ct);
        return ETags.Ok(caller.Response, updated, p => p.RowVersion, p => new ProviderResponse(p));
    }

    /// <summary>Change a provider's iQTS approval, with the step of DfE's process it belongs to, the reason and the date (seed 000)</summary>
    [Example("concern", "A concern raised, to be remedied by a date", ProviderExamples.Concern)]
    [Post("/providers/{ukprn}/approval-history"), Authorize(Policy = Roles.Dfe), EndpointName("ChangeProviderApproval"), ETag, Problems(400, 404, 409, 413, 415)]
    private static async Task<Results<Created<ProviderResponse>, ProblemHttpResult>> ChangeApproval(
        string ukprn, ApprovalChangeRequest request, [AsParameters] Caller caller, ChangeApproval change, CancellationToken ct) =>
        ETags.Created(caller.Response, await change.RunAsync(ukprn, request, caller.Actor, ct), p => p.RowVersion, p => $"/api/v1/providers/{p.Ukprn}/approval-history",
            p => new ProviderResponse(p));

    /// <summary>A provider's approval history, oldest first (DfE; a provider its own)</summary>
    [Get("/providers/{ukprn}/approval-history"), Authorize(Roles = Roles.Dfe + "," + Roles.Provider), EndpointName("GetProviderApprovalHistory"), Problems(404)]
    private static async Task<Results<Ok<ApprovalHistory>, ProblemHttpResult>> ApprovalHistory(string ukprn, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        Answers.OkOrNotFound(!caller.MayRead(ukprn) || !ProviderRules.IsUkprn(ukprn) ? null : await db.SnapshotAsync(async work =>
            await ProviderRepository.FindAsync(work, ukprn, ct) is { } provider
                ? new ApprovalHistory(ukprn, provider.ApprovalStatus!.Value, await ApprovalRepository.HistoryAsync(work, ukprn, ct))
                : null, ct), "provider", h => h);

    private static Results<Ok<ProviderResponse>, ProblemHttpResult> Answer(Caller caller, Provider? provider) =>
        ETags.OkOrNotFound(caller.Response, provider, "provider", p => p.RowVersion, p => new ProviderResponse(p));
}
