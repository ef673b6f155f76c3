namespace Iqts.Api.Providers;

/// <summary>
/// <c>POST /providers/{ukprn}/approval-history</c> (DfE): the provider read and locked, the step checked against where its
/// approval stands (seed 000), then the new status, its entry in the history and the <c>provider.approval_changed</c> event.
/// </summary>
public sealed class ChangeApproval(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<Provider>> RunAsync(string ukprn, ApprovalChangeRequest request, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, request, actor, ct), ct);

    public async Task<Outcome<Provider>> RunAsync(UnitOfWork work, string ukprn, ApprovalChangeRequest request, Actor actor, CancellationToken ct)
    {
        var seq = await ChangeSequence.NextAsync(work, ProviderRepository.SyncScope, ct);
        var current = ProviderRules.IsUkprn(ukprn) ? await ProviderRepository.FindAsync(work, ukprn, ct, forUpdate: true) : null;
        if (current is null)
        {
            return ApiErrors.NotFound("provider");
        }

        var history = await ApprovalRepository.HistoryAsync(work, ukprn, ct);
        var now = time.UtcNowMicros();
        var entry = ProviderRules.ChangeApproval(current, history.Count == 0 ? null : history[^1], request, time.Today(), now, actor.TokenName);
        if (entry.Failed)
        {
            return entry.Error;
        }

        var saved = current with { ApprovalStatus = entry.Value.ApprovalStatus, UpdatedAt = now, RowVersion = current.RowVersion + 1, ChangeSeq = seq };
        await ProviderRepository.UpdateAsync(work, saved, ct);
        await ApprovalRepository.AppendAsync(work, ukprn, entry.Value, ct);
        if (saved.ApprovalStatus != current.ApprovalStatus)
        {
            await UpdateProvider.ApprovalChangedAsync(work, saved, current.ApprovalStatus, ct);
        }

        return saved;
    }
}
