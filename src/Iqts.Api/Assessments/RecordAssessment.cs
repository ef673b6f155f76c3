using Iqts.Api.Trainees;

namespace Iqts.Api.Assessments;

/// <summary>
/// <c>POST …/assessments</c>: the trainee read and locked (an awarded trainee's assessments are final), the rules given its
/// other assessments (a correction names the one it supersedes), then the assessment, appended (C3.4).
/// </summary>
public sealed class RecordAssessment(IDbConnectionFactory db, TraineeChanges changes, TimeProvider time)
{
    public Task<Outcome<Assessment>> RunAsync(string ukprn, Guid traineeId, AssessmentRequest request, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, traineeId, request, actor, ct), ct);

    public async Task<Outcome<Assessment>> RunAsync(UnitOfWork work, string ukprn, Guid traineeId, AssessmentRequest request, Actor actor, CancellationToken ct)
    {
        var begun = await changes.BeginAsync(work, ukprn, traineeId, "its assessments", ct);
        var decision = begun.Failed
            ? begun.Error
            : AssessmentRules.Record(request, begun.Value.Current, await AssessmentRepository.AssessmentsAsync(work, ukprn, traineeId, ct), time.Today());
        if (decision.Failed)
        {
            return decision.Error;
        }

        var change = begun.Value;
        var assessment = new Assessment(decision.Value) { AssessmentId = Guid.CreateVersion7(change.At), TraineeId = traineeId, RecordedAt = change.At };
        await AssessmentRepository.InsertAsync(work, ukprn, assessment, ct);
        await changes.SaveAsync(change, change.Current, actor, assessment.Supersedes is null ? AuditActions.AssessmentRecorded : AuditActions.AssessmentCorrected,
            AuditTrail.Diff(null, assessment, $"assessments[{assessment.AssessmentId}]."), ct);
        return assessment;
    }
}
