using Iqts.Api.Governance;
using Iqts.Api.Placements;
using Iqts.Api.Providers;
using Iqts.Api.Quality;
using Iqts.Api.Reports;

namespace Iqts.Api.Compliance;

/// <summary>
/// A provider's evidence of compliance with the criteria (C3.1 i), read in one snapshot: criterion by criterion over its
/// trainees (all but the withdrawn), its schools, awards, monthly returns, governance changes and last inspection.
/// </summary>
/// <param name="Ukprn">The provider.</param>
/// <param name="Name">Its name.</param>
/// <param name="ApprovalStatus">Its approval now.</param>
/// <param name="AsOf">When the snapshot was read.</param>
/// <param name="Trainees">How many trainees it covers, by status.</param>
/// <param name="Criteria">Each criterion over the trainees, in the eligibility answer's terms: which trainees meet it, which do not, which lack evidence, and the reasons' codes with how many trainees each.</param>
/// <param name="Schools">The placement schools against C2.4 v and C3.2 v, and those removed with their reasons (C3.2 iii).</param>
/// <param name="Awards">C2.5 and C3.4: awards made, final assessments moderated, trainees ready for the award and those with unmet award rules.</param>
/// <param name="Returns">The monthly returns of the last twelve months (from the month the provider was registered here), each on time, late, overdue or not due (seed 000).</param>
/// <param name="GovernanceChanges">Governance changes notified to DfE and DfE's responses (C3.1 iv).</param>
/// <param name="LastInspection">The latest final iQTS inspection and its action plan's progress; null before the first.</param>
/// <param name="NextInspectionTerm">The next inspection's term, booked or due.</param>
/// <param name="QualityAssurance">C3.4: the moderators (counted, never named) and the evaluations of the training with the actions taken.</param>
public sealed record ProviderEvidence(
    string Ukprn,
    string Name,
    ApprovalStatus ApprovalStatus,
    DateTimeOffset AsOf,
    TraineeCounts Trainees,
    IReadOnlyList<CriterionEvidence> Criteria,
    SchoolEvidence Schools,
    AwardEvidence Awards,
    IReadOnlyList<ReturnEvidence> Returns,
    IReadOnlyList<GovernanceChange> GovernanceChanges,
    InspectionEvidence? LastInspection,
    string? NextInspectionTerm,
    QualityEvidence QualityAssurance);

/// <summary>C3.4: who moderates (counts, no names) and what the provider evaluated of its training.</summary>
/// <param name="InternalModerators">Internal moderators recorded.</param>
/// <param name="InternalModeratorPartners">How many partners they come from (the provider and each school count once); seed 003 asks for two or more.</param>
/// <param name="ExternalModerators">External moderators recorded, each with its declaration of no relationship with the partnership.</param>
/// <param name="Mentors">School mentors recorded (C2.2), counted, never named.</param>
/// <param name="MentorsAssessedAndTrained">Of them, those with their skills and training needs assessed and their training completed (C2.2 i).</param>
/// <param name="MentorMeetings">One-to-one meetings of the provider with its mentors (C2.2 iv).</param>
/// <param name="Evaluations">Every evaluation, oldest first.</param>
/// <param name="Moderations">Every moderation exercise, in the order recorded.</param>
public sealed record QualityEvidence(int InternalModerators, int InternalModeratorPartners, int ExternalModerators, int Mentors, int MentorsAssessedAndTrained,
    int MentorMeetings, IReadOnlyList<EvaluationSummary> Evaluations, IReadOnlyList<ModerationSummary> Moderations);

/// <summary>A moderation exercise in brief (C3.4): who and how many took part, the sample and its outcomes, the report and the response.</summary>
/// <param name="ModerationId">The exercise.</param>
/// <param name="Kind">internal or external.</param>
/// <param name="HeldOn">When.</param>
/// <param name="Moderators">How many moderators took part.</param>
/// <param name="Sampled">How many trainees were sampled.</param>
/// <param name="AtRisk">How many of them were sampled as borderline or likely to fail.</param>
/// <param name="Agreed">Assessments the moderators agreed with.</param>
/// <param name="Adjusted">Assessments they adjusted.</param>
/// <param name="AssessmentAccuracy">External: the report's view of the accuracy of assessment, once received.</param>
/// <param name="RespondedOn">External: when the provider recorded what it changed in response.</param>
public sealed record ModerationSummary(Guid ModerationId, ModeratorKind Kind, DateOnly HeldOn, int Moderators, int Sampled, int AtRisk, int Agreed, int Adjusted,
    AssessmentAccuracy? AssessmentAccuracy, DateOnly? RespondedOn);

/// <summary>An evaluation in brief: its source, period, responses and how many actions were taken.</summary>
public sealed record EvaluationSummary(Guid EvaluationId, EvaluationSource Source, DateOnly PeriodFrom, DateOnly PeriodTo, int? Responses, int Actions);

/// <summary>The trainees the evidence covers (withdrawn ones are left out).</summary>
public sealed record TraineeCounts(int Total, int Registered, int Deferred, int Awarded);

/// <summary>One criterion over the provider's trainees.</summary>
/// <param name="Criterion">C1.1 … C3.4, as each trainee's answers name it.</param>
/// <param name="Result">not_met when any trainee does not meet it, evidence_missing when none fails but one lacks evidence, met when all meet it.</param>
/// <param name="Met">The trainees that meet it.</param>
/// <param name="NotMet">The trainees that do not.</param>
/// <param name="EvidenceMissing">The trainees whose evidence is not recorded yet.</param>
/// <param name="Reasons">Each reason code given, with how many trainees it was given for.</param>
public sealed record CriterionEvidence(string Criterion, CriterionResult Result, IReadOnlyList<Guid> Met, IReadOnlyList<Guid> NotMet, IReadOnlyList<Guid> EvidenceMissing,
    IReadOnlyList<ReasonCount> Reasons);

/// <summary>A reason code and how many trainees it was given for.</summary>
public sealed record ReasonCount(string Code, int Trainees);

/// <summary>The placement schools (C2.4 v, C3.2).</summary>
/// <param name="Total">Schools recorded.</param>
/// <param name="Ready">Schools in use with a risk assessment that found them suitable and a signed agreement covering every C3.2 v item.</param>
/// <param name="Gaps">Schools in use that lack one of those, with what is missing.</param>
/// <param name="Removed">Schools removed as placement schools, with the reason (C3.2 iii).</param>
public sealed record SchoolEvidence(int Total, IReadOnlyList<Guid> Ready, IReadOnlyList<SchoolGap> Gaps, IReadOnlyList<RemovedSchool> Removed);

/// <summary>A school in use that lacks a suitable risk assessment (<c>risk_assessment</c>) or a full signed agreement (<c>partnership_agreement</c>).</summary>
public sealed record SchoolGap(Guid SchoolId, IReadOnlyList<string> Missing);

/// <summary>A removed school and why.</summary>
public sealed record RemovedSchool(Guid SchoolId, DateOnly RemovedOn, RemovalReason? Reason);

/// <summary>C2.5 and C3.4 over the trainees.</summary>
/// <param name="Awarded">Trainees awarded iQTS.</param>
/// <param name="FinalAssessments">Trainees with a final assessment.</param>
/// <param name="FinalAssessmentsModerated">Of those, how many final assessments were moderated (C3.4).</param>
/// <param name="ReadyToAward">Registered trainees whose every award rule holds.</param>
/// <param name="NotReady">Registered trainees with unmet award rules, and their codes.</param>
public sealed record AwardEvidence(int Awarded, int FinalAssessments, int FinalAssessmentsModerated, IReadOnlyList<Guid> ReadyToAward, IReadOnlyList<UnmetAward> NotReady);

/// <summary>A trainee and the codes of its unmet award rules.</summary>
public sealed record UnmetAward(Guid TraineeId, IReadOnlyList<string> Codes);

/// <summary>A month's return and whether it met its deadline.</summary>
public sealed record ReturnEvidence(string Month, ReturnStatus Status);

/// <summary>The latest final inspection and its action plan's progress.</summary>
public sealed record InspectionEvidence(Guid InspectionId, string Term, int FinalGrade, DateOnly EndsOn, string? ReportUrl, DateOnly? ReinspectionDueBy,
    ActionPlanProgress ActionPlan);

/// <summary>How far the improvement action plan has got: items by progress, and those past their due date and not done.</summary>
public sealed record ActionPlanProgress(int Items, int NotStarted, int InProgress, int Done, int Overdue);
