using Iqts.Api.Audit;
using Iqts.Api.Http;
using Iqts.Api.Providers;
using Iqts.Api.ReferenceData;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tests.Rules;

/// <summary>The pure rules, without HTTP or a database.</summary>
public sealed class TraineeRulesTests
{
    private static readonly ReferenceDataSets Reference = new();
    private static readonly DateOnly Today = DateOnly.FromDateTime(ApiFactory.Start.UtcDateTime);

    [Theory]
    [InlineData("2004-02-29", "2022-02-28", false)]
    [InlineData("2004-02-29", "2022-03-01", true)]
    [InlineData("2004-02-29", "2024-02-29", true)]
    [InlineData("2006-02-28", "2024-02-28", true)]
    [InlineData("2004-03-01", "2022-02-28", false)]
    [InlineData("2004-03-01", "2022-03-01", true)]
    [InlineData("2003-12-31", "2021-12-31", true)]
    [InlineData("2004-01-01", "2021-12-31", false)]
    public void Someone_is_18_on_the_day_the_law_of_England_says(string born, string on, bool eighteen)
    {
        // Issue 18, fault 9: born on 29 February, one reaches an age on 1 March in a common year.
        var (b, d) = (DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(eighteen, TraineeRules.DateReachingAge(b, 18) <= d);
    }

    [Theory]
    [InlineData("2025-07-31", 2024)]
    [InlineData("2025-08-01", 2025)]
    [InlineData("2026-01-15", 2025)]
    [InlineData("2026-07-31", 2025)]
    public void Academic_years_run_from_1_August(string date, int startYear) =>
        Assert.Equal(startYear, TraineeRules.AcademicYearOf(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Academic_year_labels() => Assert.Equal("2099/00", TraineeRules.AcademicYearLabel(2099));

    [Theory]
    [InlineData(0, false, true)]
    [InlineData(199, false, true)]
    [InlineData(200, false, false)]
    [InlineData(5000, true, true)]
    public void The_cap_is_200_without_permission(int already, bool permitted, bool allowed) =>
        Assert.Equal(allowed, TraineeRules.CapAllows(already, permitted));

    [Theory]
    [InlineData("Ravi", "ravi@x.org", "RAVI ", "other@x.org", true)]
    [InlineData("Ravi", "ravi@x.org", "Ravindra", "RAVI@X.ORG", true)]
    [InlineData("Ravi", "ravi@x.org", "Ravindra", "other@x.org", false)]
    public void Likely_duplicates_follow_the_register_rule(string firstA, string emailA, string firstB, string emailB, bool expected)
    {
        var dob = new DateOnly(1990, 1, 1);
        Assert.Equal(expected, TraineeRules.IsLikelyDuplicate((dob, "Verma", firstA, emailA, 2025), (dob, " verma", firstB, emailB, 2025)));
    }

    [Fact]
    public void A_different_year_or_birthday_is_never_a_duplicate()
    {
        var dob = new DateOnly(1990, 1, 1);
        Assert.False(TraineeRules.IsLikelyDuplicate((dob, "Verma", "Ravi", "r@x.org", 2025), (dob, "Verma", "Ravi", "r@x.org", 2026)));
        Assert.False(TraineeRules.IsLikelyDuplicate((dob, "Verma", "Ravi", "r@x.org", 2025), (dob.AddDays(1), "Verma", "Ravi", "r@x.org", 2025)));
    }

    private static TraineeRegistration Valid(string ageRange = "11-19", AgePhase? phase = null, params string[] subjects) =>
        Fixtures.Trainee().As<TraineeRegistration>() with { AgeRange = ageRange, AgeRangePhase = phase, Subjects = subjects.Length == 0 ? ["100403"] : subjects };

    [Fact]
    public void A_valid_trainee_has_no_errors() => Assert.True(TraineeRules.ValidateCreate(Valid(), Reference, Today).IsEmpty);

    [Theory]
    [InlineData("3-11", null, "100511", null)]
    [InlineData("3-11", null, "100403", "subjects[0]")]
    [InlineData("5-11", null, "100511", "ageRangePhase")]
    [InlineData("5-11", AgePhase.Primary, "100511", null)]
    [InlineData("7-14", AgePhase.Secondary, "100403", "ageRangePhase")]
    [InlineData("7-14", AgePhase.Middle, "100403", null)]
    public void Age_ranges_map_to_the_C2_3_phases(string range, AgePhase? phase, string subject, string? errorField)
    {
        var errors = TraineeRules.ValidateCreate(Valid(range, phase, subject), Reference, Today).ToDictionary();
        if (errorField is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Equal([errorField], errors.Keys);
        }
    }

    [Fact]
    public void Standard_ranges_imply_their_phase()
    {
        Assert.Equal(AgePhase.Primary, Reference.PhaseOf("3-11"));
        Assert.Equal(AgePhase.Middle, Reference.PhaseOf("7-14"));
        Assert.Equal(AgePhase.Secondary, Reference.PhaseOf("11-19"));
        Assert.Null(Reference.PhaseOf("5-11"));
    }

    [Theory]
    [InlineData("GB")]
    [InlineData("XF")]
    [InlineData("XK")]
    public void UK_codes_are_marked(string code)
    {
        if (Reference.Countries.Contains(code))
        {
            Assert.True(Reference.IsUkCountry(code));
        }
    }

    [Fact]
    public void Transitions()
    {
        Assert.Equal([TraineeStatus.Registered], TraineeRules.AllowedFrom(AuditActions.Deferred));
        Assert.Equal([TraineeStatus.Deferred], TraineeRules.AllowedFrom(AuditActions.Reinstated));
        Assert.Equal([TraineeStatus.Registered, TraineeStatus.Deferred], TraineeRules.AllowedFrom(AuditActions.Withdrawn));
        Assert.Equal(Enum.GetValues<TraineeStatus>(), TraineeRules.AllowedFrom(AuditActions.Updated));
    }

    [Fact]
    public void Withdrawal_reasons_belong_to_one_trigger_each()
    {
        Assert.Equal(WithdrawalReasonCatalogue.All.Count, WithdrawalReasonCatalogue.All.Select(r => r.Code).Distinct().Count());
        Assert.Contains(WithdrawalReasonCatalogue.All, r => r.Trigger == WithdrawalTrigger.Provider && r.RequiresAnotherReason);
        Assert.Contains(WithdrawalReasonCatalogue.All, r => r.Trigger == WithdrawalTrigger.Trainee && r.RequiresAnotherReason);
        Assert.Single(WithdrawalReasonCatalogue.All, r => r.RequiresSafeguardingDetails);
    }

    [Theory]
    [InlineData(1, ApprovalStatus.Approved, true)]
    [InlineData(2, ApprovalStatus.Approved, true)]
    [InlineData(3, ApprovalStatus.Approved, false)]
    [InlineData(3, ApprovalStatus.Suspended, true)]
    [InlineData(4, ApprovalStatus.Withdrawn, true)]
    public void Approval_needs_an_inspection_grade_of_1_or_2(int grade, ApprovalStatus status, bool valid)
    {
        var request = Fixtures.Provider(status: status.ToString().ToLowerInvariant()).As<CreateProviderRequest>() with { InspectionGrade = grade };
        Assert.Equal(valid, !ProviderRules.Register(request, Today).Failed);
    }

    [Fact]
    public void Merge_patch_follows_RFC_7396()
    {
        var target = System.Text.Json.Nodes.JsonNode.Parse("""{"a":"b","c":{"d":"e","f":"g"}}""")!.AsObject();
        var patch = System.Text.Json.Nodes.JsonNode.Parse("""{"a":"z","c":{"f":null}}""")!.AsObject();
        MergePatch.Merge(target, patch);
        Assert.Equal("""{"a":"z","c":{"d":"e"}}""", target.ToJsonString());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(42L)]
    [InlineData(long.MaxValue)]
    public void Cursors_round_trip(long seq)
    {
        Assert.True(Cursor.TryDecode(Cursor.Encode(seq), out var decoded));
        Assert.Equal(seq, decoded);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("YzE6LTE")] // "c1:-1"
    [InlineData("!!")]
    public void Foreign_cursors_are_refused(string cursor) => Assert.False(Cursor.TryDecode(cursor, out _));
}
