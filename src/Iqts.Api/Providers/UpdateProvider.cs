using System.Text.Json.Nodes;
using Iqts.Api.Events;

namespace Iqts.Api.Providers;

/// <summary>
/// <c>PATCH /providers/{ukprn}</c> (DfE), a JSON merge patch: the provider read and locked, <c>If-Match</c> checked, the
/// rules applied; a patch that changes nothing writes nothing.
/// </summary>
public sealed class UpdateProvider(IDbConnectionFactory db, TimeProvider time)
{
    /// <summary>What a PATCH refuses by name: every response field that is not one of the details.</summary>
    public static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<ProviderResponse, ProviderDetails>(Json.Options);

    public Task<Outcome<Provider>> RunAsync(string ukprn, VersionCheck ifMatch, JsonObject patch, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, ifMatch, patch, ct), ct);

    public async Task<Outcome<Provider>> RunAsync(UnitOfWork work, string ukprn, VersionCheck ifMatch, JsonObject patch, CancellationToken ct)
    {
        var seq = await ChangeSequence.NextAsync(work, ProviderRepository.SyncScope, ct);
        var found = ifMatch.Check(ProviderRules.IsUkprn(ukprn) ? await ProviderRepository.FindAsync(work, ukprn, ct, forUpdate: true) : null, "provider");
        if (found.Failed)
        {
            return found.Error;
        }

        var current = found.Value;
        var next = MergePatch.Apply<ProviderDetails>(current, patch, Json.Options, Immutable).Then(details => ProviderRules.Correct(current, details, time.Today()));
        if (next.Failed || AuditTrail.Diff(current, next.Value).Count == 0)
        {
            return next.Failed ? next : current;
        }

        var saved = next.Value with { UpdatedAt = time.UtcNowMicros(), RowVersion = current.RowVersion + 1, ChangeSeq = seq };
        await ProviderRepository.UpdateAsync(work, saved, ct);
        return saved;
    }

    /// <summary><c>provider.approval_changed</c> on DfE's stream and the provider's own.</summary>
    public static Task ApprovalChangedAsync(UnitOfWork work, Provider saved, ApprovalStatus? before, CancellationToken ct) =>
        EventLog.AppendAsync(work, new NewEvent(EventTypes.ProviderApprovalChanged, $"providers/{saved.Ukprn}",
            new ProviderApprovalChanged(saved.Ukprn, saved.ApprovalStatus, before, $"/api/v1/providers/{saved.Ukprn}"),
            [EventStreams.Dfe, EventStreams.Provider(saved.Ukprn)]), saved.UpdatedAt, ct);
}

/// <summary><c>provider.approval_changed</c>: DfE's stream and the provider's own.</summary>
public sealed record ProviderApprovalChanged(string Ukprn, ApprovalStatus? ApprovalStatus, ApprovalStatus? PreviousApprovalStatus, string Href);
