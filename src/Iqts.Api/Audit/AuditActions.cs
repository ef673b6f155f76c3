using System.Reflection;

namespace Iqts.Api.Audit;

/// <summary>What a write did, as a history entry names it: a stable name and what it means.</summary>
public sealed record AuditAction(string Name, string Meaning)
{
    public override string ToString() => Name;
}

/// <summary>
/// Every action a history entry can carry, built like the error catalogue: one field each, names stable and never
/// renamed. The README lists them (a test keeps the two equal).
/// </summary>
public static class AuditActions
{
    // A trainee's own record.
    public static readonly AuditAction Created = new("created", "The trainee was registered.");
    public static readonly AuditAction Updated = new("updated", "The trainee's details were corrected (a PATCH).");
    public static readonly AuditAction Deferred = new("deferred", "The trainee was deferred.");
    public static readonly AuditAction Reinstated = new("reinstated", "The trainee came back from a deferral.");
    public static readonly AuditAction Withdrawn = new("withdrawn", "The trainee was withdrawn.");

    // Entry evidence (C1.1–C1.4).
    public static readonly AuditAction QualificationAdded = new("qualification_added", "An entry qualification was recorded.");
    public static readonly AuditAction QualificationRemoved = new("qualification_removed", "An entry qualification was deleted (the way a mistake is corrected).");
    public static readonly AuditAction SuitabilityChecksUpdated = new("suitability_checks_updated", "The suitability checks (C1.4) were replaced.");

    // Training in schools (C2.2, C2.4, C3.2).
    public static readonly AuditAction PlacementAdded = new("placement_added", "A placement was recorded.");
    public static readonly AuditAction PlacementUpdated = new("placement_updated", "A placement was changed.");
    public static readonly AuditAction PlacementRemoved = new("placement_removed", "A placement recorded in error was deleted.");
    public static readonly AuditAction PlacementPlanUpdated = new("placement_plan_updated", "The placement plan (C2.4 ii–iv) was recorded or replaced.");

    // Assessment and the award (C2.1 v, C2.5 i, C3.4).
    public static readonly AuditAction AssessmentRecorded = new("assessment_recorded", "An assessment against the Teachers' Standards was recorded.");
    public static readonly AuditAction AssessmentCorrected = new("assessment_corrected", "An assessment superseding an earlier one was recorded.");
    public static readonly AuditAction Awarded = new("awarded", "iQTS was awarded.");

    // The TRA.
    public static readonly AuditAction TrnReceived = new("trn_received", "The TRA gave the trainee's TRN (by the token named TRA).");
    public static readonly AuditAction AwardAcknowledged = new("award_acknowledged", "The TRA recorded the award with its TRN and QTS date.");
    public static readonly AuditAction TrnDeactivated = new("trn_deactivated", "The TRA deactivated the trainee's TRN (its webhook person.deactivated).");

    // A provider's monthly return.
    public static readonly AuditAction ReturnSubmitted = new("submitted", "A monthly return was first submitted.");
    public static readonly AuditAction ReturnCorrected = new("corrected", "A monthly return was corrected.");

    // Governance (issue 19): an inspection's and a governance change's history.
    public static readonly AuditAction InspectionBooked = new("inspection_booked", "An inspection was allocated by DfE or booked by the provider.");
    public static readonly AuditAction InspectionUpdated = new("inspection_updated", "The inspectorate, the provider (its action plan) or DfE (its meetings) recorded part of an inspection.");
    public static readonly AuditAction GovernanceChangeNotified = new("governance_change_notified", "The provider notified DfE of a change in governance or operational structure (C3.1 iv).");
    public static readonly AuditAction GovernanceChangeAnswered = new("governance_change_answered", "DfE recorded its response to a governance change.");

    // Quality assurance (issue 20): moderators and the evaluation of the training (C3.4).
    public static readonly AuditAction ModeratorAdded = new("moderator_added", "A moderator was recorded.");
    public static readonly AuditAction ModeratorUpdated = new("moderator_updated", "A moderator's details were changed.");
    public static readonly AuditAction ModerationRecorded = new("moderation_recorded", "A moderation exercise, its sample and outcomes were recorded (C3.4).");
    public static readonly AuditAction ModerationUpdated = new("moderation_updated", "A moderation exercise was changed: its report, the provider's response, its sample or outcomes.");
    public static readonly AuditAction ModerationCovered = new("moderation_covered", "A moderation exercise sampling the trainee was recorded or changed, and that changed its award check (C3.4).");
    public static readonly AuditAction MentorAdded = new("mentor_added", "A school mentor was recorded (C2.2 i and iv).");
    public static readonly AuditAction MentorUpdated = new("mentor_updated", "A mentor's details, assessment or training dates were changed.");
    public static readonly AuditAction MentorMeetingRecorded = new("mentor_meeting_recorded", "A one-to-one meeting of the provider with a mentor was recorded (C2.2 iv).");
    public static readonly AuditAction MentorChanged = new("mentor_changed", "The mentor a placement names changed its training date, and that changed the trainee's award check (C2.2).");
    public static readonly AuditAction EvaluationRecorded = new("evaluation_recorded", "An evaluation of the training and the actions taken were recorded (C3.4).");

    /// <summary>Every action, by name.</summary>
    public static IReadOnlyList<AuditAction> All { get; } = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(AuditAction))
        .Select(f => (AuditAction)f.GetValue(null)!)
        .OrderBy(a => a.Name, StringComparer.Ordinal)
        .ToList();
}
