using System.Security.Claims;
using Iqts.Api.Data;
using Iqts.Api.Errors;
using Iqts.Api.Http;
using Iqts.Api.ReferenceData;
using Iqts.Api.Trainees;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iqts.Api.Eligibility;

/// <summary>The entry criteria C1.1–C1.4: a trainee's qualifications and suitability checks, its eligibility, and the same check for applicants.</summary>
public static class EligibilityEndpoints
{
    public static IEndpointRouteBuilder MapEligibility(this IEndpointRouteBuilder routes)
    {
        var trainee = routes.MapGroup("/trainees/{traineeId}").WithTags("Entry criteria").RequireAuthorization(Roles.Provider);

        trainee.MapGet("/qualifications", ListQualifications)
            .WithName("ListQualifications")
            .WithSummary("The trainee's entry qualifications (C1.1–C1.3), oldest first")
            .ProducesProblems(StatusCodes.Status404NotFound);

        trainee.MapPost("/qualifications", AddQualification)
            .WithName("AddQualification")
            .WithSummary("Record an entry qualification: GCSE-standard maths or science, a degree, or English evidence")
            .WithDescription("The trainee's eligibility is evaluated again, and the trainee moves forward in the sync feed. A mistake is corrected by deleting the qualification and adding it again; both are in the trainee's history.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

        trainee.MapGet("/qualifications/{qualificationId}", GetQualification)
            .WithName("GetQualification")
            .WithSummary("One of the trainee's qualifications")
            .ProducesProblems(StatusCodes.Status404NotFound);

        trainee.MapDelete("/qualifications/{qualificationId}", DeleteQualification)
            .WithName("DeleteQualification")
            .WithSummary("Remove a qualification recorded in error (the way a mistake is corrected)")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        trainee.MapGet("/suitability-checks", GetChecks)
            .WithName("GetSuitabilityChecks")
            .ProducesETag()
            .WithSummary("The trainee's suitability and safeguarding checks (C1.4): outcomes and dates")
            .ProducesProblems(StatusCodes.Status404NotFound);

        trainee.MapPut("/suitability-checks", PutChecks)
            .WithName("PutSuitabilityChecks")
            .ProducesETag()
            .AcceptsIfMatch()
            .WithSummary("Replace the trainee's suitability checks (C1.4); If-Match is honoured")
            .WithDescription("Outcomes and dates only: no free-text findings about a person's record or health are stored. A check left out is not recorded yet.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

        trainee.MapGet("/eligibility", GetEligibility)
            .WithName("GetTraineeEligibility")
            .WithSummary("The entry criteria C1.1–C1.4 evaluated now, criterion by criterion, with coded reasons")
            .ProducesProblems(StatusCodes.Status404NotFound);

        routes.MapGroup("/eligibility-checks").WithTags("Entry criteria").RequireAuthorization(Roles.Provider)
            .MapPost("/", CheckApplicant)
            .WithName("CheckEligibility")
            .WithSummary("Evaluate the entry criteria for an applicant not registered yet; nothing is stored")
            .WithMetadata(IdempotencyMiddleware.Exempt)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

        return routes;
    }

    private static async Task<Results<Ok<QualificationList>, ProblemHttpResult>> ListQualifications(
        string traineeId, ClaimsPrincipal user, EligibilityRepository evidence, CancellationToken ct)
    {
        var list = Guid.TryParse(traineeId, out var id) ? await evidence.QualificationsAsync(user.ProviderUkprn(), id, ct) : null;
        return list is null ? TraineeNotFound() : TypedResults.Ok(new QualificationList(list.Select(q => new QualificationResponse(q)).ToList()));
    }

    private static async Task<Results<Created<QualificationResponse>, ProblemHttpResult>> AddQualification(
        string traineeId, QualificationRequest request, ClaimsPrincipal user, EligibilityRepository evidence, ReferenceDataSets reference,
        TimeProvider time, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id))
        {
            return TraineeNotFound();
        }

        var added = await evidence.AddQualificationAsync(user.ProviderUkprn(), id, TraineeEndpoints.Actor(user),
            existing => EligibilityRules.Add(request, existing, reference, time.Today()), ct);
        return added.Failed
            ? added.Error!.ToResult()
            : TypedResults.Created($"/api/v1/trainees/{id}/qualifications/{added.Value.QualificationId}", new QualificationResponse(added.Value));
    }

    private static async Task<Results<Ok<QualificationResponse>, ProblemHttpResult>> GetQualification(
        string traineeId, string qualificationId, ClaimsPrincipal user, EligibilityRepository evidence, CancellationToken ct)
    {
        var found = Guid.TryParse(traineeId, out var id) && Guid.TryParse(qualificationId, out var qid)
            ? await evidence.QualificationAsync(user.ProviderUkprn(), id, qid, ct)
            : null;
        return found is null ? ApiErrors.NotFound("qualification").ToResult() : TypedResults.Ok(new QualificationResponse(found));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteQualification(
        string traineeId, string qualificationId, ClaimsPrincipal user, EligibilityRepository evidence, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id) || !Guid.TryParse(qualificationId, out var qid))
        {
            return ApiErrors.NotFound("qualification").ToResult();
        }

        var removed = await evidence.RemoveQualificationAsync(user.ProviderUkprn(), id, qid, TraineeEndpoints.Actor(user), ct);
        return removed.Failed ? removed.Error!.ToResult() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SuitabilityChecksResponse>, ProblemHttpResult>> GetChecks(
        string traineeId, ClaimsPrincipal user, EligibilityRepository evidence, HttpResponse response, CancellationToken ct)
    {
        var stored = Guid.TryParse(traineeId, out var id) ? await evidence.ChecksAsync(user.ProviderUkprn(), id, ct) : null;
        return stored is null ? TraineeNotFound() : WithETag(response, id, stored);
    }

    private static async Task<Results<Ok<SuitabilityChecksResponse>, ProblemHttpResult>> PutChecks(
        string traineeId, SuitabilityChecks checks, HttpRequest request, ClaimsPrincipal user, EligibilityRepository evidence, TimeProvider time, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id))
        {
            return TraineeNotFound();
        }

        var errors = EligibilityRules.ValidateChecks(checks, time.Today());
        var stored = errors.IsEmpty
            ? await evidence.PutChecksAsync(user.ProviderUkprn(), id, ETags.IfMatch(request), checks, TraineeEndpoints.Actor(user), ct)
            : errors.ToError();
        return stored.Failed ? stored.Error!.ToResult() : WithETag(request.HttpContext.Response, id, stored.Value);
    }

    private static async Task<Results<Ok<EligibilityResponse>, ProblemHttpResult>> GetEligibility(
        string traineeId, ClaimsPrincipal user, EligibilityRepository evidence, CancellationToken ct)
    {
        var eligibility = Guid.TryParse(traineeId, out var id) ? await evidence.EligibilityAsync(user.ProviderUkprn(), id, ct) : null;
        return eligibility is null ? TraineeNotFound() : TypedResults.Ok(eligibility);
    }

    /// <summary>The applicant's evidence is read, judged and forgotten: no row, no idempotency record, no log line holds it.</summary>
    private static Results<Ok<EligibilityResponse>, ProblemHttpResult> CheckApplicant(
        EligibilityCheckRequest request, ReferenceDataSets reference, TimeProvider time)
    {
        var errors = EligibilityRules.ValidateApplicant(request, reference, time.Today());
        if (!errors.IsEmpty)
        {
            return errors.ToError().ToResult();
        }

        var phase = reference.PhaseOf(request.AgeRange) ?? request.AgeRangePhase!.Value;
        var qualifications = (request.Qualifications ?? []).Select((q, i) => ($"qualifications[{i}]", q)).ToList();
        return TypedResults.Ok(EligibilityRules.Evaluate(phase, qualifications, request.SuitabilityChecks ?? new SuitabilityChecks(), reference));
    }

    private static ProblemHttpResult TraineeNotFound() => ApiErrors.NotFound("trainee").ToResult();

    private static Ok<SuitabilityChecksResponse> WithETag(HttpResponse response, Guid traineeId, StoredChecks stored)
    {
        ETags.Set(response, stored.RowVersion);
        return TypedResults.Ok(new SuitabilityChecksResponse(traineeId, stored.Checks, stored.UpdatedAt));
    }
}
