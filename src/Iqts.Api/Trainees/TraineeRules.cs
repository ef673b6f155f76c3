using System.Globalization;
using System.Text.RegularExpressions;
using Iqts.Api.Providers;
using Iqts.Api.ReferenceData;

namespace Iqts.Api.Trainees;

/// <summary>
/// Pure rules for trainee records: validation, academic years, duplicates, the cap and status changes. Each change is
/// a function of the current trainee and the request that returns the next trainee or the error that refuses it.
/// </summary>
public static partial class TraineeRules
{
    public const int NameMaxLength = 60;
    public const int EmailMaxLength = 80;
    public const int ProviderTraineeIdMaxLength = 50;
    public const int FreeTextMaxLength = 500;
    public const int MaxSubjects = 3;
    public const string PrimaryTeaching = "100511";

    /// <summary>HESA's "Not known" country: acceptable for background fields, not for where the trainee trains.</summary>
    public const string NotKnownCountry = "ZZ";

    /// <summary>Seed 001: without DfE's permission a provider may not recruit more than 200 trainees a year.</summary>
    public const int TraineeCap = 200;

    /// <summary>iQTS pilot training began in autumn 2022 (seed 000); nothing starts before that year.</summary>
    public static readonly DateOnly EarliestStart = new(2022, 1, 1);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\S(.*\S)?$")]
    private static partial Regex TrimmedPrintable();

    /// <summary>
    /// The day someone born on <paramref name="born"/> reaches <paramref name="years"/>: the birthday, or for one born
    /// on 29 February 1 March in a common year, as the law of England has it (Family Law Reform Act 1969, s.9; DateOnly's
    /// AddYears would say 28 February).
    /// </summary>
    public static DateOnly DateReachingAge(DateOnly born, int years) =>
        born is { Month: 2, Day: 29 } && !DateTime.IsLeapYear(born.Year + years) ? new DateOnly(born.Year + years, 3, 1) : born.AddYears(years);

    /// <summary>The start year of the academic year (1 August–31 July) a date falls in.</summary>
    /// <summary>The start year of the academic year (1 August–31 July) a date falls in.</summary>
    public static int AcademicYearOf(DateOnly date) => date.Month >= 8 ? date.Year : date.Year - 1;

    public static string AcademicYearLabel(int startYear) =>
        string.Create(CultureInfo.InvariantCulture, $"{startYear}/{(startYear + 1) % 100:00}");

    public static ValidationErrors ValidateCreate(TraineeRegistration t, ReferenceDataSets reference, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (errors.RequireText("providerTraineeId", t.ProviderTraineeId, ProviderTraineeIdMaxLength)
            && (!TrimmedPrintable().IsMatch(t.ProviderTraineeId) || t.ProviderTraineeId.Any(char.IsControl)))
        {
            errors.Add("providerTraineeId", "must not start or end with spaces or hold control characters.");
        }

        if (t.Trn is not null && !(t.Trn.Length == 7 && t.Trn.All(char.IsAsciiDigit)))
        {
            errors.Add("trn", "must be the trainee's TRN: seven digits.");
        }

        ValidateDetails(errors, t, reference, today);
        return errors;
    }

    /// <summary>A registration: every rule, and the C2.3 phase resolved from the age range.</summary>
    public static Outcome<TraineeRegistration> Register(TraineeRegistration request, ReferenceDataSets reference, DateOnly today)
    {
        var errors = ValidateCreate(request, reference, today);
        return errors.IsEmpty ? (TraineeRegistration)Normalise(request, reference) : errors.ToError();
    }

    /// <summary>
    /// The details a merge patch is applied to: the trainee's, with the phase left out when its age range implies it,
    /// so a patch that moves a trainee from 11-19 to 3-11 is not refused for the phase it leaves behind.
    /// </summary>
    public static TraineeDetails PatchTarget(Trainee current, ReferenceDataSets reference) =>
        reference.PhaseOf(current.AgeRange) is null ? current.DetailsOnly() : current.DetailsOnly() with { AgeRangePhase = null };

    /// <summary>
    /// A correction of the details (a merge patch already applied to them); allowed in any status, but once the trainee
    /// is awarded only its personal details may change: the course it was awarded on is final.
    /// </summary>
    public static Outcome<Trainee> Correct(Trainee current, TraineeDetails details, ReferenceDataSets reference, DateOnly today)
    {
        var errors = new ValidationErrors();
        ValidateDetails(errors, details, reference, today);
        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        var next = current.WithDetails(Normalise(details, reference));
        if (current.Status == TraineeStatus.Awarded)
        {
            var course = AwardedCourse(current);
            var changed = AwardedCourse(next).Where((value, i) => !Equals(value.Value, course[i].Value)).Select(f => f.Field).ToList();
            if (changed.Count > 0)
            {
                return ApiErrors.TraineeAwarded($"its course ({string.Join(", ", changed)})");
            }
        }

        return next;
    }

    /// <summary>The fields of the course an awarded trainee was awarded on (compared as text, subjects joined).</summary>
    private static List<(string Field, string? Value)> AwardedCourse(Trainee t) =>
    [
        ("trainingCountry", t.TrainingCountry), ("ageRange", t.AgeRange), ("ageRangePhase", EnumText.NameOrNull(t.AgeRangePhase)),
        ("subjects", string.Join(',', t.Subjects)), ("studyMode", EnumText.NameOrNull(t.StudyMode)),
        ("startDate", t.StartDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("expectedEndDate", t.ExpectedEndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
    ];

    /// <summary>Names and email without outer spaces, and the C2.3 phase resolved from the age range (the clone keeps the runtime type).</summary>
    private static TraineeDetails Normalise(TraineeDetails details, ReferenceDataSets reference) => details with
        {
            FirstNames = details.FirstNames.Trim(),
            LastName = details.LastName.Trim(),
            PreviousLastName = details.PreviousLastName?.Trim(),
            Email = details.Email.Trim(),
            AgeRangePhase = reference.PhaseOf(details.AgeRange) ?? details.AgeRangePhase!.Value,
        };

    /// <summary>
    /// The date the trainee's status took effect, as its record says: the deferral's, the withdrawal's, the reinstatement's
    /// (or the start, for a trainee never deferred). An award's date is the award's, so the award passes it itself.
    /// </summary>
    public static DateOnly StatusSince(Trainee trainee) => trainee.Status switch
    {
        TraineeStatus.Deferred => trainee.Deferral!.Date,
        TraineeStatus.Withdrawn => trainee.Withdrawal!.Date,
        TraineeStatus.Registered => trainee.ReinstatedOn ?? trainee.StartDate!.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(trainee), trainee.Status, "An award's date comes with the award."),
    };

    public static Outcome<Trainee> Defer(Trainee current, DeferTraineeRequest request, DateOnly today) =>
        Transition(current, AuditActions.Deferred).Then(_ =>
        {
            var errors = ValidateDefer(request, current.StartDate!.Value, today);
            return errors.IsEmpty
                ? current with { Status = TraineeStatus.Deferred, Deferral = new Deferral(request.Date!.Value, request.Reason.Trim()) }
                : (Outcome<Trainee>)errors.ToError();
        });

    public static Outcome<Trainee> Reinstate(Trainee current, ReinstateTraineeRequest request, DateOnly today) =>
        Transition(current, AuditActions.Reinstated).Then(_ =>
        {
            var errors = ValidateReinstate(request, current.Deferral?.Date ?? current.StartDate!.Value, today);
            return errors.IsEmpty
                ? current with { Status = TraineeStatus.Registered, Deferral = null, ReinstatedOn = request.Date }
                : (Outcome<Trainee>)errors.ToError();
        });

    public static Outcome<Trainee> Withdraw(Trainee current, WithdrawTraineeRequest request, DateOnly today, ReferenceDataSets reference) =>
        Transition(current, AuditActions.Withdrawn).Then(_ =>
        {
            var errors = ValidateWithdraw(request, current.StartDate!.Value, today, reference);
            return errors.IsEmpty
                ? current with
                {
                    Status = TraineeStatus.Withdrawn,
                    Deferral = null,
                    Withdrawal = new Withdrawal(request.Date!.Value, request.Trigger!.Value, request.Reasons, request.AnotherReason?.Trim(),
                        request.SafeguardingConcern!.Value, request.SafeguardingConcernDetails?.Trim()),
                }
                : (Outcome<Trainee>)errors.ToError();
        });

    /// <summary>The trainee, if its status allows the action; otherwise <c>trainee.invalid_transition</c>.</summary>
    public static Outcome<Trainee> Transition(Trainee current, AuditAction action)
    {
        var allowed = AllowedFrom(action);
        return allowed.Contains(current.Status)
            ? current
            : ApiErrors.InvalidTransition(EnumText.Name(current.Status), action.Name, allowed.Select(EnumText.Name));
    }

    /// <summary>Every rule on the fields a create sets and a PATCH may change.</summary>
    public static void ValidateDetails(ValidationErrors errors, TraineeDetails t, ReferenceDataSets reference, DateOnly today)
    {
        errors.RequireText("firstNames", t.FirstNames, NameMaxLength);
        errors.RequireText("lastName", t.LastName, NameMaxLength);
        errors.MaxLength("previousLastName", t.PreviousLastName, NameMaxLength);
        if (errors.RequireText("email", t.Email, EmailMaxLength) && !EmailPattern().IsMatch(t.Email))
        {
            errors.Add("email", "must be an email address.");
        }

        errors.Require("sex", t.Sex);
        Code(errors, "nationality", t.Nationality, reference.Nationalities, required: true);
        if (Code(errors, "trainingCountry", t.TrainingCountry, reference.Countries, required: true)
            && (reference.IsUkCountry(t.TrainingCountry) || t.TrainingCountry == NotKnownCountry))
        {
            errors.Add("trainingCountry", "must be the known country outside the UK where the trainee trains: iQTS is training outside the UK.");
        }

        Code(errors, "countryOfBirth", t.CountryOfBirth, reference.Countries, required: false);
        Code(errors, "countryOfResidence", t.CountryOfResidence, reference.Countries, required: false);
        Code(errors, "firstLanguage", t.FirstLanguage, reference.Languages, required: false);
        Code(errors, "teachingLanguage", t.TeachingLanguage, reference.Languages, required: false);
        if (t.YearsOfTeachingExperience is < 0 or > 50)
        {
            errors.Add("yearsOfTeachingExperience", "must be between 0 and 50.");
        }

        ValidateCourse(errors, t, reference, today);
    }

    private static void ValidateCourse(ValidationErrors errors, TraineeDetails t, ReferenceDataSets reference, DateOnly today)
    {
        if (Code(errors, "ageRange", t.AgeRange, reference.AgeRanges, required: true))
        {
            // C2.3: training is in one of three phases; another range records its nearest phase.
            var implied = reference.PhaseOf(t.AgeRange);
            if (implied is null && t.AgeRangePhase is null)
            {
                errors.Add("ageRangePhase", $"is required for the age range {t.AgeRange}: give its nearest iQTS phase (primary, middle or secondary), C2.3.");
            }
            else if (implied is not null && t.AgeRangePhase is not null && implied != t.AgeRangePhase)
            {
                errors.Add("ageRangePhase", $"must be {EnumText.Name(implied.Value)} for the age range {t.AgeRange} (C2.3), or be left out.");
            }
        }

        if (t.Subjects is null || t.Subjects.Count == 0)
        {
            errors.Add("subjects", "must hold one to three subject codes.");
        }
        else if (t.Subjects.Count > MaxSubjects)
        {
            errors.Add("subjects", $"must hold at most {MaxSubjects} subject codes.");
        }
        else
        {
            for (var i = 0; i < t.Subjects.Count; i++)
            {
                Code(errors, $"subjects[{i}]", t.Subjects[i], reference.Subjects, required: true);
                if (t.Subjects.Take(i).Contains(t.Subjects[i]))
                {
                    errors.Add($"subjects[{i}]", "repeats an earlier subject.");
                }
            }

            if (t.AgeRange == "3-11" && t.Subjects[0] != PrimaryTeaching)
            {
                errors.Add("subjects[0]", $"must be {PrimaryTeaching} (primary teaching) for a 3-11 course.");
            }
        }

        errors.Require("studyMode", t.StudyMode);
        var datesPresent = errors.Require("dateOfBirth", t.DateOfBirth) & errors.Require("startDate", t.StartDate) & errors.Require("expectedEndDate", t.ExpectedEndDate);
        if (t.DateOfBirth > today)
        {
            errors.Add("dateOfBirth", "must not be in the future.");
        }

        if (t.StartDate < EarliestStart || t.StartDate > today.AddYears(2))
        {
            errors.Add("startDate", $"must be between {EarliestStart:yyyy-MM-dd} and two years from today.");
        }

        if (!datesPresent)
        {
            return;
        }

        if (DateReachingAge(t.DateOfBirth!.Value, 18) > t.StartDate!.Value)
        {
            errors.Add("dateOfBirth", "must be at least 18 years before the start date.");
        }

        if (t.ExpectedEndDate <= t.StartDate)
        {
            errors.Add("expectedEndDate", "must be after the start date.");
        }
        else if (t.ExpectedEndDate > t.StartDate.Value.AddYears(5))
        {
            errors.Add("expectedEndDate", "must be within five years of the start date.");
        }
    }

    private static bool Code(ValidationErrors errors, string field, string? value, ReferenceSet set, bool required) =>
        errors.Code(field, value, set, required);


    /// <summary>
    /// The likely-duplicate rule of DfE's Register: same date of birth and last name, starting in the
    /// same academic year, and the same first names or the same email. Case, outer spaces and the form of accents
    /// (composed or decomposed, NFC or NFD) are ignored.
    /// </summary>
    public static bool IsLikelyDuplicate(
        (DateOnly DateOfBirth, string LastName, string FirstNames, string Email, int AcademicYear) candidate,
        (DateOnly DateOfBirth, string LastName, string FirstNames, string Email, int AcademicYear) existing) =>
        candidate.DateOfBirth == existing.DateOfBirth
        && Same(candidate.LastName, existing.LastName)
        && candidate.AcademicYear == existing.AcademicYear
        && (Same(candidate.FirstNames, existing.FirstNames) || Same(candidate.Email, existing.Email));

    private static bool Same(string a, string b) => string.Equals(VisibleText.Comparable(a), VisibleText.Comparable(b), StringComparison.Ordinal);

    /// <summary>
    /// Whether the provider may register <paramref name="trainee"/> now, each refusal with its code and in this order: the
    /// provider approved (<c>provider.not_approved</c>), its SRS key unused (<c>trainee.already_exists</c>), not a likely
    /// duplicate of <paramref name="sameBirthAndYear"/> unless the caller confirmed it is not (<c>trainee.possible_duplicate</c>),
    /// and one more trainee starting that year within the cap (<c>provider.trainee_cap_reached</c>, seed 001).
    /// </summary>
    public static Outcome<Trainee> Admit(Trainee trainee, Provider? provider, Guid? keyTakenBy, IReadOnlyList<Trainee> sameBirthAndYear, int alreadyStarting,
        bool confirmNotDuplicate)
    {
        if (provider is null || !ProviderRules.MayRegisterOrAward(provider.ApprovalStatus))
        {
            return ApiErrors.ProviderNotApproved();
        }

        if (keyTakenBy is { } existing)
        {
            return ApiErrors.TraineeExists(new DuplicateMatch(existing.ToString(), trainee.ProviderTraineeId));
        }

        var key = (trainee.DateOfBirth!.Value, trainee.LastName, trainee.FirstNames, trainee.Email, trainee.AcademicYear);
        List<DuplicateMatch> matches = confirmNotDuplicate ? [] : sameBirthAndYear
            .Where(c => IsLikelyDuplicate(key, (c.DateOfBirth!.Value, c.LastName, c.FirstNames, c.Email, c.AcademicYear)))
            .Select(c => new DuplicateMatch(c.TraineeId.ToString(), c.ProviderTraineeId))
            .ToList();
        if (matches.Count > 0)
        {
            return ApiErrors.PossibleDuplicate(matches);
        }

        return CapAllows(alreadyStarting, provider.MayExceedTraineeCap == true) ? trainee : ApiErrors.TraineeCapReached(TraineeCap);
    }

    /// <summary>Seed 001: whether one more trainee may start in a year that already has <paramref name="alreadyStarting"/>.</summary>
    public static bool CapAllows(int alreadyStarting, bool mayExceedCap) => mayExceedCap || alreadyStarting < TraineeCap;

    /// <summary>The statuses a trainee may be in for a status change; a correction (<c>updated</c>) is allowed in any.</summary>
    public static IReadOnlyList<TraineeStatus> AllowedFrom(AuditAction action) =>
        action == AuditActions.Deferred ? [TraineeStatus.Registered]
        : action == AuditActions.Reinstated ? [TraineeStatus.Deferred]
        : action == AuditActions.Withdrawn ? [TraineeStatus.Registered, TraineeStatus.Deferred]
        : action == AuditActions.Updated ? Enum.GetValues<TraineeStatus>()
        : throw new ArgumentOutOfRangeException(nameof(action), action, "Not a change of a trainee's own record.");

    /// <summary>The date of a status change: required, not in the future, not before <paramref name="earliest"/>.</summary>
    private static void EventDate(ValidationErrors errors, DateOnly? date, DateOnly today, DateOnly earliest, string tooEarly)
    {
        if (!errors.Require("date", date))
        {
            return;
        }

        if (date > today)
        {
            errors.Add("date", "must not be in the future.");
        }
        else if (date < earliest)
        {
            errors.Add("date", $"must not be {tooEarly}.");
        }
    }

    public static ValidationErrors ValidateDefer(DeferTraineeRequest request, DateOnly startDate, DateOnly today)
    {
        var errors = new ValidationErrors();
        EventDate(errors, request.Date, today, startDate.AddYears(-1), "more than a year before the start date");
        errors.RequireText("reason", request.Reason, FreeTextMaxLength);
        return errors;
    }

    public static ValidationErrors ValidateReinstate(ReinstateTraineeRequest request, DateOnly deferredOn, DateOnly today)
    {
        var errors = new ValidationErrors();
        EventDate(errors, request.Date, today, deferredOn, $"before the deferral began ({deferredOn:yyyy-MM-dd})");
        return errors;
    }

    public static ValidationErrors ValidateWithdraw(WithdrawTraineeRequest request, DateOnly startDate, DateOnly today, ReferenceDataSets reference)
    {
        var errors = new ValidationErrors();
        EventDate(errors, request.Date, today, startDate, $"before the start date ({startDate:yyyy-MM-dd})");
        errors.Require("trigger", request.Trigger);
        errors.Require("safeguardingConcern", request.SafeguardingConcern);
        var reasons = request.Reasons ?? [];
        if (reasons.Count == 0)
        {
            errors.Add("reasons", "must hold at least one code of the reference set 'withdrawal-reasons'.");
        }
        else if (reasons.Count > WithdrawalReasonCatalogue.All.Count)
        {
            errors.Add("reasons", $"must hold at most {WithdrawalReasonCatalogue.All.Count} codes.");
            return errors;
        }

        var needsAnother = false;
        var needsSafeguarding = false;
        for (var i = 0; i < reasons.Count; i++)
        {
            var info = WithdrawalReasonCatalogue.All.FirstOrDefault(r => r.Code == reasons[i]);
            if (info is null)
            {
                errors.Add($"reasons[{i}]", $"'{ValidationErrors.Truncate(reasons[i] ?? "")}' is not a code of the reference set 'withdrawal-reasons'.");
                continue;
            }

            if (request.Trigger is { } trigger && info.Trigger != trigger)
            {
                errors.Add($"reasons[{i}]", $"is a reason for trigger '{EnumText.Name(info.Trigger)}', not '{EnumText.Name(trigger)}'.");
            }

            needsAnother |= info.RequiresAnotherReason;
            needsSafeguarding |= info.RequiresSafeguardingDetails;
        }

        if (needsAnother)
        {
            errors.RequireText("anotherReason", request.AnotherReason, FreeTextMaxLength);
        }
        else if (request.AnotherReason is not null)
        {
            errors.Add("anotherReason", "is only for reasons ending in another_reason.");
        }

        if (needsSafeguarding)
        {
            errors.RequireText("safeguardingConcernDetails", request.SafeguardingConcernDetails, FreeTextMaxLength);
            if (request.SafeguardingConcern == false)
            {
                errors.Add("safeguardingConcern", "must be true when a reason is safeguarding_concerns.");
            }
        }
        else
        {
            errors.MaxLength("safeguardingConcernDetails", request.SafeguardingConcernDetails, FreeTextMaxLength);
        }

        return errors;
    }
}
