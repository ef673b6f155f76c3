using Iqts.Api.Trainees;

namespace Iqts.Api.Tra;

/// <summary>The TRA integration as callers see it: what was sent to TRS and how it stands, and the TRA's pull feed of awards.</summary>
[Tags("TRA")]
public static class TraEndpoints
{
    /// <summary>What has been sent to the TRA about the trainee (its TRN request, its route updates) and how each stands</summary>
    /// <remarks>pending messages are retried with a backoff of about three days; a failed one names the TRA's errorCode (e.g. 10047, an unknown training country) and is sent again once fixed (`-- tra retry &lt;submissionId&gt;`).</remarks>
    [Get("/trainees/{traineeId}/tra-submissions"), Authorize(Policy = Roles.Provider), EndpointName("ListTraineeTraSubmissions"), Problems(404)]
    private static async Task<Results<Ok<TraSubmissionList>, ProblemHttpResult>> ForTrainee(
        PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Answers.OkOrNotFound(await db.UnderTraineeAsync(caller.Ukprn, traineeId, work => TraOutbox.ForTraineeAsync(work, caller.Ukprn, traineeId, ct), ct),
            "trainee", found => new TraSubmissionList(found.Value));

    /// <summary>Every provider's messages to the TRA in the order they were written, e.g. ?state=failed</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="state">Only messages in this state.</param>
    [Get("/tra-submissions"), Authorize(Policy = Roles.Dfe), EndpointName("ListTraSubmissions"), Problems(400)]
    private static Task<Results<Ok<Page<TraSubmission>>, ProblemHttpResult>> List(
        int? limit, string? cursor, [EnumQuery(typeof(SubmissionState))] string? state, IDbConnectionFactory db, CancellationToken ct)
    {
        var query = new ValidationErrors();
        var stateFilter = EnumQuery.Parse<SubmissionState>(query, "state", state);
        return Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => TraOutbox.ListAsync(work, stateFilter, after, take, ct), ct),
            m => m.Seq, m => m.ToSubmission(), query);
    }

    /// <summary>The TRA records the award: its TRN and QTS date (idempotent; the provider sees both on the trainee's award)</summary>
    /// <remarks>Repeating it with the same values answers 200 and changes nothing; other values than the first answer 409 award.already_acknowledged, a TRN other than the trainee's 409 award.trn_mismatch.</remarks>
    [Example("acknowledgement", "The TRA recorded the award", """{ "trn": "3000001", "qtsDate": "2026-03-13" }""")]
    [Put("/awards/{awardId}/acknowledgement"), Authorize(Policy = Roles.Tra), EndpointName("AcknowledgeAward"), Problems(400, 404, 409, 413, 415)]
    private static async Task<Results<Ok<AwardRecord>, ProblemHttpResult>> Acknowledge(
        PathId awardId, AcknowledgementRequest request, [AsParameters] Caller caller, AcknowledgeAward acknowledge, CancellationToken ct) =>
        Answers.Ok(await acknowledge.RunAsync(awardId, request, caller.Actor, ct), r => AwardFeed.ToRecord(r.Award, r.Trainee));

    /// <summary>The TRA's pull feed: every provider's awards in change order (gap-free cursor); a provider's token sees its own, in its own order</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="updatedSince">Only awards changed at or after this time (RFC 3339, with its offset: Z or ±hh:mm).</param>
    /// <remarks>An award reappears at its latest when it changes: the TRA's acknowledgement, a corrected name. Keep nextCursor to resume. A provider's cursor is a position among its own changes only: it tells nothing of other providers' awards, and is not valid for another caller.</remarks>
    [Get("/awards"), Authorize(Roles = Roles.Tra + "," + Roles.Provider), EndpointName("ListAwards"), Problems(400)]
    private static Task<Results<Ok<Page<AwardRecord>>, ProblemHttpResult>> Feed(
        int? limit, string? cursor, Timestamp? updatedSince, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => AwardFeed.ListAsync(work, caller.ProviderScope, after, take, updatedSince, ct), ct),
            r => AwardFeed.Position(r, caller.ProviderScope), r => AwardFeed.ToRecord(r.Award, r.Trainee));

    /// <summary>One award with what the TRA records: the person, the training, the award date, the TRN once known</summary>
    [Get("/awards/{awardId}"), Authorize(Roles = Roles.Tra + "," + Roles.Provider), EndpointName("GetAward"), Problems(404)]
    private static async Task<Results<Ok<AwardRecord>, ProblemHttpResult>> Get(PathId awardId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct)
    {
        var found = await db.ReadAsync(work => AwardFeed.FindAsync(work, caller.ProviderScope, awardId, ct), ct);
        return found is { } f ? TypedResults.Ok(AwardFeed.ToRecord(f.Award, f.Trainee)) : ApiErrors.NotFound("award").ToResult();
    }

    /// <summary>TRS's webhooks: trn_request.completed stores the TRN at once, person.deactivated marks the trainee</summary>
    /// <remarks>For TRS alone: no token, the message's RFC 9421 signature is verified against TRS's JWKS (Tra:WebhookJwksUrl). Not in the contract.</remarks>
    [Post("/tra/webhooks"), AllowAnonymous, IdempotencyExempt, ExcludeFromDescription]
    private static async Task<Results<NoContent, ProblemHttpResult>> TraWebhook(HttpRequest request, ReceiveTrsWebhook receive, CancellationToken ct) =>
        Answers.NoContent(await receive.RunAsync(request, ct));
}
