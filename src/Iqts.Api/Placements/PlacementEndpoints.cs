using System.Security.Claims;
using Iqts.Api.Data;
using Iqts.Api.Errors;
using Iqts.Api.Http;
using Iqts.Api.ReferenceData;
using Iqts.Api.Trainees;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iqts.Api.Placements;

/// <summary>Placement schools, a trainee's placements and placement plan, and their summary against C2.2, C2.4 and C3.2.</summary>
public static class PlacementEndpoints
{
    public static readonly IReadOnlyList<string> SchoolImmutable = MergePatch.ImmutableFields<SchoolResponse, SchoolDetails>(Json.Options);

    public static readonly IReadOnlyList<string> PlacementImmutable = MergePatch.ImmutableFields<PlacementResponse, PlacementDetails>(Json.Options);

    public static IEndpointRouteBuilder MapPlacements(this IEndpointRouteBuilder routes)
    {
        var schools = routes.MapGroup("/schools").WithTags("Schools").RequireAuthorization(Roles.Provider);

        schools.MapGet("/", ListSchools)
            .WithName("ListSchools")
            .WithSummary("The provider's placement schools in change order (gap-free cursor pagination)")
            .ProducesProblems(StatusCodes.Status400BadRequest);

        schools.MapPost("/", CreateSchool)
            .WithName("CreateSchool")
            .ProducesETag()
            .WithSummary("Add a placement school, with its risk assessment (C2.4 v) and partnership agreement (C3.2)")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

        schools.MapGet("/{schoolId}", GetSchool)
            .WithName("GetSchool")
            .ProducesETag()
            .WithSummary("One of the provider's placement schools")
            .ProducesProblems(StatusCodes.Status404NotFound);

        schools.MapPatch("/{schoolId}", PatchSchool)
            .WithName("UpdateSchool")
            .ProducesETag()
            .AcceptsIfMatch()
            .AcceptsMergePatch<SchoolDetails>("SchoolPatch", "The fields of a school that PATCH may change (JSON merge patch, RFC 7396); nested objects merge, null clears. Removing a school is a PATCH of removedOn and removalReason.")
            .WithSummary("Change a school: its risk assessment, agreement, or removal (JSON merge patch); If-Match is honoured")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

        var trainee = routes.MapGroup("/trainees/{traineeId}").WithTags("Placements").RequireAuthorization(Roles.Provider);

        trainee.MapGet("/placements", ListPlacements)
            .WithName("ListPlacements")
            .WithSummary("The trainee's placements, in date order")
            .ProducesProblems(StatusCodes.Status404NotFound);

        trainee.MapPost("/placements", AddPlacement)
            .WithName("AddPlacement")
            .ProducesETag()
            .WithSummary("Record a placement in one of the provider's schools, with the mentor (C2.2)")
            .WithDescription("404 when schoolId is not one of the provider's schools; 422 school.not_available when the school was removed or is not risk-assessed as suitable; 409 placement.overlaps when the dates overlap another placement of the trainee.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

        trainee.MapGet("/placements/{placementId}", GetPlacement)
            .WithName("GetPlacement")
            .ProducesETag()
            .WithSummary("One of the trainee's placements")
            .ProducesProblems(StatusCodes.Status404NotFound);

        trainee.MapPatch("/placements/{placementId}", PatchPlacement)
            .WithName("UpdatePlacement")
            .ProducesETag()
            .AcceptsIfMatch()
            .AcceptsMergePatch<PlacementDetails>("PlacementPatch", "The fields of a placement that PATCH may change (JSON merge patch, RFC 7396).")
            .WithSummary("Change a placement (JSON merge patch); If-Match is honoured")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

        trainee.MapDelete("/placements/{placementId}", DeletePlacement)
            .WithName("DeletePlacement")
            .AcceptsIfMatch()
            .WithSummary("Remove a placement recorded in error")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed);

        trainee.MapGet("/placement-plan", GetPlan)
            .WithName("GetPlacementPlan")
            .ProducesETag()
            .WithSummary("The provider's plan for the trainee's training in schools (C2.4 ii–iv)")
            .ProducesProblems(StatusCodes.Status404NotFound);

        trainee.MapPut("/placement-plan", PutPlan)
            .WithName("PutPlacementPlan")
            .ProducesETag()
            .AcceptsIfMatch()
            .WithSummary("Record the plan: the days the trainee needs and why, and the second school or why not and the alternative")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

        trainee.MapGet("/placement-summary", GetSummary)
            .WithName("GetPlacementSummary")
            .WithSummary("The trainee's training in schools against C2.4 i–v, C2.2 and C3.2, with the day count and the schools")
            .ProducesProblems(StatusCodes.Status404NotFound);

        return routes;
    }

    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="updatedSince">Only schools changed at or after this time (RFC 3339).</param>
    private static async Task<Results<Ok<Page<SchoolResponse>>, ProblemHttpResult>> ListSchools(
        int? limit, string? cursor, DateTimeOffset? updatedSince, ClaimsPrincipal user, SchoolRepository schools, CancellationToken ct)
    {
        var paging = Cursor.Parse(limit, cursor);
        if (paging.Failed)
        {
            return paging.Error!.ToResult();
        }

        var (take, after) = paging.Value;
        var rows = await schools.ListAsync(user.ProviderUkprn(), after, take, updatedSince, ct);
        return TypedResults.Ok(Cursor.ToPage(rows, take, after, s => s.ChangeSeq, s => new SchoolResponse(s)));
    }

    private static async Task<Results<Created<SchoolResponse>, ProblemHttpResult>> CreateSchool(
        SchoolDetails request, ClaimsPrincipal user, SchoolRepository schools, ReferenceDataSets reference, TimeProvider time, HttpResponse response, CancellationToken ct)
    {
        var valid = PlacementRules.School(request, reference, time.Today());
        if (valid.Failed)
        {
            return valid.Error!.ToResult();
        }

        var school = await schools.CreateAsync(user.ProviderUkprn(), valid.Value, ct);
        ETags.Set(response, school.RowVersion);
        return TypedResults.Created($"/api/v1/schools/{school.SchoolId}", new SchoolResponse(school));
    }

    private static async Task<Results<Ok<SchoolResponse>, ProblemHttpResult>> GetSchool(
        string schoolId, ClaimsPrincipal user, SchoolRepository schools, HttpResponse response, CancellationToken ct)
    {
        var school = Guid.TryParse(schoolId, out var id) ? await schools.FindAsync(user.ProviderUkprn(), id, ct) : null;
        return school is null ? NotFound("school") : WithETag(response, school);
    }

    private static async Task<Results<Ok<SchoolResponse>, ProblemHttpResult>> PatchSchool(
        string schoolId, HttpRequest request, ClaimsPrincipal user, SchoolRepository schools, ReferenceDataSets reference, TimeProvider time, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        if (patch.Failed)
        {
            return patch.Error!.ToResult();
        }

        if (!Guid.TryParse(schoolId, out var id))
        {
            return NotFound("school");
        }

        var changed = await schools.ChangeAsync(user.ProviderUkprn(), id, ETags.IfMatch(request), current =>
            MergePatch.Apply(current.DetailsOnly(), patch.Value, Json.Options, SchoolImmutable)
                .Then(details => PlacementRules.School(details, reference, time.Today()))
                .Then(details => (Outcome<School>)current.WithDetails(details)), ct);
        return changed.Failed ? changed.Error!.ToResult() : WithETag(request.HttpContext.Response, changed.Value);
    }

    private static async Task<Results<Ok<PlacementList>, ProblemHttpResult>> ListPlacements(
        string traineeId, ClaimsPrincipal user, PlacementRepository placements, CancellationToken ct)
    {
        var list = Guid.TryParse(traineeId, out var id) ? await placements.ListAsync(user.ProviderUkprn(), id, ct) : null;
        return list is null ? NotFound("trainee") : TypedResults.Ok(new PlacementList(list.Select(p => new PlacementResponse(p)).ToList()));
    }

    private static async Task<Results<Created<PlacementResponse>, ProblemHttpResult>> AddPlacement(
        string traineeId, PlacementDetails request, ClaimsPrincipal user, PlacementRepository placements, HttpResponse response, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id))
        {
            return NotFound("trainee");
        }

        var added = await placements.AddAsync(user.ProviderUkprn(), id, TraineeEndpoints.Actor(user), Guid.TryParse(request.SchoolId, out var schoolId) ? schoolId : null,
            (trainee, school, others) => PlacementRules.Placement(request, trainee, school, schoolBefore: null, others), ct);
        if (added.Failed)
        {
            return added.Error!.ToResult();
        }

        ETags.Set(response, added.Value.RowVersion);
        return TypedResults.Created($"/api/v1/trainees/{id}/placements/{added.Value.PlacementId}", new PlacementResponse(added.Value));
    }

    private static async Task<Results<Ok<PlacementResponse>, ProblemHttpResult>> GetPlacement(
        string traineeId, string placementId, ClaimsPrincipal user, PlacementRepository placements, HttpResponse response, CancellationToken ct)
    {
        var placement = Guid.TryParse(traineeId, out var id) && Guid.TryParse(placementId, out var pid) ? await placements.FindAsync(user.ProviderUkprn(), id, pid, ct) : null;
        return placement is null ? NotFound("placement") : WithETag(response, placement);
    }

    private static async Task<Results<Ok<PlacementResponse>, ProblemHttpResult>> PatchPlacement(
        string traineeId, string placementId, HttpRequest request, ClaimsPrincipal user, PlacementRepository placements, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        if (patch.Failed)
        {
            return patch.Error!.ToResult();
        }

        if (!Guid.TryParse(traineeId, out var id) || !Guid.TryParse(placementId, out var pid))
        {
            return NotFound("placement");
        }

        var changed = await placements.ChangeAsync(user.ProviderUkprn(), id, pid, ETags.IfMatch(request), TraineeEndpoints.Actor(user), (trainee, current, school, others) =>
            MergePatch.Apply(current.DetailsOnly(), patch.Value, Json.Options, PlacementImmutable)
                .Then(details => PlacementRules.Placement(details, trainee, Guid.TryParse(details.SchoolId, out var sid) ? school(sid) : null,
                    Guid.Parse(current.SchoolId), others)), ct);
        return changed.Failed ? changed.Error!.ToResult() : WithETag(request.HttpContext.Response, changed.Value);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeletePlacement(
        string traineeId, string placementId, HttpRequest request, ClaimsPrincipal user, PlacementRepository placements, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id) || !Guid.TryParse(placementId, out var pid))
        {
            return NotFound("placement");
        }

        var removed = await placements.RemoveAsync(user.ProviderUkprn(), id, pid, ETags.IfMatch(request), TraineeEndpoints.Actor(user), ct);
        return removed.Failed ? removed.Error!.ToResult() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<PlacementPlanResponse>, ProblemHttpResult>> GetPlan(
        string traineeId, ClaimsPrincipal user, PlacementRepository placements, HttpResponse response, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id))
        {
            return NotFound("trainee");
        }

        var (found, plan) = await placements.PlanAsync(user.ProviderUkprn(), id, ct);
        return !found ? NotFound("trainee") : plan is null ? NotFound("placement plan") : WithETag(response, id, plan);
    }

    private static async Task<Results<Ok<PlacementPlanResponse>, ProblemHttpResult>> PutPlan(
        string traineeId, PlacementPlan body, HttpRequest request, ClaimsPrincipal user, PlacementRepository placements, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id))
        {
            return NotFound("trainee");
        }

        var valid = PlacementRules.Plan(body);
        var stored = valid.Failed
            ? valid.Error!
            : await placements.PutPlanAsync(user.ProviderUkprn(), id, ETags.IfMatch(request), valid.Value, TraineeEndpoints.Actor(user), ct);
        return stored.Failed ? stored.Error!.ToResult() : WithETag(request.HttpContext.Response, id, stored.Value);
    }

    private static async Task<Results<Ok<PlacementSummary>, ProblemHttpResult>> GetSummary(
        string traineeId, ClaimsPrincipal user, PlacementRepository placements, CancellationToken ct)
    {
        var summary = Guid.TryParse(traineeId, out var id) ? await placements.SummaryAsync(user.ProviderUkprn(), id, ct) : null;
        return summary is null ? NotFound("trainee") : TypedResults.Ok(summary);
    }

    /// <summary>An unknown id and another provider's answer alike.</summary>
    private static ProblemHttpResult NotFound(string what) => ApiErrors.NotFound(what).ToResult();

    private static Ok<SchoolResponse> WithETag(HttpResponse response, School school)
    {
        ETags.Set(response, school.RowVersion);
        return TypedResults.Ok(new SchoolResponse(school));
    }

    private static Ok<PlacementResponse> WithETag(HttpResponse response, Placement placement)
    {
        ETags.Set(response, placement.RowVersion);
        return TypedResults.Ok(new PlacementResponse(placement));
    }

    private static Ok<PlacementPlanResponse> WithETag(HttpResponse response, Guid traineeId, StoredPlan plan)
    {
        ETags.Set(response, plan.RowVersion);
        return TypedResults.Ok(new PlacementPlanResponse(traineeId, plan.Plan, plan.UpdatedAt));
    }
}
