using System.Text.Json.Nodes;
using Iqts.Api.Placements;

namespace Iqts.Api.Quality;

/// <summary><c>POST /moderators</c>: one of the provider's moderators, checked (a school named must be the provider's), with its history entry.</summary>
public sealed class AddModerator(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<Moderator>> RunAsync(string ukprn, ModeratorDetails request, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, request, actor, ct), ct);

    public async Task<Outcome<Moderator>> RunAsync(UnitOfWork work, string ukprn, ModeratorDetails request, Actor actor, CancellationToken ct)
    {
        var school = request.SchoolId is { } schoolId ? await SchoolRepository.FindAsync(work, ukprn, schoolId, ct) : null;
        var details = QualityRules.Moderator(request, school, time.Today());
        if (details.Failed)
        {
            return details.Error;
        }

        var now = time.UtcNowMicros();
        var moderator = new Moderator(details.Value)
        {
            ModeratorId = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(work, QualityRepository.ModeratorScope, ct),
        };
        await QualityRepository.InsertModeratorAsync(work, moderator, ct);
        await AuditTrail.RecordGovernanceAsync(work, ukprn, Subject(moderator.ModeratorId), now, moderator.ChangeSeq, actor, AuditActions.ModeratorAdded,
            AuditTrail.Diff<ModeratorDetails>(null, moderator), ct);
        return moderator;
    }

    public static string Subject(Guid id) => $"moderators/{id}";
}

/// <summary><c>PATCH /moderators/{id}</c>, a JSON merge patch: the same rules as a new one; a patch that changes nothing writes nothing.</summary>
public sealed class UpdateModerator(IDbConnectionFactory db, TimeProvider time)
{
    private static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<ModeratorResponse, ModeratorDetails>(Json.Options);

    public Task<Outcome<Moderator>> RunAsync(string ukprn, Guid id, VersionCheck ifMatch, JsonObject patch, Actor actor, CancellationToken ct) => db.WriteAsync(async work =>
    {
        var seq = await ChangeSequence.NextAsync(work, QualityRepository.ModeratorScope, ct);
        var found = ifMatch.Check(await QualityRepository.ModeratorAsync(work, ukprn, id, ct, forUpdate: true), "moderator");
        if (found.Failed)
        {
            return found.Error;
        }

        var current = found.Value;
        var applied = MergePatch.Apply<ModeratorDetails>(current, patch, Json.Options, Immutable);
        var school = !applied.Failed && applied.Value.SchoolId is { } schoolId ? await SchoolRepository.FindAsync(work, ukprn, schoolId, ct) : null;
        var next = applied.Then(details => QualityRules.Moderator(details, school, time.Today()));
        var changes = next.Failed ? [] : AuditTrail.Diff<ModeratorDetails>(current, next.Value);
        if (next.Failed || changes.Count == 0)
        {
            return next.Failed ? next.Error : current;
        }

        var now = time.UtcNowMicros();
        var saved = new Moderator(next.Value) { ModeratorId = id, Ukprn = ukprn, CreatedAt = current.CreatedAt, UpdatedAt = now, RowVersion = current.RowVersion + 1, ChangeSeq = seq };
        await QualityRepository.UpdateModeratorAsync(work, saved, ct);
        await AuditTrail.RecordGovernanceAsync(work, ukprn, AddModerator.Subject(id), now, seq, actor, AuditActions.ModeratorUpdated, changes, ct);
        return (Outcome<Moderator>)saved;
    }, ct);
}

/// <summary><c>POST /evaluations</c>: what the provider learnt about its training from one source and what it did (C3.4), with its history entry.</summary>
public sealed class RecordEvaluation(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<TrainingEvaluation>> RunAsync(string ukprn, EvaluationRequest request, Actor actor, CancellationToken ct) => db.WriteAsync(async work =>
    {
        var valid = QualityRules.Evaluation(request, time.Today());
        if (valid.Failed)
        {
            return valid.Error;
        }

        var now = time.UtcNowMicros();
        var evaluation = new TrainingEvaluation
        {
            EvaluationId = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            Source = valid.Value.Source!.Value,
            PeriodFrom = valid.Value.PeriodFrom!.Value,
            PeriodTo = valid.Value.PeriodTo!.Value,
            Responses = valid.Value.Responses,
            Findings = valid.Value.Findings,
            Actions = valid.Value.Actions!,
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(work, QualityRepository.EvaluationScope, ct),
        };
        await QualityRepository.InsertEvaluationAsync(work, evaluation, ct);
        await AuditTrail.RecordGovernanceAsync(work, ukprn, Subject(evaluation.EvaluationId), now, evaluation.ChangeSeq, actor, AuditActions.EvaluationRecorded,
            AuditTrail.Diff(null, valid.Value), ct);
        return (Outcome<TrainingEvaluation>)evaluation;
    }, ct);

    public static string Subject(Guid id) => $"evaluations/{id}";
}
