using Iqts.Api.Trainees;

namespace Iqts.Api.Placements;

/// <summary>A trainee's placements and placement plan, and their summary against C2.2, C2.4 and C3.2.</summary>
[Tags("Placements"), Authorize(Policy = Roles.Provider)]
public static class PlacementEndpoints
{

    /// <summary>The trainee's placements, in date order</summary>
    [Get("/trainees/{traineeId}/placements"), EndpointName("ListPlacements"), InspectorateReads, Problems(404)]
    private static async Task<Results<Ok<PlacementList>, ProblemHttpResult>> ListPlacements(
        PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Answers.OkOrNotFound(await db.UnderTraineeAsync(caller.Ukprn, traineeId, work => PlacementRepository.PlacementsAsync(work, caller.Ukprn, traineeId, ct), ct),
            "trainee", found => new PlacementList(found.Value.Select(p => new PlacementResponse(p)).ToList()));

    /// <summary>Record a placement in one of the provider's schools, with the mentor (C2.2)</summary>
    /// <remarks>404 when schoolId is not one of the provider's schools; 422 school.not_available when the school was removed or is not risk-assessed as suitable; 409 placement.overlaps when the dates overlap another placement of the trainee.</remarks>
    [Example("placement", "60 days in one of the provider's schools, with a trained mentor", PlacementExamples.Placement)]
    [Post("/trainees/{traineeId}/placements"), EndpointName("AddPlacement"), ETag, Problems(400, 404, 409, 413, 415, 422)]
    private static async Task<Results<Created<PlacementResponse>, ProblemHttpResult>> AddPlacement(
        PathId traineeId, PlacementDetails request, [AsParameters] Caller caller, AddPlacement add, CancellationToken ct) =>
        ETags.Created(caller.Response, await add.RunAsync(caller.Ukprn, traineeId, request, caller.Actor, ct),
            p => p.RowVersion, p => $"/api/v1/trainees/{traineeId}/placements/{p.PlacementId}", p => new PlacementResponse(p));

    /// <summary>One of the trainee's placements</summary>
    [Get("/trainees/{traineeId}/placements/{placementId}"), EndpointName("GetPlacement"), InspectorateReads, ETag, Problems(404)]
    private static async Task<Results<Ok<PlacementResponse>, ProblemHttpResult>> GetPlacement(
        PathId traineeId, PathId placementId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct)
    {
        var placements = await db.ReadAsync(work => PlacementRepository.PlacementsAsync(work, caller.Ukprn, traineeId, ct), ct);
        return ETags.OkOrNotFound(caller.Response, placements.FirstOrDefault(p => p.PlacementId == placementId), "placement",
            p => p.RowVersion, p => new PlacementResponse(p));
    }

    /// <summary>Change a placement (JSON merge patch); If-Match is honoured</summary>
    [Example("days", "A corrected number of days", PlacementExamples.PlacementPatch)]
    [Patch("/trainees/{traineeId}/placements/{placementId}"), EndpointName("UpdatePlacement"), ETag, IfMatch]
    [MergePatch(typeof(PlacementDetails), "PlacementPatch", "The fields of a placement that PATCH may change (JSON merge patch, RFC 7396).")]
    [Problems(400, 404, 409, 412, 413, 415, 422)]
    private static async Task<Results<Ok<PlacementResponse>, ProblemHttpResult>> PatchPlacement(
        PathId traineeId, PathId placementId, HttpRequest request, [AsParameters] Caller caller, UpdatePlacement update, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        var updated = patch.Failed ? patch.Error : await update.RunAsync(caller.Ukprn, traineeId, placementId, caller.IfMatch, patch.Value, caller.Actor, ct);
        return ETags.Ok(caller.Response, updated, p => p.RowVersion, p => new PlacementResponse(p));
    }

    /// <summary>Remove a placement recorded in error</summary>
    [Delete("/trainees/{traineeId}/placements/{placementId}"), EndpointName("DeletePlacement"), IfMatch, Problems(404, 412)]
    private static async Task<Results<NoContent, ProblemHttpResult>> DeletePlacement(
        PathId traineeId, PathId placementId, [AsParameters] Caller caller, RemovePlacement remove, CancellationToken ct) =>
        Answers.NoContent(await remove.RunAsync(caller.Ukprn, traineeId, placementId, caller.IfMatch, caller.Actor, ct));

    /// <summary>The provider's plan for the trainee's training in schools (C2.4 ii–iv)</summary>
    [Get("/trainees/{traineeId}/placement-plan"), EndpointName("GetPlacementPlan"), InspectorateReads, ETag, Problems(404)]
    private static async Task<Results<Ok<PlacementPlanResponse>, ProblemHttpResult>> GetPlan(
        PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct)
    {
        var found = await db.UnderTraineeAsync(caller.Ukprn, traineeId, work => PlacementRepository.PlanAsync(work, caller.Ukprn, traineeId, ct), ct);
        return ETags.OkOrNotFound(caller.Response, found?.Value, found is null ? "trainee" : "placement plan", p => p.RowVersion, p => new PlacementPlanResponse(traineeId, p.Plan, p.UpdatedAt));
    }

    /// <summary>Record the plan: the days the trainee needs and why, and the second school or why not and the alternative</summary>
    [Example("plan", "The standard 120 days, a second school planned", PlacementExamples.Plan)]
    [Put("/trainees/{traineeId}/placement-plan"), EndpointName("PutPlacementPlan"), ETag, IfMatch, Problems(400, 404, 412, 413, 415)]
    private static async Task<Results<Ok<PlacementPlanResponse>, ProblemHttpResult>> PutPlan(
        PathId traineeId, PlacementPlan body, [AsParameters] Caller caller, PutPlacementPlan put, CancellationToken ct) =>
        ETags.Ok(caller.Response, await put.RunAsync(caller.Ukprn, traineeId, caller.IfMatch, body, caller.Actor, ct),
            p => p.RowVersion, p => new PlacementPlanResponse(traineeId, p.Plan, p.UpdatedAt));

    /// <summary>The trainee's training in schools against C2.4 i–v, C2.2 and C3.2, with the day count and the schools</summary>
    [Get("/trainees/{traineeId}/placement-summary"), EndpointName("GetPlacementSummary"), InspectorateReads, Problems(404)]
    private static async Task<Results<Ok<PlacementSummary>, ProblemHttpResult>> GetSummary(
        PathId traineeId, [AsParameters] Caller caller, SummarisePlacements summarise, CancellationToken ct) =>
        Answers.OkOrNotFound(await summarise.RunAsync(caller.Ukprn, traineeId, ct), "trainee", e => new PlacementSummary(e));
}
