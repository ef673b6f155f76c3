using System.Text.Json.Nodes;
using Iqts.Api.Providers;
using Iqts.Api.ReferenceData;

namespace Iqts.Api.Trainees;

/// <summary>
/// <c>PATCH /trainees/{id}</c>, a JSON merge patch of the details. A start date moved into another academic year counts
/// against that year's cap (seed 001); a change of phase re-evaluates the entry criteria (a participant does that); a
/// patch that changes nothing writes nothing.
/// </summary>
public sealed class UpdateTrainee(IDbConnectionFactory db, TraineeChanges changes, ReferenceDataSets reference, TimeProvider time)
{
    /// <summary>What a PATCH refuses by name: every response field that is not one of the details.</summary>
    public static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<TraineeResponse, TraineeDetails>(Json.Options);

    public Task<Outcome<Trainee>> RunAsync(string ukprn, Guid id, VersionCheck ifMatch, JsonObject patch, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, id, ifMatch, patch, actor, ct), ct);

    public async Task<Outcome<Trainee>> RunAsync(UnitOfWork work, string ukprn, Guid id, VersionCheck ifMatch, JsonObject patch, Actor actor, CancellationToken ct)
    {
        var begun = await changes.BeginAsync(work, ukprn, id, whatChanges: null, ct, ifMatch);
        if (begun.Failed)
        {
            return begun.Error;
        }

        var current = begun.Value.Current;
        var next = MergePatch.Apply(TraineeRules.PatchTarget(current, reference), patch, Json.Options, Immutable)
            .Then(details => TraineeRules.Correct(current, details, reference, time.Today()));
        if (next.Failed)
        {
            return next;
        }

        var change = begun.Value;
        if (next.Value.AcademicYear != current.AcademicYear)
        {
            // The cap counts the provider's other trainees: nobody else may move one into that year while we count.
            change = await changes.SerialiseAsync(change, ct);
            var mayExceed = (await ProviderRepository.FindAsync(work, ukprn, ct))?.MayExceedTraineeCap == true;
            if (!mayExceed && !TraineeRules.CapAllows(await TraineeRepository.CountStartingAsync(work, ukprn, next.Value.AcademicYear, ct), mayExceed))
            {
                return ApiErrors.TraineeCapReached(TraineeRules.TraineeCap);
            }
        }

        return await changes.SaveAsync(change, next.Value, actor, AuditActions.Updated, [], ct);
    }
}
