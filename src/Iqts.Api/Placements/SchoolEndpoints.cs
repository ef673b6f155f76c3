
namespace Iqts.Api.Placements;

/// <summary>The provider's placement schools, with their risk assessments (C2.4 v) and partnership agreements (C3.2).</summary>
[Tags("Schools"), Authorize(Policy = Roles.Provider)]
public static class SchoolEndpoints
{
    /// <summary>The provider's placement schools in change order (gap-free cursor pagination)</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="updatedSince">Only schools changed at or after this time (RFC 3339, with its offset: Z or ±hh:mm).</param>
    [Get("/schools"), EndpointName("ListSchools"), Problems(400)]
    private static Task<Results<Ok<Page<SchoolResponse>>, ProblemHttpResult>> ListSchools(
        int? limit, string? cursor, Timestamp? updatedSince, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => SchoolRepository.ListAsync(work, caller.Ukprn, after, take, updatedSince, ct), ct),
            s => s.ChangeSeq, s => new SchoolResponse(s));

    /// <summary>Add a placement school, with its risk assessment (C2.4 v) and partnership agreement (C3.2)</summary>
    [Example("school", "A British international school in Dubai, risk-assessed and in partnership", PlacementExamples.School)]
    [Post("/schools"), EndpointName("CreateSchool"), ETag, Problems(400, 413, 415)]
    private static async Task<Results<Created<SchoolResponse>, ProblemHttpResult>> CreateSchool(
        SchoolDetails request, [AsParameters] Caller caller, CreateSchool create, CancellationToken ct) =>
        ETags.Created(caller.Response, await create.RunAsync(caller.Ukprn, request, ct), s => s.RowVersion, s => $"/api/v1/schools/{s.SchoolId}", s => new SchoolResponse(s));

    /// <summary>One of the provider's placement schools</summary>
    [Get("/schools/{schoolId}"), EndpointName("GetSchool"), ETag, Problems(404)]
    private static async Task<Results<Ok<SchoolResponse>, ProblemHttpResult>> GetSchool(PathId schoolId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        ETags.OkOrNotFound(caller.Response, await db.ReadAsync(work => SchoolRepository.FindAsync(work, caller.Ukprn, schoolId, ct), ct), "school",
            s => s.RowVersion, s => new SchoolResponse(s));

    /// <summary>Change a school: its risk assessment, agreement, or removal (JSON merge patch); If-Match is honoured</summary>
    [Example("city", "A corrected city", PlacementExamples.SchoolPatch)]
    [Patch("/schools/{schoolId}"), EndpointName("UpdateSchool"), ETag, IfMatch]
    [MergePatch(typeof(SchoolDetails), "SchoolPatch", "The fields of a school that PATCH may change (JSON merge patch, RFC 7396); nested objects merge, null clears. Removing a school is a PATCH of removedOn and removalReason.")]
    [Problems(400, 404, 412, 413, 415)]
    private static async Task<Results<Ok<SchoolResponse>, ProblemHttpResult>> PatchSchool(
        PathId schoolId, HttpRequest request, [AsParameters] Caller caller, UpdateSchool update, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        var updated = patch.Failed ? patch.Error : await update.RunAsync(caller.Ukprn, schoolId, caller.IfMatch, patch.Value, ct);
        return ETags.Ok(caller.Response, updated, s => s.RowVersion, s => new SchoolResponse(s));
    }
}
