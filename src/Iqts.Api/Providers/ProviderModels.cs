using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Iqts.Api.Providers;

/// <summary>The provider's iQTS approval, set by DfE.</summary>
public enum ApprovalStatus
{
    Approved,

    /// <summary>Approved, with a problem DfE has raised for the provider to remedy by a date (seed 000); it may still register trainees.</summary>
    ConcernRaised,
    Suspended,
    Withdrawn,
}

/// <summary>Where the provider's inspection grade comes from: an Ofsted grade DfE recorded (from before iQTS), or an iQTS inspection's final grade.</summary>
public enum InspectionSource
{
    Ofsted,
    IqtsInspection,
}

/// <summary>The fields of a provider that DfE sets and may change: shared by the response, the merge patch and the stored record.</summary>
public record ProviderDetails
{
    /// <summary>The provider's name, at most 200 characters.</summary>
    public string Name { get; init; } = "";

    /// <summary>iQTS approval: approved providers (and those with a concern raised) may register trainees. Changed only through
    /// <c>POST /providers/{ukprn}/approval-history</c>, which records the step, the reason and the date.</summary>
    [Required]
    public ApprovalStatus? ApprovalStatus { get; init; }

    /// <summary>Latest inspection grade, 1 (outstanding) to 4 (inadequate): an iQTS inspection's final grade once one is agreed,
    /// otherwise the Ofsted grade DfE recorded (<c>inspectionSource</c> says which). Approval needs 1 or 2 (seed 000).</summary>
    [Required]
    public int? InspectionGrade { get; init; }

    /// <summary>Date of that inspection, not in the future.</summary>
    [Required]
    public DateOnly? InspectionDate { get; init; }

    /// <summary>DfE's permission to recruit more than 200 trainees starting in one academic year (seed 001).</summary>
    [Required]
    public bool? MayExceedTraineeCap { get; init; }
}

/// <summary>A provider as stored.</summary>
public sealed record Provider : ProviderDetails, IVersioned
{
    public Provider()
    {
    }

    public Provider(ProviderDetails details)
        : base(details)
    {
    }

    public string Ukprn { get; init; } = "";

    public InspectionSource InspectionSource { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }

    /// <summary>This provider with other details: what a PATCH produces.</summary>
    public Provider WithDetails(ProviderDetails details) => new(details)
    {
        Ukprn = Ukprn,
        InspectionSource = InspectionSource,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        RowVersion = RowVersion,
        ChangeSeq = ChangeSeq,
    };
}

/// <summary>An accredited English ITT provider approved (or once approved) to offer iQTS.</summary>
public sealed record ProviderResponse : ProviderDetails
{
    public ProviderResponse(Provider provider)
        : base(provider)
    {
        Ukprn = provider.Ukprn;
        InspectionSource = provider.InspectionSource;
        CreatedAt = provider.CreatedAt;
        UpdatedAt = provider.UpdatedAt;
    }

    /// <summary>UK provider reference number: 8 digits starting with 1.</summary>
    [JsonPropertyOrder(-1)]
    public string Ukprn { get; init; }

    /// <summary>Where <c>inspectionGrade</c> comes from: <c>ofsted</c> (recorded by DfE, from before iQTS) or <c>iqts_inspection</c> (the latest final iQTS inspection).</summary>
    public InspectionSource InspectionSource { get; init; }

    /// <summary>When the provider was registered here.</summary>
    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the provider last changed.</summary>
    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }
}

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
