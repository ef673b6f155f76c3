using System.Security.Claims;
using Iqts.Api.Data;
using Iqts.Api.Errors;
using Iqts.Api.Http;
using Iqts.Api.Trainees;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iqts.Api.Assessments;

/// <summary>Assessments against the iQTS Teachers' Standards: append-only, so a PUT, PATCH or DELETE is 405.</summary>
public static class AssessmentEndpoints
{
    public static IEndpointRouteBuilder MapAssessments(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/trainees/{traineeId}/assessments").WithTags("Assessments").RequireAuthorization(Roles.Provider);

        group.MapGet("/", List)
            .WithName("ListAssessments")
            .WithSummary("The trainee's assessments against the iQTS Teachers' Standards, oldest first, superseded ones included")
            .ProducesProblems(StatusCodes.Status404NotFound);

        group.MapPost("/", Record)
            .WithName("RecordAssessment")
            .WithSummary("Record an assessment (append-only); a correction names the assessment it supersedes")
            .WithDescription("Assessments are never changed or deleted (C3.4): PUT, PATCH and DELETE answer 405. A correction is a new assessment whose supersedes names the one it replaces; both stay visible, the replaced one with supersededBy.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/{assessmentId}", Get)
            .WithName("GetAssessment")
            .WithSummary("One of the trainee's assessments")
            .ProducesProblems(StatusCodes.Status404NotFound);

        return routes;
    }

    private static async Task<Results<Ok<AssessmentList>, ProblemHttpResult>> List(string traineeId, ClaimsPrincipal user, AssessmentRepository assessments, CancellationToken ct)
    {
        var list = Guid.TryParse(traineeId, out var id) ? await assessments.ListAsync(user.ProviderUkprn(), id, ct) : null;
        return list is null ? ApiErrors.NotFound("trainee").ToResult() : TypedResults.Ok(new AssessmentList(list.Select(a => new AssessmentResponse(a)).ToList()));
    }

    private static async Task<Results<Created<AssessmentResponse>, ProblemHttpResult>> Record(
        string traineeId, AssessmentRequest request, ClaimsPrincipal user, AssessmentRepository assessments, TimeProvider time, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id))
        {
            return ApiErrors.NotFound("trainee").ToResult();
        }

        var recorded = await assessments.RecordAsync(user.ProviderUkprn(), id, TraineeEndpoints.Actor(user),
            (trainee, existing) => AssessmentRules.Record(request, trainee, existing, time.Today()), ct);
        return recorded.Failed
            ? recorded.Error!.ToResult()
            : TypedResults.Created($"/api/v1/trainees/{id}/assessments/{recorded.Value.AssessmentId}", new AssessmentResponse(recorded.Value));
    }

    private static async Task<Results<Ok<AssessmentResponse>, ProblemHttpResult>> Get(
        string traineeId, string assessmentId, ClaimsPrincipal user, AssessmentRepository assessments, CancellationToken ct)
    {
        var found = Guid.TryParse(traineeId, out var id) && Guid.TryParse(assessmentId, out var aid) ? await assessments.FindAsync(user.ProviderUkprn(), id, aid, ct) : null;
        return found is null ? ApiErrors.NotFound("assessment").ToResult() : TypedResults.Ok(new AssessmentResponse(found));
    }
}
