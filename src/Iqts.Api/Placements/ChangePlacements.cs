using System.Text.Json.Nodes;
using Iqts.Api.Trainees;

namespace Iqts.Api.Placements;

/// <summary>
/// <c>POST …/placements</c>: the trainee read and locked (an awarded trainee's placements are final), the school it names
/// (null when it is not the provider's, which answers 404), the rules given the trainee's other placements.
/// </summary>
public sealed class AddPlacement(IDbConnectionFactory db, TraineeChanges changes)
{
    public Task<Outcome<Placement>> RunAsync(string ukprn, Guid traineeId, PlacementDetails request, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, traineeId, request, actor, ct), ct);

    public async Task<Outcome<Placement>> RunAsync(UnitOfWork work, string ukprn, Guid traineeId, PlacementDetails request, Actor actor, CancellationToken ct)
    {
        var begun = await changes.BeginAsync(work, ukprn, traineeId, "its placements", ct);
        if (begun.Failed)
        {
            return begun.Error;
        }

        var change = begun.Value;
        var others = await PlacementRepository.PlacementsAsync(work, ukprn, traineeId, ct);
        var school = Guid.TryParse(request.SchoolId, out var schoolId) ? await SchoolRepository.FindAsync(work, ukprn, schoolId, ct) : null;
        var mentor = request.MentorId is { } mentorId ? await MentorRepository.FindAsync(work, ukprn, mentorId, ct) : null;
        var decision = PlacementRules.Add(request, change.Current, school, others, mentor);
        if (decision.Failed)
        {
            return decision.Error;
        }

        var placement = new Placement(decision.Value) { PlacementId = Guid.CreateVersion7(change.At), TraineeId = traineeId, CreatedAt = change.At, UpdatedAt = change.At, RowVersion = 1 };
        await PlacementRepository.InsertAsync(work, ukprn, placement, ct);
        await changes.SaveAsync(change, change.Current, actor, AuditActions.PlacementAdded, AuditTrail.Diff(null, placement, $"placements[{placement.PlacementId}]."), ct);
        return placement;
    }
}

/// <summary><c>PATCH …/placements/{id}</c>, a JSON merge patch, checked against <c>If-Match</c> and the trainee's other placements.</summary>
public sealed class UpdatePlacement(IDbConnectionFactory db, TraineeChanges changes)
{
    /// <summary>What a PATCH refuses by name: every response field that is not one of the details.</summary>
    public static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<PlacementResponse, PlacementDetails>(Json.Options);

    public Task<Outcome<Placement>> RunAsync(string ukprn, Guid traineeId, Guid placementId, VersionCheck ifMatch, JsonObject patch, Actor actor, CancellationToken ct) =>
        db.WriteAsync<Placement>(async work =>
        {
            var begun = await BeginAsync(changes, work, ukprn, traineeId, placementId, ifMatch, ct);
            if (begun.Failed)
            {
                return begun.Error;
            }

            var (change, current, others) = begun.Value;
            var details = MergePatch.Apply(current.DetailsOnly(), patch, Json.Options, Immutable);
            var school = details.Failed || !Guid.TryParse(details.Value.SchoolId, out var schoolId) ? null : await SchoolRepository.FindAsync(work, ukprn, schoolId, ct);
            var mentor = !details.Failed && details.Value.MentorId is { } mentorId ? await MentorRepository.FindAsync(work, ukprn, mentorId, ct) : null;
            var decision = details.Then(d => PlacementRules.Placement(d, change.Current, school, Guid.Parse(current.SchoolId), others, mentor));
            var next = decision.Failed ? null : current.WithDetails(decision.Value);
            IReadOnlyList<FieldChange> recorded = next is null ? [] : AuditTrail.Diff(current, next, $"placements[{placementId}].");
            if (decision.Failed || recorded.Count == 0)
            {
                return decision.Failed ? decision.Error : current;
            }

            var saved = next! with { UpdatedAt = change.At, RowVersion = current.RowVersion + 1 };
            await PlacementRepository.UpdateAsync(work, ukprn, saved, ct);
            await changes.SaveAsync(change, change.Current, actor, AuditActions.PlacementUpdated, recorded, ct);
            return saved;
        }, ct);

    /// <summary>The trainee locked for a change of its placements, and the placement with the others, if <c>If-Match</c> allows.</summary>
    internal static async Task<Outcome<(TraineeChange Change, Placement Current, IReadOnlyList<Placement> Others)>> BeginAsync(TraineeChanges changes, UnitOfWork work,
        string ukprn, Guid traineeId, Guid placementId, VersionCheck ifMatch, CancellationToken ct)
    {
        var begun = await changes.BeginAsync(work, ukprn, traineeId, "its placements", ct);
        if (begun.Failed)
        {
            return begun.Error;
        }

        var all = await PlacementRepository.PlacementsAsync(work, ukprn, traineeId, ct);
        return ifMatch.Check(all.FirstOrDefault(p => p.PlacementId == placementId), "placement")
            .Then<(TraineeChange, Placement, IReadOnlyList<Placement>)>(current => (begun.Value, current, all.Where(p => p.PlacementId != placementId).ToList()));
    }
}

/// <summary><c>DELETE …/placements/{id}</c>: a placement recorded in error, if <c>If-Match</c> allows.</summary>
public sealed class RemovePlacement(IDbConnectionFactory db, TraineeChanges changes)
{
    public Task<Outcome<Placement>> RunAsync(string ukprn, Guid traineeId, Guid placementId, VersionCheck ifMatch, Actor actor, CancellationToken ct) =>
        db.WriteAsync(async work =>
        {
            var begun = await UpdatePlacement.BeginAsync(changes, work, ukprn, traineeId, placementId, ifMatch, ct);
            if (begun.Failed)
            {
                return begun.Error;
            }

            var (change, current, _) = begun.Value;
            await PlacementRepository.DeleteAsync(work, ukprn, traineeId, placementId, ct);
            await changes.SaveAsync(change, change.Current, actor, AuditActions.PlacementRemoved, AuditTrail.Diff(current, null, $"placements[{placementId}]."), ct);
            return (Outcome<Placement>)current;
        }, ct);
}

/// <summary><c>PUT …/placement-plan</c>: the plan's rules, then the plan if <c>If-Match</c> allows (version 0 before the first); a PUT that changes nothing writes nothing.</summary>
public sealed class PutPlacementPlan(IDbConnectionFactory db, TraineeChanges changes)
{
    public Task<Outcome<StoredPlan>> RunAsync(string ukprn, Guid traineeId, VersionCheck ifMatch, PlacementPlan plan, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, traineeId, ifMatch, plan, actor, ct), ct);

    public async Task<Outcome<StoredPlan>> RunAsync(UnitOfWork work, string ukprn, Guid traineeId, VersionCheck ifMatch, PlacementPlan plan, Actor actor, CancellationToken ct)
    {
        var valid = PlacementRules.Plan(plan);
        var begun = valid.Failed ? valid.Error : await changes.BeginAsync(work, ukprn, traineeId, "its placements", ct);
        if (begun.Failed)
        {
            return begun.Error;
        }

        var change = begun.Value;
        var current = await PlacementRepository.PlanAsync(work, ukprn, traineeId, ct);
        if (!ifMatch.Allows(current?.RowVersion ?? 0))
        {
            return ApiErrors.PreconditionFailed();
        }

        var recorded = AuditTrail.Diff(current?.Plan, valid.Value, "placementPlan.");
        if (current is not null && recorded.Count == 0)
        {
            return current;
        }

        var stored = new StoredPlan(valid.Value, (current?.RowVersion ?? 0) + 1, change.At);
        await PlacementRepository.UpsertPlanAsync(work, ukprn, traineeId, stored, ct);
        await changes.SaveAsync(change, change.Current, actor, AuditActions.PlacementPlanUpdated, recorded, ct);
        return stored;
    }
}

/// <summary>
/// A trainee's training in schools against C2.2, C2.4 and C3.2, over its placements, their schools and its plan, and
/// beside them C2.2 i and iv over the mentors its placements name (read only when one does):
/// <c>GET …/placement-summary</c> in one snapshot, and inside the award check's.
/// </summary>
public sealed class SummarisePlacements(IDbConnectionFactory db)
{
    /// <summary>The summary now; null when the trainee is not the provider's.</summary>
    public Task<PlacementEvaluation?> RunAsync(string ukprn, Guid traineeId, CancellationToken ct) =>
        db.SnapshotAsync(async work => await TraineeRepository.FindAsync(work, ukprn, traineeId, ct) is { } trainee ? await RunAsync(work, trainee, ct) : null, ct);

    public static async Task<PlacementEvaluation> RunAsync(UnitOfWork work, Trainee trainee, CancellationToken ct)
    {
        var placements = await PlacementRepository.PlacementsAsync(work, trainee.Ukprn, trainee.TraineeId, ct);
        // Only the schools the placements name: the award check runs this on every change of the trainee.
        var atSchools = placements.Select(p => Guid.Parse(p.SchoolId)).Distinct().ToList();
        var schools = atSchools.Count > 0 ? await SchoolRepository.AllAsync(work, trainee.Ukprn, ct, atSchools) : new Dictionary<Guid, School>();
        var plan = await PlacementRepository.PlanAsync(work, trainee.Ukprn, trainee.TraineeId, ct);
        var named = placements.Where(p => p.MentorId is not null).Select(p => p.MentorId!.Value).Distinct().ToList();
        var mentoring = named.Count > 0 ? await MentorRepository.RecordsAsync(work, trainee.Ukprn, ct, named) : MentoringRecords.None;
        return PlacementRules.Summarise(placements.Select(p => (p, schools[Guid.Parse(p.SchoolId)])).ToList(), plan?.Plan, CourseDates.Of(trainee), mentoring);
    }
}
