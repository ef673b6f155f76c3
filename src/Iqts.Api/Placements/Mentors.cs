using System.Text.Json.Nodes;
using Iqts.Api.Trainees;

namespace Iqts.Api.Placements;

/// <summary><c>POST /mentors</c>: a mentor at one of the provider's schools, with its history entry.</summary>
public sealed class AddMentor(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<SchoolMentor>> RunAsync(string ukprn, SchoolMentorDetails request, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, request, actor, ct), ct);

    public async Task<Outcome<SchoolMentor>> RunAsync(UnitOfWork work, string ukprn, SchoolMentorDetails request, Actor actor, CancellationToken ct)
    {
        var school = request.SchoolId is { } schoolId ? await SchoolRepository.FindAsync(work, ukprn, schoolId, ct) : null;
        var valid = MentorRules.Mentor(request, school, time.Today());
        if (valid.Failed)
        {
            return valid.Error;
        }

        var now = time.UtcNowMicros();
        var mentor = new SchoolMentor(valid.Value)
        {
            MentorId = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(work, MentorRepository.Scope, ct),
        };
        await MentorRepository.InsertAsync(work, mentor, ct);
        await AuditTrail.RecordGovernanceAsync(work, ukprn, Subject(mentor.MentorId), now, mentor.ChangeSeq, actor, AuditActions.MentorAdded,
            AuditTrail.Diff<SchoolMentorDetails>(null, mentor), ct);
        return mentor;
    }

    public static string Subject(Guid id) => $"mentors/{id}";
}

/// <summary>
/// <c>PATCH /mentors/{id}</c>, a JSON merge patch: the same rules as a new one; a patch that changes nothing writes nothing.
/// Its training date is what C2.2 reads for the placements naming it, so each of their trainees' award check is re-read
/// and a trainee whose check changed moves in the sync feed.
/// </summary>
public sealed class UpdateMentor(IDbConnectionFactory db, TraineeChanges changes, TimeProvider time)
{
    private static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<SchoolMentorResponse, SchoolMentorDetails>(Json.Options);

    public Task<Outcome<SchoolMentor>> RunAsync(string ukprn, Guid id, VersionCheck ifMatch, JsonObject patch, Actor actor, CancellationToken ct) => db.WriteAsync(async work =>
    {
        var seq = await ChangeSequence.NextAsync(work, MentorRepository.Scope, ct);
        var found = ifMatch.Check(await MentorRepository.FindAsync(work, ukprn, id, ct, forUpdate: true), "mentor");
        if (found.Failed)
        {
            return found.Error;
        }

        var current = found.Value;
        var applied = MergePatch.Apply<SchoolMentorDetails>(current, patch, Json.Options, Immutable);
        if (!applied.Failed && applied.Value.SchoolId != current.SchoolId && (await PlacementRepository.TraineesOfMentorAsync(work, ukprn, id, ct)).Count > 0)
        {
            // A placement names the mentor at its school; a mentor who moved school is a new record.
            return ApiErrors.Validation("schoolId", "cannot change while a placement names this mentor: record the mentor at the new school as a new mentor.");
        }

        var school = !applied.Failed && applied.Value.SchoolId is { } schoolId ? await SchoolRepository.FindAsync(work, ukprn, schoolId, ct) : null;
        var next = applied.Then(details => MentorRules.Mentor(details, school, time.Today()));
        var changed = next.Failed ? [] : AuditTrail.Diff<SchoolMentorDetails>(current, next.Value);
        if (next.Failed || changed.Count == 0)
        {
            return next.Failed ? next.Error : current;
        }

        var now = time.UtcNowMicros();
        var saved = new SchoolMentor(next.Value) { MentorId = id, Ukprn = ukprn, CreatedAt = current.CreatedAt, UpdatedAt = now, RowVersion = current.RowVersion + 1, ChangeSeq = seq };
        await MentorRepository.UpdateAsync(work, saved, ct);
        await AuditTrail.RecordGovernanceAsync(work, ukprn, AddMentor.Subject(id), now, seq, actor, AuditActions.MentorUpdated, changed, ct);
        await changes.RefreshAllAsync(work, ukprn, await PlacementRepository.TraineesOfMentorAsync(work, ukprn, id, ct), actor, AuditActions.MentorChanged, ct);
        if (changed.Any(c => c.Field is "name" or "trainingCompletedOn"))
        {
            // A placement naming the mentor shows these two: its representation changed, so its ETag and updatedAt must.
            // After the trainees: a placement change locks its trainee, then the placement, and so does this.
            await PlacementRepository.MentorShownChangedAsync(work, ukprn, id, now, ct);
        }

        return (Outcome<SchoolMentor>)saved;
    }, ct);
}

/// <summary>
/// <c>POST /mentors/{id}/meetings</c>: a one-to-one meeting of the provider with the mentor about the trainees named
/// (C2.2 iv), recorded in the mentor's history. Meetings are evidence for C2.2 iv, which is not an award rule, so no
/// trainee moves in the sync feed.
/// </summary>
public sealed class RecordMentorMeeting(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<MentorMeeting>> RunAsync(string ukprn, Guid mentorId, MentorMeetingRequest request, Actor actor, CancellationToken ct) => db.WriteAsync(async work =>
    {
        if (await MentorRepository.FindAsync(work, ukprn, mentorId, ct) is null)
        {
            return ApiErrors.NotFound("mentor");
        }

        var named = (request.TraineeIds ?? []).Take(MentorRules.MaxTraineesPerMeeting).Distinct().ToList();
        var valid = MentorRules.Meeting(request, await TraineeRepository.OfProviderAsync(work, ukprn, named, ct), time.Today());
        if (valid.Failed)
        {
            return valid.Error;
        }

        var now = time.UtcNowMicros();
        var meeting = new MentorMeeting
        {
            MeetingId = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            MentorId = mentorId,
            HeldOn = valid.Value.HeldOn!.Value,
            TraineeIds = valid.Value.TraineeIds!,
            CreatedAt = now,
            ChangeSeq = await ChangeSequence.NextAsync(work, MentorRepository.Scope, ct),
        };
        await MentorRepository.InsertMeetingAsync(work, meeting, ct);
        await AuditTrail.RecordGovernanceAsync(work, ukprn, AddMentor.Subject(mentorId), now, meeting.ChangeSeq, actor, AuditActions.MentorMeetingRecorded,
            AuditTrail.Diff(null, valid.Value, $"meetings[{meeting.MeetingId}]."), ct);
        return (Outcome<MentorMeeting>)meeting;
    }, ct);
}
