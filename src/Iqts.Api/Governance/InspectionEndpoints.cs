namespace Iqts.Api.Governance;

[Tags("Inspections")]
public static class InspectionEndpoints
{
    private const string AnyGovernanceRole = Roles.Dfe + "," + Roles.Provider + "," + Roles.Inspectorate;

    /// <summary>Register an iQTS inspectorate DfE approved, for three years at most (seed 003)</summary>
    [Example("inspectorate", "An inspectorate approved for three years", GovernanceExamples.Inspectorate)]
    [Post("/inspectorates"), Authorize(Policy = Roles.Dfe), EndpointName("CreateInspectorate"), ETag, Problems(400, 409, 413, 415)]
    private static async Task<Results<Created<InspectorateResponse>, ProblemHttpResult>> CreateInspectorate(
        InspectorateDetails request, [AsParameters] Caller caller, CreateInspectorate create, CancellationToken ct) =>
        ETags.Created(caller.Response, await create.RunAsync(request, ct), i => i.RowVersion, i => $"/api/v1/inspectorates/{i.InspectorateId}", i => new InspectorateResponse(i));

    /// <summary>List the inspectorates in change order (cursor pagination)</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="db">The database.</param>
    /// <param name="ct">Cancellation.</param>
    [Get("/inspectorates"), Authorize(Roles = AnyGovernanceRole), EndpointName("ListInspectorates"), Problems(400)]
    private static Task<Results<Ok<Page<InspectorateResponse>>, ProblemHttpResult>> ListInspectorates(int? limit, string? cursor, IDbConnectionFactory db, CancellationToken ct) =>
        Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => InspectorateRepository.ListAsync(work, after, take, ct), ct),
            i => i.ChangeSeq, i => new InspectorateResponse(i));

    /// <summary>Get one inspectorate</summary>
    [Get("/inspectorates/{inspectorateId}"), Authorize(Roles = AnyGovernanceRole), EndpointName("GetInspectorate"), ETag, Problems(404)]
    private static async Task<Results<Ok<InspectorateResponse>, ProblemHttpResult>> GetInspectorate(PathId inspectorateId, [AsParameters] Caller caller,
        IDbConnectionFactory db, CancellationToken ct) =>
        ETags.OkOrNotFound(caller.Response, await db.ReadAsync(work => InspectorateRepository.FindAsync(work, inspectorateId, ct), ct), "inspectorate",
            i => i.RowVersion, i => new InspectorateResponse(i));

    /// <summary>Change an inspectorate's name or DfE's approval of it (JSON merge patch)</summary>
    [Example("renewal", "DfE's approval renewed", GovernanceExamples.InspectoratePatch)]
    [Patch("/inspectorates/{inspectorateId}"), Authorize(Policy = Roles.Dfe), EndpointName("UpdateInspectorate"), ETag, IfMatch]
    [MergePatch(typeof(InspectorateDetails), "InspectoratePatch", "The fields of an inspectorate that PATCH may change (JSON merge patch, RFC 7396).")]
    [Problems(400, 404, 409, 412, 413, 415)]
    private static async Task<Results<Ok<InspectorateResponse>, ProblemHttpResult>> UpdateInspectorate(
        PathId inspectorateId, HttpRequest request, [AsParameters] Caller caller, UpdateInspectorate update, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        var updated = patch.Failed ? patch.Error : await update.RunAsync(inspectorateId, caller.IfMatch, patch.Value, ct);
        return ETags.Ok(caller.Response, updated, i => i.RowVersion, i => new InspectorateResponse(i));
    }

    /// <summary>Book an inspection: DfE allocates a provider's first; the provider books later ones, two terms ahead (seed 003)</summary>
    [Example("booking", "DfE allocates a provider's first inspection", GovernanceExamples.Booking)]
    [Post("/inspections"), Authorize(Roles = Roles.Dfe + "," + Roles.Provider), EndpointName("BookInspection"), ETag, Problems(400, 409, 413, 415, 422)]
    private static async Task<Results<Created<InspectionResponse>, ProblemHttpResult>> BookInspection(
        BookInspectionRequest request, [AsParameters] Caller caller, BookInspection book, CancellationToken ct) =>
        ETags.Created(caller.Response, await book.RunAsync(request, caller.ProviderScope, caller.Actor, ct), i => i.RowVersion,
            i => $"/api/v1/inspections/{i.InspectionId}", i => new InspectionResponse(i));

    /// <summary>List inspections in change order: DfE all (or one provider's), a provider its own, an inspectorate those it carries out</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="ukprn">Only this provider's.</param>
    /// <param name="caller">Who is calling.</param>
    /// <param name="db">The database.</param>
    /// <param name="ct">Cancellation.</param>
    [Get("/inspections"), Authorize(Roles = AnyGovernanceRole), EndpointName("ListInspections"), Problems(400)]
    private static Task<Results<Ok<Page<InspectionResponse>>, ProblemHttpResult>> ListInspections(int? limit, string? cursor, string? ukprn,
        [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => InspectionRepository.ListAsync(work, ScopeOf(caller), ukprn, after, take, ct), ct),
            i => i.ChangeSeq, i => new InspectionResponse(i));

    /// <summary>Get one inspection</summary>
    [Get("/inspections/{inspectionId}"), Authorize(Roles = AnyGovernanceRole), EndpointName("GetInspection"), ETag, Problems(404)]
    private static async Task<Results<Ok<InspectionResponse>, ProblemHttpResult>> GetInspection(PathId inspectionId, [AsParameters] Caller caller,
        IDbConnectionFactory db, CancellationToken ct) =>
        ETags.OkOrNotFound(caller.Response, await db.ReadAsync(work => InspectionRepository.FindAsync(work, inspectionId, ScopeOf(caller), ct), ct), "inspection",
            i => i.RowVersion, i => new InspectionResponse(i));

    /// <summary>Record part of an inspection (JSON merge patch): the inspectorate its notification, dates, school, grades and report; the provider its action plan; DfE its meetings after a grade 4</summary>
    [Example("dates", "The inspectorate notifies the provider of the dates", GovernanceExamples.InspectionDates)]
    [Patch("/inspections/{inspectionId}"), Authorize(Roles = AnyGovernanceRole), EndpointName("UpdateInspection"), ETag, IfMatch]
    [MergePatch(typeof(InspectionDetails), "InspectionPatch", "The fields of an inspection that PATCH may change (JSON merge patch, RFC 7396); each role records its own.")]
    [Problems(400, 404, 409, 412, 413, 415, 422)]
    private static async Task<Results<Ok<InspectionResponse>, ProblemHttpResult>> UpdateInspection(
        PathId inspectionId, HttpRequest request, [AsParameters] Caller caller, UpdateInspection update, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        var updated = patch.Failed ? patch.Error : await update.RunAsync(inspectionId, ScopeOf(caller), caller.Role, caller.IfMatch, patch.Value, caller.Actor, ct);
        return ETags.Ok(caller.Response, updated, i => i.RowVersion, i => new InspectionResponse(i));
    }

    /// <summary>An inspection's history, oldest first: who recorded what, when</summary>
    [Get("/inspections/{inspectionId}/history"), Authorize(Roles = AnyGovernanceRole), EndpointName("GetInspectionHistory"), Problems(404)]
    private static async Task<Results<Ok<RecordHistory>, ProblemHttpResult>> InspectionHistory(PathId inspectionId, [AsParameters] Caller caller,
        IDbConnectionFactory db, CancellationToken ct) =>
        Answers.OkOrNotFound(await db.SnapshotAsync(async work => await InspectionRepository.FindAsync(work, inspectionId, ScopeOf(caller), ct) is { } i
            ? new RecordHistory(await AuditTrail.ReadGovernanceAsync(work, i.Ukprn, Governance.BookInspection.Subject(i.InspectionId), ct))
            : null, ct), "inspection", h => h);

    /// <summary>Every read the inspectorate made of the provider's records during the inspection: who, what, when (the provider and DfE)</summary>
    /// <param name="inspectionId">The inspection.</param>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="caller">Who is calling.</param>
    /// <param name="db">The database.</param>
    /// <param name="ct">Cancellation.</param>
    [Get("/inspections/{inspectionId}/access-log"), Authorize(Roles = Roles.Dfe + "," + Roles.Provider), EndpointName("GetInspectionAccessLog"), Problems(400, 404)]
    private static async Task<Results<Ok<Page<AccessEntry>>, ProblemHttpResult>> AccessLog(PathId inspectionId, int? limit, string? cursor, [AsParameters] Caller caller,
        IDbConnectionFactory db, CancellationToken ct) =>
        await db.ReadAsync(work => InspectionRepository.FindAsync(work, inspectionId, ScopeOf(caller), ct), ct) is null
            ? ApiErrors.NotFound("inspection").ToResult()
            : await Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => InspectionRepository.AccessLogAsync(work, inspectionId, after, take, ct), ct),
                e => e.Seq, e => e.Entry);

    /// <summary>Which inspections the caller sees: a provider its own, an inspectorate those it carries out, DfE all.</summary>
    private static InspectionRepository.Scope ScopeOf(Caller caller) => new(caller.ProviderScope, caller.InspectorateId);
}
