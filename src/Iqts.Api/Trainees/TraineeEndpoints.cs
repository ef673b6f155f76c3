using Iqts.Api.ReferenceData;

namespace Iqts.Api.Trainees;

[Tags("Trainees"), Authorize(Policy = Roles.Provider)]
public static class TraineeEndpoints
{
    /// <summary>List the provider's trainees in change order (gap-free cursor pagination)</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="status">Only trainees with this status.</param>
    /// <param name="trainingCountry">Only trainees training in this country (set countries).</param>
    /// <param name="eligibility">Only trainees whose entry criteria (C1.1–C1.4) stand so now.</param>
    /// <param name="updatedSince">Only trainees changed at or after this time (RFC 3339, with its offset: Z or ±hh:mm).</param>
    [Get("/trainees"), EndpointName("ListTrainees"), Problems(400)]
    private static Task<Results<Ok<Page<TraineeResponse>>, ProblemHttpResult>> List(
        int? limit, string? cursor, [EnumQuery(typeof(TraineeStatus))] string? status, string? trainingCountry,
        [EnumQuery(typeof(EligibilityResult))] string? eligibility, Timestamp? updatedSince,
        [AsParameters] Caller caller, IDbConnectionFactory db, ReferenceDataSets reference, CancellationToken ct)
    {
        var query = new ValidationErrors();
        var filter = new TraineeFilter(EnumQuery.Parse<TraineeStatus>(query, "status", status), trainingCountry,
            EnumQuery.Parse<EligibilityResult>(query, "eligibility", eligibility), updatedSince);
        if (trainingCountry is not null && !reference.Countries.Contains(trainingCountry))
        {
            query.Add("trainingCountry", "is not a code of the reference set 'countries'.");
        }

        return Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => TraineeRepository.ListAsync(work, caller.Ukprn, after, take, filter, ct), ct),
            t => t.ChangeSeq, t => new TraineeResponse(t), query);
    }

    /// <summary>Get one trainee, with its ETag</summary>
    [Get("/trainees/{traineeId}"), EndpointName("GetTrainee"), ETag, Problems(404)]
    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Get(PathId traineeId, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct) =>
        ETags.OkOrNotFound(caller.Response, await db.ReadAsync(work => TraineeRepository.FindAsync(work, caller.Ukprn, traineeId, ct), ct), "trainee",
            t => t.RowVersion, t => new TraineeResponse(t));

    /// <summary>Change a trainee (JSON merge patch); If-Match is honoured</summary>
    [Example("correction", "A corrected last name and years of experience", TraineeExamples.Patch)]
    [Patch("/trainees/{traineeId}"), EndpointName("UpdateTrainee"), ETag, IfMatch]
    [MergePatch(typeof(TraineeDetails), "TraineePatch", "The fields of a trainee that PATCH may change (JSON merge patch, RFC 7396): send only what changes,\n`null` clears an optional field. `providerTraineeId`, `traineeId` and `status` cannot change here.")]
    [Problems(400, 404, 412, 413, 415, 422)]
    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Patch(
        PathId traineeId, HttpRequest request, [AsParameters] Caller caller, UpdateTrainee update, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        var updated = patch.Failed ? patch.Error : await update.RunAsync(caller.Ukprn, traineeId, caller.IfMatch, patch.Value, caller.Actor, ct);
        return ETags.Ok(caller.Response, updated, t => t.RowVersion, t => new TraineeResponse(t));
    }

    /// <summary>Defer a registered trainee</summary>
    [Example("deferral", "Deferred from 10 January", TraineeExamples.Defer)]
    [Post("/trainees/{traineeId}/defer"), EndpointName("DeferTrainee"), ETag, IfMatch, Problems(400, 404, 409, 412, 413, 415, 422)]
    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Defer(
        PathId traineeId, DeferTraineeRequest body, [AsParameters] Caller caller, ChangeTraineeStatus change, CancellationToken ct) =>
        Answer(caller, await change.DeferAsync(caller.Ukprn, traineeId, caller.IfMatch, body, caller.Actor, ct));

    /// <summary>Bring a deferred trainee back to the programme</summary>
    [Example("reinstatement", "Back from 2 March", TraineeExamples.Reinstate)]
    [Post("/trainees/{traineeId}/reinstate"), EndpointName("ReinstateTrainee"), ETag, IfMatch, Problems(400, 404, 409, 412, 413, 415, 422)]
    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Reinstate(
        PathId traineeId, ReinstateTraineeRequest body, [AsParameters] Caller caller, ChangeTraineeStatus change, CancellationToken ct) =>
        Answer(caller, await change.ReinstateAsync(caller.Ukprn, traineeId, caller.IfMatch, body, caller.Actor, ct));

    /// <summary>Withdraw a registered or deferred trainee</summary>
    [Example("withdrawal", "The trainee left for a job", TraineeExamples.Withdraw)]
    [Post("/trainees/{traineeId}/withdraw"), EndpointName("WithdrawTrainee"), ETag, IfMatch, Problems(400, 404, 409, 412, 413, 415, 422)]
    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> Withdraw(
        PathId traineeId, WithdrawTraineeRequest body, [AsParameters] Caller caller, ChangeTraineeStatus change, CancellationToken ct) =>
        Answer(caller, await change.WithdrawAsync(caller.Ukprn, traineeId, caller.IfMatch, body, caller.Actor, ct));

    /// <summary>The audit history of a trainee: every change, when, by which token, which fields, oldest first (gap-free cursor)</summary>
    /// <param name="limit">Entries per page, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    [Get("/trainees/{traineeId}/history"), EndpointName("GetTraineeHistory"), InspectorateReads, Problems(400, 404)]
    private static async Task<Results<Ok<TraineeHistory>, ProblemHttpResult>> History(
        PathId traineeId, int? limit, string? cursor, [AsParameters] Caller caller, IDbConnectionFactory db, CancellationToken ct)
    {
        var paging = Cursor.Parse(limit, cursor);
        var found = paging.Failed ? null
            : await db.UnderTraineeAsync(caller.Ukprn, traineeId, work => AuditTrail.ReadAsync(work, caller.Ukprn, traineeId, paging.Value.After, paging.Value.Limit, ct), ct);
        return paging.Failed ? paging.Error.ToResult()
            : Answers.OkOrNotFound(found, "trainee", f => TraineeHistory.Of(traineeId.ToString(), Cursor.ToPage(f.Value, paging.Value.Limit, paging.Value.After, r => r.Seq, r => r.Entry)));
    }

    private static Results<Ok<TraineeResponse>, ProblemHttpResult> Answer(Caller caller, Outcome<Trainee> changed) =>
        ETags.Ok(caller.Response, changed, t => t.RowVersion, t => new TraineeResponse(t));
}
