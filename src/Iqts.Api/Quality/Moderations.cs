using System.Text.Json.Nodes;
using Iqts.Api.Assessments;
using Iqts.Api.Trainees;

namespace Iqts.Api.Quality;

/// <summary>
/// What a moderation exercise's writes share: the provider's records it names, read for the rules. Afterwards each write
/// refreshes the award check of every trainee it samples (or sampled, before a PATCH), which moves a trainee in the sync
/// feed only if it changed.
/// </summary>
public sealed class ModerationWrite(TimeProvider time)
{
    public async Task<Outcome<ModerationExerciseDetails>> CheckAsync(UnitOfWork work, string ukprn, ModerationExerciseDetails request, Guid self, CancellationToken ct)
    {
        // A body may send null for a list; it is then an empty one, which the rules refuse by name.
        request = request with { ModeratorIds = (IReadOnlyList<Guid>?)request.ModeratorIds ?? [], Sample = (IReadOnlyList<SampledTrainee>?)request.Sample ?? [] };
        var moderatorIds = request.ModeratorIds.Take(ModerationRules.MaxModerators).Distinct().ToList();
        var traineeIds = request.Sample.Take(ModerationRules.MaxSample).Select(s => s?.TraineeId).OfType<Guid>().Distinct().ToList();
        var heldOn = request.HeldOn ?? time.Today();
        var context = new ModerationContext(
            await QualityRepository.ModeratorsByIdAsync(work, ukprn, moderatorIds, ct),
            await AssessmentRepository.AssessmentsOfTraineesAsync(work, ukprn, traineeIds, ct),
            await TraineeRepository.OfProviderAsync(work, ukprn, traineeIds, ct),
            request.Kind == ModeratorKind.External
                ? await ModerationRepository.InternalSamplesAsync(work, ukprn, heldOn.AddDays(-(int)ModerationRules.LookBack.TotalDays), heldOn, self, ct)
                : []);
        return ModerationRules.Exercise(request, context, time.Today());
    }
}

/// <summary><c>POST /moderations</c>: an exercise checked against the provider's moderators, trainees and assessments, with its history entry.</summary>
public sealed class RecordModeration(IDbConnectionFactory db, ModerationWrite write, TraineeChanges changes, TimeProvider time)
{
    public Task<Outcome<ModerationExercise>> RunAsync(string ukprn, ModerationExerciseDetails request, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, request, actor, ct), ct);

    public async Task<Outcome<ModerationExercise>> RunAsync(UnitOfWork work, string ukprn, ModerationExerciseDetails request, Actor actor, CancellationToken ct)
    {
        var valid = await write.CheckAsync(work, ukprn, request, Guid.Empty, ct);
        if (valid.Failed)
        {
            return valid.Error;
        }

        var now = time.UtcNowMicros();
        var exercise = new ModerationExercise(valid.Value)
        {
            ModerationId = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(work, ModerationRepository.Scope, ct),
        };
        await ModerationRepository.InsertAsync(work, exercise, ct);
        await AuditTrail.RecordGovernanceAsync(work, ukprn, Subject(exercise.ModerationId), now, exercise.ChangeSeq, actor, AuditActions.ModerationRecorded,
            AuditTrail.Diff<ModerationExerciseDetails>(null, exercise), ct);
        await changes.RefreshAllAsync(work, ukprn, exercise.Sample.Select(s => s.TraineeId!.Value), actor, AuditActions.ModerationCovered, ct);
        return exercise;
    }

    public static string Subject(Guid id) => $"moderations/{id}";
}

/// <summary>
/// <c>PATCH /moderations/{id}</c>, a JSON merge patch (the report and the provider's response, typically): the same
/// rules as a new exercise; a patch that changes nothing writes nothing.
/// </summary>
public sealed class UpdateModeration(IDbConnectionFactory db, ModerationWrite write, TraineeChanges changes, TimeProvider time)
{
    private static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<ModerationExerciseResponse, ModerationExerciseDetails>(Json.Options);

    public Task<Outcome<ModerationExercise>> RunAsync(string ukprn, Guid id, VersionCheck ifMatch, JsonObject patch, Actor actor, CancellationToken ct) => db.WriteAsync(async work =>
    {
        var seq = await ChangeSequence.NextAsync(work, ModerationRepository.Scope, ct);
        var found = ifMatch.Check(await ModerationRepository.FindAsync(work, ukprn, id, ct, forUpdate: true), "moderation");
        if (found.Failed)
        {
            return found.Error;
        }

        var current = found.Value;
        var applied = MergePatch.Apply<ModerationExerciseDetails>(current, patch, Json.Options, Immutable);
        var next = applied.Failed ? applied.Error : await write.CheckAsync(work, ukprn, applied.Value, id, ct);
        var changed = next.Failed ? [] : AuditTrail.Diff<ModerationExerciseDetails>(current, next.Value);
        if (next.Failed || changed.Count == 0)
        {
            return next.Failed ? next.Error : current;
        }

        var now = time.UtcNowMicros();
        var saved = new ModerationExercise(next.Value) { ModerationId = id, Ukprn = ukprn, CreatedAt = current.CreatedAt, UpdatedAt = now, RowVersion = current.RowVersion + 1, ChangeSeq = seq };
        await ModerationRepository.UpdateAsync(work, saved, ct);
        await AuditTrail.RecordGovernanceAsync(work, ukprn, RecordModeration.Subject(id), now, seq, actor, AuditActions.ModerationUpdated, changed, ct);
        await changes.RefreshAllAsync(work, ukprn, current.Sample.Concat(saved.Sample).Select(s => s.TraineeId!.Value), actor, AuditActions.ModerationCovered, ct);
        return (Outcome<ModerationExercise>)saved;
    }, ct);
}
