using System.Text.Json;
using Iqts.Api.Assessments;
using Iqts.Api.Eligibility;
using Iqts.Api.Governance;
using Iqts.Api.Placements;
using Iqts.Api.Providers;
using Iqts.Api.Quality;
using Iqts.Api.ReferenceData;
using Iqts.Api.Reports;
using Iqts.Api.Tra;
using Iqts.Api.Trainees;

namespace Iqts.Api.Composition;

/// <summary>
/// The features' own code lists, served beside the embedded ones at <c>GET /reference-data/{set}</c>: gathered here, at the
/// composition root, so that reference data depends on no feature and every feature may depend on reference data.
/// </summary>
public static class CodeLists
{
    public static IReadOnlyList<ReferenceSet> All { get; } =
    [
        ReferenceSet.FromEnum<StudyMode>("study-modes", "Full or part time (seed 001)."),
        ReferenceSet.FromEnum<Sex>("sexes", "Sex, as DfE's Register trainee teachers records it."),
        ReferenceSet.FromEnum<IqtsReason>("iqts-reasons", "Why the trainee is taking iQTS (management information, seed 000)."),
        ReferenceSet.FromEnum<QualificationLevel>("qualification-levels", "Highest level of qualification held (management information, seed 000)."),
        ReferenceSet.FromEnum<TraineeStatus>("trainee-statuses", "Where a trainee is on the programme."),
        ReferenceSet.FromEnum<WithdrawalTrigger>("withdrawal-triggers", "Who decided the trainee would withdraw."),
        WithdrawalReasons(),
        ReferenceSet.FromEnum<QualificationKind>("qualification-kinds", "What a qualification evidences: GCSE-standard maths and science (C1.1), a degree (C1.2), English (C1.3)."),
        ReferenceSet.FromEnum<GcseEvidence>("gcse-evidence", "How a GCSE-standard qualification is evidenced (C1.1)."),
        ReferenceSet.FromEnum<GcseComparability>("gcse-comparability", "What UK ENIC states a school qualification is comparable to."),
        ReferenceSet.FromEnum<DegreeOrigin>("degree-origins", "A UK or a non-UK degree (C1.2)."),
        ReferenceSet.FromEnum<DegreeComparability>("degree-comparability", "What UK ENIC states a non-UK degree is comparable to (C1.2 ii); bachelor's degree standard or above meets C1.2."),
        ReferenceSet.FromEnum<EnglishEvidence>("english-evidence", "How English proficiency is evidenced (C1.3): IELTS, another test judged equivalent, or education in English."),
        ReferenceSet.FromEnum<CheckName>("suitability-checks", "The suitability and safeguarding checks of C1.4."),
        ReferenceSet.FromEnum<CheckOutcome>("check-outcomes", "The outcome of a C1.4 check."),
        ReferenceSet.FromEnum<NotAvailableReason>("not-available-reasons", "Why a C1.4 check is not available; docs/adr/0004 says which count as met for which check."),
        ReferenceSet.FromEnum<EligibilityResult>("eligibility-results", "A trainee's standing against the entry criteria C1.1-C1.4."),
        ReferenceSet.FromEnum<SchoolType>("school-types", "The kind of school a trainee trains in (seed 000)."),
        ReferenceSet.FromEnum<RiskOutcome>("risk-outcomes", "What the provider's risk assessment of a placement school concluded (C2.4 v)."),
        ReferenceSet.FromEnum<RemovalReason>("removal-reasons", "Why a school was removed as a placement school (C3.2 iii)."),
        ReferenceSet.FromEnum<PartnershipItem>("partnership-items", "What a partnership agreement details (C3.2 v a-h); C3.2 needs all eight."),
        ReferenceSet.FromEnum<SecondSchoolStatus>("second-school-statuses", "Whether a trainee trains in a second school, or why not (C2.4 iii-iv)."),
        ReferenceSet.FromEnum<PlacementResult>("placement-results", "A trainee's training in schools against C2.2, C2.4 and C3.2."),
        TeachersStandards(),
        ReferenceSet.FromEnum<AssessmentStage>("assessment-stages", "An interim assessment, or the final one that judges every standard (C2.5 i)."),
        ReferenceSet.FromEnum<AssessorRole>("assessor-roles", "Who assessed the trainee."),
        ReferenceSet.FromEnum<JudgementOutcome>("judgement-outcomes", "A judgement against one standard."),
        ReferenceSet.FromEnum<ModerationKind>("moderation-kinds", "How an assessment was moderated (C3.4)."),
        ReferenceSet.FromEnum<SubmissionKind>("tra-submission-kinds", "What the API sends to the TRA: a TRN request, or the trainee's iQTS route."),
        ReferenceSet.FromEnum<SubmissionState>("tra-submission-states", "Where a message to the TRA stands."),
        ReferenceSet.FromEnum<ApprovalStatus>("approval-statuses", "A provider's iQTS approval (seed 000): approved, a concern raised, suspended or withdrawn."),
        ReferenceSet.FromEnum<ApprovalStep>("approval-steps", "The step of DfE's process a change of approval belongs to (seed 000; ADR 0011 lists which change each allows)."),
        ReferenceSet.FromEnum<InspectionSource>("inspection-sources", "Where a provider's inspection grade comes from: an Ofsted grade from before iQTS, or an iQTS inspection."),
        ReferenceSet.FromEnum<TermName>("terms", "The terms inspections are booked in (ADR 0011): autumn 1 September-31 December, spring 1 January-31 March, summer 1 April-31 July."),
        ReferenceSet.FromEnum<AllocatedBy>("inspection-allocations", "Who booked an inspection: DfE allocates the first, the provider books later ones (seed 003)."),
        ReferenceSet.FromEnum<ActionProgress>("action-progress", "How far an item of an inspection's improvement action plan has got."),
        ReferenceSet.FromEnum<GovernanceChangeKind>("governance-change-kinds", "What changed in a provider's governance or operational structure (C3.1 iv)."),
        ReferenceSet.FromEnum<GovernanceResponse>("governance-responses", "DfE's response to a governance change (C3.1 iv)."),
        ReferenceSet.FromEnum<ModeratorKind>("moderator-kinds", "A moderator of the partnership's assessments: internal or external (C3.4, seed 003)."),
        ReferenceSet.FromEnum<ModeratorPartner>("moderator-partners", "Which partner an internal moderator works for: the provider or one of its schools."),
        ReferenceSet.FromEnum<SampleReason>("sample-reasons", "Why a trainee is in a moderation exercise's sample (seed 003)."),
        ReferenceSet.FromEnum<SampleOutcome>("sample-outcomes", "What the moderators made of a sampled assessment: agreed, or adjusted by a superseding assessment."),
        ReferenceSet.FromEnum<AssessmentAccuracy>("assessment-accuracy", "The external moderator's view of how accurately the partnership assesses against the iQTS Teachers' Standards."),
        ReferenceSet.FromEnum<EvaluationSource>("evaluation-sources", "Whose view of the training an evaluation gathers (C3.4)."),
        ReferenceSet.FromEnum<ReturnStatus>("return-statuses", "Whether a provider's monthly return came in by the 15th of the following month (seed 000)."),
        new("teaching-experience-bands", "The bands of years of teaching experience the monthly report counts trainees in (management information, seed 000).",
            ReportRules.ExperienceBands.Select(b => new ReferenceEntry(b.Code, b.Name, new Dictionary<string, JsonElement>
            {
                ["from"] = JsonSerializer.SerializeToElement(b.From),
                ["to"] = JsonSerializer.SerializeToElement(b.To),
            })).ToList()),
    ];

    /// <summary>The iQTS Teachers' Standards: the eight standards of Part One and Part Two, personal and professional conduct.</summary>
    private static ReferenceSet TeachersStandards() => new(
        "teachers-standards",
        "The iQTS Teachers' Standards an assessment judges: TS1-TS8 and Part Two (personal and professional conduct).",
        [
            new("ts1", "Set high expectations which inspire, motivate and challenge pupils"),
            new("ts2", "Promote good progress and outcomes by pupils"),
            new("ts3", "Demonstrate good subject and curriculum knowledge"),
            new("ts4", "Plan and teach well structured lessons"),
            new("ts5", "Adapt teaching to respond to the strengths and needs of all pupils"),
            new("ts6", "Make accurate and productive use of assessment"),
            new("ts7", "Manage behaviour effectively to ensure a good and safe learning environment"),
            new("ts8", "Fulfil wider professional responsibilities"),
            new("part_two", "Personal and professional conduct"),
        ]);

    private static ReferenceSet WithdrawalReasons() => new(
        "withdrawal-reasons",
        "Reasons for withdrawal, by trigger, as in DfE's Register trainee teachers. A reason ending in another_reason needs anotherReason; safeguarding_concerns needs safeguardingConcernDetails.",
        WithdrawalReasonCatalogue.All.Select(r => new ReferenceEntry(r.Code, r.Name, new Dictionary<string, JsonElement>
        {
            ["trigger"] = JsonSerializer.SerializeToElement(EnumText.Name(r.Trigger)),
            ["requiresAnotherReason"] = JsonSerializer.SerializeToElement(r.RequiresAnotherReason),
            ["requiresSafeguardingConcernDetails"] = JsonSerializer.SerializeToElement(r.RequiresSafeguardingDetails),
        })).ToList());
}
