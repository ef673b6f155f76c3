using Iqts.Api.ReferenceData;
using Iqts.Api.Trainees;

namespace Iqts.Api.Eligibility;

/// <summary>
/// The entry criteria C1.1–C1.4 over a trainee's stored evidence, read in one snapshot: <c>GET …/eligibility</c>, and the
/// same evaluation inside a write (the refresh of a trainee's verdict) or the award check.
/// </summary>
public sealed class EvaluateEligibility(IDbConnectionFactory db, ReferenceDataSets reference)
{
    /// <summary>The evaluation now; null when the trainee is not the provider's.</summary>
    public Task<Evaluation?> RunAsync(string ukprn, Guid traineeId, CancellationToken ct) =>
        db.SnapshotAsync(async work => await TraineeRepository.FindAsync(work, ukprn, traineeId, ct) is { } trainee ? await RunAsync(work, trainee, ct) : null, ct);

    public async Task<Evaluation> RunAsync(UnitOfWork work, Trainee trainee, CancellationToken ct) =>
        EligibilityRules.Evaluate(trainee.AgeRangePhase!.Value,
            (await EligibilityRepository.QualificationsAsync(work, trainee.Ukprn, trainee.TraineeId, ct)).Select(q => (q.QualificationId.ToString(), (QualificationRequest)q)).ToList(),
            (await EligibilityRepository.ChecksAsync(work, trainee.Ukprn, trainee.TraineeId, ct)).Checks,
            reference);
}

/// <summary>
/// Keeps each trainee's eligibility verdict current, as a participant of every trainee change: after a change of its entry
/// evidence, and after a change of its age phase (C1.1 ii: the science requirement follows the phase).
/// </summary>
public sealed class EligibilityRefresh(EvaluateEligibility evaluate) : ITraineeChangeParticipant
{
    private static readonly HashSet<Audit.AuditAction> EvidenceChanges =
        [Audit.AuditActions.QualificationAdded, Audit.AuditActions.QualificationRemoved, Audit.AuditActions.SuitabilityChecksUpdated];

    public async Task<Trainee> PrepareAsync(UnitOfWork work, Trainee? before, Trainee proposed, Audit.AuditAction action, CancellationToken ct) =>
        before is not null && (EvidenceChanges.Contains(action) || before.AgeRangePhase != proposed.AgeRangePhase)
            ? proposed with { Eligibility = CriterionResults.Eligibility((await evaluate.RunAsync(work, proposed, ct)).Verdict) }
            : proposed;
}
