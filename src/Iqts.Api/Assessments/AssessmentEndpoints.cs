using Iqts.Api.Data;
using Iqts.Api.Http;
using Iqts.Api.Trainees;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iqts.Api.Assessments;

/// <summary>Assessments against the iQTS Teachers' Standards: append-only, so a PUT, PATCH or DELETE is 405.</summary>
[Tags("Assessments"), Authorize(Policy = Roles.Provider)]
public static class AssessmentEndpoints
{
    public static IEndpointRouteBuilder MapAssessments(this IEndpointRouteBuilder routes) => routes.MapHandlers(typeof(AssessmentEndpoints));

    [Get("/trainees/{traineeId}/assessments"), EndpointName("ListAssessments")]
    [EndpointSummary("The trainee's assessments against the iQTS Teachers' Standards, oldest first, superseded ones included")]
    [Problems(404)]
    private static async Task<Results<Ok<AssessmentList>, ProblemHttpResult>> List(PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Answers.OkOrNotFound(await db.ReadAsync(async work => await TraineeRepository.ExistsAsync(work, caller.Ukprn, traineeId, ct)
            ? await AssessmentRepository.AssessmentsAsync(work, caller.Ukprn, traineeId, ct) : null, ct),
            "trainee", list => new AssessmentList(list.Select(a => new AssessmentResponse(a)).ToList()));

    [Post("/trainees/{traineeId}/assessments"), EndpointName("RecordAssessment")]
    [EndpointSummary("Record an assessment (append-only); a correction names the assessment it supersedes")]
    [EndpointDescription("Assessments are never changed or deleted (C3.4): PUT, PATCH and DELETE answer 405. A correction is a new assessment whose supersedes names the one it replaces; both stay visible, the replaced one with supersededBy.")]
    [Problems(400, 404, 409, 413, 415, 422)]
    private static async Task<Results<Created<AssessmentResponse>, ProblemHttpResult>> Record(
        PathId traineeId, AssessmentRequest request, [AsParameters] Caller caller, RecordAssessment record, CancellationToken ct) =>
        Answers.Created(await record.RunAsync(caller.Ukprn, traineeId, request, caller.Actor, ct),
            a => $"/api/v1/trainees/{traineeId}/assessments/{a.AssessmentId}", a => new AssessmentResponse(a));

    [Get("/trainees/{traineeId}/assessments/{assessmentId}"), EndpointName("GetAssessment"), EndpointSummary("One of the trainee's assessments"), Problems(404)]
    private static async Task<Results<Ok<AssessmentResponse>, ProblemHttpResult>> Get(
        PathId traineeId, PathId assessmentId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct)
    {
        var assessments = await db.ReadAsync(work => AssessmentRepository.AssessmentsAsync(work, caller.Ukprn, traineeId, ct), ct);
        return Answers.OkOrNotFound(assessments.FirstOrDefault(a => a.AssessmentId == assessmentId), "assessment", a => new AssessmentResponse(a));
    }
}
