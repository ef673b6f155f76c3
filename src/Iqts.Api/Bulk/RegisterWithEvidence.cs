using System.Text.RegularExpressions;
using Iqts.Api.Eligibility;
using Iqts.Api.Placements;
using Iqts.Api.Trainees;

namespace Iqts.Api.Bulk;

/// <summary>What a registration stored: the trainee as it stands after its evidence, and what was created with it.</summary>
public sealed record Registered(Trainee Trainee, CreatedEvidence? Created);

/// <summary>
/// <c>POST /trainees</c>, and each row of a batch: the registration, then each piece of evidence it carries through the
/// same operation its own endpoint runs (so nothing is stored that the single calls would refuse), all in the caller's
/// unit of work. The first refusal stops it; its fields are named with their nested path (<c>qualifications[2].gcse.grade</c>).
/// </summary>
public sealed partial class RegisterWithEvidence(
    IDbConnectionFactory db, RegisterTrainee register, AddQualification addQualification, PutSuitabilityChecks putChecks, AddPlacement addPlacement,
    PutPlacementPlan putPlan)
{
    public Task<Outcome<Registered>> RunAsync(string ukprn, CreateTraineeRequest request, bool confirmNotDuplicate, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, request, confirmNotDuplicate, actor, ct), ct);

    public async Task<Outcome<Registered>> RunAsync(UnitOfWork work, string ukprn, CreateTraineeRequest request, bool confirmNotDuplicate, Actor actor, CancellationToken ct,
        ManyRegistrations? many = null, bool insertLater = false)
    {
        var missing = new ValidationErrors();
        foreach (var i in (request.Qualifications ?? []).Index().Where(q => q.Item is null).Select(q => q.Index))
        {
            missing.Add($"qualifications[{i}]", "must be a qualification, not null.");
        }

        foreach (var i in (request.Placements ?? []).Index().Where(p => p.Item is null).Select(p => p.Index))
        {
            missing.Add($"placements[{i}]", "must be a placement, not null.");
        }

        if (!missing.IsEmpty)
        {
            return missing.ToError();
        }

        // Only a trainee without evidence may be written later: its evidence's operations read and lock it.
        var registered = await register.RunAsync(work, ukprn, request, confirmNotDuplicate, actor, ct, many, insertLater && !request.HasEvidence);
        if (registered.Failed || !request.HasEvidence)
        {
            return registered.Failed ? registered.Error : new Registered(registered.Value, null);
        }

        var traineeId = registered.Value.TraineeId;
        var qualifications = new List<Guid>();
        foreach (var (qualification, i) in (request.Qualifications ?? []).Select((q, i) => (q, i)))
        {
            var added = await addQualification.RunAsync(work, ukprn, traineeId, WithEarlierDegree(qualification, qualifications), actor, ct);
            if (added.Failed)
            {
                return Nested(added.Error, $"qualifications[{i}]");
            }

            qualifications.Add(added.Value.QualificationId);
        }

        if (request.SuitabilityChecks is { } checks && await putChecks.RunAsync(work, ukprn, traineeId, VersionCheck.Any, checks, actor, ct) is { Failed: true } refused)
        {
            return Nested(refused.Error, "suitabilityChecks");
        }

        var placements = new List<Guid>();
        foreach (var (placement, i) in (request.Placements ?? []).Select((p, i) => (p, i)))
        {
            var added = await addPlacement.RunAsync(work, ukprn, traineeId, placement, actor, ct);
            if (added.Failed)
            {
                // The trainee was just registered, so a not-found is its school: one that is not the provider's.
                return Nested(added.Error.NotFoundAsField("schoolId", "names no school of this provider."), $"placements[{i}]");
            }

            placements.Add(added.Value.PlacementId);
        }

        if (request.PlacementPlan is { } plan && await putPlan.RunAsync(work, ukprn, traineeId, VersionCheck.Any, plan, actor, ct) is { Failed: true } planRefused)
        {
            return Nested(planRefused.Error, "placementPlan");
        }

        var trainee = await TraineeRepository.FindAsync(work, ukprn, traineeId, ct);
        return new Registered(trainee!, new CreatedEvidence(qualifications.ConvertAll(q => q.ToString()), request.SuitabilityChecks is not null,
            placements.ConvertAll(p => p.ToString()), request.PlacementPlan is not null));
    }

    /// <summary>The error of a nested operation, its fields named under <paramref name="path"/>; an error of no field names the path itself.</summary>
    public static ApiError Nested(ApiError error, string path) => error with
    {
        Errors = error.Errors is { } errors
            ? errors.ToDictionary(e => e.Key == "$" ? path : e.Key.StartsWith('[') ? path + e.Key : $"{path}.{e.Key}", e => e.Value, StringComparer.Ordinal)
            : new Dictionary<string, string[]> { [path] = [error.Detail ?? error.Title] },
    };

    /// <summary>English evidence naming an earlier qualification of this request (<c>qualifications[0]</c>) names the one just created.</summary>
    private static QualificationRequest WithEarlierDegree(QualificationRequest qualification, List<Guid> created) =>
        qualification.EnglishLanguage?.DegreeQualificationId is { } named && EarlierQualification().Match(named) is { Success: true } match
            && int.TryParse(match.Groups[1].ValueSpan, out var index) && index < created.Count
            ? qualification with { EnglishLanguage = qualification.EnglishLanguage with { DegreeQualificationId = created[index].ToString() } }
            : qualification;

    [GeneratedRegex(@"^qualifications\[(\d{1,2})\]$")]
    private static partial Regex EarlierQualification();
}
