namespace Iqts.Api.Placements;

/// <summary>The provider's school mentors and its one-to-one meetings with them (C2.2 i and iv).</summary>
[Tags("Mentors"), Authorize(Policy = Roles.Provider)]
public static class MentorEndpoints
{
    /// <summary>The provider's mentors in change order (cursor pagination)</summary>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="caller">Who is calling.</param>
    /// <param name="db">The database.</param>
    /// <param name="ct">Cancellation.</param>
    [Get("/mentors"), EndpointName("ListMentors"), Problems(400)]
    private static Task<Results<Ok<Page<SchoolMentorResponse>>, ProblemHttpResult>> ListMentors(int? limit, string? cursor, [AsParameters] Caller caller,
        IDbConnectionFactory db, CancellationToken ct) =>
        Cursor.PageAsync(limit, cursor, (after, take) => db.ReadAsync(work => MentorRepository.ListAsync(work, caller.Ukprn, after, take, ct), ct),
            m => m.ChangeSeq, m => new SchoolMentorResponse(m));

    /// <summary>Record a mentor at one of the provider's schools: the assessment of skills and training needs, pre-training and training (C2.2 i, iv)</summary>
    [Example("mentor", "A mentor assessed and trained before the placement", PlacementExamples.SchoolMentor)]
    [Post("/mentors"), EndpointName("AddMentor"), ETag, Problems(400, 413, 415)]
    private static async Task<Results<Created<SchoolMentorResponse>, ProblemHttpResult>> AddMentor(SchoolMentorDetails request, [AsParameters] Caller caller, AddMentor add,
        CancellationToken ct) =>
        ETags.Created(caller.Response, await add.RunAsync(caller.Ukprn, request, caller.Actor, ct), m => m.RowVersion, m => $"/api/v1/mentors/{m.MentorId}",
            m => new SchoolMentorResponse(m));

    /// <summary>One of the provider's mentors</summary>
    [Get("/mentors/{mentorId}"), EndpointName("GetMentor"), ETag, Problems(404)]
    private static async Task<Results<Ok<SchoolMentorResponse>, ProblemHttpResult>> GetMentor(PathId mentorId, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        ETags.OkOrNotFound(caller.Response, await db.ReadAsync(work => MentorRepository.FindAsync(work, caller.Ukprn, mentorId, ct), ct), "mentor",
            m => m.RowVersion, m => new SchoolMentorResponse(m));

    /// <summary>Change a mentor (JSON merge patch); a changed training date re-reads the award check of the trainees placed with the mentor</summary>
    [Example("trained", "The mandatory training completed", PlacementExamples.SchoolMentorPatch)]
    [Patch("/mentors/{mentorId}"), EndpointName("UpdateMentor"), ETag, IfMatch]
    [MergePatch(typeof(SchoolMentorDetails), "SchoolMentorPatch", "The fields of a mentor that PATCH may change (JSON merge patch, RFC 7396).")]
    [Problems(400, 404, 412, 413, 415)]
    private static async Task<Results<Ok<SchoolMentorResponse>, ProblemHttpResult>> UpdateMentor(PathId mentorId, HttpRequest request, [AsParameters] Caller caller,
        UpdateMentor update, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        var updated = patch.Failed ? patch.Error : await update.RunAsync(caller.Ukprn, mentorId, caller.IfMatch, patch.Value, caller.Actor, ct);
        return ETags.Ok(caller.Response, updated, m => m.RowVersion, m => new SchoolMentorResponse(m));
    }

    /// <summary>A mentor's history, oldest first: its record and its meetings, who recorded what, when</summary>
    [Get("/mentors/{mentorId}/history"), EndpointName("GetMentorHistory"), Problems(404)]
    private static async Task<Results<Ok<RecordHistory>, ProblemHttpResult>> MentorHistory(PathId mentorId, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        Answers.OkOrNotFound(await db.SnapshotAsync(async work => await MentorRepository.FindAsync(work, caller.Ukprn, mentorId, ct) is { } m
            ? new RecordHistory(await AuditTrail.ReadGovernanceAsync(work, caller.Ukprn, Placements.AddMentor.Subject(m.MentorId), ct))
            : null, ct), "mentor", h => h);

    /// <summary>The provider's one-to-one meetings with a mentor, in the order recorded (cursor pagination)</summary>
    /// <param name="mentorId">The mentor.</param>
    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="caller">Who is calling.</param>
    /// <param name="db">The database.</param>
    /// <param name="ct">Cancellation.</param>
    [Get("/mentors/{mentorId}/meetings"), EndpointName("ListMentorMeetings"), Problems(400, 404)]
    private static async Task<Results<Ok<Page<MentorMeeting>>, ProblemHttpResult>> ListMeetings(PathId mentorId, int? limit, string? cursor, [AsParameters] Caller caller,
        IDbConnectionFactory db, CancellationToken ct) =>
        await db.ReadAsync(work => MentorRepository.FindAsync(work, caller.Ukprn, mentorId, ct), ct) is null
            ? ApiErrors.NotFound("mentor").ToResult()
            : await Cursor.PageAsync(limit, cursor,
                (after, take) => db.ReadAsync(work => MentorRepository.MeetingsAsync(work, caller.Ukprn, mentorId, after, take, ct), ct), m => m.ChangeSeq, m => m);

    /// <summary>Record a one-to-one meeting of the provider with the mentor about its trainees' progress (C2.2 iv)</summary>
    [Example("meeting", "A termly progress meeting", PlacementExamples.MentorMeeting)]
    [Post("/mentors/{mentorId}/meetings"), EndpointName("RecordMentorMeeting"), Problems(400, 404, 413, 415)]
    private static async Task<Results<Created<MentorMeeting>, ProblemHttpResult>> RecordMeeting(PathId mentorId, MentorMeetingRequest request, [AsParameters] Caller caller,
        RecordMentorMeeting record, CancellationToken ct) =>
        Answers.Created(await record.RunAsync(caller.Ukprn, mentorId, request, caller.Actor, ct), m => $"/api/v1/mentors/{mentorId}/meetings/{m.MeetingId}", m => m);

    /// <summary>One of the provider's meetings with the mentor</summary>
    [Get("/mentors/{mentorId}/meetings/{meetingId}"), EndpointName("GetMentorMeeting"), Problems(404)]
    private static async Task<Results<Ok<MentorMeeting>, ProblemHttpResult>> GetMeeting(PathId mentorId, PathId meetingId, [AsParameters] Caller caller, IDbConnectionFactory db,
        CancellationToken ct) =>
        Answers.OkOrNotFound(await db.ReadAsync(work => MentorRepository.MeetingAsync(work, caller.Ukprn, mentorId, meetingId, ct), ct), "meeting", m => m);
}
