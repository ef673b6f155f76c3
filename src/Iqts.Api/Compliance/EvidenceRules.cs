using Iqts.Api.Assessments;
using Iqts.Api.Awards;
using Iqts.Api.Eligibility;
using Iqts.Api.Governance;
using Iqts.Api.Placements;
using Iqts.Api.Providers;
using Iqts.Api.Quality;
using Iqts.Api.ReferenceData;
using Iqts.Api.Reports;
using Iqts.Api.Trainees;

namespace Iqts.Api.Compliance;

/// <summary>Everything the evidence read rests on, as read in one snapshot.</summary>
public sealed record EvidenceRecords(
    Provider Provider,
    IReadOnlyList<Trainee> Trainees,
    ILookup<Guid, Qualification> Qualifications,
    IReadOnlyDictionary<Guid, SuitabilityChecks> Checks,
    ILookup<Guid, Placement> Placements,
    IReadOnlyDictionary<Guid, PlacementPlan> Plans,
    IReadOnlyDictionary<Guid, School> Schools,
    ILookup<Guid, Assessment> Assessments,
    IReadOnlyList<MonthlyReturn> Returns,
    IReadOnlyList<GovernanceChange> GovernanceChanges,
    IReadOnlyList<Inspection> Inspections,
    IReadOnlyList<Moderator> Moderators,
    IReadOnlyList<TrainingEvaluation> Evaluations,
    IReadOnlyList<ModerationExercise> Moderations,
    ILookup<Guid, ModerationCover> Covers,
    MentoringRecords Mentoring);

/// <summary>
/// The evidence of compliance from the records: each trainee evaluated by the same pure rules its own answers use (the
/// entry criteria, the placement summary, the award check), then gathered criterion by criterion.
/// </summary>
public static class EvidenceRules
{
    public static ProviderEvidence Build(EvidenceRecords r, ReferenceDataSets reference, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var verdicts = new Dictionary<string, List<(Guid Trainee, CriterionCheck Check)>>();
        var notReady = new List<UnmetAward>();
        var ready = new List<Guid>();
        int finals = 0, moderated = 0;
        foreach (var trainee in r.Trainees)
        {
            var id = trainee.TraineeId;
            var eligibility = EligibilityRules.Evaluate(trainee.AgeRangePhase!.Value,
                r.Qualifications[id].Select(q => (q.QualificationId.ToString(), (QualificationRequest)q)).ToList(),
                r.Checks.GetValueOrDefault(id) ?? new SuitabilityChecks(), reference);
            var placements = PlacementRules.Summarise(r.Placements[id].Select(p => (p, r.Schools[Guid.Parse(p.SchoolId)])).ToList(),
                r.Plans.GetValueOrDefault(id), CourseDates.Of(trainee), r.Mentoring);
            var assessments = r.Assessments[id].ToList();
            var check = AwardRules.Check(trainee, eligibility, placements, assessments, r.Covers[id].ToList());
            // C2.2 i and iv are not award rules (ADR 0012) but are the provider's evidence of mentoring: gathered with the rest.
            foreach (var c in check.Criteria.Where(c => c.Criterion != "status").Concat(placements.Mentoring))
            {
                (verdicts.TryGetValue(c.Criterion, out var list) ? list : verdicts[c.Criterion] = []).Add((id, c));
            }

            if (AssessmentRules.LatestFinal(assessments) is not null)
            {
                finals++;
                moderated += check.Criteria.Any(c => c.Criterion == "C3.4" && c.Verdict == Verdict.Met) ? 1 : 0;
            }

            if (trainee.Status == TraineeStatus.Registered)
            {
                var unmet = check.Criteria.Where(c => c.Verdict != Verdict.Met).SelectMany(c => c.Reasons.Select(x => x.Code)).ToList();
                if (unmet.Count == 0)
                {
                    ready.Add(id);
                }
                else
                {
                    notReady.Add(new UnmetAward(id, unmet));
                }
            }
        }

        var (latest, next) = GovernanceRules.LatestAndNext(r.Inspections, Term.Of(today));
        return new ProviderEvidence(
            r.Provider.Ukprn, r.Provider.Name, r.Provider.ApprovalStatus!.Value, now,
            new TraineeCounts(r.Trainees.Count, r.Trainees.Count(t => t.Status == TraineeStatus.Registered), r.Trainees.Count(t => t.Status == TraineeStatus.Deferred),
                r.Trainees.Count(t => t.Status == TraineeStatus.Awarded)),
            verdicts.Select(v => Criterion(v.Key, v.Value)).ToList(),
            Schools(r.Schools.Values),
            new AwardEvidence(r.Trainees.Count(t => t.Status == TraineeStatus.Awarded), finals, moderated, ready, notReady),
            Returns(r.Returns, now, r.Provider.CreatedAt),
            r.GovernanceChanges,
            latest is null ? null : new InspectionEvidence(latest.InspectionId, latest.Term.ToString(), latest.FinalGrade!.Value, latest.EndsOn!.Value, latest.ReportUrl,
                GovernanceRules.Outlook(latest).ReinspectionDueBy, Progress(latest.ActionPlan, today)),
            next?.ToString(),
            Quality(r.Moderators, r.Evaluations, r.Moderations, r.Mentoring));
    }

    private static CriterionEvidence Criterion(string criterion, List<(Guid Trainee, CriterionCheck Check)> all)
    {
        List<Guid> With(Verdict v) => all.Where(a => a.Check.Verdict == v).Select(a => a.Trainee).ToList();
        return new CriterionEvidence(criterion, CriterionResults.Criterion(Evaluation.Overall(all.Select(a => a.Check.Verdict))), With(Verdict.Met), With(Verdict.NotMet),
            With(Verdict.Incomplete),
            all.SelectMany(a => a.Check.Reasons.Select(x => x.Code).Distinct()).GroupBy(c => c).Select(g => new ReasonCount(g.Key, g.Count())).OrderBy(c => c.Code, StringComparer.Ordinal).ToList());
    }

    /// <summary>Schools in use with a suitable risk assessment (C2.4 v) and a signed agreement covering every C3.2 v item are ready.</summary>
    public static SchoolEvidence Schools(IEnumerable<School> schools)
    {
        var all = schools.OrderBy(s => s.SchoolId).ToList();
        var gaps = new List<SchoolGap>();
        foreach (var school in all.Where(s => s.RemovedOn is null))
        {
            var missing = new List<string>();
            if (school.RiskAssessment?.Outcome != RiskOutcome.Suitable)
            {
                missing.Add("risk_assessment");
            }

            if (school.PartnershipAgreement is not { } agreement || Enum.GetValues<PartnershipItem>().Any(i => !agreement.Covers.Contains(i)))
            {
                missing.Add("partnership_agreement");
            }

            if (missing.Count > 0)
            {
                gaps.Add(new SchoolGap(school.SchoolId, missing));
            }
        }

        return new SchoolEvidence(all.Count,
            all.Where(s => s.RemovedOn is null && gaps.All(g => g.SchoolId != s.SchoolId)).Select(s => s.SchoolId).ToList(),
            gaps,
            all.Where(s => s.RemovedOn is not null).Select(s => new RemovedSchool(s.SchoolId, s.RemovedOn!.Value, s.RemovalReason)).ToList());
    }

    /// <summary>
    /// The twelve months before this one, each with its return's status (a month without a return is overdue or not yet
    /// due); none from before the month the provider was registered here, which it could not have returned.
    /// </summary>
    public static IReadOnlyList<ReturnEvidence> Returns(IReadOnlyList<MonthlyReturn> returns, DateTimeOffset now, DateTimeOffset registered)
    {
        var thisMonth = new DateOnly(now.Year, now.Month, 1);
        var first = new DateOnly(registered.Year, registered.Month, 1);
        var byMonth = returns.ToDictionary(x => x.Month);
        return Enumerable.Range(1, 12).Select(n => thisMonth.AddMonths(-n)).Where(m => m >= first).OrderBy(m => m).Select(m =>
        {
            var key = m.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            return new ReturnEvidence(key, ReportRules.Status(m, byMonth.TryGetValue(key, out var x) ? x.SubmittedAt : null, now));
        }).ToList();
    }

    /// <summary>C3.4's moderators counted (never named) and the evaluations in brief.</summary>
    public static QualityEvidence Quality(IReadOnlyList<Moderator> moderators, IReadOnlyList<TrainingEvaluation> evaluations, IReadOnlyList<ModerationExercise> moderations,
        MentoringRecords mentoring)
    {
        int Outcomes(ModerationExercise m, SampleOutcome outcome) => m.Sample.Sum(s => s.Assessments!.Count(a => a.Outcome == outcome));
        var internals = moderators.Where(m => m.Kind == ModeratorKind.Internal).ToList();
        return new QualityEvidence(internals.Count, internals.Select(m => m.Partner == ModeratorPartner.School ? m.SchoolId : null).Distinct().Count(),
            moderators.Count(m => m.Kind == ModeratorKind.External),
            mentoring.Mentors.Count, mentoring.Mentors.Values.Count(m => m.NeedsAssessedOn is not null && m.TrainingCompletedOn is not null),
            mentoring.Meetings.Sum(g => g.Count()),
            evaluations.Select(e => new EvaluationSummary(e.EvaluationId, e.Source, e.PeriodFrom, e.PeriodTo, e.Responses, e.Actions.Count)).ToList(),
            moderations.Select(m => new ModerationSummary(m.ModerationId, m.Kind!.Value, m.HeldOn!.Value, m.ModeratorIds.Count, m.Sample.Count,
                m.Sample.Count(s => s.Reasons!.Any(x => x is SampleReason.Borderline or SampleReason.LikelyToFail)),
                Outcomes(m, SampleOutcome.Agreed), Outcomes(m, SampleOutcome.Adjusted), m.Report?.AssessmentAccuracy, m.Response?.ChangedOn)).ToList());
    }

    public static string FirstMonth(DateTimeOffset now) => new DateOnly(now.Year, now.Month, 1).AddMonths(-12).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    private static ActionPlanProgress Progress(IReadOnlyList<ActionPlanItem> plan, DateOnly today) => new(plan.Count,
        plan.Count(i => i.Progress == ActionProgress.NotStarted), plan.Count(i => i.Progress == ActionProgress.InProgress), plan.Count(i => i.Progress == ActionProgress.Done),
        plan.Count(i => i.Progress != ActionProgress.Done && i.DueOn < today));
}
