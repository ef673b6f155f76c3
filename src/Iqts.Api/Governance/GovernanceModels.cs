using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Iqts.Api.Governance;

/// <summary>An iQTS inspectorate's details (DfE): its name and the three years DfE approved it for (seed 003).</summary>
public record InspectorateDetails
{
    /// <summary>The inspectorate's name, at most 200 characters, unique.</summary>
    public string Name { get; init; } = "";

    /// <summary>The first day of DfE's approval.</summary>
    [Required]
    public DateOnly? ApprovedFrom { get; init; }

    /// <summary>The last day of DfE's approval: after <c>approvedFrom</c> and at most three years later (seed 003).</summary>
    [Required]
    public DateOnly? ApprovedTo { get; init; }
}

/// <summary>An inspectorate as stored.</summary>
public sealed record Inspectorate : InspectorateDetails, IVersioned
{
    public Inspectorate()
    {
    }

    public Inspectorate(InspectorateDetails details)
        : base(details)
    {
    }

    public Guid InspectorateId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }

    /// <summary>Whether DfE's approval covers every day from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public bool ApprovedThroughout(DateOnly from, DateOnly to) => ApprovedFrom <= from && to <= ApprovedTo;
}

/// <summary>A DfE-approved iQTS inspectorate.</summary>
public sealed record InspectorateResponse : InspectorateDetails
{
    public InspectorateResponse(Inspectorate i)
        : base(i)
    {
        InspectorateId = i.InspectorateId;
        CreatedAt = i.CreatedAt;
        UpdatedAt = i.UpdatedAt;
    }

    [JsonPropertyOrder(-1)]
    public Guid InspectorateId { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Who booked an inspection: DfE allocates a provider's first; the provider books later ones (seed 003).</summary>
public enum AllocatedBy
{
    Dfe,
    Provider,
}

/// <summary>How far an action plan's item has got.</summary>
public enum ActionProgress
{
    NotStarted,
    InProgress,
    Done,
}

/// <summary>One item of the improvement action plan every provider produces after an inspection (seed 003).</summary>
/// <param name="Action">What will be done, at most 500 characters.</param>
/// <param name="OwnerRole">The role that owns it (a role, such as "Head of partnerships", never a person's name), at most 100 characters.</param>
/// <param name="DueOn">When it is due.</param>
/// <param name="Progress">How far it has got.</param>
public sealed record ActionPlanItem(string Action, string OwnerRole, [property: Required] DateOnly? DueOn, [property: Required] ActionProgress? Progress);

/// <summary>A meeting DfE held with a provider graded 4 (seed 003): its date and DfE's notes.</summary>
/// <param name="HeldOn">When it was held.</param>
/// <param name="Notes">DfE's notes, at most 2,000 characters; about the provision, never a person's personal data.</param>
public sealed record DfeMeeting([property: Required] DateOnly? HeldOn, string Notes);

/// <summary>
/// What is recorded about an inspection after it is booked: the inspectorate records the notification, the dates, the
/// school visited, the grades and the report; the provider keeps the action plan; DfE records its meetings after a grade 4.
/// </summary>
public record InspectionDetails
{
    /// <summary>Inspectorate: when it notified the provider, at least 21 days before <c>startsOn</c>. The inspectorate's access to the provider's records begins that day.</summary>
    public DateOnly? NotifiedOn { get; init; }

    /// <summary>Inspectorate: the first day, within the term.</summary>
    public DateOnly? StartsOn { get; init; }

    /// <summary>Inspectorate: the last day, 4 to 7 days from the first (4–5 days of inspection), within the term.</summary>
    public DateOnly? EndsOn { get; init; }

    /// <summary>Inspectorate: the provider's overseas school visited (one of its schools, outside the UK).</summary>
    public Guid? SchoolVisitedId { get; init; }

    /// <summary>Inspectorate: the provisional grade, 1–4, given on the last day.</summary>
    public int? ProvisionalGrade { get; init; }

    /// <summary>Inspectorate: the final grade, 1–4, with the agreed report; it becomes the provider's inspection grade.</summary>
    public int? FinalGrade { get; init; }

    /// <summary>Inspectorate: when the agreed report was submitted to DfE and the provider. The inspectorate's access ends that day.</summary>
    public DateOnly? ReportOn { get; init; }

    /// <summary>Inspectorate: where the report is published (https), at most 500 characters.</summary>
    public string? ReportUrl { get; init; }

    /// <summary>Provider: the improvement action plan, after the report (at most 50 items).</summary>
    public IReadOnlyList<ActionPlanItem> ActionPlan { get; init; } = [];

    /// <summary>DfE: its meetings with the provider after a grade 4 (at most 50).</summary>
    public IReadOnlyList<DfeMeeting> DfeMeetings { get; init; } = [];
}

/// <summary>An inspection as stored.</summary>
public sealed record Inspection : InspectionDetails
{
    public Inspection()
    {
    }

    public Inspection(InspectionDetails details)
        : base(details)
    {
    }

    public Guid InspectionId { get; init; }

    public string Ukprn { get; init; } = "";

    public Guid InspectorateId { get; init; }

    public Term Term { get; init; }

    public AllocatedBy AllocatedBy { get; init; }

    public DateOnly BookedOn { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }

    public Inspection WithDetails(InspectionDetails details) => new(details)
    {
        InspectionId = InspectionId,
        Ukprn = Ukprn,
        InspectorateId = InspectorateId,
        Term = Term,
        AllocatedBy = AllocatedBy,
        BookedOn = BookedOn,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        RowVersion = RowVersion,
        ChangeSeq = ChangeSeq,
    };

    /// <summary>Whether the inspectorate may read the provider's records on <paramref name="today"/>: from the notification to the report.</summary>
    public bool OpenOn(DateOnly today) => NotifiedOn <= today && (ReportOn is null || today <= ReportOn);
}

/// <summary>Books an inspection: DfE names the provider and allocates its first; a provider books its own later ones.</summary>
/// <param name="Ukprn">DfE: the provider. A provider token leaves it out (or sends its own).</param>
/// <param name="InspectorateId">A DfE-approved inspectorate whose approval covers the term.</param>
/// <param name="Term">The term, <c>YYYY-autumn</c>, <c>YYYY-spring</c> or <c>YYYY-summer</c>; a provider books at least two terms ahead.</param>
public sealed record BookInspectionRequest(string? Ukprn, [property: Required] Guid? InspectorateId, string Term);

/// <summary>An iQTS inspection of a provider (seed 003).</summary>
public sealed record InspectionResponse : InspectionDetails
{
    public InspectionResponse(Inspection i)
        : base(i)
    {
        InspectionId = i.InspectionId;
        Ukprn = i.Ukprn;
        InspectorateId = i.InspectorateId;
        Term = i.Term.ToString();
        AllocatedBy = i.AllocatedBy;
        BookedOn = i.BookedOn;
        var outlook = GovernanceRules.Outlook(i);
        ReinspectionDueBy = outlook.ReinspectionDueBy;
        NextInspectionDue = outlook.NextInspectionDue?.ToString();
        CreatedAt = i.CreatedAt;
        UpdatedAt = i.UpdatedAt;
    }

    [JsonPropertyOrder(-3)]
    public Guid InspectionId { get; init; }

    [JsonPropertyOrder(-3)]
    public string Ukprn { get; init; }

    [JsonPropertyOrder(-3)]
    public Guid InspectorateId { get; init; }

    /// <summary>The term, e.g. <c>2027-autumn</c>.</summary>
    [JsonPropertyOrder(-3)]
    public string Term { get; init; }

    [JsonPropertyOrder(-3)]
    public AllocatedBy AllocatedBy { get; init; }

    /// <summary>When it was booked.</summary>
    [JsonPropertyOrder(-3)]
    public DateOnly BookedOn { get; init; }

    /// <summary>After a final grade 4: the reinspection is due by this date, 12 months after the last day (seed 003).</summary>
    public DateOnly? ReinspectionDueBy { get; init; }

    /// <summary>After a final grade: the term the next inspection is due (three years later, in the same term; seed 003).</summary>
    public string? NextInspectionDue { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>What follows from an inspection's final grade.</summary>
public sealed record InspectionOutlook(DateOnly? ReinspectionDueBy, Term? NextInspectionDue);

/// <summary>One read an inspectorate's token made of the provider's records during the inspection.</summary>
/// <param name="At">When.</param>
/// <param name="TokenName">The inspectorate token's name.</param>
/// <param name="Operation">The operation read (its operationId), e.g. <c>GetTraineeEligibility</c>.</param>
/// <param name="Path">The path read.</param>
public sealed record AccessEntry(DateTimeOffset At, string TokenName, string Operation, string Path);

/// <summary>What a change in governance or operational structure is (C3.1 iv).</summary>
public enum GovernanceChangeKind
{
    AccountingOfficer,
    GovernanceStructure,
    OperationalStructure,
    OwnershipOrMerger,
    Other,
}

/// <summary>DfE's response to a governance change.</summary>
public enum GovernanceResponse
{
    Acknowledged,
    InformationRequested,
    ActionRequired,
}

/// <summary>A change in governance or operational structure, notified to DfE (C3.1 iv).</summary>
/// <param name="Kind">What changed.</param>
/// <param name="EffectiveOn">When it takes or took effect.</param>
/// <param name="Description">A short description, at most 1,000 characters. Say the role ("a new accounting officer"), not the person's name.</param>
public sealed record GovernanceChangeRequest([property: Required] GovernanceChangeKind? Kind, [property: Required] DateOnly? EffectiveOn, string Description);

/// <summary>DfE's response to a governance change.</summary>
/// <param name="Response">acknowledged, information_requested or action_required.</param>
/// <param name="Note">DfE's note, at most 2,000 characters.</param>
/// <param name="RespondedOn">When DfE responded, not in the future.</param>
public sealed record GovernanceChangeResponseRequest([property: Required] GovernanceResponse? Response, string Note, [property: Required] DateOnly? RespondedOn);

/// <summary>A change in governance or operational structure notified to DfE (C3.1 iv), with DfE's response once recorded.</summary>
public sealed record GovernanceChange : IVersioned
{
    public Guid GovernanceChangeId { get; init; }

    public string Ukprn { get; init; } = "";

    public GovernanceChangeKind Kind { get; init; }

    public DateOnly EffectiveOn { get; init; }

    public string Description { get; init; } = "";

    /// <summary>DfE's response; null until DfE responds.</summary>
    public GovernanceChangeResponseRequest? DfeResponse { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    [JsonIgnore]
    public long RowVersion { get; init; }

    [JsonIgnore]
    public long ChangeSeq { get; init; }
}


/// <summary>A provider on the public register: its name, its latest iQTS inspection, and when the next is due (seed 001).</summary>
/// <param name="Ukprn">UK provider reference number.</param>
/// <param name="Name">The provider's name.</param>
/// <param name="LatestInspection">The latest final iQTS inspection; null before the first.</param>
/// <param name="NextInspectionTerm">The term of the next inspection: booked, or due; null before the first.</param>
public sealed record PublicProvider(string Ukprn, string Name, PublicInspection? LatestInspection, string? NextInspectionTerm);

/// <summary>A final inspection as the public register shows it.</summary>
/// <param name="Grade">The final grade, 1–4.</param>
/// <param name="Date">The inspection's last day.</param>
/// <param name="ReportUrl">Where the report is published.</param>
public sealed record PublicInspection(int Grade, DateOnly Date, string? ReportUrl);

/// <summary>The public register of providers approved for iQTS.</summary>
public sealed record PublicRegister(IReadOnlyList<PublicProvider> Items);
