using Iqts.Api.Data;
using Iqts.Api.Errors;
using Iqts.Api.Http;
using Iqts.Api.Trainees;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iqts.Api.Awards;

/// <summary>The award check and the award of iQTS to a trainee.</summary>
[Tags("Awards"), Authorize(Policy = Roles.Provider)]
public static class AwardEndpoints
{
    public static IEndpointRouteBuilder MapAwards(this IEndpointRouteBuilder routes) => routes.MapHandlers(typeof(AwardEndpoints));

    [Get("/trainees/{traineeId}/award-check"), EndpointName("GetAwardCheck")]
    [EndpointSummary("Every award rule evaluated now (status, C1.1–C1.4, C2.2, C2.4, C3.2, C2.5 i, C2.1 v, C3.4), with reasons")]
    [Problems(404)]
    private static async Task<Results<Ok<AwardCheck>, ProblemHttpResult>> Check(PathId traineeId, [AsParameters] Caller caller, CheckAward check, CancellationToken ct) =>
        Answers.OkOrNotFound(await check.RunAsync(caller.Ukprn, traineeId, ct), "trainee", e => new AwardCheck(e));

    [Post("/trainees/{traineeId}/award"), EndpointName("AwardIqts")]
    [EndpointSummary("Award iQTS: 201 when every rule holds, otherwise 422 listing every unmet rule")]
    [EndpointDescription("The trainee's status becomes awarded, which is terminal: defer, withdraw and reinstate then answer 409, its course, evidence, placements and assessments are final, and only its personal details may still be corrected. Accepts an Idempotency-Key header.")]
    [Problems(400, 404, 413, 415, 422)]
    private static async Task<Results<Created<AwardResponse>, ProblemHttpResult>> Award(
        PathId traineeId, AwardRequest request, [AsParameters] Caller caller, AwardIqts award, CancellationToken ct) =>
        Answers.Created(request.AwardedOn is { } awardedOn ? await award.RunAsync(caller.Ukprn, traineeId, awardedOn, caller.Actor, ct) : ApiErrors.Validation("awardedOn", "is required."),
            a => $"/api/v1/trainees/{traineeId}/award", a => new AwardResponse(a));

    [Get("/trainees/{traineeId}/award"), EndpointName("GetTraineeAward")]
    [EndpointSummary("The trainee's award, once awarded (with the TRN and QTS date once the TRA has acknowledged it)")]
    [Problems(404)]
    private static async Task<Results<Ok<AwardResponse>, ProblemHttpResult>> Get(PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct)
    {
        var (found, award) = await db.ReadAsync(async work => await TraineeRepository.ExistsAsync(work, caller.Ukprn, traineeId, ct)
            ? (true, await AwardRepository.ForTraineeAsync(work, caller.Ukprn, traineeId, ct)) : (false, (Award?)null), ct);
        return Answers.OkOrNotFound(award, found ? "award" : "trainee", a => new AwardResponse(a));
    }
}
