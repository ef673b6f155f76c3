using System.Security.Claims;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Eligibility;
using Iqts.Api.Errors;
using Iqts.Api.Http;
using Iqts.Api.ReferenceData;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Iqts.Api.Trainees;

public static class TraineeEndpoints
{
    /// <summary>What a PATCH refuses by name: every response field that is not one of the details.</summary>
    public static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<TraineeResponse, TraineeDetails>(Json.Options);

    public static IEndpointRouteBuilder MapTrainees(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/trainees").WithTags("Trainees").RequireAuthorization(Roles.Provider);

        group.MapPost("/", Create)
            .WithName("CreateTrainee")
            .ProducesETag()
            .WithSummary("Register an iQTS trainee")
            .WithDescription("Refused with 409 when the providerTraineeId exists (the existing traineeId is in matches) or when the trainee looks like one already registered (same date of birth, last name and academic year, and same first names or email); resend with confirmNotDuplicate=true if it is a different person. 422 when the provider is not approved (provider.not_approved) or has reached its 200-trainee cap for the academic year (provider.trainee_cap_reached). Accepts an Idempotency-Key header.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/", List)
            .WithName("ListTrainees")
            .WithSummary("List the provider's trainees in change order (gap-free cursor pagination)")
            .ProducesProblems(StatusCodes.Status400BadRequest);

        group.MapGet("/{traineeId}", Get)
            .WithName("GetTrainee")
            .ProducesETag()
            .WithSummary("Get one trainee, with its ETag")
            .ProducesProblems(StatusCodes.Status404NotFound);

        group.MapPatch("/{traineeId}", Patch)
            .WithName("UpdateTrainee")
            .ProducesETag()
            .AcceptsIfMatch()
            .WithSummary("Change a trainee (JSON merge patch); If-Match is honoured")
            .AcceptsMergePatch<TraineeDetails>("TraineePatch", "The fields of a trainee that PATCH may change (JSON merge patch, RFC 7396): send only what changes,\n`null` clears an optional field. `providerTraineeId`, `traineeId` and `status` cannot change here.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/{traineeId}/defer", Defer)
            .AsStatusChange("DeferTrainee", "Defer a registered trainee");

        group.MapPost("/{traineeId}/reinstate", Reinstate)
            .AsStatusChange("ReinstateTrainee", "Bring a deferred trainee back to the programme");

        group.MapPost("/{traineeId}/withdraw", Withdraw)
            .AsStatusChange("WithdrawTrainee", "Withdraw a registered or deferred trainee");

        group.MapGet("/{traineeId}/history", History)
            .WithName("GetTraineeHistory")
            .WithSummary("The audit history of a trainee: every change, when, by which token, which fields")
            .ProducesProblems(StatusCodes.Status404NotFound);

        return routes;
    }

    /// <summary>What every status change shares: an ETag out, If-Match in, and the same problem answers.</summary>
    private static RouteHandlerBuilder AsStatusChange(this RouteHandlerBuilder builder, string name, string summary) => builder
        .WithName(name)
        .WithSummary(summary)
        .ProducesETag()
        .AcceptsIfMatch()
        .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed,
            StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

    /// <param name="request">The trainee.</param>
    /// <param name="confirmNotDuplicate">Register even though the trainee looks like one already registered.</param>
    private static async Task<Results<Created<TraineeResponse>, ProblemHttpResult>> Create(
        CreateTraineeRequest request, [FromQuery] bool? confirmNotDuplicate, ClaimsPrincipal user, TraineeRepository trainees,
        ReferenceDataSets reference, TimeProvider time, HttpResponse response, CancellationToken ct)
    {
        var registration = TraineeRules.Register(request, reference, time.Today());
        var created = registration.Failed
            ? registration.Error!
            : await trainees.CreateAsync(user.ProviderUkprn(), registration.Value, confirmNotDuplicate ?? false, Actor(user), ct);
        if (created.Failed)
        {
            return created.Error!.ToResult();
        }

        ETags.Set(response, created.Value.RowVersion);
        return TypedResults.Created($"/api/v1/trainees/{created.Value.TraineeId}", new TraineeResponse(created.Value));
    }

    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="status">Only trainees with this status.</param>
    /// <param name="trainingCountry">Only trainees training in this country (set countries).</param>
    /// <param name="eligibility">Only trainees whose entry criteria (C1.1–C1.4) stand so now.</param>
    /// <param name="updatedSince">Only trainees changed at or after this time (RFC 3339).</param>
    private static async Task<Results<Ok<Page<TraineeResponse>>, ProblemHttpResult>> List(
        int? limit, string? cursor, [EnumQuery(typeof(TraineeStatus))] string? status, string? trainingCountry,
        [EnumQuery(typeof(EligibilityResult))] string? eligibility, DateTimeOffset? updatedSince,
        ClaimsPrincipal user, TraineeRepository trainees, ReferenceDataSets reference, CancellationToken ct)
    {
        var paging = Cursor.Parse(limit, cursor);
        if (paging.Failed)
        {
            return paging.Error!.ToResult();
        }

        var errors = new ValidationErrors();
        var statusFilter = EnumQuery.Parse<TraineeStatus>(errors, "status", status);
        var eligibilityFilter = EnumQuery.Parse<EligibilityResult>(errors, "eligibility", eligibility);
        if (trainingCountry is not null && !reference.Countries.Contains(trainingCountry))
        {
            errors.Add("trainingCountry", "is not a code of the reference set 'countries'.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToError(ApiErrors.QueryValue).ToResult();
        }

        var (take, after) = paging.Value;
        var rows = await trainees.ListAsync(user.ProviderUkprn(), after, take, statusFilter, trainingCountry, eligibilityFilter, updatedSince, ct);
        return TypedResults.Ok(Cursor.ToPage(rows, take, after, r => r.ChangeSeq, r => new TraineeResponse(r)));
    }

    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Get(
        string traineeId, ClaimsPrincipal user, TraineeRepository trainees, HttpResponse response, CancellationToken ct)
    {
        var trainee = Guid.TryParse(traineeId, out var id) ? await trainees.FindAsync(user.ProviderUkprn(), id, ct) : null;
        return trainee is null ? NotFound() : WithETag(response, trainee);
    }

    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Patch(
        string traineeId, HttpRequest request, ClaimsPrincipal user, TraineeRepository trainees, ReferenceDataSets reference,
        TimeProvider time, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        if (patch.Failed)
        {
            return patch.Error!.ToResult();
        }

        return await Change(traineeId, TraineeAction.Updated, request, user, trainees, current =>
            MergePatch.Apply(TraineeRules.PatchTarget(current, reference), patch.Value, Json.Options, Immutable)
                .Then(details => TraineeRules.Correct(current, details, reference, time.Today())), ct);
    }

    private static Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Defer(
        string traineeId, DeferTraineeRequest body, HttpRequest request, ClaimsPrincipal user, TraineeRepository trainees, TimeProvider time, CancellationToken ct) =>
        Change(traineeId, TraineeAction.Deferred, request, user, trainees, current => TraineeRules.Defer(current, body, time.Today()), ct);

    private static Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Reinstate(
        string traineeId, ReinstateTraineeRequest body, HttpRequest request, ClaimsPrincipal user, TraineeRepository trainees, TimeProvider time, CancellationToken ct) =>
        Change(traineeId, TraineeAction.Reinstated, request, user, trainees, current => TraineeRules.Reinstate(current, body, time.Today()), ct);

    private static Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Withdraw(
        string traineeId, WithdrawTraineeRequest body, HttpRequest request, ClaimsPrincipal user, TraineeRepository trainees,
        ReferenceDataSets reference, TimeProvider time, CancellationToken ct) =>
        Change(traineeId, TraineeAction.Withdrawn, request, user, trainees, current => TraineeRules.Withdraw(current, body, time.Today(), reference), ct);

    /// <summary>The shared path of every change: the repository locks the row and checks If-Match, the rule decides.</summary>
    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Change(
        string traineeId, TraineeAction action, HttpRequest request, ClaimsPrincipal user, TraineeRepository trainees,
        Func<Trainee, Outcome<Trainee>> decide, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id))
        {
            return NotFound();
        }

        var changed = await trainees.ChangeAsync(user.ProviderUkprn(), id, ETags.IfMatch(request), Actor(user), action, decide, ct);
        return changed.Failed ? changed.Error!.ToResult() : WithETag(request.HttpContext.Response, changed.Value);
    }

    private static async Task<Results<Ok<TraineeHistory>, ProblemHttpResult>> History(
        string traineeId, ClaimsPrincipal user, TraineeRepository trainees, CancellationToken ct)
    {
        var entries = Guid.TryParse(traineeId, out var id) ? await trainees.HistoryAsync(user.ProviderUkprn(), id, ct) : null;
        return entries is null ? NotFound() : TypedResults.Ok(new TraineeHistory(id.ToString(), entries));
    }

    /// <summary>The same answer for an unknown id and another provider's id, so ids reveal nothing.</summary>
    private static ProblemHttpResult NotFound() => ApiErrors.NotFound("trainee").ToResult();

    private static Ok<TraineeResponse> WithETag(HttpResponse response, Trainee trainee)
    {
        ETags.Set(response, trainee.RowVersion);
        return TypedResults.Ok(new TraineeResponse(trainee));
    }

    public static Actor Actor(ClaimsPrincipal user) => new(user.TokenIdOf(), user.FindFirstValue(IqtsClaims.TokenName) ?? "");
}
