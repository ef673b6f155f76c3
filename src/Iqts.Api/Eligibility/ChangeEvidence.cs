using Iqts.Api.ReferenceData;
using Iqts.Api.Trainees;

namespace Iqts.Api.Eligibility;

/// <summary>
/// <c>POST …/qualifications</c>: the trainee read and locked (an awarded trainee's evidence is final), the rule decides
/// given its other qualifications, the row and the trainee's change are written (its verdict refreshed by a participant).
/// </summary>
public sealed class AddQualification(IDbConnectionFactory db, TraineeChanges changes, ReferenceDataSets reference, TimeProvider time)
{
    public Task<Outcome<Qualification>> RunAsync(string ukprn, Guid traineeId, QualificationRequest request, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, traineeId, request, actor, ct), ct);

    public async Task<Outcome<Qualification>> RunAsync(UnitOfWork work, string ukprn, Guid traineeId, QualificationRequest request, Actor actor, CancellationToken ct)
    {
        var begun = await changes.BeginAsync(work, ukprn, traineeId, "its entry evidence", ct);
        var decision = begun.Failed
            ? begun.Error
            : EligibilityRules.Add(request, await EligibilityRepository.QualificationsAsync(work, ukprn, traineeId, ct), reference, time.Today());
        if (decision.Failed)
        {
            return decision.Error;
        }

        var change = begun.Value;
        var added = new Qualification(decision.Value) { QualificationId = Guid.CreateVersion7(change.At), TraineeId = traineeId, CreatedAt = change.At };
        await EligibilityRepository.InsertQualificationAsync(work, ukprn, added, ct);
        await changes.SaveAsync(change, change.Current, actor, AuditActions.QualificationAdded,
            [AuditTrail.Change($"qualifications[{added.QualificationId}]", (Qualification?)null, added)], ct);
        return added;
    }
}

/// <summary><c>DELETE …/qualifications/{id}</c>: the way a mistake is corrected, unless another qualification rests on this one.</summary>
public sealed class RemoveQualification(IDbConnectionFactory db, TraineeChanges changes)
{
    public Task<Outcome<Qualification>> RunAsync(string ukprn, Guid traineeId, Guid qualificationId, Actor actor, CancellationToken ct) =>
        db.WriteAsync(async work =>
        {
            var begun = await changes.BeginAsync(work, ukprn, traineeId, "its entry evidence", ct);
            IReadOnlyList<Qualification> existing = begun.Failed ? [] : await EligibilityRepository.QualificationsAsync(work, ukprn, traineeId, ct);
            var removal = begun.Failed ? begun.Error
                : existing.FirstOrDefault(q => q.QualificationId == qualificationId) is { } found ? EligibilityRules.Remove(found, existing)
                : ApiErrors.NotFound("qualification");
            if (removal.Failed)
            {
                return removal;
            }

            await EligibilityRepository.DeleteQualificationAsync(work, ukprn, traineeId, qualificationId, ct);
            await changes.SaveAsync(begun.Value, begun.Value.Current, actor, AuditActions.QualificationRemoved,
                [AuditTrail.Change($"qualifications[{qualificationId}]", removal.Value, (Qualification?)null)], ct);
            return removal;
        }, ct);
}

/// <summary><c>PUT …/suitability-checks</c>: the checks replaced whole, if <c>If-Match</c> allows; a PUT that changes nothing writes nothing.</summary>
public sealed class PutSuitabilityChecks(IDbConnectionFactory db, TraineeChanges changes, TimeProvider time)
{
    public Task<Outcome<StoredChecks>> RunAsync(string ukprn, Guid traineeId, VersionCheck ifMatch, SuitabilityChecks checks, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, traineeId, ifMatch, checks, actor, ct), ct);

    public async Task<Outcome<StoredChecks>> RunAsync(UnitOfWork work, string ukprn, Guid traineeId, VersionCheck ifMatch, SuitabilityChecks checks, Actor actor,
        CancellationToken ct)
    {
        var errors = EligibilityRules.ValidateChecks(checks, time.Today());
        var begun = errors.IsEmpty ? await changes.BeginAsync(work, ukprn, traineeId, "its entry evidence", ct) : errors.ToError();
        if (begun.Failed)
        {
            return begun.Error;
        }

        var change = begun.Value;
        var current = await EligibilityRepository.ChecksAsync(work, ukprn, traineeId, ct);
        if (!ifMatch.Allows(current.RowVersion))
        {
            return ApiErrors.PreconditionFailed();
        }

        var recorded = AuditTrail.Diff(current.Checks, checks, "suitabilityChecks.");
        if (recorded.Count == 0)
        {
            return current;
        }

        var stored = new StoredChecks(checks, current.RowVersion + 1, change.At);
        await EligibilityRepository.UpsertChecksAsync(work, ukprn, traineeId, stored, ct);
        await changes.SaveAsync(change, change.Current, actor, AuditActions.SuitabilityChecksUpdated, recorded, ct);
        return stored;
    }
}
