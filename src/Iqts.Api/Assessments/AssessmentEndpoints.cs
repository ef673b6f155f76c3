using Iqts.Api.Trainees;

namespace Iqts.Api.Assessments;

/// <summary>Assessments against the iQTS Teachers' Standards: append-only, so a PUT, PATCH or DELETE is 405.</summary>
[Tags("Assessments"), Authorize(Policy = Roles.Provider)]
public static class AssessmentEndpoints
{
    /// <summary>The trainee's assessments against the iQTS Teachers' Standards, oldest first, superseded ones included</summary>
    [Get("/trainees/{traineeId}/assessments"), EndpointName("ListAssessments"), InspectorateReads, Problems(404)]
    private static async Task<Results<Ok<AssessmentList>, ProblemHttpResult>> List(PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Answers.OkOrNotFound(await db.UnderTraineeAsync(caller.Ukprn, traineeId, work => AssessmentRepository.AssessmentsAsync(work, caller.Ukprn, traineeId, ct), ct),
            "trainee", found => new AssessmentList(found.Value.Select(a => new AssessmentResponse(a)).ToList()));

    /// <summary>Record an assessment (append-only); a correction names the assessment it supersedes</summary>
    /// <remarks>Assessments are never changed or deleted (C3.4): PUT, PATCH and DELETE answer 405. A correction is a new assessment whose supersedes names the one it replaces; both stay visible, the replaced one with supersededBy.</remarks>
    [Example("final", "A final assessment, every standard met, internally moderated", AssessmentExamples.Final)]
    [Post("/trainees/{traineeId}/assessments"), EndpointName("RecordAssessment"), Problems(400, 404, 409, 413, 415, 422)]
    private static async Task<Results<Created<AssessmentResponse>, ProblemHttpResult>> Record(
        PathId traineeId, AssessmentRequest request, [AsParameters] Caller caller, RecordAssessment record, CancellationToken ct) =>
        Answers.Created(await record.RunAsync(caller.Ukprn, traineeId, request, caller.Actor, ct),
            a => $"/api/v1/trainees/{traineeId}/assessments/{a.AssessmentId}", a => new AssessmentResponse(a));

    /// <summary>One of the trainee's assessments</summary>
    [Get("/trainees/{traineeId}/assessments/{assessmentId}"), EndpointName("GetAssessment"), InspectorateReads, Problems(404)]
    private static async Task<Results<Ok<AssessmentResponse>, ProblemHttpResult>> Get(
        PathId traineeId, PathId assessmentId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct)
    {
        var assessments = await db.ReadAsync(work => AssessmentRepository.AssessmentsAsync(work, caller.Ukprn, traineeId, ct), ct);
        return Answers.OkOrNotFound(assessments.FirstOrDefault(a => a.AssessmentId == assessmentId), "assessment", a => new AssessmentResponse(a));
    }
}
