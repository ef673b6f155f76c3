using Iqts.Api.Tests.Infrastructure;
using Iqts.Client;

namespace Iqts.Api.Tests.Sdk;

/// <summary>Trainees through the generated C# SDK, as a provider's student-record system would use them.</summary>
public sealed class SdkTraineeTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Register_read_and_page_through_trainees()
    {
        var sdk = await api.NewProviderSdkAsync();
        var request = SdkFixtures.Trainee();
        var created = await sdk.CreateTraineeAsync(request);
        Assert.Equal(201, created.StatusCode);
        var trainee = created.Result;
        Assert.Equal(TraineeStatus.Registered, trainee.Status);
        Assert.Equal(AgePhase.Primary, trainee.AgeRangePhase);
        Assert.Equal(request.DateOfBirth, trainee.DateOfBirth);
        Assert.Equal(StudyMode.Part_time, trainee.StudyMode);
        Assert.Equal(IqtsReason.Career_progression, trainee.ReasonForIqts);
        Assert.Equal("2025/26", trainee.AcademicYear);
        Assert.Null(trainee.Trn);
        Assert.Null(trainee.CountryOfBirth);

        var read = await sdk.GetTraineeAsync(trainee.TraineeId);
        Assert.Equal(created.ETag(), read.ETag());
        Assert.Equal(request.Email, read.Result.Email);

        for (var i = 0; i < 4; i++)
        {
            await sdk.CreateTraineeAsync(SdkFixtures.Trainee());
        }

        var ids = new List<string>();
        string? cursor = null;
        TraineeResponsePage page;
        do
        {
            page = await sdk.ListTraineesAsync(limit: 2, cursor: cursor);
            ids.AddRange(page.Items.Select(t => t.TraineeId));
            cursor = page.NextCursor;
        }
        while (page.HasMore);
        Assert.Equal(5, ids.Distinct().Count());
        Assert.Contains(trainee.TraineeId, ids);
    }

    public static TheoryData<string, string> BadCodes => new()
    {
        { "nationality", "XX" },
        { "trainingCountry", "Q9" },
        { "trainingCountry", "XF" },
        { "countryOfBirth", "UK" },
        { "countryOfResidence", "E1" },
        { "firstLanguage", "zz" },
        { "teachingLanguage", "eng" },
        { "ageRange", "3-12" },
        { "subjects[0]", "100000" },
        { "email", "nobody" },
        { "providerTraineeId", "" },
        { "firstNames", "" },
        { "lastName", "" },
    };

    [Theory]
    [MemberData(nameof(BadCodes))]
    public async Task A_bad_value_is_400_naming_the_field(string field, string value)
    {
        var sdk = await api.NewProviderSdkAsync();
        var request = SdkFixtures.Trainee(r =>
        {
            switch (field)
            {
                case "nationality": r.Nationality = value; break;
                case "trainingCountry": r.TrainingCountry = value; break;
                case "countryOfBirth": r.CountryOfBirth = value; break;
                case "countryOfResidence": r.CountryOfResidence = value; break;
                case "firstLanguage": r.FirstLanguage = value; break;
                case "teachingLanguage": r.TeachingLanguage = value; break;
                case "ageRange": r.AgeRange = value; break;
                case "subjects[0]": r.Subjects = [value]; break;
                case "email": r.Email = value; break;
                case "providerTraineeId": r.ProviderTraineeId = value; break;
                case "firstNames": r.FirstNames = value; break;
                case "lastName": r.LastName = value; break;
            }
        });
        var problem = await SdkFixtures.ProblemAsync(() => sdk.CreateTraineeAsync(request), 400, "validation.failed");
        Assert.Equal([field], problem.Errors!.Keys);
    }

    public static TheoryData<string, string> RuleCases => new()
    {
        { "trainingCountry=XF", "trainingCountry" },
        { "trainingCountry=XK", "trainingCountry" },
        { "trainingCountry=ZZ", "trainingCountry" },
        { "trainingCountry=", "trainingCountry" },
        { "nationality=", "nationality" },
        { "subjects=", "subjects" },
        { "subjects=100511,100403,100425,101117", "subjects" },
        { "subjects=100511,100511", "subjects[1]" },
        { "providerTraineeId=" + new string('x', 51), "providerTraineeId" },
        { "providerTraineeId= padded ", "providerTraineeId" },
        { "firstNames=" + new string('n', 61), "firstNames" },
        { "previousLastName=" + new string('p', 61), "previousLastName" },
        { "email=" + new string('e', 75) + "@x.org", "email" },
        { "yearsOfTeachingExperience=-1", "yearsOfTeachingExperience" },
        { "yearsOfTeachingExperience=51", "yearsOfTeachingExperience" },
        { "ageRange=5-11", "ageRangePhase" },
        { "ageRange=", "ageRange" },
    };

    [Theory]
    [MemberData(nameof(RuleCases))]
    public async Task A_broken_rule_is_400_naming_the_field(string change, string field)
    {
        var sdk = await api.NewProviderSdkAsync();
        var (name, value) = (change[..change.IndexOf('=')], change[(change.IndexOf('=') + 1)..]);
        var request = SdkFixtures.Trainee(r =>
        {
            switch (name)
            {
                case "trainingCountry": r.TrainingCountry = value; break;
                case "nationality": r.Nationality = value; break;
                case "subjects": r.Subjects = value.Length == 0 ? [] : value.Split(','); break;
                case "providerTraineeId": r.ProviderTraineeId = value; break;
                case "firstNames": r.FirstNames = value; break;
                case "previousLastName": r.PreviousLastName = value; break;
                case "email": r.Email = value; break;
                case "yearsOfTeachingExperience": r.YearsOfTeachingExperience = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "ageRange": r.AgeRange = value; break;
            }
        });
        var problem = await SdkFixtures.ProblemAsync(() => sdk.CreateTraineeAsync(request), 400, "validation.failed");
        Assert.Equal([field], problem.Errors!.Keys);
    }

    [Theory]
    [InlineData(2011, 2025, 2026, "dateOfBirth")]
    [InlineData(1990, 2025, 2025, "expectedEndDate")]
    [InlineData(1990, 2021, 2022, "startDate")]
    [InlineData(1990, 2025, 2031, "expectedEndDate")]
    public async Task Dates_must_make_sense(int birthYear, int startYear, int endYear, string field)
    {
        var sdk = await api.NewProviderSdkAsync();
        var request = SdkFixtures.Trainee(r =>
        {
            r.DateOfBirth = new DateOnly(birthYear, 1, 1);
            r.StartDate = new DateOnly(startYear, 9, 1);
            r.ExpectedEndDate = new DateOnly(endYear, endYear == startYear ? 8 : 9, 1);
        });
        var problem = await SdkFixtures.ProblemAsync(() => sdk.CreateTraineeAsync(request), 400, "validation.failed");
        Assert.Contains(field, problem.Errors!.Keys);
    }

    [Fact]
    public async Task Duplicates_come_back_with_their_matches()
    {
        var sdk = await api.NewProviderSdkAsync();
        var first = (await sdk.CreateTraineeAsync(SdkFixtures.Trainee(r => { r.FirstNames = "Lim"; r.Email = "lim@example.org"; }))).Result;

        var sameKey = SdkFixtures.Trainee(r => r.ProviderTraineeId = first.ProviderTraineeId);
        var exists = await SdkFixtures.ProblemAsync(() => sdk.CreateTraineeAsync(sameKey), 409, "trainee.already_exists");
        Assert.Equal(first.TraineeId, exists.Matches!.Single().TraineeId);

        var lookalike = SdkFixtures.Trainee(r => { r.FirstNames = "LIM"; r.Email = "lim2@example.org"; });
        var duplicate = await SdkFixtures.ProblemAsync(() => sdk.CreateTraineeAsync(lookalike), 409, "trainee.possible_duplicate");
        Assert.Equal(first.ProviderTraineeId, duplicate.Matches!.Single().ProviderTraineeId);
        Assert.Equal(201, (await sdk.CreateTraineeAsync(lookalike, confirmNotDuplicate: true)).StatusCode);
    }

    [Fact]
    public async Task A_suspended_provider_is_refused_with_its_code()
    {
        var ukprn = await api.CreateProviderAsync(status: "suspended");
        var sdk = await api.SdkForAsync("provider", ukprn);
        await SdkFixtures.ProblemAsync(() => sdk.CreateTraineeAsync(SdkFixtures.Trainee()), 422, "provider.not_approved");
    }

    [Fact]
    public async Task Patch_sends_only_what_is_set_and_honours_if_match()
    {
        var sdk = await api.NewProviderSdkAsync();
        var created = await sdk.CreateTraineeAsync(SdkFixtures.Trainee());
        var id = created.Result.TraineeId;

        var patched = await sdk.UpdateTraineeAsync(id, new TraineePatch { LastName = "Lee", Subjects = ["100511", "100403"] }, created.ETag());
        Assert.Equal("Lee", patched.Result.LastName);
        Assert.Equal(created.Result.FirstNames, patched.Result.FirstNames);
        Assert.Equal(["100511", "100403"], patched.Result.Subjects);

        await SdkFixtures.ProblemAsync(() => sdk.UpdateTraineeAsync(id, new TraineePatch { LastName = "Stale" }, created.ETag()), 412, "resource.precondition_failed");
        var invalid = await SdkFixtures.ProblemAsync(() => sdk.UpdateTraineeAsync(id, new TraineePatch { Nationality = "XX" }), 400, "validation.failed");
        Assert.Equal(["nationality"], invalid.Errors!.Keys);
    }

    [Fact]
    public async Task Defer_reinstate_and_withdraw()
    {
        var sdk = await api.NewProviderSdkAsync();
        var id = (await sdk.CreateTraineeAsync(SdkFixtures.Trainee())).Result.TraineeId;

        var deferred = await sdk.DeferTraineeAsync(id, new DeferTraineeRequest { Date = new DateOnly(2025, 10, 1), Reason = "Maternity leave" });
        Assert.Equal(TraineeStatus.Deferred, deferred.Result.Status);
        Assert.Equal("Maternity leave", deferred.Result.Deferral!.Reason);

        var reinstated = await sdk.ReinstateTraineeAsync(id, new ReinstateTraineeRequest { Date = new DateOnly(2026, 1, 5) }, if_Match: deferred.ETag());
        Assert.Equal(TraineeStatus.Registered, reinstated.Result.Status);
        Assert.Equal(new DateOnly(2026, 1, 5), reinstated.Result.ReinstatedOn);

        var withdrawn = await sdk.WithdrawTraineeAsync(id, new WithdrawTraineeRequest
        {
            Date = new DateOnly(2026, 2, 1),
            Trigger = WithdrawalTrigger.Trainee,
            Reasons = ["got_a_job"],
            SafeguardingConcern = false,
        });
        Assert.Equal(TraineeStatus.Withdrawn, withdrawn.Result.Status);
        Assert.Equal(WithdrawalTrigger.Trainee, withdrawn.Result.Withdrawal!.Trigger);

        var refused = await SdkFixtures.ProblemAsync(
            () => sdk.DeferTraineeAsync(id, new DeferTraineeRequest { Date = new DateOnly(2026, 3, 1), Reason = "x" }), 409, "trainee.invalid_transition");
        Assert.Equal(TraineeStatus.Withdrawn, refused.CurrentStatus);

        var history = await sdk.GetTraineeHistoryAsync(id);
        Assert.Equal(["created", "deferred", "reinstated", "withdrawn"], history.Items.Select(h => h.Action));
    }

    [Theory]
    [InlineData("defer")]
    [InlineData("reinstate")]
    [InlineData("withdraw")]
    [InlineData("get")]
    [InlineData("patch")]
    [InlineData("history")]
    public async Task Another_providers_trainee_is_not_found(string operation)
    {
        var owner = await api.NewProviderSdkAsync();
        var intruder = await api.NewProviderSdkAsync();
        var id = (await owner.CreateTraineeAsync(SdkFixtures.Trainee())).Result.TraineeId;

        Func<Task> call = operation switch
        {
            "defer" => () => intruder.DeferTraineeAsync(id, new DeferTraineeRequest { Date = new DateOnly(2025, 10, 1), Reason = "x" }),
            "reinstate" => () => intruder.ReinstateTraineeAsync(id, new ReinstateTraineeRequest { Date = new DateOnly(2025, 10, 1) }),
            "withdraw" => () => intruder.WithdrawTraineeAsync(id, new WithdrawTraineeRequest { Date = new DateOnly(2025, 12, 1), Trigger = WithdrawalTrigger.Trainee, Reasons = ["got_a_job"], SafeguardingConcern = false }),
            "get" => () => intruder.GetTraineeAsync(id),
            "patch" => () => intruder.UpdateTraineeAsync(id, new TraineePatch { LastName = "x" }),
            _ => () => intruder.GetTraineeHistoryAsync(id),
        };
        await SdkFixtures.ProblemAsync(call, 404, "resource.not_found");
        Assert.Equal("Tan", (await owner.GetTraineeAsync(id)).Result.LastName);
    }

    [Theory]
    [InlineData(WithdrawalTrigger.Provider, "got_a_job", null, false, null, "reasons[0]")]
    [InlineData(WithdrawalTrigger.Trainee, "trainee_chose_to_withdraw_another_reason", null, false, null, "anotherReason")]
    [InlineData(WithdrawalTrigger.Provider, "safeguarding_concerns", null, true, null, "safeguardingConcernDetails")]
    [InlineData(WithdrawalTrigger.Trainee, "got_a_job", "why", false, null, "anotherReason")]
    [InlineData(WithdrawalTrigger.Trainee, "nonsense", null, false, null, "reasons[0]")]
    public async Task Withdrawal_rules(WithdrawalTrigger trigger, string reason, string? another, bool safeguarding, string? details, string field)
    {
        var sdk = await api.NewProviderSdkAsync();
        var id = (await sdk.CreateTraineeAsync(SdkFixtures.Trainee())).Result.TraineeId;
        var problem = await SdkFixtures.ProblemAsync(() => sdk.WithdrawTraineeAsync(id, new WithdrawTraineeRequest
        {
            Date = new DateOnly(2025, 12, 1),
            Trigger = trigger,
            Reasons = [reason],
            AnotherReason = another,
            SafeguardingConcern = safeguarding,
            SafeguardingConcernDetails = details,
        }), 400, "validation.failed");
        Assert.Contains(field, problem.Errors!.Keys);
    }

    [Fact]
    public async Task An_idempotency_key_makes_a_retry_safe()
    {
        var sdk = await api.NewProviderSdkAsync();
        var request = SdkFixtures.Trainee();
        var key = Guid.NewGuid().ToString();
        var first = await sdk.CreateTraineeAsync(request, idempotency_Key: key);
        var retry = await sdk.CreateTraineeAsync(request, idempotency_Key: key);
        Assert.Equal(first.Result.TraineeId, retry.Result.TraineeId);
        Assert.Single((await sdk.ListTraineesAsync()).Items);

        request.LastName = "Changed";
        await SdkFixtures.ProblemAsync(() => sdk.CreateTraineeAsync(request, idempotency_Key: key), 422, "idempotency.key_reused");
    }

    [Fact]
    public async Task Filters_by_status_and_country()
    {
        var sdk = await api.NewProviderSdkAsync();
        var inSpain = (await sdk.CreateTraineeAsync(SdkFixtures.Trainee(r => r.TrainingCountry = "ES"))).Result;
        await sdk.CreateTraineeAsync(SdkFixtures.Trainee());
        await sdk.DeferTraineeAsync(inSpain.TraineeId, new DeferTraineeRequest { Date = new DateOnly(2025, 9, 15), Reason = "Visa" });

        Assert.Equal([inSpain.TraineeId], (await sdk.ListTraineesAsync(trainingCountry: "ES")).Items.Select(t => t.TraineeId));
        Assert.Equal([inSpain.TraineeId], (await sdk.ListTraineesAsync(status: TraineeStatus.Deferred)).Items.Select(t => t.TraineeId));
        Assert.Equal(2, (await sdk.ListTraineesAsync(updatedSince: api.Clock.GetUtcNow().AddMinutes(-10))).Items.Count);
        Assert.Empty((await sdk.ListTraineesAsync(updatedSince: api.Clock.GetUtcNow().AddMinutes(10))).Items);
    }
}
