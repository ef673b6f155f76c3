using Iqts.Api.Data;
using Iqts.Api.Http;
using Iqts.Api.Trainees;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iqts.Api.Placements;

/// <summary>A trainee's placements and placement plan, and their summary against C2.2, C2.4 and C3.2.</summary>
[Tags("Placements"), Authorize(Policy = Roles.Provider)]
public static class PlacementEndpoints
{
    public static IEndpointRouteBuilder MapPlacements(this IEndpointRouteBuilder routes) => routes.MapHandlers(typeof(PlacementEndpoints));


    [Get("/trainees/{traineeId}/placements"), EndpointName("ListPlacements"), EndpointSummary("The trainee's placements, in date order"), Problems(404)]
    private static async Task<Results<Ok<PlacementList>, ProblemHttpResult>> ListPlacements(
        PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Answers.OkOrNotFound(await db.ReadAsync(async work => await TraineeRepository.ExistsAsync(work, caller.Ukprn, traineeId, ct)
            ? await PlacementRepository.PlacementsAsync(work, caller.Ukprn, traineeId, ct) : null, ct),
            "trainee", list => new PlacementList(list.Select(p => new PlacementResponse(p)).ToList()));

    [Post("/trainees/{traineeId}/placements"), EndpointName("AddPlacement"), ETag]
    [EndpointSummary("Record a placement in one of the provider's schools, with the mentor (C2.2)")]
    [EndpointDescription("404 when schoolId is not one of the provider's schools; 422 school.not_available when the school was removed or is not risk-assessed as suitable; 409 placement.overlaps when the dates overlap another placement of the trainee.")]
    [Problems(400, 404, 409, 413, 415, 422)]
    private static async Task<Results<Created<PlacementResponse>, ProblemHttpResult>> AddPlacement(
        PathId traineeId, PlacementDetails request, [AsParameters] Caller caller, AddPlacement add, CancellationToken ct) =>
        ETags.Created(caller.Response, await add.RunAsync(caller.Ukprn, traineeId, request, caller.Actor, ct),
            p => p.RowVersion, p => $"/api/v1/trainees/{traineeId}/placements/{p.PlacementId}", p => new PlacementResponse(p));

    [Get("/trainees/{traineeId}/placements/{placementId}"), EndpointName("GetPlacement"), ETag, EndpointSummary("One of the trainee's placements"), Problems(404)]
    private static async Task<Results<Ok<PlacementResponse>, ProblemHttpResult>> GetPlacement(
        PathId traineeId, PathId placementId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct)
    {
        var placements = await db.ReadAsync(work => PlacementRepository.PlacementsAsync(work, caller.Ukprn, traineeId, ct), ct);
        return ETags.OkOrNotFound(caller.Response, placements.FirstOrDefault(p => p.PlacementId == placementId), "placement",
            p => p.RowVersion, p => new PlacementResponse(p));
    }

    [Patch("/trainees/{traineeId}/placements/{placementId}"), EndpointName("UpdatePlacement"), ETag, IfMatch]
    [MergePatch(typeof(PlacementDetails), "PlacementPatch", "The fields of a placement that PATCH may change (JSON merge patch, RFC 7396).")]
    [EndpointSummary("Change a placement (JSON merge patch); If-Match is honoured"), Problems(400, 404, 409, 412, 413, 415, 422)]
    private static async Task<Results<Ok<PlacementResponse>, ProblemHttpResult>> PatchPlacement(
        PathId traineeId, PathId placementId, HttpRequest request, [AsParameters] Caller caller, UpdatePlacement update, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        var updated = patch.Failed ? patch.Error : await update.RunAsync(caller.Ukprn, traineeId, placementId, caller.IfMatch, patch.Value, caller.Actor, ct);
        return ETags.Ok(caller.Response, updated, p => p.RowVersion, p => new PlacementResponse(p));
    }

    [Delete("/trainees/{traineeId}/placements/{placementId}"), EndpointName("DeletePlacement"), IfMatch, EndpointSummary("Remove a placement recorded in error"), Problems(404, 412)]
    private static async Task<Results<NoContent, ProblemHttpResult>> DeletePlacement(
        PathId traineeId, PathId placementId, [AsParameters] Caller caller, RemovePlacement remove, CancellationToken ct) =>
        Answers.NoContent(await remove.RunAsync(caller.Ukprn, traineeId, placementId, caller.IfMatch, caller.Actor, ct));

    [Get("/trainees/{traineeId}/placement-plan"), EndpointName("GetPlacementPlan"), ETag]
    [EndpointSummary("The provider's plan for the trainee's training in schools (C2.4 ii–iv)")]
    [Problems(404)]
    private static async Task<Results<Ok<PlacementPlanResponse>, ProblemHttpResult>> GetPlan(
        PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct)
    {
        var (found, plan) = await db.ReadAsync(async work => await TraineeRepository.ExistsAsync(work, caller.Ukprn, traineeId, ct)
            ? (true, await PlacementRepository.PlanAsync(work, caller.Ukprn, traineeId, ct)) : (false, (StoredPlan?)null), ct);
        return ETags.OkOrNotFound(caller.Response, plan, found ? "placement plan" : "trainee", p => p.RowVersion, p => new PlacementPlanResponse(traineeId, p.Plan, p.UpdatedAt));
    }

    [Put("/trainees/{traineeId}/placement-plan"), EndpointName("PutPlacementPlan"), ETag, IfMatch]
    [EndpointSummary("Record the plan: the days the trainee needs and why, and the second school or why not and the alternative")]
    [Problems(400, 404, 412, 413, 415)]
    private static async Task<Results<Ok<PlacementPlanResponse>, ProblemHttpResult>> PutPlan(
        PathId traineeId, PlacementPlan body, [AsParameters] Caller caller, PutPlacementPlan put, CancellationToken ct) =>
        ETags.Ok(caller.Response, await put.RunAsync(caller.Ukprn, traineeId, caller.IfMatch, body, caller.Actor, ct),
            p => p.RowVersion, p => new PlacementPlanResponse(traineeId, p.Plan, p.UpdatedAt));

    [Get("/trainees/{traineeId}/placement-summary"), EndpointName("GetPlacementSummary")]
    [EndpointSummary("The trainee's training in schools against C2.4 i–v, C2.2 and C3.2, with the day count and the schools")]
    [Problems(404)]
    private static async Task<Results<Ok<PlacementSummary>, ProblemHttpResult>> GetSummary(
        PathId traineeId, [AsParameters] Caller caller, SummarisePlacements summarise, CancellationToken ct) =>
        Answers.OkOrNotFound(await summarise.RunAsync(caller.Ukprn, traineeId, ct), "trainee", e => new PlacementSummary(e));
}
