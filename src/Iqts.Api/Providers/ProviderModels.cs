using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Iqts.Api.Providers;

/// <summary>The provider's iQTS approval, set by DfE.</summary>
public enum ApprovalStatus
{
    Approved,
    Suspended,
    Withdrawn,
}

/// <summary>An accredited English ITT provider approved (or once approved) to offer iQTS.</summary>
/// <param name="Ukprn">UK provider reference number: 8 digits starting with 1.</param>
/// <param name="Name">The provider's name.</param>
/// <param name="ApprovalStatus">iQTS approval: approved providers may register trainees.</param>
/// <param name="InspectionGrade">Latest Ofsted ITT inspection grade, 1 (outstanding) to 4 (inadequate). Approval needs 1 or 2 (seed 000).</param>
/// <param name="InspectionDate">Date of that inspection.</param>
/// <param name="MayExceedTraineeCap">DfE's permission to recruit more than 200 trainees starting in one academic year (seed 001).</param>
/// <param name="CreatedAt">When the provider was registered here.</param>
/// <param name="UpdatedAt">When the provider last changed.</param>
public sealed record ProviderResponse(
    string Ukprn,
    string Name,
    ApprovalStatus ApprovalStatus,
    int InspectionGrade,
    DateOnly InspectionDate,
    bool MayExceedTraineeCap,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>Registers a provider (DfE only).</summary>
/// <param name="Ukprn">UK provider reference number: a string of 8 digits starting with 1.</param>
/// <param name="Name">The provider's name, at most 200 characters.</param>
/// <param name="ApprovalStatus">Defaults to approved.</param>
/// <param name="InspectionGrade">Latest inspection grade, 1–4.</param>
/// <param name="InspectionDate">Date of that inspection, not in the future.</param>
/// <param name="MayExceedTraineeCap">Defaults to false.</param>
public sealed record CreateProviderRequest(
    string Ukprn,
    string Name,
    [property: DefaultValue("approved")] ApprovalStatus? ApprovalStatus,
    [property: Required] int? InspectionGrade,
    [property: Required] DateOnly? InspectionDate,
    [property: DefaultValue(false)] bool? MayExceedTraineeCap);

/// <summary>
/// The fields of a provider that PATCH may change (JSON merge patch, RFC 7396). Send only
/// what changes; <c>ukprn</c> cannot change.
/// </summary>
public sealed record ProviderPatch(
    string? Name,
    ApprovalStatus? ApprovalStatus,
    int? InspectionGrade,
    DateOnly? InspectionDate,
    bool? MayExceedTraineeCap);
