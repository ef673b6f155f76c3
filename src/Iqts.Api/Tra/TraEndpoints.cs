using System.Security.Claims;
using Iqts.Api.Errors;
using Iqts.Api.Http;
using Iqts.Api.Trainees;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iqts.Api.Tra;

/// <summary>The TRA integration as callers see it: what was sent to TRS and how it stands, and the TRA's pull feed of awards.</summary>
public static class TraEndpoints
{
    public static IEndpointRouteBuilder MapTra(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/trainees/{traineeId}/tra-submissions", ForTrainee)
            .RequireAuthorization(Roles.Provider)
            .WithTags("TRA")
            .WithName("ListTraineeTraSubmissions")
            .WithSummary("What has been sent to the TRA about the trainee (its TRN request, its route updates) and how each stands")
            .WithDescription("pending messages are retried with a backoff of about three days; a failed one names the TRA's errorCode (e.g. 10047, an unknown training country) and is sent again once fixed (`-- tra retry <submissionId>`).")
            .ProducesProblems(StatusCodes.Status404NotFound);

        routes.MapGet("/tra-submissions", List)
            .RequireAuthorization(Roles.Dfe)
            .WithTags("TRA")
            .WithName("ListTraSubmissions")
            .WithSummary("Every provider's messages to the TRA in the order they were written, e.g. ?state=failed")
            .ProducesProblems(StatusCodes.Status400BadRequest);

        var awards = routes.MapGroup("/awards").WithTags("TRA").RequireAuthorization(p => p.RequireRole(Roles.Tra, Roles.Provider));
        awards.MapGet("/", Feed)
            .WithName("ListAwards")
            .WithSummary("The TRA's pull feed: every provider's awards in change order (gap-free cursor); a provider's token sees its own")
            .WithDescription("An award reappears at its latest when it changes: the TRA's acknowledgement, a corrected name. Keep nextCursor to resume.")
            .ProducesProblems(StatusCodes.Status400BadRequest);

        awards.MapGet("/{awardId}", Get)
            .WithName("GetAward")
            .WithSummary("One award with what the TRA records: the person, the training, the award date, the TRN once known")
            .ProducesProblems(StatusCodes.Status404NotFound);

        routes.MapPut("/awards/{awardId}/acknowledgement", Acknowledge)
            .RequireAuthorization(Roles.Tra)
            .WithTags("TRA")
            .WithName("AcknowledgeAward")
            .WithSummary("The TRA records the award: its TRN and QTS date (idempotent; the provider sees both on the trainee's award)")
            .WithDescription("Repeating it with the same values answers 200 and changes nothing; other values than the first answer 409 award.already_acknowledged, a TRN other than the trainee's 409 award.trn_mismatch.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType);

        return routes;
    }

    private static async Task<Results<Ok<TraSubmissionList>, ProblemHttpResult>> ForTrainee(string traineeId, ClaimsPrincipal user, TraOutbox outbox, CancellationToken ct)
    {
        var items = Guid.TryParse(traineeId, out var id) ? await outbox.ForTraineeAsync(user.ProviderUkprn(), id, ct) : null;
        return items is null ? ApiErrors.NotFound("trainee").ToResult() : TypedResults.Ok(new TraSubmissionList(items));
    }

    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="state">Only messages in this state.</param>
    private static async Task<Results<Ok<Page<TraSubmission>>, ProblemHttpResult>> List(
        int? limit, string? cursor, [EnumQuery(typeof(SubmissionState))] string? state, TraOutbox outbox, CancellationToken ct)
    {
        var paging = Cursor.Parse(limit, cursor);
        if (paging.Failed)
        {
            return paging.Error!.ToResult();
        }

        var errors = new ValidationErrors();
        var stateFilter = EnumQuery.Parse<SubmissionState>(errors, "state", state);
        if (!errors.IsEmpty)
        {
            return errors.ToError(ApiErrors.QueryValue).ToResult();
        }

        var (take, after) = paging.Value;
        var rows = await outbox.ListAsync(stateFilter, after, take, ct);
        return TypedResults.Ok(Cursor.ToPage(rows, take, after, r => r.Seq, r => r.ToSubmission()));
    }

    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="updatedSince">Only awards changed at or after this time (RFC 3339).</param>
    private static async Task<Results<Ok<Page<AwardRecord>>, ProblemHttpResult>> Feed(
        int? limit, string? cursor, DateTimeOffset? updatedSince, ClaimsPrincipal user, AwardFeed feed, CancellationToken ct)
    {
        var paging = Cursor.Parse(limit, cursor);
        if (paging.Failed)
        {
            return paging.Error!.ToResult();
        }

        var (take, after) = paging.Value;
        var rows = await feed.ListAsync(ProviderScope(user), after, take, updatedSince, ct);
        return TypedResults.Ok(Cursor.ToPage(rows, take, after, r => r.Award.ChangeSeq, r => AwardFeed.ToRecord(r.Award, r.Trainee)));
    }

    private static async Task<Results<Ok<AwardRecord>, ProblemHttpResult>> Get(string awardId, ClaimsPrincipal user, AwardFeed feed, CancellationToken ct)
    {
        var found = Guid.TryParse(awardId, out var id) ? await feed.FindAsync(ProviderScope(user), id, ct) : null;
        return found is { } f ? TypedResults.Ok(AwardFeed.ToRecord(f.Award, f.Trainee)) : ApiErrors.NotFound("award").ToResult();
    }

    private static async Task<Results<Ok<AwardRecord>, ProblemHttpResult>> Acknowledge(
        string awardId, AcknowledgementRequest request, ClaimsPrincipal user, AwardFeed feed, CancellationToken ct)
    {
        if (!Guid.TryParse(awardId, out var id))
        {
            return ApiErrors.NotFound("award").ToResult();
        }

        var acknowledged = await feed.AcknowledgeAsync(id, request, TraineeEndpoints.Actor(user), ct);
        return acknowledged.Failed ? acknowledged.Error!.ToResult() : TypedResults.Ok(AwardFeed.ToRecord(acknowledged.Value.Award, acknowledged.Value.Trainee));
    }

    /// <summary>A provider's token reads its own awards; the TRA's reads every provider's.</summary>
    private static string? ProviderScope(ClaimsPrincipal user) => user.IsInRole(Roles.Provider) ? user.ProviderUkprn() : null;
}
