using Iqts.Api.Assessments;
using Iqts.Api.Eligibility;
using Iqts.Api.Governance;
using Iqts.Api.Placements;
using Iqts.Api.Providers;
using Iqts.Api.Quality;
using Iqts.Api.ReferenceData;
using Iqts.Api.Reports;
using Iqts.Api.Trainees;

namespace Iqts.Api.Compliance;

/// <summary>
/// <c>GET /providers/{ukprn}/evidence</c>: every record the evidence rests on read in one snapshot (a statement per table,
/// however many trainees), then the pure rules. Null when there is no such provider.
/// </summary>
public sealed class ReadEvidence(IDbConnectionFactory db, ReferenceDataSets reference, TimeProvider time)
{
    public Task<ProviderEvidence?> RunAsync(string ukprn, CancellationToken ct) => db.SnapshotAsync(async work =>
    {
        if (await ProviderRepository.FindAsync(work, ukprn, ct) is not { } provider)
        {
            return null;
        }

        var now = time.UtcNowMicros();
        var records = new EvidenceRecords(provider,
            await TraineeRepository.NotWithdrawnAsync(work, ukprn, ct),
            await EligibilityRepository.QualificationsOfProviderAsync(work, ukprn, ct),
            await EligibilityRepository.ChecksOfProviderAsync(work, ukprn, ct),
            await PlacementRepository.PlacementsOfProviderAsync(work, ukprn, ct),
            await PlacementRepository.PlansOfProviderAsync(work, ukprn, ct),
            await SchoolRepository.AllAsync(work, ukprn, ct),
            await AssessmentRepository.AssessmentsOfProviderAsync(work, ukprn, ct),
            await ReturnRepository.SinceAsync(work, ukprn, EvidenceRules.FirstMonth(now), ct),
            await GovernanceChangeRepository.ListAsync(work, ukprn, 0, 10_000, ct),
            await InspectionRepository.OfProviderAsync(work, ukprn, ct),
            await QualityRepository.ModeratorsAsync(work, ukprn, 0, 10_000, ct),
            await QualityRepository.EvaluationsAsync(work, ukprn, 0, 10_000, ct),
            await ModerationRepository.ListAsync(work, ukprn, 0, 10_000, ct),
            await ModerationRepository.CoversOfProviderAsync(work, ukprn, ct),
            await MentorRepository.RecordsAsync(work, ukprn, ct));
        return EvidenceRules.Build(records, reference, now);
    }, ct);
}
