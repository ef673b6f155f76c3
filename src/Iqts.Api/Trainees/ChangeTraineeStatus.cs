using Iqts.Api.ReferenceData;

namespace Iqts.Api.Trainees;

/// <summary>
/// <c>POST /trainees/{id}/defer</c>, <c>/reinstate</c> and <c>/withdraw</c>: one use case in three forms. The trainee is
/// read and locked, <c>If-Match</c> checked, the transition rule decides, and the change is saved (the participants log the
/// status for DfE's reports and send the new route to the TRA).
/// </summary>
public sealed class ChangeTraineeStatus(IDbConnectionFactory db, TraineeChanges changes, ReferenceDataSets reference, TimeProvider time)
{
    public Task<Outcome<Trainee>> DeferAsync(string ukprn, Guid id, VersionCheck ifMatch, DeferTraineeRequest request, Actor actor, CancellationToken ct) =>
        RunAsync(ukprn, id, ifMatch, AuditActions.Deferred, current => TraineeRules.Defer(current, request, time.Today()), actor, ct);

    public Task<Outcome<Trainee>> ReinstateAsync(string ukprn, Guid id, VersionCheck ifMatch, ReinstateTraineeRequest request, Actor actor, CancellationToken ct) =>
        RunAsync(ukprn, id, ifMatch, AuditActions.Reinstated, current => TraineeRules.Reinstate(current, request, time.Today()), actor, ct);

    public Task<Outcome<Trainee>> WithdrawAsync(string ukprn, Guid id, VersionCheck ifMatch, WithdrawTraineeRequest request, Actor actor, CancellationToken ct) =>
        RunAsync(ukprn, id, ifMatch, AuditActions.Withdrawn, current => TraineeRules.Withdraw(current, request, time.Today(), reference), actor, ct);

    private Task<Outcome<Trainee>> RunAsync(string ukprn, Guid id, VersionCheck ifMatch, AuditAction action, Func<Trainee, Outcome<Trainee>> rule, Actor actor,
        CancellationToken ct) =>
        db.WriteAsync(async work =>
        {
            var begun = await changes.BeginAsync(work, ukprn, id, whatChanges: null, ct, ifMatch);
            var next = begun.Failed ? begun.Error : rule(begun.Value.Current);
            return next.Failed ? next : await changes.SaveAsync(begun.Value, next.Value, actor, action, [], ct);
        }, ct);
}
