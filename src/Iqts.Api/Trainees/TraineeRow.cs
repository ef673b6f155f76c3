using Iqts.Api.ReferenceData;

namespace Iqts.Api.Trainees;

/// <summary>
/// A row of <c>trainees</c>: one property per column (the column list is read from here), enums as their
/// snake_case names, lists as comma-separated codes. Only this file knows how a <see cref="Trainee"/> is stored.
/// </summary>
public sealed record TraineeRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<TraineeRow>();

    public Guid Id { get; init; }

    public string Ukprn { get; init; } = "";

    public string ProviderTraineeId { get; init; } = "";

    public string Status { get; init; } = "";

    public string? Trn { get; init; }

    public string Eligibility { get; init; } = "";

    public DateTimeOffset? TrnDeactivatedAt { get; init; }

    public string? AwardCheck { get; init; }

    public string FirstNames { get; init; } = "";

    public string LastName { get; init; } = "";

    public string? PreviousLastName { get; init; }

    public DateOnly DateOfBirth { get; init; }

    public string Email { get; init; } = "";

    public string Sex { get; init; } = "";

    public string Nationality { get; init; } = "";

    public string TrainingCountry { get; init; } = "";

    public string? CountryOfBirth { get; init; }

    public string? CountryOfResidence { get; init; }

    public string? FirstLanguage { get; init; }

    public string? TeachingLanguage { get; init; }

    public int? YearsOfTeachingExperience { get; init; }

    public string? ReasonForIqts { get; init; }

    public string? HighestQualificationLevel { get; init; }

    public string AgeRange { get; init; } = "";

    public string AgeRangePhase { get; init; } = "";

    public string Subjects { get; init; } = "";

    public string StudyMode { get; init; } = "";

    public DateOnly StartDate { get; init; }

    public DateOnly ExpectedEndDate { get; init; }

    /// <summary>Stored for the cap's count and for reports; derived from the start date.</summary>
    public int AcademicYear { get; init; }

    public DateOnly? DeferralDate { get; init; }

    public string? DeferralReason { get; init; }

    public DateOnly? ReinstatedOn { get; init; }

    public DateOnly? WithdrawalDate { get; init; }

    public string? WithdrawalTrigger { get; init; }

    public string? WithdrawalReasons { get; init; }

    public string? WithdrawalAnotherReason { get; init; }

    public bool? WithdrawalSafeguardingConcern { get; init; }

    public string? WithdrawalSafeguardingDetails { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }

    public Trainee ToTrainee() => SharedProperties.Copy<TraineeRow, Trainee>(this) with
    {
        TraineeId = Id,
        Status = EnumText.Parse<TraineeStatus>(Status),
        Eligibility = EnumText.Parse<EligibilityResult>(Eligibility),
        AwardCheck = EnumText.ParseOrNull<AwardRuleResult>(AwardCheck),
        Sex = EnumText.Parse<Sex>(Sex),
        ReasonForIqts = EnumText.ParseOrNull<IqtsReason>(ReasonForIqts),
        HighestQualificationLevel = EnumText.ParseOrNull<QualificationLevel>(HighestQualificationLevel),
        AgeRangePhase = EnumText.Parse<AgePhase>(AgeRangePhase),
        Subjects = Split(Subjects),
        StudyMode = EnumText.Parse<StudyMode>(StudyMode),
        Deferral = DeferralDate is { } deferred && Status == EnumText.Name(TraineeStatus.Deferred) ? new Deferral(deferred, DeferralReason ?? "") : null,
        Withdrawal = WithdrawalDate is { } withdrawn
            ? new Withdrawal(withdrawn, EnumText.Parse<WithdrawalTrigger>(WithdrawalTrigger!), Split(WithdrawalReasons), WithdrawalAnotherReason,
                WithdrawalSafeguardingConcern ?? false, WithdrawalSafeguardingDetails)
            : null,
    };

    public static TraineeRow From(Trainee t) => SharedProperties.Copy<Trainee, TraineeRow>(t) with
    {
        Id = t.TraineeId,
        Status = EnumText.Name(t.Status),
        Eligibility = EnumText.Name(t.Eligibility),
        AwardCheck = EnumText.NameOrNull(t.AwardCheck),
        Sex = EnumText.Name(t.Sex!.Value),
        ReasonForIqts = EnumText.NameOrNull(t.ReasonForIqts),
        HighestQualificationLevel = EnumText.NameOrNull(t.HighestQualificationLevel),
        AgeRangePhase = EnumText.Name(t.AgeRangePhase!.Value),
        Subjects = string.Join(',', t.Subjects),
        StudyMode = EnumText.Name(t.StudyMode!.Value),
        DeferralDate = t.Deferral?.Date,
        DeferralReason = t.Deferral?.Reason,
        WithdrawalDate = t.Withdrawal?.Date,
        WithdrawalTrigger = EnumText.NameOrNull(t.Withdrawal?.Trigger),
        WithdrawalReasons = t.Withdrawal is { } w ? string.Join(',', w.Reasons) : null,
        WithdrawalAnotherReason = t.Withdrawal?.AnotherReason,
        WithdrawalSafeguardingConcern = t.Withdrawal?.SafeguardingConcern,
        WithdrawalSafeguardingDetails = t.Withdrawal?.SafeguardingConcernDetails,
    };

    private static string[] Split(string? value) => string.IsNullOrEmpty(value) ? [] : value.Split(',');
}
