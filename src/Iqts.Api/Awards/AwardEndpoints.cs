using System.Security.Claims;
using Iqts.Api.Errors;
using Iqts.Api.Http;
using Iqts.Api.Trainees;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iqts.Api.Awards;

/// <summary>The award check and the award of iQTS to a trainee.</summary>
public static class AwardEndpoints
{
    public static IEndpointRouteBuilder MapAwards(this IEndpointRouteBuilder routes)
    {
        var trainee = routes.MapGroup("/trainees/{traineeId}").WithTags("Awards").RequireAuthorization(Roles.Provider);

        trainee.MapGet("/award-check", Check)
            .WithName("GetAwardCheck")
            .WithSummary("Every award rule evaluated now (status, C1.1–C1.4, C2.2, C2.4, C3.2, C2.5 i, C2.1 v, C3.4), with reasons")
            .ProducesProblems(StatusCodes.Status404NotFound);

        trainee.MapPost("/award", Award)
            .WithName("AwardIqts")
            .WithSummary("Award iQTS: 201 when every rule holds, otherwise 422 listing every unmet rule")
            .WithDescription("The trainee's status becomes awarded, which is terminal: defer, withdraw and reinstate then answer 409, its course, evidence, placements and assessments are final, and only its personal details may still be corrected. Accepts an Idempotency-Key header.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

        trainee.MapGet("/award", Get)
            .WithName("GetTraineeAward")
            .WithSummary("The trainee's award, once awarded (with the TRN and QTS date once the TRA has acknowledged it)")
            .ProducesProblems(StatusCodes.Status404NotFound);

        return routes;
    }

    private static async Task<Results<Ok<AwardCheck>, ProblemHttpResult>> Check(string traineeId, ClaimsPrincipal user, AwardRepository awards, CancellationToken ct)
    {
        var check = Guid.TryParse(traineeId, out var id) ? await awards.CheckAsync(user.ProviderUkprn(), id, ct) : null;
        return check is null ? ApiErrors.NotFound("trainee").ToResult() : TypedResults.Ok(check);
    }

    private static async Task<Results<Created<AwardResponse>, ProblemHttpResult>> Award(
        string traineeId, AwardRequest request, ClaimsPrincipal user, AwardRepository awards, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id))
        {
            return ApiErrors.NotFound("trainee").ToResult();
        }

        if (request.AwardedOn is not { } awardedOn)
        {
            return ApiErrors.Validation("awardedOn", "is required.").ToResult();
        }

        var award = await awards.AwardAsync(user.ProviderUkprn(), id, awardedOn, TraineeEndpoints.Actor(user), ct);
        return award.Failed ? award.Error!.ToResult() : TypedResults.Created($"/api/v1/trainees/{id}/award", new AwardResponse(award.Value));
    }

    private static async Task<Results<Ok<AwardResponse>, ProblemHttpResult>> Get(string traineeId, ClaimsPrincipal user, AwardRepository awards, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id))
        {
            return ApiErrors.NotFound("trainee").ToResult();
        }

        var (found, award) = await awards.ForTraineeAsync(user.ProviderUkprn(), id, ct);
        return !found ? ApiErrors.NotFound("trainee").ToResult() : award is null ? ApiErrors.NotFound("award").ToResult() : TypedResults.Ok(new AwardResponse(award));
    }
}
