using System.Text.Json.Nodes;
using Iqts.Api.ReferenceData;

namespace Iqts.Api.Placements;

/// <summary><c>POST /schools</c>: the school's rules (C2.4 v, C3.2), then the school in its place in the provider's school feed.</summary>
public sealed class CreateSchool(IDbConnectionFactory db, ReferenceDataSets reference, TimeProvider time)
{
    public Task<Outcome<School>> RunAsync(string ukprn, SchoolDetails request, CancellationToken ct) => db.WriteAsync(work => RunAsync(work, ukprn, request, ct), ct);

    public async Task<Outcome<School>> RunAsync(UnitOfWork work, string ukprn, SchoolDetails request, CancellationToken ct)
    {
        var valid = PlacementRules.School(request, reference, time.Today());
        if (valid.Failed)
        {
            return valid.Error;
        }

        var now = time.UtcNowMicros();
        var school = new School(valid.Value)
        {
            SchoolId = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(work, SchoolRepository.SyncScope(ukprn), ct),
        };
        await SchoolRepository.InsertAsync(work, school, ct);
        return school;
    }
}

/// <summary>
/// <c>PATCH /schools/{id}</c>, a JSON merge patch: its risk assessment, its agreement, or its removal. The school read and
/// locked, <c>If-Match</c> checked, the rules applied; a patch that changes nothing writes nothing.
/// </summary>
public sealed class UpdateSchool(IDbConnectionFactory db, ReferenceDataSets reference, TimeProvider time)
{
    /// <summary>What a PATCH refuses by name: every response field that is not one of the details.</summary>
    public static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<SchoolResponse, SchoolDetails>(Json.Options);

    public Task<Outcome<School>> RunAsync(string ukprn, Guid schoolId, VersionCheck ifMatch, JsonObject patch, CancellationToken ct) =>
        db.WriteAsync(async work =>
        {
            var seq = await ChangeSequence.NextAsync(work, SchoolRepository.SyncScope(ukprn), ct);
            var current = await SchoolRepository.FindAsync(work, ukprn, schoolId, ct, forUpdate: true);
            var next = ifMatch.Check(current, "school")
                .Then(found => MergePatch.Apply(found.DetailsOnly(), patch, Json.Options, Immutable))
                .Then(details => PlacementRules.School(details, reference, time.Today()))
                .Then(details => (Outcome<School>)current!.WithDetails(details));
            if (next.Failed || AuditTrail.Diff(current, next.Value).Count == 0)
            {
                return next.Failed ? next : current!;
            }

            var saved = next.Value with { UpdatedAt = time.UtcNowMicros(), RowVersion = current!.RowVersion + 1, ChangeSeq = seq };
            await SchoolRepository.UpdateAsync(work, saved, ct);
            return saved;
        }, ct);
}
