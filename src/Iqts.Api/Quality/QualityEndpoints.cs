namespace Iqts.Api.Quality;

[Tags("Quality assurance"), Authorize(Policy = Roles.Provider)]
public static class QualityEndpoints
{
    /// <summary>List the provider's moderators in change order (cursor pagination)</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="caller">Who is calling.</param>
    /// <param name="db">The database.</param>
    /// <param name="ct">Cancellation.</param>
    [Get("/moderators"), EndpointName("ListModerators"), Problems(400)]
    private static Task<Results<Ok<Page<ModeratorResponse>>, ProblemHttpResult>> ListModerators(int? limit, string? cursor, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => QualityRepository.ModeratorsAsync(work, caller.Ukprn, after, take, ct), ct),
            m => m.ChangeSeq, m => new ModeratorResponse(m));

    /// <summary>Record a moderator: internal (the provider's or a partner school's staff) or external (independent; C3.4, seed 003)</summary>
    [Example("internal", "A moderator from the provider", QualityExamples.Internal)]
    [Example("external", "An external moderator, with the declaration of independence", QualityExamples.External)]
    [Post("/moderators"), EndpointName("AddModerator"), ETag, Problems(400, 413, 415)]
    private static async Task<Results<Created<ModeratorResponse>, ProblemHttpResult>> AddModerator(ModeratorDetails request, [AsParameters] Caller caller, AddModerator add,
        CancellationToken ct) =>
        ETags.Created(caller.Response, await add.RunAsync(caller.Ukprn, request, caller.Actor, ct), m => m.RowVersion, m => $"/api/v1/moderators/{m.ModeratorId}",
            m => new ModeratorResponse(m));

    /// <summary>Get one of the provider's moderators</summary>
    [Get("/moderators/{moderatorId}"), EndpointName("GetModerator"), ETag, Problems(404)]
    private static async Task<Results<Ok<ModeratorResponse>, ProblemHttpResult>> GetModerator(PathId moderatorId, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        ETags.OkOrNotFound(caller.Response, await db.ReadAsync(work => QualityRepository.ModeratorAsync(work, caller.Ukprn, moderatorId, ct), ct), "moderator",
            m => m.RowVersion, m => new ModeratorResponse(m));

    /// <summary>Change a moderator (JSON merge patch)</summary>
    [Example("role", "A new role", QualityExamples.ModeratorPatch)]
    [Patch("/moderators/{moderatorId}"), EndpointName("UpdateModerator"), ETag, IfMatch]
    [MergePatch(typeof(ModeratorDetails), "ModeratorPatch", "The fields of a moderator that PATCH may change (JSON merge patch, RFC 7396).")]
    [Problems(400, 404, 412, 413, 415)]
    private static async Task<Results<Ok<ModeratorResponse>, ProblemHttpResult>> UpdateModerator(PathId moderatorId, HttpRequest request, [AsParameters] Caller caller,
        UpdateModerator update, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        var updated = patch.Failed ? patch.Error : await update.RunAsync(caller.Ukprn, moderatorId, caller.IfMatch, patch.Value, caller.Actor, ct);
        return ETags.Ok(caller.Response, updated, m => m.RowVersion, m => new ModeratorResponse(m));
    }

    /// <summary>A moderator's history, oldest first: who recorded what, when</summary>
    [Get("/moderators/{moderatorId}/history"), EndpointName("GetModeratorHistory"), Problems(404)]
    private static async Task<Results<Ok<RecordHistory>, ProblemHttpResult>> ModeratorHistory(PathId moderatorId, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        Answers.OkOrNotFound(await db.SnapshotAsync(async work => await QualityRepository.ModeratorAsync(work, caller.Ukprn, moderatorId, ct) is { } m
            ? new RecordHistory(await AuditTrail.ReadGovernanceAsync(work, caller.Ukprn, Quality.AddModerator.Subject(m.ModeratorId), ct))
            : null, ct), "moderator", h => h);

    /// <summary>List the provider's evaluations of its training in change order (cursor pagination)</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="caller">Who is calling.</param>
    /// <param name="db">The database.</param>
    /// <param name="ct">Cancellation.</param>
    [Get("/evaluations"), EndpointName("ListEvaluations"), Problems(400)]
    private static Task<Results<Ok<Page<TrainingEvaluation>>, ProblemHttpResult>> ListEvaluations(int? limit, string? cursor, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => QualityRepository.EvaluationsAsync(work, caller.Ukprn, after, take, ct), ct),
            e => e.ChangeSeq, e => e);

    /// <summary>Record what the provider learnt about its training from one source, and the actions it took (C3.4)</summary>
    [Example("trainees", "Trainees' evaluation of a term", QualityExamples.Evaluation)]
    [Post("/evaluations"), EndpointName("RecordEvaluation"), ETag, Problems(400, 413, 415)]
    private static async Task<Results<Created<TrainingEvaluation>, ProblemHttpResult>> RecordEvaluation(EvaluationRequest request, [AsParameters] Caller caller,
        RecordEvaluation record, CancellationToken ct) =>
        ETags.Created(caller.Response, await record.RunAsync(caller.Ukprn, request, caller.Actor, ct), e => e.RowVersion, e => $"/api/v1/evaluations/{e.EvaluationId}", e => e);

    /// <summary>Get one of the provider's evaluations</summary>
    [Get("/evaluations/{evaluationId}"), EndpointName("GetEvaluation"), ETag, Problems(404)]
    private static async Task<Results<Ok<TrainingEvaluation>, ProblemHttpResult>> GetEvaluation(PathId evaluationId, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        ETags.OkOrNotFound(caller.Response, await db.ReadAsync(work => QualityRepository.EvaluationAsync(work, caller.Ukprn, evaluationId, ct), ct), "evaluation",
            e => e.RowVersion, e => e);

    /// <summary>An evaluation's history: who recorded it, when</summary>
    [Get("/evaluations/{evaluationId}/history"), EndpointName("GetEvaluationHistory"), Problems(404)]
    private static async Task<Results<Ok<RecordHistory>, ProblemHttpResult>> EvaluationHistory(PathId evaluationId, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        Answers.OkOrNotFound(await db.SnapshotAsync(async work => await QualityRepository.EvaluationAsync(work, caller.Ukprn, evaluationId, ct) is { } e
            ? new RecordHistory(await AuditTrail.ReadGovernanceAsync(work, caller.Ukprn, Quality.RecordEvaluation.Subject(e.EvaluationId), ct))
            : null, ct), "evaluation", h => h);

    /// <summary>List the provider's moderation exercises in change order (cursor pagination)</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="caller">Who is calling.</param>
    /// <param name="db">The database.</param>
    /// <param name="ct">Cancellation.</param>
    [Get("/moderations"), EndpointName("ListModerations"), Problems(400)]
    private static Task<Results<Ok<Page<ModerationExerciseResponse>>, ProblemHttpResult>> ListModerations(int? limit, string? cursor, [AsParameters] Caller caller,
        IDbConnectionFactory db, CancellationToken ct) =>
        Cursor.PageAsync(limit, cursor, (after, take) => db.SnapshotAsync(work => ModerationRepository.ListAsync(work, caller.Ukprn, after, take, ct), ct),
            m => m.ChangeSeq, m => new ModerationExerciseResponse(m));

    /// <summary>
    /// Record a moderation exercise: its moderators, the sample and why each trainee is in it, the outcome for each sampled
    /// assessment; an external one with its report and the provider's response (C3.4, seed 003)
    /// </summary>
    [Example("internal", "An internal exercise by the provider and a school", QualityExamples.InternalModeration)]
    [Post("/moderations"), EndpointName("RecordModeration"), ETag, Problems(400, 413, 415, 422)]
    private static async Task<Results<Created<ModerationExerciseResponse>, ProblemHttpResult>> RecordModeration(ModerationExerciseDetails request, [AsParameters] Caller caller,
        RecordModeration record, CancellationToken ct) =>
        ETags.Created(caller.Response, await record.RunAsync(caller.Ukprn, request, caller.Actor, ct), m => m.RowVersion, m => $"/api/v1/moderations/{m.ModerationId}",
            m => new ModerationExerciseResponse(m));

    /// <summary>Get one of the provider's moderation exercises</summary>
    [Get("/moderations/{moderationId}"), EndpointName("GetModeration"), ETag, Problems(404)]
    private static async Task<Results<Ok<ModerationExerciseResponse>, ProblemHttpResult>> GetModeration(PathId moderationId, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        ETags.OkOrNotFound(caller.Response, await db.SnapshotAsync(work => ModerationRepository.FindAsync(work, caller.Ukprn, moderationId, ct), ct), "moderation",
            m => m.RowVersion, m => new ModerationExerciseResponse(m));

    /// <summary>Change a moderation exercise (JSON merge patch): typically the external moderator's report and the provider's response</summary>
    [Example("report", "The external moderator's report and the provider's response", QualityExamples.ModerationReport)]
    [Patch("/moderations/{moderationId}"), EndpointName("UpdateModeration"), ETag, IfMatch]
    [MergePatch(typeof(ModerationExerciseDetails), "ModerationExercisePatch", "The fields of a moderation exercise that PATCH may change (JSON merge patch, RFC 7396; an array is replaced whole).")]
    [Problems(400, 404, 412, 413, 415, 422)]
    private static async Task<Results<Ok<ModerationExerciseResponse>, ProblemHttpResult>> UpdateModeration(PathId moderationId, HttpRequest request, [AsParameters] Caller caller,
        UpdateModeration update, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        var updated = patch.Failed ? patch.Error : await update.RunAsync(caller.Ukprn, moderationId, caller.IfMatch, patch.Value, caller.Actor, ct);
        return ETags.Ok(caller.Response, updated, m => m.RowVersion, m => new ModerationExerciseResponse(m));
    }

    /// <summary>A moderation exercise's history, oldest first: who recorded what, when</summary>
    [Get("/moderations/{moderationId}/history"), EndpointName("GetModerationHistory"), Problems(404)]
    private static async Task<Results<Ok<RecordHistory>, ProblemHttpResult>> ModerationHistory(PathId moderationId, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        Answers.OkOrNotFound(await db.SnapshotAsync(async work => await ModerationRepository.FindAsync(work, caller.Ukprn, moderationId, ct) is { } m
            ? new RecordHistory(await AuditTrail.ReadGovernanceAsync(work, caller.Ukprn, Quality.RecordModeration.Subject(m.ModerationId), ct))
            : null, ct), "moderation", h => h);
}
