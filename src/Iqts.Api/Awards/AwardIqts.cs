using Iqts.Api.Assessments;
using Iqts.Api.Eligibility;
using Iqts.Api.Placements;
using Iqts.Api.Providers;
using Iqts.Api.Quality;
using Iqts.Api.Trainees;

namespace Iqts.Api.Awards;

/// <summary>
/// Every award rule over everything a trainee's award rests on (its entry evidence, placements and assessments), read in
/// one snapshot for <c>GET …/award-check</c>, or inside the award's own transaction.
/// </summary>
public sealed class CheckAward(IDbConnectionFactory db, EvaluateEligibility eligibility)
{
    /// <summary>The check now; null when the trainee is not the provider's.</summary>
    public Task<Evaluation?> RunAsync(string ukprn, Guid traineeId, CancellationToken ct) =>
        db.SnapshotAsync(async work => await TraineeRepository.FindAsync(work, ukprn, traineeId, ct) is { } trainee ? await RunAsync(work, trainee, null, null, ct) : null, ct);

    public async Task<Evaluation> RunAsync(UnitOfWork work, Trainee trainee, DateOnly? awardedOn, DateOnly? today, CancellationToken ct) =>
        AwardRules.Check(trainee,
            await eligibility.RunAsync(work, trainee, ct),
            await SummarisePlacements.RunAsync(work, trainee, ct),
            await AssessmentRepository.AssessmentsAsync(work, trainee.Ukprn, trainee.TraineeId, ct),
            await ModerationRepository.CoversOfTraineeAsync(work, trainee.Ukprn, trainee.TraineeId, ct),
            awardedOn, today);
}

/// <summary>
/// <c>POST …/award</c>: the trainee read and locked, every rule checked on <c>awardedOn</c> (an awarded trainee is not
/// refused up front: its status is one of the rules, and the 422 lists it with the rest), then the award in its place in
/// the TRA's feed and the trainee's move to awarded in the same transaction.
/// </summary>
public sealed class AwardIqts(IDbConnectionFactory db, TraineeChanges changes, CheckAward check)
{
    public Task<Outcome<Award>> RunAsync(string ukprn, Guid traineeId, DateOnly awardedOn, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, traineeId, awardedOn, actor, ct), ct);

    public async Task<Outcome<Award>> RunAsync(UnitOfWork work, string ukprn, Guid traineeId, DateOnly awardedOn, Actor actor, CancellationToken ct)
    {
        var begun = await changes.BeginAsync(work, ukprn, traineeId, whatChanges: null, ct);
        // ADR 0011: a suspended or withdrawn provider keeps its trainees' records but makes no award.
        var approval = begun.Failed ? null : (await ProviderRepository.FindAsync(work, ukprn, ct))?.ApprovalStatus;
        var decision = begun.Failed
            ? begun.Error
            : !ProviderRules.MayRegisterOrAward(approval)
            ? ApiErrors.MayNotAward(EnumText.Name(approval!.Value))
            : AwardRules.Award(await check.RunAsync(work, begun.Value.Current, awardedOn, DateOnly.FromDateTime(begun.Value.At.UtcDateTime), ct));
        if (decision.Failed)
        {
            return decision.Error;
        }

        // The provider's counter before the awards' one, the order a change of an awarded trainee takes them in
        // (AwardFeedMove): taken the other way round, the two writers could each wait for the other's counter.
        var change = await changes.SerialiseAsync(begun.Value, ct);
        var award = new Award
        {
            Id = Guid.CreateVersion7(change.At),
            TraineeId = traineeId,
            Ukprn = ukprn,
            AwardedOn = awardedOn,
            CreatedAt = change.At,
            UpdatedAt = change.At,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(work, AwardRepository.SyncScope, ct),
        };
        await AwardRepository.InsertAsync(work, award, ct);
        await changes.SaveAsync(change, change.Current with { Status = TraineeStatus.Awarded }, actor, AuditActions.Awarded,
            [AuditTrail.Change("award.awardedOn", (DateOnly?)null, awardedOn)], ct, effectiveOn: awardedOn);
        return award;
    }
}

/// <summary>
/// A participant of every trainee change: when what the TRA reads of an awarded trainee changes (a corrected name, the
/// acknowledgement), its award moves to the end of the TRA's pull feed, so a reader holding a cursor sees it again.
/// The provider's counter is taken first, then the awards' one, as the award itself takes them.
/// </summary>
public sealed class AwardFeedMove : ITraineeChangeParticipant
{
    public Task RecordAsync(TraineeChanged changed, CancellationToken ct) =>
        changed.Before?.Status == TraineeStatus.Awarded
            ? AwardRepository.MoveToEndAsync(changed.Work, changed.After.Ukprn, changed.After.TraineeId, changed.At, ct)
            : Task.CompletedTask;
}

/// <summary>
/// A participant of every trainee change: the award check's result as the change leaves the trainee, kept on it so that
/// a change of it is an event (<c>trainee.award_check_changed</c>). Registered after the eligibility verdict, which it
/// rests on. A new trainee has no evidence yet (not met); once awarded, the last result stands (the check is no longer
/// asked, and its status rule would fail it). A correction of the trainee's own details that leaves everything the check
/// reads of the trainee as it was (its status, its dates, the entry criteria's result, which is met only when every
/// criterion is) keeps the last result without reading the evidence again: most writes are such corrections.
/// </summary>
public sealed class AwardCheckRefresh(CheckAward check) : ITraineeChangeParticipant
{
    public async Task<Trainee> PrepareAsync(UnitOfWork work, Trainee? before, Trainee proposed, AuditAction action, CancellationToken ct) =>
        before is null ? proposed with { AwardCheck = AwardRuleResult.NotMet }
        : proposed.Status == TraineeStatus.Awarded ? proposed
        : action == AuditActions.Updated && before.AwardCheck is { } last && Unchanged(before, proposed) ? proposed with { AwardCheck = last }
        : proposed with { AwardCheck = CriterionResults.AwardRule((await check.RunAsync(work, proposed, null, null, ct)).Verdict) };

    private static bool Unchanged(Trainee before, Trainee proposed) =>
        before.Status == proposed.Status && before.StartDate == proposed.StartDate && before.ExpectedEndDate == proposed.ExpectedEndDate
        && before.Eligibility == proposed.Eligibility;
}
