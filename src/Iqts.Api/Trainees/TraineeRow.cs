namespace Iqts.Api.Trainees;

/// <summary>A trainee as stored: one row, lists as comma-separated codes, enums as their snake_case names.</summary>
public sealed record TraineeRow
{
    public Guid Id { get; init; }

    public string Ukprn { get; init; } = "";

    public string ProviderTraineeId { get; init; } = "";

    public string Status { get; init; } = "";

    public string? Trn { get; init; }

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

    public TraineeStatus StatusValue => Parse<TraineeStatus>(Status);

    public TraineeResponse ToResponse() => new(
        Id.ToString(),
        ProviderTraineeId,
        StatusValue,
        Trn,
        FirstNames,
        LastName,
        PreviousLastName,
        DateOfBirth,
        Email,
        Parse<Sex>(Sex),
        Nationality,
        TrainingCountry,
        CountryOfBirth,
        CountryOfResidence,
        FirstLanguage,
        TeachingLanguage,
        YearsOfTeachingExperience,
        ReasonForIqts is null ? null : Parse<IqtsReason>(ReasonForIqts),
        HighestQualificationLevel is null ? null : Parse<QualificationLevel>(HighestQualificationLevel),
        AgeRange,
        Parse<AgePhase>(AgeRangePhase),
        Split(Subjects),
        Parse<StudyMode>(StudyMode),
        StartDate,
        ExpectedEndDate,
        TraineeRules.AcademicYearLabel(AcademicYear),
        StatusValue == TraineeStatus.Deferred && DeferralDate is { } deferred ? new Deferral(deferred, DeferralReason ?? "") : null,
        ReinstatedOn,
        WithdrawalDate is { } withdrawn
            ? new Withdrawal(withdrawn, Parse<WithdrawalTrigger>(WithdrawalTrigger!), Split(WithdrawalReasons), WithdrawalAnotherReason,
                WithdrawalSafeguardingConcern ?? false, WithdrawalSafeguardingDetails)
            : null,
        CreatedAt,
        UpdatedAt);

    /// <summary>The editable fields as a create request, the state a merge patch is applied to.</summary>
    public CreateTraineeRequest ToInput() => new(
        ProviderTraineeId, FirstNames, LastName, PreviousLastName, DateOfBirth, Email, Parse<Sex>(Sex), Nationality, TrainingCountry,
        CountryOfBirth, CountryOfResidence, FirstLanguage, TeachingLanguage, YearsOfTeachingExperience,
        ReasonForIqts is null ? null : Parse<IqtsReason>(ReasonForIqts),
        HighestQualificationLevel is null ? null : Parse<QualificationLevel>(HighestQualificationLevel),
        AgeRange, Parse<AgePhase>(AgeRangePhase), Split(Subjects), Parse<StudyMode>(StudyMode), StartDate, ExpectedEndDate);

    /// <summary>This row with the editable fields of a validated input.</summary>
    public TraineeRow WithInput(CreateTraineeRequest input, AgePhase phase) => this with
    {
        FirstNames = input.FirstNames.Trim(),
        LastName = input.LastName.Trim(),
        PreviousLastName = input.PreviousLastName?.Trim(),
        DateOfBirth = input.DateOfBirth!.Value,
        Email = input.Email.Trim(),
        Sex = Name(input.Sex!.Value),
        Nationality = input.Nationality,
        TrainingCountry = input.TrainingCountry,
        CountryOfBirth = input.CountryOfBirth,
        CountryOfResidence = input.CountryOfResidence,
        FirstLanguage = input.FirstLanguage,
        TeachingLanguage = input.TeachingLanguage,
        YearsOfTeachingExperience = input.YearsOfTeachingExperience,
        ReasonForIqts = input.ReasonForIqts is { } reason ? Name(reason) : null,
        HighestQualificationLevel = input.HighestQualificationLevel is { } level ? Name(level) : null,
        AgeRange = input.AgeRange,
        AgeRangePhase = Name(phase),
        Subjects = string.Join(',', input.Subjects),
        StudyMode = Name(input.StudyMode!.Value),
        StartDate = input.StartDate!.Value,
        ExpectedEndDate = input.ExpectedEndDate!.Value,
        AcademicYear = TraineeRules.AcademicYearOf(input.StartDate.Value),
    };

    public static string Name<T>(T value)
        where T : struct, Enum => Http.EnumQuery.Name(value);

    private static T Parse<T>(string value)
        where T : struct, Enum => Enum.Parse<T>(value.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    private static string[] Split(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(',');
}
