using System.Text.Json.Nodes;
using Iqts.Api.Placements;
using Iqts.Api.Providers;

namespace Iqts.Api.Governance;

/// <summary>
/// <c>POST /inspections</c>: DfE allocates a provider's first inspection (and may allocate any); a provider books its later
/// ones, at least two terms ahead, with an inspectorate DfE approved for the term (seed 003). The provider's row is locked
/// first, so two bookings of one provider take turns and "one inspection a term" holds.
/// </summary>
public sealed class BookInspection(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<Inspection>> RunAsync(BookInspectionRequest request, string? providerScope, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, request, providerScope, actor, ct), ct);

    public async Task<Outcome<Inspection>> RunAsync(UnitOfWork work, BookInspectionRequest request, string? providerScope, Actor actor, CancellationToken ct)
    {
        if (providerScope is not null && request.Ukprn is not null && request.Ukprn != providerScope)
        {
            return ApiErrors.Validation("ukprn", "is your token's provider: leave it out, or send your own UKPRN.");
        }

        var ukprn = providerScope ?? request.Ukprn;
        if (ukprn is null || !ProviderRules.IsUkprn(ukprn))
        {
            return ApiErrors.Validation("ukprn", ukprn is null ? "is required: the provider to inspect." : ProviderRules.UkprnRule);
        }

        if (await ProviderRepository.FindAsync(work, ukprn, ct, forUpdate: true) is null)
        {
            return ApiErrors.Validation("ukprn", "must be a registered provider's UKPRN.");
        }

        var inspectorate = request.InspectorateId is { } id ? await InspectorateRepository.FindAsync(work, id, ct) : null;
        var earlier = await InspectionRepository.OfProviderAsync(work, ukprn, ct);
        var by = providerScope is null ? AllocatedBy.Dfe : AllocatedBy.Provider;
        var term = GovernanceRules.Book(request, by, inspectorate, earlier, time.Today());
        if (term.Failed)
        {
            return term.Error;
        }

        var now = time.UtcNowMicros();
        var inspection = new Inspection
        {
            InspectionId = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            InspectorateId = inspectorate!.InspectorateId,
            Term = term.Value,
            AllocatedBy = by,
            BookedOn = time.Today(),
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(work, InspectionRepository.SyncScope, ct),
        };
        await InspectionRepository.InsertAsync(work, inspection, ct);
        await AuditTrail.RecordGovernanceAsync(work, ukprn, Subject(inspection.InspectionId), now, inspection.ChangeSeq, actor, AuditActions.InspectionBooked,
            [AuditTrail.Change("inspectorateId", null, inspection.InspectorateId.ToString()), AuditTrail.Change("term", null, inspection.Term.ToString()),
                AuditTrail.Change("allocatedBy", null, EnumText.Name(by))], ct);
        return inspection;
    }

    public static string Subject(Guid inspectionId) => $"inspections/{inspectionId}";
}

/// <summary>
/// <c>PATCH /inspections/{id}</c>, a JSON merge patch by whoever records that part: the inspectorate the notification,
/// dates, school, grades and report; the provider its action plan; DfE its meetings after a grade 4. A final grade becomes
/// the provider's inspection grade (its latest final inspection's).
/// </summary>
public sealed class UpdateInspection(IDbConnectionFactory db, TimeProvider time)
{
    private static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<InspectionResponse, InspectionDetails>(Json.Options);

    public Task<Outcome<Inspection>> RunAsync(Guid id, InspectionRepository.Scope scope, string role, VersionCheck ifMatch, JsonObject patch, Actor actor,
        CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, id, scope, role, ifMatch, patch, actor, ct), ct);

    public async Task<Outcome<Inspection>> RunAsync(UnitOfWork work, Guid id, InspectionRepository.Scope scope, string role, VersionCheck ifMatch, JsonObject patch,
        Actor actor, CancellationToken ct)
    {
        if (await InspectionRepository.FindAsync(work, id, scope, ct) is not { } found)
        {
            return ApiErrors.NotFound("inspection");
        }

        // The provider first, then the inspection: the order a booking locks them in.
        var provider = await ProviderRepository.FindAsync(work, found.Ukprn, ct, forUpdate: true);
        var current = (await InspectionRepository.FindAsync(work, id, scope, ct, forUpdate: true))!;
        if (!ifMatch.Allows(current.RowVersion))
        {
            return ApiErrors.PreconditionFailed();
        }

        var applied = MergePatch.Apply<InspectionDetails>(current, patch, Json.Options, Immutable);
        if (applied.Failed)
        {
            return applied.Error;
        }

        var changes = AuditTrail.Diff<InspectionDetails>(current, applied.Value);
        if (changes.Count == 0)
        {
            return current;
        }

        var changed = changes.Select(c => c.Field.Split('.', '[')[0]).Distinct().ToList();
        var inspectorate = (await InspectorateRepository.FindAsync(work, current.InspectorateId, ct))!;
        var school = applied.Value.SchoolVisitedId is { } schoolId ? await SchoolRepository.FindAsync(work, current.Ukprn, schoolId, ct) : null;
        var next = GovernanceRules.Update(current, applied.Value, changed, role, inspectorate, school, time.Today());
        if (next.Failed)
        {
            return next.Error;
        }

        var now = time.UtcNowMicros();
        var saved = next.Value with { UpdatedAt = now, RowVersion = current.RowVersion + 1, ChangeSeq = await ChangeSequence.NextAsync(work, InspectionRepository.SyncScope, ct) };
        await InspectionRepository.UpdateAsync(work, saved, ct);
        await AuditTrail.RecordGovernanceAsync(work, saved.Ukprn, BookInspection.Subject(id), now, saved.ChangeSeq, actor, AuditActions.InspectionUpdated, changes, ct);
        if (saved.FinalGrade is { } grade && current.FinalGrade is null && provider is not null)
        {
            await GradeProviderAsync(work, provider, saved, grade, now, ct);
        }

        return saved;
    }

    /// <summary>The provider's inspection grade and date from its latest final inspection (an older one agreed late changes nothing).</summary>
    private static async Task GradeProviderAsync(UnitOfWork work, Provider provider, Inspection inspection, int grade, DateTimeOffset now, CancellationToken ct)
    {
        var date = inspection.EndsOn!.Value;
        if (provider.InspectionSource == InspectionSource.IqtsInspection && provider.InspectionDate > date)
        {
            return;
        }

        await ProviderRepository.UpdateAsync(work, provider with
        {
            InspectionGrade = grade,
            InspectionDate = date,
            InspectionSource = InspectionSource.IqtsInspection,
            UpdatedAt = now,
            RowVersion = provider.RowVersion + 1,
            ChangeSeq = await ChangeSequence.NextAsync(work, ProviderRepository.SyncScope, ct),
        }, ct);
    }
}
