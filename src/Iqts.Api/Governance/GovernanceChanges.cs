namespace Iqts.Api.Governance;

/// <summary><c>POST /providers/me/governance-changes</c> (provider): a change in governance or operational structure notified to DfE (C3.1 iv).</summary>
public sealed class NotifyGovernanceChange(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<GovernanceChange>> RunAsync(string ukprn, GovernanceChangeRequest request, Actor actor, CancellationToken ct) =>
        db.WriteAsync(async work =>
        {
            var valid = GovernanceRules.GovernanceChange(request);
            if (valid.Failed)
            {
                return valid.Error;
            }

            var now = time.UtcNowMicros();
            var change = new GovernanceChange
            {
                GovernanceChangeId = Guid.CreateVersion7(now),
                Ukprn = ukprn,
                Kind = valid.Value.Kind!.Value,
                EffectiveOn = valid.Value.EffectiveOn!.Value,
                Description = valid.Value.Description,
                CreatedAt = now,
                UpdatedAt = now,
                RowVersion = 1,
                ChangeSeq = await ChangeSequence.NextAsync(work, GovernanceChangeRepository.SyncScope, ct),
            };
            await GovernanceChangeRepository.InsertAsync(work, change, ct);
            await AuditTrail.RecordGovernanceAsync(work, ukprn, Subject(change.GovernanceChangeId), now, change.ChangeSeq, actor, AuditActions.GovernanceChangeNotified,
                AuditTrail.Diff(null, valid.Value), ct);
            return (Outcome<GovernanceChange>)change;
        }, ct);

    public static string Subject(Guid id) => $"governance-changes/{id}";
}

/// <summary><c>PUT /providers/{ukprn}/governance-changes/{id}/response</c> (DfE): DfE's response, recorded or replaced.</summary>
public sealed class AnswerGovernanceChange(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<GovernanceChange>> RunAsync(string ukprn, Guid id, GovernanceChangeResponseRequest request, VersionCheck ifMatch, Actor actor, CancellationToken ct) =>
        db.WriteAsync(async work =>
        {
            var seq = await ChangeSequence.NextAsync(work, GovernanceChangeRepository.SyncScope, ct);
            var found = ifMatch.Check(await GovernanceChangeRepository.FindAsync(work, ukprn, id, ct, forUpdate: true), "governance change");
            var response = found.Then(stored => GovernanceRules.Response(stored, request, time.Today()));
            if (response.Failed)
            {
                return response.Error;
            }

            var current = found.Value;
            var changes = AuditTrail.Diff(current.DfeResponse, response.Value, "dfeResponse.");
            if (changes.Count == 0)
            {
                return current;
            }

            var now = time.UtcNowMicros();
            var saved = current with { DfeResponse = response.Value, UpdatedAt = now, RowVersion = current.RowVersion + 1, ChangeSeq = seq };
            await GovernanceChangeRepository.UpdateAsync(work, saved, ct);
            await AuditTrail.RecordGovernanceAsync(work, ukprn, NotifyGovernanceChange.Subject(id), now, seq, actor, AuditActions.GovernanceChangeAnswered, changes, ct);
            return (Outcome<GovernanceChange>)saved;
        }, ct);
}
