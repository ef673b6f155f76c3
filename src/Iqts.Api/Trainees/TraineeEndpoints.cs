using System.Security.Claims;
using Iqts.Api.Data;
using Iqts.Api.Http;
using Iqts.Api.ReferenceData;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Trainees;

public static class TraineeEndpoints
{
    private static readonly string[] Immutable =
        ["traineeId", "providerTraineeId", "status", "trn", "academicYear", "deferral", "reinstatedOn", "withdrawal", "createdAt", "updatedAt"];

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
            .Accepts<TraineePatch>(MergePatch.MediaType, "application/json")
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
        var errors = TraineeRules.ValidateCreate(request, reference, time.Today());
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var phase = reference.PhaseOf(request.AgeRange) ?? request.AgeRangePhase!.Value;
        var result = await trainees.CreateAsync(user.ProviderUkprn(), request, phase, confirmNotDuplicate ?? false, Actor(user), ct);
        switch (result.Outcome)
        {
            case TraineeOutcome.Done:
                ETags.Set(response, result.Row!.RowVersion);
                return TypedResults.Created($"/api/v1/trainees/{result.Row.Id}", result.Row.ToResponse());
            case TraineeOutcome.AlreadyExists:
                return WithMatches(Problems.Of(StatusCodes.Status409Conflict, ErrorCodes.TraineeExists, "The trainee already exists.",
                    $"providerTraineeId '{request.ProviderTraineeId}' is already registered as trainee {result.Matches![0].TraineeId}; change it with PATCH."), result.Matches);
            case TraineeOutcome.PossibleDuplicates:
                return WithMatches(Problems.Of(StatusCodes.Status409Conflict, ErrorCodes.PossibleDuplicate, "The trainee may already be registered.",
                    "A trainee with the same date of birth and last name, starting in the same academic year, has the same first names or email. " +
                    "If this is a different person, send the request again with ?confirmNotDuplicate=true."), result.Matches!);
            default:
                return ProviderProblem(result.Outcome);
        }
    }

    private static ProblemHttpResult ProviderProblem(TraineeOutcome outcome) => outcome == TraineeOutcome.CapReached
        ? Problems.Of(StatusCodes.Status422UnprocessableEntity, ErrorCodes.TraineeCapReached, "The provider has reached its trainee cap.",
            $"Without DfE's permission a provider may register at most {TraineeRules.TraineeCap} trainees starting in one academic year (1 August–31 July).")
        : Problems.Of(StatusCodes.Status422UnprocessableEntity, ErrorCodes.ProviderNotApproved, "The provider is not approved for iQTS.",
            "Only a provider whose iQTS approval is 'approved' may register trainees; this provider's approval is suspended or withdrawn, or it is not registered.");

    private static ProblemHttpResult WithMatches(ProblemHttpResult problem, IReadOnlyList<DuplicateMatch> matches)
    {
        problem.ProblemDetails.Extensions["matches"] = matches;
        return problem;
    }

    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="status">Only trainees with this status.</param>
    /// <param name="trainingCountry">Only trainees training in this country (set countries).</param>
    /// <param name="updatedSince">Only trainees changed at or after this time (RFC 3339).</param>
    private static async Task<Results<Ok<Page<TraineeResponse>>, ProblemHttpResult>> List(
        int? limit, string? cursor, [EnumQuery(typeof(TraineeStatus))] string? status, string? trainingCountry, DateTimeOffset? updatedSince,
        ClaimsPrincipal user, TraineeRepository trainees, ReferenceDataSets reference, CancellationToken ct)
    {
        var paging = Cursor.Parse(limit, cursor);
        if (paging.Problem is not null)
        {
            return paging.Problem;
        }

        var errors = new ValidationErrors();
        var statusFilter = EnumQuery.Parse<TraineeStatus>(errors, "status", status);
        if (trainingCountry is not null && !reference.Countries.Contains(trainingCountry))
        {
            errors.Add("trainingCountry", "is not a code of the reference set 'countries'.");
        }

        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary(), ErrorCodes.WrongType);
        }

        var (take, after) = paging.Value;
        var rows = await trainees.ListAsync(user.ProviderUkprn(), after, take, statusFilter, trainingCountry, updatedSince, ct);
        return TypedResults.Ok(Cursor.ToPage(rows, take, after, r => r.ChangeSeq, r => r.ToResponse()));
    }

    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Get(
        string traineeId, ClaimsPrincipal user, TraineeRepository trainees, HttpResponse response, CancellationToken ct)
    {
        var row = Guid.TryParse(traineeId, out var id) ? await trainees.FindAsync(user.ProviderUkprn(), id, ct) : null;
        return row is null ? NotFound() : WithETag(response, row);
    }

    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Patch(
        string traineeId, HttpRequest request, ClaimsPrincipal user, TraineeRepository trainees, ReferenceDataSets reference,
        TimeProvider time, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var read = await MergePatch.ReadAsync(request);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        if (MergePatch.RefuseImmutable(read.Value, Immutable) is { } immutable)
        {
            return immutable;
        }

        return await Change(traineeId, "updated", request, user, trainees, current =>
        {
            var merged = MergePatch.Apply(current.ToInput(), read.Value, json);
            if (merged.Problem is not null)
            {
                return merged.Problem;
            }

            var errors = new ValidationErrors();
            TraineeRules.ValidateDetails(errors, merged.Value, reference, time.Today());
            return errors.IsEmpty
                ? current.WithInput(merged.Value, reference.PhaseOf(merged.Value.AgeRange) ?? merged.Value.AgeRangePhase!.Value)
                : Problems.Validation(errors.ToDictionary());
        }, ct);
    }

    private static Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Defer(
        string traineeId, DeferTraineeRequest body, HttpRequest request, ClaimsPrincipal user, TraineeRepository trainees, TimeProvider time, CancellationToken ct) =>
        Change(traineeId, "deferred", request, user, trainees, current =>
        {
            var errors = TraineeRules.ValidateDefer(body, current.StartDate, time.Today());
            return errors.IsEmpty
                ? current with { Status = TraineeRow.Name(TraineeStatus.Deferred), DeferralDate = body.Date, DeferralReason = body.Reason.Trim() }
                : Problems.Validation(errors.ToDictionary());
        }, ct);

    private static Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Reinstate(
        string traineeId, ReinstateTraineeRequest body, HttpRequest request, ClaimsPrincipal user, TraineeRepository trainees, TimeProvider time, CancellationToken ct) =>
        Change(traineeId, "reinstated", request, user, trainees, current =>
        {
            var errors = TraineeRules.ValidateReinstate(body, current.DeferralDate ?? current.StartDate, time.Today());
            return errors.IsEmpty
                ? current with { Status = TraineeRow.Name(TraineeStatus.Registered), ReinstatedOn = body.Date }
                : Problems.Validation(errors.ToDictionary());
        }, ct);

    private static Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Withdraw(
        string traineeId, WithdrawTraineeRequest body, HttpRequest request, ClaimsPrincipal user, TraineeRepository trainees,
        ReferenceDataSets reference, TimeProvider time, CancellationToken ct) =>
        Change(traineeId, "withdrawn", request, user, trainees, current =>
        {
            var errors = TraineeRules.ValidateWithdraw(body, current.StartDate, time.Today(), reference);
            return errors.IsEmpty
                ? current with
                {
                    Status = TraineeRow.Name(TraineeStatus.Withdrawn),
                    WithdrawalDate = body.Date,
                    WithdrawalTrigger = TraineeRow.Name(body.Trigger!.Value),
                    WithdrawalReasons = string.Join(',', body.Reasons),
                    WithdrawalAnotherReason = body.AnotherReason?.Trim(),
                    WithdrawalSafeguardingConcern = body.SafeguardingConcern,
                    WithdrawalSafeguardingDetails = body.SafeguardingConcernDetails?.Trim(),
                }
                : Problems.Validation(errors.ToDictionary());
        }, ct);

    /// <summary>
    /// The shared path of every change: tenancy and existence, If-Match, the allowed status
    /// transition for the action, then the action's own rules, all inside one transaction.
    /// </summary>
    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Change(
        string traineeId, string action, HttpRequest request, ClaimsPrincipal user, TraineeRepository trainees,
        Func<TraineeRow, ChangeDecision> decide, CancellationToken ct)
    {
        if (!Guid.TryParse(traineeId, out var id))
        {
            return NotFound();
        }

        var result = await trainees.ChangeAsync(user.ProviderUkprn(), id, action, Actor(user), current =>
        {
            if (!ETags.IfMatchAllows(request, current.RowVersion))
            {
                return Problems.PreconditionFailed();
            }

            var allowed = TraineeRules.AllowedFrom(action);
            if (!allowed.Contains(current.StatusValue))
            {
                var problem = Problems.Of(StatusCodes.Status409Conflict, ErrorCodes.InvalidTransition, "That status change is not possible.",
                    $"The trainee is {TraineeRow.Name(current.StatusValue)}; it can be {action} only when {string.Join(" or ", allowed.Select(TraineeRow.Name))}.");
                problem.ProblemDetails.Extensions["currentStatus"] = TraineeRow.Name(current.StatusValue);
                return problem;
            }

            return decide(current);
        }, ct);

        return result.Outcome switch
        {
            TraineeOutcome.Done => WithETag(request.HttpContext.Response, result.Row!),
            TraineeOutcome.NotFound => NotFound(),
            TraineeOutcome.Refused => result.Problem!,
            _ => ProviderProblem(result.Outcome),
        };
    }

    private static async Task<Results<Ok<TraineeHistory>, ProblemHttpResult>> History(
        string traineeId, ClaimsPrincipal user, TraineeRepository trainees, CancellationToken ct)
    {
        var entries = Guid.TryParse(traineeId, out var id) ? await trainees.HistoryAsync(user.ProviderUkprn(), id, ct) : null;
        return entries is null ? NotFound() : TypedResults.Ok(new TraineeHistory(id.ToString(), entries));
    }

    /// <summary>The same answer for an unknown id and another provider's id, so ids reveal nothing.</summary>
    private static ProblemHttpResult NotFound() => Problems.NotFound("trainee");

    private static Ok<TraineeResponse> WithETag(HttpResponse response, TraineeRow row)
    {
        ETags.Set(response, row.RowVersion);
        return TypedResults.Ok(row.ToResponse());
    }

    private static Actor Actor(ClaimsPrincipal user) => new(user.TokenIdOf(), user.FindFirstValue(IqtsClaims.TokenName) ?? "");
}
