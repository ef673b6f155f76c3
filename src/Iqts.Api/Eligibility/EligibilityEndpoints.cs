using Iqts.Api.ReferenceData;
using Iqts.Api.Trainees;

namespace Iqts.Api.Eligibility;

/// <summary>The entry criteria C1.1–C1.4: a trainee's qualifications and suitability checks, its eligibility, and the same check for applicants.</summary>
[Tags("Entry criteria"), Authorize(Policy = Roles.Provider)]
public static class EligibilityEndpoints
{
    /// <summary>The trainee's entry qualifications (C1.1–C1.3), oldest first</summary>
    [Get("/trainees/{traineeId}/qualifications"), EndpointName("ListQualifications"), Problems(404)]
    private static async Task<Results<Ok<QualificationList>, ProblemHttpResult>> ListQualifications(
        PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Answers.OkOrNotFound(await db.UnderTraineeAsync(caller.Ukprn, traineeId, work => EligibilityRepository.QualificationsAsync(work, caller.Ukprn, traineeId, ct), ct),
            "trainee", found => new QualificationList(found.Value.Select(q => new QualificationResponse(q)).ToList()));

    /// <summary>Record an entry qualification: GCSE-standard maths or science, a degree, or English evidence</summary>
    /// <remarks>The trainee's eligibility is evaluated again, and the trainee moves forward in the sync feed. A mistake is corrected by deleting the qualification and adding it again; both are in the trainee's history.</remarks>
    [Example("gcse_maths", "kind gcse_maths (or gcse_science) needs gcse: here a UK GCSE at grade 5", EligibilityExamples.GcseMaths)]
    [Example("degree", "kind degree needs degree: here a non-UK degree with its UK ENIC statement", EligibilityExamples.Degree)]
    [Example("english_language", "kind english_language needs englishLanguage: here IELTS 7.0", EligibilityExamples.EnglishLanguage)]
    [Post("/trainees/{traineeId}/qualifications"), EndpointName("AddQualification"), Problems(400, 404, 413, 415, 422)]
    private static async Task<Results<Created<QualificationResponse>, ProblemHttpResult>> AddQualification(
        PathId traineeId, QualificationRequest request, [AsParameters] Caller caller, AddQualification add, CancellationToken ct) =>
        Answers.Created(await add.RunAsync(caller.Ukprn, traineeId, request, caller.Actor, ct),
            q => $"/api/v1/trainees/{traineeId}/qualifications/{q.QualificationId}", q => new QualificationResponse(q));

    /// <summary>One of the trainee's qualifications</summary>
    [Get("/trainees/{traineeId}/qualifications/{qualificationId}"), EndpointName("GetQualification"), Problems(404)]
    private static async Task<Results<Ok<QualificationResponse>, ProblemHttpResult>> GetQualification(
        PathId traineeId, PathId qualificationId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Answers.OkOrNotFound(await db.ReadAsync(work => EligibilityRepository.QualificationAsync(work, caller.Ukprn, traineeId, qualificationId, ct), ct),
            "qualification", q => new QualificationResponse(q));

    /// <summary>Remove a qualification recorded in error (the way a mistake is corrected)</summary>
    [Delete("/trainees/{traineeId}/qualifications/{qualificationId}"), EndpointName("DeleteQualification"), Problems(404, 409)]
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteQualification(
        PathId traineeId, PathId qualificationId, [AsParameters] Caller caller, RemoveQualification remove, CancellationToken ct) =>
        Answers.NoContent(await remove.RunAsync(caller.Ukprn, traineeId, qualificationId, caller.Actor, ct));

    /// <summary>The trainee's suitability and safeguarding checks (C1.4): outcomes and dates</summary>
    [Get("/trainees/{traineeId}/suitability-checks"), EndpointName("GetSuitabilityChecks"), ETag, Problems(404)]
    private static async Task<Results<Ok<SuitabilityChecksResponse>, ProblemHttpResult>> GetChecks(
        PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        ETags.OkOrNotFound(caller.Response, await db.UnderTraineeAsync(caller.Ukprn, traineeId, work => EligibilityRepository.ChecksAsync(work, caller.Ukprn, traineeId, ct), ct),
            "trainee", found => found.Value.RowVersion, found => new SuitabilityChecksResponse(traineeId, found.Value.Checks, found.Value.UpdatedAt));

    /// <summary>Replace the trainee's suitability checks (C1.4); If-Match is honoured</summary>
    /// <remarks>Outcomes and dates only: no free-text findings about a person's record or health are stored. A check left out is not recorded yet.</remarks>
    [Example("all_passed", "Every C1.4 check passed", EligibilityExamples.SuitabilityChecks)]
    [Put("/trainees/{traineeId}/suitability-checks"), EndpointName("PutSuitabilityChecks"), ETag, IfMatch, Problems(400, 404, 412, 413, 415)]
    private static async Task<Results<Ok<SuitabilityChecksResponse>, ProblemHttpResult>> PutChecks(
        PathId traineeId, SuitabilityChecks checks, [AsParameters] Caller caller, PutSuitabilityChecks put, CancellationToken ct) =>
        ETags.Ok(caller.Response, await put.RunAsync(caller.Ukprn, traineeId, caller.IfMatch, checks, caller.Actor, ct),
            c => c.RowVersion, c => new SuitabilityChecksResponse(traineeId, c.Checks, c.UpdatedAt));

    /// <summary>The entry criteria C1.1–C1.4 evaluated now, criterion by criterion, with coded reasons</summary>
    [Get("/trainees/{traineeId}/eligibility"), EndpointName("GetTraineeEligibility"), InspectorateReads, Problems(404)]
    private static async Task<Results<Ok<EligibilityResponse>, ProblemHttpResult>> GetEligibility(
        PathId traineeId, [AsParameters] Caller caller, EvaluateEligibility evaluate, CancellationToken ct) =>
        Answers.OkOrNotFound(await evaluate.RunAsync(caller.Ukprn, traineeId, ct), "trainee", e => new EligibilityResponse(e));

    /// <summary>The applicant's evidence is read, judged and forgotten: no row, no idempotency record, no log line holds it.</summary>
    [Example("applicant", "An applicant with two qualifications and one check so far", EligibilityExamples.Applicant)]
    [Post("/eligibility-checks"), EndpointName("CheckEligibility"), IdempotencyExempt, Problems(400, 413, 415)]
    private static Results<Ok<EligibilityResponse>, ProblemHttpResult> CheckApplicant(
        EligibilityCheckRequest request, ReferenceDataSets reference, TimeProvider time)
    {
        var errors = EligibilityRules.ValidateApplicant(request, reference, time.Today());
        if (!errors.IsEmpty)
        {
            return errors.ToError().ToResult();
        }

        var phase = reference.PhaseOf(request.AgeRange) ?? request.AgeRangePhase!.Value;
        var qualifications = request.Qualifications.Select((q, i) => ($"qualifications[{i}]", q)).ToList();
        return TypedResults.Ok(new EligibilityResponse(EligibilityRules.Evaluate(phase, qualifications, request.SuitabilityChecks ?? new SuitabilityChecks(), reference)));
    }
}
