using System.ComponentModel.DataAnnotations;

namespace Iqts.Api.Providers;

/// <summary>
/// The step of DfE's process a change of approval belongs to (seed 000): a concern raised for the provider to remedy, the
/// concern remedied, the formal process of suspending or withdrawing approval, the same at once for the most serious
/// non-compliance, and approval restored after a suspension or withdrawal. <c>registered</c> is the provider's first entry.
/// </summary>
public enum ApprovalStep
{
    Registered,
    ConcernRaised,
    Remedied,
    FormalProcess,
    SeriousNonCompliance,
    Reinstated,
}

/// <summary>A change of a provider's iQTS approval (DfE only): the new status, the step it belongs to, why and from when.</summary>
/// <param name="ApprovalStatus">The provider's approval from <c>effectiveOn</c>.</param>
/// <param name="Step">The step of the process this change belongs to; <c>GET /reference-data/approval-steps</c> says which change each allows.</param>
/// <param name="Reason">Why, at most 1,000 characters. About the provider, never a person's personal data.</param>
/// <param name="EffectiveOn">When the change took effect: not in the future, and not before the previous change.</param>
/// <param name="Remedy">For <c>concern_raised</c> only: what the provider must remedy, at most 1,000 characters.</param>
/// <param name="RemedyBy">For <c>concern_raised</c> only: by when, after <c>effectiveOn</c>.</param>
public sealed record ApprovalChangeRequest(
    [property: Required] ApprovalStatus? ApprovalStatus,
    [property: Required] ApprovalStep? Step,
    string Reason,
    [property: Required] DateOnly? EffectiveOn,
    string? Remedy,
    DateOnly? RemedyBy);

/// <summary>One change of a provider's approval, as recorded.</summary>
/// <param name="ApprovalStatus">The approval from <c>effectiveOn</c>.</param>
/// <param name="PreviousApprovalStatus">The approval before; null for the first entry.</param>
/// <param name="Step">The step of the process the change belongs to.</param>
/// <param name="Reason">Why.</param>
/// <param name="EffectiveOn">When it took effect.</param>
/// <param name="Remedy">What the provider must remedy (a concern).</param>
/// <param name="RemedyBy">By when (a concern).</param>
/// <param name="RecordedAt">When DfE recorded it here.</param>
/// <param name="RecordedBy">The name of the token that recorded it.</param>
public sealed record ApprovalEntry(
    ApprovalStatus ApprovalStatus,
    ApprovalStatus? PreviousApprovalStatus,
    ApprovalStep Step,
    string Reason,
    DateOnly EffectiveOn,
    string? Remedy,
    DateOnly? RemedyBy,
    DateTimeOffset RecordedAt,
    string RecordedBy);

/// <summary>A provider's approval history, oldest first.</summary>
/// <param name="Ukprn">The provider.</param>
/// <param name="ApprovalStatus">Its approval now.</param>
/// <param name="Items">Every change, oldest first.</param>
public sealed record ApprovalHistory(string Ukprn, ApprovalStatus ApprovalStatus, IReadOnlyList<ApprovalEntry> Items);
