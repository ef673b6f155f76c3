using System.Text.Json.Nodes;

namespace Iqts.Api.Governance;

/// <summary><c>POST /inspectorates</c> (DfE): an inspectorate DfE approved, for three years at most (seed 003).</summary>
public sealed class CreateInspectorate(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<Inspectorate>> RunAsync(InspectorateDetails request, CancellationToken ct) => db.WriteAsync(work => RunAsync(work, request, ct), ct);

    public async Task<Outcome<Inspectorate>> RunAsync(UnitOfWork work, InspectorateDetails request, CancellationToken ct)
    {
        var details = GovernanceRules.Inspectorate(request);
        if (details.Failed)
        {
            return details.Error;
        }

        var now = time.UtcNowMicros();
        var inspectorate = new Inspectorate(details.Value)
        {
            InspectorateId = Guid.CreateVersion7(now),
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(work, InspectorateRepository.SyncScope, ct),
        };
        return await InspectorateRepository.InsertAsync(work, inspectorate, ct) ? inspectorate : ApiErrors.InspectorateExists(inspectorate.Name);
    }
}

/// <summary><c>PATCH /inspectorates/{id}</c> (DfE), a JSON merge patch: a new name, or DfE's approval renewed.</summary>
public sealed class UpdateInspectorate(IDbConnectionFactory db, TimeProvider time)
{
    private static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<InspectorateResponse, InspectorateDetails>(Json.Options);

    public Task<Outcome<Inspectorate>> RunAsync(Guid id, VersionCheck ifMatch, JsonObject patch, CancellationToken ct) =>
        db.WriteAsync(async work =>
        {
            var seq = await ChangeSequence.NextAsync(work, InspectorateRepository.SyncScope, ct);
            var found = ifMatch.Check(await InspectorateRepository.FindAsync(work, id, ct, forUpdate: true), "inspectorate");
            var next = found.Then(stored => MergePatch.Apply<InspectorateDetails>(stored, patch, Json.Options, Immutable)).Then(GovernanceRules.Inspectorate);
            if (next.Failed || AuditTrail.Diff<InspectorateDetails>(found.Value, next.Value).Count == 0)
            {
                return next.Failed ? next.Error : found.Value;
            }

            var current = found.Value;
            var saved = new Inspectorate(next.Value)
            {
                InspectorateId = id,
                CreatedAt = current.CreatedAt,
                UpdatedAt = time.UtcNowMicros(),
                RowVersion = current.RowVersion + 1,
                ChangeSeq = seq,
            };
            return await InspectorateRepository.UpdateAsync(work, saved, ct) ? saved : (Outcome<Inspectorate>)ApiErrors.InspectorateExists(saved.Name);
        }, ct);
}
