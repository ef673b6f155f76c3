using Iqts.Api.Trainees;

namespace Iqts.Api.Awards;

/// <summary>The award check and the award of iQTS to a trainee.</summary>
[Tags("Awards"), Authorize(Policy = Roles.Provider)]
public static class AwardEndpoints
{
    /// <summary>Every award rule evaluated now (status, C1.1–C1.4, C2.2, C2.4, C3.2, C2.5 i, C2.1 v, C3.4), with reasons</summary>
    [Get("/trainees/{traineeId}/award-check"), EndpointName("GetAwardCheck"), InspectorateReads, Problems(404)]
    private static async Task<Results<Ok<AwardCheck>, ProblemHttpResult>> Check(PathId traineeId, [AsParameters] Caller caller, CheckAward check, CancellationToken ct) =>
        Answers.OkOrNotFound(await check.RunAsync(caller.Ukprn, traineeId, ct), "trainee", e => new AwardCheck(e));

    /// <summary>Award iQTS: 201 when every rule holds, otherwise 422 listing every unmet rule</summary>
    /// <remarks>The trainee's status becomes awarded, which is terminal: defer, withdraw and reinstate then answer 409, its course, evidence, placements and assessments are final, and only its personal details may still be corrected. Accepts an Idempotency-Key header.</remarks>
    [Example("award", "Awarded on 13 March 2026", """{ "awardedOn": "2026-03-13" }""")]
    [Post("/trainees/{traineeId}/award"), EndpointName("AwardIqts"), Problems(400, 404, 413, 415, 422)]
    private static async Task<Results<Created<AwardResponse>, ProblemHttpResult>> Award(
        PathId traineeId, AwardRequest request, [AsParameters] Caller caller, AwardIqts award, CancellationToken ct) =>
        Answers.Created(request.AwardedOn is { } awardedOn ? await award.RunAsync(caller.Ukprn, traineeId, awardedOn, caller.Actor, ct) : ApiErrors.Validation("awardedOn", "is required."),
            a => $"/api/v1/trainees/{traineeId}/award", a => new AwardResponse(a));

    /// <summary>The trainee's award, once awarded (with the TRN and QTS date once the TRA has acknowledged it)</summary>
    [Get("/trainees/{traineeId}/award"), EndpointName("GetTraineeAward"), Problems(404)]
    private static async Task<Results<Ok<AwardResponse>, ProblemHttpResult>> Get(PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct)
    {
        var found = await db.UnderTraineeAsync(caller.Ukprn, traineeId, work => AwardRepository.ForTraineeAsync(work, caller.Ukprn, traineeId, ct), ct);
        return Answers.OkOrNotFound(found?.Value, found is null ? "trainee" : "award", a => new AwardResponse(a));
    }
}
